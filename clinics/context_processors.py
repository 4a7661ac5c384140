from functools import partial

from config.caches import cached_shows_clinic_link

from .models import StaffMembership


def _shows_clinic_link(user) -> bool:
    # Every signed-in page asks; the answer is cached (config/caches.py) until the person's staff roles change.
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return cached_shows_clinic_link(user.pk, lambda: StaffMembership.objects.filter(user=user).exists())


def clinic_link(request):
    """Whether the header shows "Clinic": the template calls it only where the header is drawn."""
    # No user on error pages drawn before the authentication middleware ran (a bad Host header).
    return {"shows_clinic_link": partial(_shows_clinic_link, getattr(request, "user", None))}
