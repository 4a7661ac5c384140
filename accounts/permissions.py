"""Two-factor authentication is required for staff: Django admin and clinic pages.

The question is "did this session pass two-factor?", not "is two-factor set up?": a password alone, however the
session was opened, never reaches other people's data.
"""

from functools import wraps
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext_lazy as _

MFA_REQUIRED_MESSAGE = _("Staff accounts must turn on two-factor authentication before opening this page.")
MFA_CODE_MESSAGE = _("Enter the code from your authenticator app to open this page.")


def has_two_factor(user) -> bool:
    """Two-factor is set up for this account (it may not have been used in this session)."""
    return user.is_authenticated and is_mfa_enabled(user)


def passed_two_factor(request) -> bool:
    """This session completed a two-factor step: signing in with a code, re-entering one, or turning it on."""
    return has_two_factor(request.user) and any(
        record.get("method") == "mfa" for record in get_authentication_records(request)
    )


def two_factor_redirect(request):
    """Where staff go when the session has not passed two-factor: set it up, or enter a code and come back."""
    if not has_two_factor(request.user):
        messages.warning(request, MFA_REQUIRED_MESSAGE)
        return redirect("mfa_index")
    messages.info(request, MFA_CODE_MESSAGE)
    query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
    return redirect(f"{reverse('mfa_reauthenticate')}?{query}")


def two_factor_required(view):
    """For views that show other people's data: signed in, and two-factor passed in this session."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not passed_two_factor(request):
            return two_factor_redirect(request)
        return view(request, *args, **kwargs)

    return wrapper


def unprefixed(path: str) -> str:
    """The path without its language prefix: /es/admin/ is the same admin as /admin/."""
    language = get_language_from_path(path)
    return path[len(language) + 1 :] if language and path.startswith(f"/{language}/") else path


class AdminTwoFactorMiddleware:
    """Staff reach Django admin only from a session that passed two-factor (admin sign-in is allauth's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        path = unprefixed(request.path_info)
        if (
            path.startswith("/admin/")
            and not path.startswith(("/admin/login", "/admin/logout"))
            and user is not None
            and user.is_authenticated
            and user.is_staff
            and not passed_two_factor(request)
        ):
            return two_factor_redirect(request)
        return self.get_response(request)


def record_two_factor_on_activation(sender, request, user, authenticator, **kwargs):
    """Turning on an authenticator app takes a fresh password and a valid code: that session has passed
    two-factor, so staff go straight on to the page that sent them to set it up."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator

    if request is not None and authenticator.type == Authenticator.Type.TOTP and request.user == user:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True)
