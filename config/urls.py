from django.contrib import admin
from django.urls import include, path

from courses import views as course_views
from quizzes import views as quiz_views

admin.site.site_header = "Support Circle administration"
admin.site.site_title = "Support Circle admin"

urlpatterns = [
    path("", course_views.home, name="home"),
    path("about/", course_views.about, name="about"),
    path("my-learning/", quiz_views.dashboard, name="dashboard"),
    path("verify/", course_views.certificate_verify, name="certificate_verify_form"),
    path("verify/<str:code>/", course_views.certificate_verify, name="certificate_verify"),
    path("courses/", include("courses.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
