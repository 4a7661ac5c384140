"""Writes for clinics: invitations, joining and leaving, staff, and the audit trail."""

from __future__ import annotations

import csv
import io
import logging
import smtplib
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import BadHeaderError, send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from config.caches import forget_clinic_families
from courses.models import Enrollment
from courses.services import enroll

from .models import AuditEvent, Clinic, FamilyMember, Invitation, StaffMembership

INVITATION_DAYS = 14
NOT_SENT = "Not sent: the email could not be sent just now. Try again in a few minutes."
logger = logging.getLogger(__name__)
INVITE_SALT = "clinics.invitation"
MAX_ROWS = 2000


class JoinProblem(Exception):
    """Why a link or code cannot be used; the message is shown to the person as it is."""


def record(*, actor, clinic: Clinic | None, action: str, **detail) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor, actor_email=getattr(actor, "email", ""), clinic=clinic, action=action, detail=detail
    )


def record_member_view(*, actor, clinic: Clinic, member: FamilyMember) -> AuditEvent:
    """Staff opened one family member's progress page: who looked at whom, and when."""
    return record(actor=actor, clinic=clinic, action=AuditEvent.Action.VIEW_MEMBER, user=member.user_id)


# --- Invitations ------------------------------------------------------------------------------------------


@dataclass
class InviteRow:
    row: int
    email: str
    name: str = ""
    result: str = ""
    ok: bool = False


@dataclass
class InviteReport:
    rows: list[InviteRow] = field(default_factory=list)

    @property
    def invited(self) -> list[InviteRow]:
        return [r for r in self.rows if r.ok]

    @property
    def problems(self) -> list[InviteRow]:
        return [r for r in self.rows if not r.ok]


MAX_EMAIL_LENGTH = 254  # the longest address SMTP carries (RFC 5321), and what EmailField stores


def rows_from_text(text: str) -> list[InviteRow]:
    """One address per line, or separated by commas/semicolons; blank lines are skipped."""
    rows = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        for part in line.replace(";", ",").split(","):
            if part.strip():
                rows.append(InviteRow(row=line_no, email=part.strip()))
    return rows


