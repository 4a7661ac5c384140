import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from config.middleware import private_page

from . import reminders
from .forms import DeleteAccountForm, ProfileForm
from .languages import remember_language
from .personal_data import delete_user, export_user_data


@login_required
def profile(request):
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    language = request.user.language
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # The profile opens again in the language just chosen, and the switch's cookie agrees with it.
        with translation.override(user.language):
            messages.success(request, _("Your profile is saved."))
            response = redirect(reverse("accounts:profile"))
        if user.language != language:
            remember_language(response, user.language)
        return response
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def your_data(request):
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        delete_user(request.user)
        logout(request)
        messages.success(request, _("Your account and everything we held about you have been deleted."))
        return redirect("home")
    return render(request, "accounts/your_data.html", {"form": form})


@login_required
def export_data(request):
    payload = json.dumps(export_user_data(request.user), indent=2, default=str)
    response = HttpResponse(payload, content_type="application/json")
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="support-circle-my-data-{stamp}.json"'
    return response


@csrf_exempt  # RFC 8058: mail apps post "List-Unsubscribe=One-Click" without our form; the signed link is the key
@private_page
def unsubscribe(request, token):
    """Stop course reminders from the link in any reminder: no sign-in. GET asks (link scanners follow links),
    POST stops them. The page never shows whose reminders they are."""
    user = reminders.user_from_token(token)
    if user is None:
        return render(request, "accounts/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        reminders.turn_off(user)
        return render(request, "accounts/unsubscribe.html", {"done": True})
    return render(request, "accounts/unsubscribe.html", {})
