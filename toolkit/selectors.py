from __future__ import annotations

from clinics.models import Clinic


def clinics_of_family_member(user) -> list[Clinic]:
    """The clinics this person joined as a family member (never those they work at): their numbers go on
    the checklist."""
    if not user.is_authenticated:
        return []
    return list(Clinic.objects.filter(families__user=user).only("name", "contact_phone", "after_hours_phone"))
