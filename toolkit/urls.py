from django.urls import path

from . import views

app_name = "toolkit"

urlpatterns = [
    path("safety-plan/", views.safety_plan, name="safety_plan"),
    path("safety-plan/pdf/", views.safety_plan_pdf, name="safety_plan_pdf"),
    path("safety-plan/delete/", views.safety_plan_delete, name="safety_plan_delete"),
    path("treatment-day-checklist/", views.checklist, name="checklist"),
    path("treatment-day-checklist/pdf/", views.checklist_pdf, name="checklist_pdf"),
]
