from django.urls import path

from . import views

app_name = "clinics"

urlpatterns = [
    path("", views.clinic_list, name="list"),
    path("mine/", views.my_clinics, name="mine"),
    path("mine/<slug:slug>/leave/", views.leave, name="leave"),
    path("join/", views.join_code, name="join_code"),
    path("join/continue/", views.join_continue, name="join_continue"),
    path("join/invite/<str:token>/", views.join_invitation, name="join_invitation"),
    path("join/<str:code>/", views.join_link, name="join_link"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/export.csv", views.export_csv, name="export"),
    path("<slug:slug>/families/<int:user_id>/", views.member_detail, name="member"),
    path("<slug:slug>/invite/", views.invite, name="invite"),
    path("<slug:slug>/invitations/", views.invitations, name="invitations"),
    path("<slug:slug>/invitations/<int:pk>/<str:action>/", views.invitation_action, name="invitation_action"),
    path("<slug:slug>/flyer/", views.flyer, name="flyer"),
    path("<slug:slug>/staff/", views.staff, name="staff"),
    path("<slug:slug>/staff/<int:pk>/", views.staff_action, name="staff_action"),
    path("<slug:slug>/settings/", views.clinic_settings, name="settings"),
]
