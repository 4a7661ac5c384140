from django.db.models import Q

from accounts.personal_data import DELETED, addresses_of

from .models import AuditEvent, FamilyMember, Invitation, StaffMembership


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


def forget_clinic_rows(user) -> None:
    """Before an account is deleted: the clinic's invitations to the person go (address, name, "accepted"),
    including one accepted under another address; audit entries they made as staff keep no address."""
    emails = addresses_of(user)
    to_them = Q(member__user=user)
    for email in emails:
        to_them |= Q(email__iexact=email)
    Invitation.objects.filter(to_them).delete()
    AuditEvent.objects.filter(Q(actor=user) | Q(actor_email__in=emails)).update(actor_email=DELETED)
