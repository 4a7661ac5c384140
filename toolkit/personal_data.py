from .models import SECTIONS, SafetyPlan


def export_toolkit_data(user) -> dict:
    """The safety plan, in the person's own export (nothing else ever shows it)."""
    plan = SafetyPlan.objects.filter(user=user).first()
    if plan is None:
        return {"safety_plan": None}
    return {"safety_plan": {**{name: getattr(plan, name) for name in SECTIONS}, "updated_at": plan.updated_at}}