def rows_from_csv(data: bytes) -> list[InviteRow]:
    """A CSV with a header row: `email` and optionally `name`. Raises ValueError with a clear reason."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.") from exc
    if "\x00" in text:  # the database refuses it; no spreadsheet writes it into a CSV
        raise ValueError("The file contains a NUL character, so it is not a CSV text file. Save it as “CSV UTF-8”.")
    # newline="": the csv module reads \n, \r\n and old Mac \r line endings itself.
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = []
    try:
        headers = [h.strip().lower() for h in (reader.fieldnames or [])]
        if "email" not in headers:
            raise ValueError("The first row must be a header with a column named “email” (and optionally “name”).")
        reader.fieldnames = headers
        for row_no, record_ in enumerate(reader, start=2):
            email = (record_.get("email") or "").strip()
            name = " ".join((record_.get("name") or "").split())[:100]  # one line, whatever the cell held
            if email or name:
                rows.append(InviteRow(row=row_no, email=email, name=name))
    except csv.Error as exc:  # e.g. a cell longer than the csv module's limit (128 KB)
        raise ValueError(f"The file could not be read as CSV ({exc}).") from exc
    return rows


def invite_families(*, clinic: Clinic, actor, rows: list[InviteRow]) -> InviteReport:
    """Invite every valid, new address; report each row. Valid rows are never lost to invalid ones."""
    report = InviteReport(rows=rows[:MAX_ROWS])
    for extra in rows[MAX_ROWS:]:
        extra.result = f"Not sent: at most {MAX_ROWS} addresses at a time."
        report.rows.append(extra)
    members = {e.lower() for e in FamilyMember.objects.filter(clinic=clinic).values_list("user__email", flat=True)}
    pending = {e.lower() for e in clinic.invitations.pending().values_list("email", flat=True)}
    seen: set[str] = set()
    for row in report.rows[:MAX_ROWS]:
        email = row.email.lower()
        if len(email) > MAX_EMAIL_LENGTH:  # the column holds 254 (PostgreSQL refused a longer one with a 500)
            row.result = f"Longer than {MAX_EMAIL_LENGTH} characters: no email address can be that long."
            continue
        try:
            validate_email(email)
        except ValidationError:
            row.result = "Not a valid email address."
            continue
        if email in seen:
            row.result = "Listed twice: invited once."
            continue
        seen.add(email)
        if email in members:
            row.result = "Already a member of this clinic."
        elif email in pending:
            row.result = "Already invited: resend it from the pending invitations list."
        else:
            try:
                with transaction.atomic():  # an invitation whose email failed is not kept
                    invitation = Invitation.objects.create(
                        clinic=clinic,
                        email=email,
                        name=row.name,
                        invited_by=actor,
                        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
                    )
                    send_invitation(invitation)
            except IntegrityError:
                row.result = "Already invited: resend it from the pending invitations list."
                continue
            except InvitationNotSent:
                row.result = NOT_SENT
                continue
            row.ok, row.result = True, "Invitation sent."
    if report.invited:
        record(actor=actor, clinic=clinic, action=AuditEvent.Action.INVITE, count=len(report.invited))
        forget_clinic_families(clinic.pk)
    return report


def invitation_token(invitation: Invitation) -> str:
    # The send count is signed in, so a resent invitation makes the older link stop working.
    return signing.dumps({"i": invitation.pk, "n": invitation.send_count}, salt=INVITE_SALT, compress=True)


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("clinics:join_invitation", args=[invitation_token(invitation)])


class InvitationNotSent(Exception):
    """The email could not be sent; nothing was recorded as sent."""


def send_invitation(invitation: Invitation) -> None:
    """Email the invitation, then record it as sent; if the email fails, nothing is recorded."""
    invitation.send_count += 1  # the link carries the new count, so older links stop working once this is saved
    clinic_name = " ".join(invitation.clinic.name.split())  # a header is one line
    context = {
        "invitation": invitation,
        "clinic": invitation.clinic,
        "url": invitation_url(invitation),
        "days": INVITATION_DAYS,
    }
    try:
        send_mail(
            subject=f"{clinic_name} invites you to Support Circle",
            message=render_to_string("clinics/email/invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )
    except (BadHeaderError, smtplib.SMTPException, OSError) as exc:
        invitation.send_count -= 1
        logger.warning("Invitation %s not sent: %s", invitation.pk, exc.__class__.__name__)
        raise InvitationNotSent from exc
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).update(
        send_count=invitation.send_count, sent_at=now, expires_at=now + timedelta(days=INVITATION_DAYS)
    )
    invitation.refresh_from_db()


def resend_invitation(*, invitation: Invitation, actor) -> None:
    if invitation.status != Invitation.Status.PENDING:
        raise JoinProblem("Only pending invitations can be resent.")
    try:
        send_invitation(invitation)
    except InvitationNotSent as exc:
        raise JoinProblem(NOT_SENT) from exc
    record(actor=actor, clinic=invitation.clinic, action=AuditEvent.Action.RESEND, invitation=invitation.pk)


def revoke_invitation(*, invitation: Invitation, actor) -> None:
    if invitation.status != Invitation.Status.PENDING:
        raise JoinProblem("Only pending invitations can be revoked.")
    Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.REVOKED)
    record(actor=actor, clinic=invitation.clinic, action=AuditEvent.Action.REVOKE, invitation=invitation.pk)


def invitation_from_token(token: str) -> Invitation:
    """The pending invitation a link points to, or JoinProblem saying plainly what is wrong."""
    try:
        data = signing.loads(token, salt=INVITE_SALT, max_age=timedelta(days=INVITATION_DAYS))
    except signing.SignatureExpired as exc:
        raise JoinProblem("This invitation link has expired. Ask the clinic to send you a new one.") from exc
    except signing.BadSignature as exc:
        raise JoinProblem(
            "This invitation link is not valid. Check that you copied the whole link from the email."
        ) from exc
    invitation = Invitation.objects.select_related("clinic").filter(pk=data.get("i")).first()
    if invitation is None or invitation.status == Invitation.Status.REVOKED:
        raise JoinProblem("This invitation was withdrawn by the clinic. Contact them if you still want to join.")
    if invitation.status == Invitation.Status.ACCEPTED:
        raise JoinProblem("This invitation has already been used. If it was you, just sign in.")
    if data.get("n") != invitation.send_count or invitation.expires_at < timezone.now():
        raise JoinProblem(
            "This invitation link has expired or was replaced by a newer email. Use the most recent invitation, or ask the clinic to resend it."
        )
    return invitation


def is_addressed_to(invitation: Invitation, user) -> bool:
    """The invitation was sent to this person's account address, or to an address they have confirmed."""
    email = invitation.email.lower()
    return user.email.lower() == email or user.emailaddress_set.filter(email__iexact=email, verified=True).exists()


