"""Who may open clinic pages: staff of that clinic (or admins), with two-factor on.

Another clinic's pages are a 404, never a 403: a 403 would confirm that the clinic exists.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404

from accounts.permissions import two_factor_required

from .models import Clinic


def clinic_staff_required(view=None, *, manager: bool = False):
    """Resolve `slug` to a clinic the user works at and pass it to the view as `clinic`."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            clinics = Clinic.objects.managed_by(request.user) if manager else Clinic.objects.for_staff(request.user)
            clinic = get_object_or_404(clinics.with_manager_flag(request.user).distinct(), slug=slug)
            request.is_clinic_manager = clinic.user_manages
            return two_factor_required(view)(request, *args, clinic=clinic, **kwargs)

        return wrapper

    return decorator(view) if view else decorator
