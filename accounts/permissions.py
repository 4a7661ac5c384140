"""Two-factor authentication is required for staff: Django admin and clinic pages."""

from functools import wraps

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect

MFA_REQUIRED_MESSAGE = "Staff accounts must turn on two-factor authentication before opening this page."


def has_two_factor(user) -> bool:
    return user.is_authenticated and is_mfa_enabled(user)


def two_factor_required(view):
    """For views that show other people's data: signed in, and with two-factor turned on."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_two_factor(request.user):
            messages.warning(request, MFA_REQUIRED_MESSAGE)
            return redirect("mfa_index")
        return view(request, *args, **kwargs)

    return wrapper


class AdminTwoFactorMiddleware:
    """Staff without two-factor are sent to set it up before Django admin opens."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.path.startswith("/admin/")
            and not request.path.startswith(("/admin/login", "/admin/logout"))
            and user is not None
            and user.is_authenticated
            and user.is_staff
            and not has_two_factor(user)
        ):
            messages.warning(request, MFA_REQUIRED_MESSAGE)
            return redirect("mfa_index")
        return self.get_response(request)
