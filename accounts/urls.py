from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("your-data/", views.your_data, name="data"),
    path("your-data/export/", views.export_data, name="export"),
    path("reminders/stop/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
