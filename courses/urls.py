from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.course_list, name="course_list"),
    path("certificates/<str:code>/", views.certificate_detail, name="certificate"),
    path("certificates/<str:code>/pdf/", views.certificate_download, name="certificate_pdf"),
    path("<slug:course_slug>/", views.course_detail, name="course_detail"),
    path("<slug:course_slug>/enroll/", views.enroll, name="enroll"),
    path("<slug:course_slug>/continue/", views.continue_course, name="continue"),
    path("<slug:course_slug>/<slug:module_slug>/<slug:lesson_slug>/", views.lesson_detail, name="lesson_detail"),
    path(
        "<slug:course_slug>/<slug:module_slug>/<slug:lesson_slug>/complete/",
        views.complete_lesson,
        name="complete_lesson",
    ),
]
