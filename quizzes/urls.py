from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("<int:pk>/", views.take_quiz, name="take"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt"),
]
