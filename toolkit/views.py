from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.languages import SUPPORTED

from .checklist import CHECKLIST, WHO_TO_CALL
from .forms import SafetyPlanForm
from .models import SafetyPlan
from .pdf import checklist_pdf as build_checklist_pdf
from .pdf import safety_plan_pdf as build_safety_plan_pdf
from .selectors import clinics_of_family_member
from .services import delete_safety_plan, save_safety_plan

SAVED = gettext_lazy("Your safety plan is saved. Only you can see it.")
# The other language's PDF, linked from each page: (language, link text).
OTHER_LANGUAGE_PDF = {
    "en": ("es", gettext_lazy("The same in Spanish (PDF)")),
    "es": ("en", gettext_lazy("The same in English (PDF)")),
}


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
    context = {"form": form, "plan": plan, "sections": sections, **_other_pdf("toolkit:safety_plan_pdf")}
    return render(request, "toolkit/safety_plan.html", context)


@never_cache
@login_required
def safety_plan_pdf(request):
    plan = SafetyPlan.objects.filter(user=request.user).first()
    with translation.override(_pdf_language(request)):
        content = build_safety_plan_pdf(plan)
    return _pdf(content, "support-circle-safety-plan.pdf")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def safety_plan_delete(request):
    if not SafetyPlan.objects.filter(user=request.user).exists():
        return redirect("toolkit:safety_plan")
    if request.method == "POST":
        delete_safety_plan(user=request.user)
        messages.success(request, _("Your safety plan is deleted."))
        return redirect("toolkit:safety_plan")
    return render(request, "toolkit/safety_plan_delete.html")


def checklist(request):
    clinics = clinics_of_family_member(request.user)
    context = {
        "sections": CHECKLIST,
        "who_to_call": WHO_TO_CALL,
        "clinics": clinics,
        **_other_pdf("toolkit:checklist_pdf"),
    }
    return _personal_if_signed_in(request, render(request, "toolkit/checklist.html", context))


def checklist_pdf(request):
    with translation.override(_pdf_language(request)):
        content = build_checklist_pdf(clinics_of_family_member(request.user))
    return _personal_if_signed_in(request, _pdf(content, "support-circle-treatment-day-checklist.pdf"))


def _pdf_language(request) -> str:
    """A PDF is in the page's language (its address: /es/ for Spanish), or the one `?language=` asks for, so a
    Spanish copy can be printed from an English page."""
    asked = request.GET.get("language", "")
    return asked if asked in SUPPORTED else translation.get_language()


def _other_pdf(url_name: str) -> dict:
    other, label = OTHER_LANGUAGE_PDF.get(translation.get_language(), OTHER_LANGUAGE_PDF["en"])
    return {"other_pdf_url": f"{reverse(url_name)}?language={other}", "other_pdf_label": label}


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
