from .models import FamilyMember, StaffMembership


def export_clinic_data(user) -> dict[str, list[dict]]:
    return {
        "clinic_memberships": [
            {
                "clinic": m.clinic.name,
                "joined_at": m.joined_at,
                "consented_at": m.consented_at,
                "invited_at": m.invited_at,
            }
            for m in FamilyMember.objects.filter(user=user).select_related("clinic")
        ],
        "clinic_staff_roles": [
            {"clinic": s.clinic.name, "role": s.get_role_display(), "since": s.created_at}
            for s in StaffMembership.objects.filter(user=user).select_related("clinic")
        ],
    }
