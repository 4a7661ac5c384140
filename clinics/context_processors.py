from functools import partial

from django.core.cache import cache

from .models import StaffMembership

CLINIC_LINK_CACHE_SECONDS = 300


def _clinic_link_key(user_id) -> str:
    return f"clinics:shows-clinic-link:{user_id}"


def _shows_clinic_link(user) -> bool:
    # Every signed-in page asks; the answer changes only when staff are added or removed (forget_clinic_link).
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    key = _clinic_link_key(user.pk)
    shows = cache.get(key)
    if shows is None:
        shows = StaffMembership.objects.filter(user=user).exists()
        cache.set(key, shows, CLINIC_LINK_CACHE_SECONDS)
    return shows


def forget_clinic_link(sender, instance, **kwargs) -> None:
    cache.delete(_clinic_link_key(instance.user_id))


def clinic_link(request):
    """Whether the header shows "Clinic": the template calls it only where the header is drawn."""
    # No user on error pages drawn before the authentication middleware ran (a bad Host header).
    return {"shows_clinic_link": partial(_shows_clinic_link, getattr(request, "user", None))}