def clinic_from_code(code: str) -> Clinic:
    clinic = Clinic.objects.filter(join_code=code.strip().upper().replace("-", "").replace(" ", "")).first()
    if clinic is None:
        raise JoinProblem("We couldn't find a clinic with that code. Check the code on your flyer and try again.")
    return clinic


# --- Joining and leaving --------------------------------------------------------------------------------


@transaction.atomic
def join_clinic(*, user, clinic: Clinic, invitation: Invitation | None = None) -> FamilyMember:
    """The caregiver agreed to share their progress: join, and enroll in the clinic's courses."""
    now = timezone.now()
    try:
        with transaction.atomic():
            member, _ = FamilyMember.objects.get_or_create(
                clinic=clinic,
                user=user,
                defaults={
                    "consented_at": now,
                    "invitation": invitation,
                    "invited_at": invitation.created_at if invitation else None,
                },
            )
    except IntegrityError:
        member = FamilyMember.objects.get(clinic=clinic, user=user)
    if invitation is not None:
        Invitation.objects.filter(pk=invitation.pk, status=Invitation.Status.PENDING).update(
            status=Invitation.Status.ACCEPTED
        )
    # An invitation sent to this person's address under another clinic record is settled too.
    Invitation.objects.filter(clinic=clinic, email__iexact=user.email, status=Invitation.Status.PENDING).update(
        status=Invitation.Status.ACCEPTED
    )
    for course in clinic.courses.published():
        enroll(user=user, course=course, source=Enrollment.Source.CLINIC)
    forget_clinic_families(clinic.pk)
    return member


def leave_clinic(*, user, clinic: Clinic) -> None:
    FamilyMember.objects.filter(user=user, clinic=clinic).delete()
    forget_clinic_families(clinic.pk)


# --- Staff ------------------------------------------------------------------------------------------------


class StaffChangeRefused(Exception):
    pass


def _check_keeps_a_manager(clinic: Clinic, membership: StaffMembership) -> None:
    managers = clinic.staff.filter(role=StaffMembership.Role.MANAGER).exclude(pk=membership.pk)
    if membership.role == StaffMembership.Role.MANAGER and not managers.exists():
        raise StaffChangeRefused("A clinic needs at least one manager. Make someone else a manager first.")


def add_staff(*, clinic: Clinic, actor, user, role: str) -> StaffMembership:
    membership, created = StaffMembership.objects.get_or_create(clinic=clinic, user=user, defaults={"role": role})
    if not created:
        raise StaffChangeRefused(f"{user.email} is already on this clinic's staff.")
    record(actor=actor, clinic=clinic, action=AuditEvent.Action.STAFF_ADD, user=user.pk, role=role)
    return membership


@transaction.atomic
def change_staff_role(*, membership: StaffMembership, actor, role: str) -> None:
    if role != membership.role and role == StaffMembership.Role.STAFF:
        _check_keeps_a_manager(membership.clinic, membership)
    old = membership.role
    StaffMembership.objects.filter(pk=membership.pk).update(role=role)
    record(
        actor=actor,
        clinic=membership.clinic,
        action=AuditEvent.Action.STAFF_ROLE,
        user=membership.user_id,
        old=old,
        new=role,
    )


@transaction.atomic
def remove_staff(*, membership: StaffMembership, actor) -> None:
    _check_keeps_a_manager(membership.clinic, membership)
    record(actor=actor, clinic=membership.clinic, action=AuditEvent.Action.STAFF_REMOVE, user=membership.user_id)
    membership.delete()
