from django.contrib import admin
from django.urls import include, path

from courses import views as course_views

admin.site.site_header = "Support Circle administration"
admin.site.site_title = "Support Circle admin"

urlpatterns = [
    path("", course_views.home, name="home"),
    path("about/", course_views.about, name="about"),
    path("courses/", include("courses.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
