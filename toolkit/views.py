from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .checklist import CHECKLIST, WHO_TO_CALL
from .forms import SafetyPlanForm
from .models import SafetyPlan
from .pdf import checklist_pdf as build_checklist_pdf
from .pdf import safety_plan_pdf as build_safety_plan_pdf
from .selectors import clinics_of_family_member
from .services import delete_safety_plan, save_safety_plan

SAVED = "Your safety plan is saved. Only you can see it."


# The plan is always the signed-in person's own: no URL names a plan or a person, so nobody else can ask for it.
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def safety_plan(request):
    plan = SafetyPlan.objects.filter(user=request.user).first()
    form = SafetyPlanForm(request.POST if request.method == "POST" else None, instance=plan)
    if request.method == "POST" and form.is_valid():
        save_safety_plan(user=request.user, **form.cleaned_data)
        messages.success(request, SAVED)
        return redirect("toolkit:safety_plan")
    sections = (plan or SafetyPlan()).sections()  # the printed copy: the saved plan, or a blank one
    return render(request, "toolkit/safety_plan.html", {"form": form, "plan": plan, "sections": sections})


@never_cache
@login_required
def safety_plan_pdf(request):
    plan = SafetyPlan.objects.filter(user=request.user).first()
    return _pdf(build_safety_plan_pdf(plan), "support-circle-safety-plan.pdf")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def safety_plan_delete(request):
    if not SafetyPlan.objects.filter(user=request.user).exists():
        return redirect("toolkit:safety_plan")
    if request.method == "POST":
        delete_safety_plan(user=request.user)
        messages.success(request, "Your safety plan is deleted.")
        return redirect("toolkit:safety_plan")
    return render(request, "toolkit/safety_plan_delete.html")


def checklist(request):
    clinics = clinics_of_family_member(request.user)
    response = render(
        request, "toolkit/checklist.html", {"sections": CHECKLIST, "who_to_call": WHO_TO_CALL, "clinics": clinics}
    )
    return _personal_if_signed_in(request, response)


def checklist_pdf(request):
    response = _pdf(
        build_checklist_pdf(clinics_of_family_member(request.user)), "support-circle-treatment-day-checklist.pdf"
    )
    return _personal_if_signed_in(request, response)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _personal_if_signed_in(request, response):
    """Signed in, the checklist may carry the person's clinics: no shared or browser cache keeps it."""
    patch_vary_headers(response, ["Cookie"])
    if request.user.is_authenticated:
        add_never_cache_headers(response)
    return response
