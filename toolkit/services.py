from django.db import transaction

from .models import SECTIONS, SafetyPlan


@transaction.atomic
def save_safety_plan(*, user, **sections: str) -> SafetyPlan:
    """Create or replace the person's plan. Parts not given are left as they were."""
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise TypeError(f"not a part of the safety plan: {', '.join(sorted(unknown))}")
    # Browsers send a typed line break as \r\n; keep one character per break, as the length limit counts them.
    cleaned = {name: (text or "").replace("\r\n", "\n").strip() for name, text in sections.items()}
    plan, _ = SafetyPlan.objects.select_for_update().get_or_create(user=user)
    for name, text in cleaned.items():
        setattr(plan, name, text)
    plan.save()
    return plan


@transaction.atomic
def delete_safety_plan(*, user) -> bool:
    """Delete the person's plan. Returns whether there was one."""
    deleted, _ = SafetyPlan.objects.filter(user=user).delete()
    return bool(deleted)
