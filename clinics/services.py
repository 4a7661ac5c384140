"""Writes for clinics: invitations, joining and leaving, staff, and the audit trail."""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import mail
from config.caches import forget_clinic_families
from courses.models import Enrollment
from courses.services import enroll

from .languages import parse_language
from .models import AuditEvent, Clinic, FamilyMember, Invitation, StaffMembership

INVITATION_DAYS = 14
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
    language: str = ""  # empty: the language chosen on the form
    bad_language: str = ""  # what the CSV's `language` cell held, when it names no language we have


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
    """A CSV with a header row: `email`, optionally `name` and `language` (en/es, English/Spanish/Español…; blank:
    the form's choice). Raises ValueError with a clear reason; a row naming no known language is reported alone."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(_("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.")) from exc
    if "\x00" in text:  # the database refuses it; no spreadsheet writes it into a CSV
        raise ValueError(_("The file contains a NUL character, so it is not a CSV text file. Save it as “CSV UTF-8”."))
    # newline="": the csv module reads \n, \r\n and old Mac \r line endings itself.
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = []
    try:
        headers = [h.strip().lower() for h in (reader.fieldnames or [])]
        if "email" not in headers:
            raise ValueError(
                _("The first row must be a header with a column named “email” (and optionally “name” and “language”).")
            )
        reader.fieldnames = headers
        for row_no, record_ in enumerate(reader, start=2):
            email = (record_.get("email") or "").strip()
            name = " ".join((record_.get("name") or "").split())[:100]  # one line, whatever the cell held
            cell = " ".join((record_.get("language") or "").split())
            language = parse_language(cell) if cell else ""
            if email or name:
                bad = cell[:40] if language is None else ""
                rows.append(InviteRow(row=row_no, email=email, name=name, language=language or "", bad_language=bad))
    except csv.Error as exc:  # e.g. a cell longer than the csv module's limit (128 KB)
        raise ValueError(_("The file could not be read as CSV (%(problem)s).") % {"problem": exc}) from exc
    return rows


@transaction.atomic
def invite_families(
    *, clinic: Clinic, actor, rows: list[InviteRow], language: str = settings.LANGUAGE_CODE
) -> InviteReport:
    """Invite every valid, new address and queue its email; report each row. Valid rows are never lost to invalid
    ones. The emails are sent by workers (clinics/tasks.py); each invitation shows how its delivery went. Each
    email is in its row's language, or `language` (the form's choice) when the row names none."""
    report = InviteReport(rows=rows[:MAX_ROWS])
    for extra in rows[MAX_ROWS:]:
        extra.result = _("Not sent: at most %(count)s addresses at a time.") % {"count": MAX_ROWS}
        report.rows.append(extra)
    members = {e.lower() for e in FamilyMember.objects.filter(clinic=clinic).values_list("user__email", flat=True)}
    pending = {e.lower() for e in clinic.invitations.pending().values_list("email", flat=True)}
    seen: set[str] = set()
    new: list[InviteRow] = []
    now = timezone.now()
    for row in report.rows[:MAX_ROWS]:
        email = row.email.lower()
        if len(email) > MAX_EMAIL_LENGTH:  # the column holds 254 (PostgreSQL refused a longer one with a 500)
            row.result = _("Longer than %(count)s characters: no email address can be that long.") % {
                "count": MAX_EMAIL_LENGTH
            }
            continue
        try:
            validate_email(email)
        except ValidationError:
            row.result = _("Not a valid email address.")
            continue
        if row.bad_language:
            row.result = _("Unknown language “%(value)s”: write en (English) or es (Spanish), or leave it blank.") % {
                "value": row.bad_language
            }
            continue
        if email in seen:
            row.result = _("Listed twice: invited once.")
            continue
        seen.add(email)
        if email in members:
            row.result = _("Already a member of this clinic.")
        elif email in pending:
            row.result = _("Already invited: resend it from the pending invitations list.")
        else:
            row.language = row.language or language
            new.append(row)
    queued = _create_invitations(clinic, actor, new, now)
    if report.invited:
        record(actor=actor, clinic=clinic, action=AuditEvent.Action.INVITE, count=len(report.invited))
        queue_invitations(queued)
        forget_clinic_families(clinic.pk)
    return report


def _create_invitations(clinic: Clinic, actor, rows: list[InviteRow], now) -> list[int]:
    """One insert for all (2,000 rows in well under a second); row by row only if another request invited one of
    these addresses meanwhile (the unique constraint), so that row alone is reported."""

    def invitation(row):
        return Invitation(
            clinic=clinic,
            email=row.email.lower(),
            name=row.name,
            language=row.language or settings.LANGUAGE_CODE,
            invited_by=actor,
            expires_at=now + timedelta(days=INVITATION_DAYS),
            next_attempt_at=now,
        )

    queued = _("Queued: the email goes out in the next minutes.")
    try:
        with transaction.atomic():
            created = Invitation.objects.bulk_create([invitation(row) for row in rows], batch_size=500)
    except IntegrityError:
        created = []
        for row in rows:
            try:
                with transaction.atomic():
                    one = invitation(row)
                    one.save()
                    created.append(one)
            except IntegrityError:
                row.result = _("Already invited: resend it from the pending invitations list.")
                continue
        rows = [row for row in rows if not row.result]
    for row in rows:
        row.ok, row.result = True, queued
    return [i.pk for i in created]


def queue_invitations(pks: list[int]) -> None:
    """Hand invitations to the workers, in batches that each share one connection to the mail server. Written in
    the caller's transaction: the queue is a table in the same database, so the tasks exist exactly when the
    invitations do."""
    from .tasks import deliver_invitations  # tasks import this module

    for start in range(0, len(pks), DELIVERY_BATCH):
        deliver_invitations.enqueue(pks[start : start + DELIVERY_BATCH])


def invitation_token(invitation: Invitation) -> str:
    # The send count is signed in, so a resent invitation makes the older link stop working.
    return signing.dumps({"i": invitation.pk, "n": invitation.send_count}, salt=INVITE_SALT, compress=True)


def invitation_url(invitation: Invitation) -> str:
    """The join page in the invitation's language (Spanish under /es/)."""
    with translation.override(invitation.language):
        return settings.SITE_URL + reverse("clinics:join_invitation", args=[invitation_token(invitation)])


# --- Delivery (run by workers: clinics/tasks.py) ------------------------------------------------------------

DELIVERY_BATCH = 100  # invitations per task: one mail-server connection each, spread over the workers
MAX_ATTEMPTS = 5
RETRY_AFTER = [60, 300, 1800, 7200]  # seconds after a failed attempt 1, 2, 3, 4; the fifth failure gives up
STALLED_AFTER = timedelta(minutes=15)  # a queued invitation no worker has settled by then is queued again


def invitation_message(invitation: Invitation):
    """The email in the invitation's language, whatever language the worker (or the request) is in."""
    clinic_name = " ".join(invitation.clinic.name.split())  # a header is one line
    context = {
        "invitation": invitation,
        "clinic": invitation.clinic,
        "url": invitation_url(invitation),
        "days": INVITATION_DAYS,
    }
    with translation.override(invitation.language):
        message = mail.build(
            subject=_("%(clinic)s invites you to Support Circle") % {"clinic": clinic_name},
            body=render_to_string("clinics/email/invitation.txt", context),
            to=invitation.email,
        )
    message.metadata = {"invitation": str(invitation.pk)}  # django-anymail: its bounce reports name the invitation
    return message


def deliver_invitation(pk: int, connection=None, *, unavailable: Exception | None = None) -> str:
    """Send one queued invitation unless it was sent already; record the outcome. Safe to run twice, at once or
    later, from any number of workers.

    The row is locked from the check to the record of the send, which commit together: a second worker skips
    the locked row (PostgreSQL) or waits and then finds it sent (SQLite). A worker killed before the mail server
    accepted the message rolls back and the invitation stays queued, to be tried again (never lost); one killed
    in the moment between the server's acceptance and the commit would send it again on the retry (the one
    window left: a database write, milliseconds). `unavailable`: the batch could not connect; record that."""
    now = timezone.now()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("clinic")
            .filter(pk=pk)
            .first()
        )
        if invitation is None:
            return "busy"  # another worker holds it (or it was deleted)
        if invitation.status != Invitation.Status.PENDING or invitation.delivery not in (
            Invitation.Delivery.QUEUED,
            Invitation.Delivery.FAILED,
        ):
            return "skipped"  # sent already, given up, accepted or revoked
        if invitation.delivery == Invitation.Delivery.FAILED and invitation.next_attempt_at > now:
            return "not yet"
        invitation.send_count += 1  # the link carries the new count: older links stop working once this commits
        attempts = invitation.attempts + 1
        try:
            if unavailable is not None:  # the mail server did not answer the batch's connection
                raise unavailable
            mail.deliver(invitation_message(invitation), connection)
        except (mail.PermanentFailure, *mail.TRANSIENT_ERRORS) as exc:
            gave_up = isinstance(exc, mail.PermanentFailure) or attempts >= MAX_ATTEMPTS
            logger.warning("Invitation %s not sent (attempt %s): %s", pk, attempts, mail.describe(exc))
            Invitation.objects.filter(pk=pk).update(
                delivery=Invitation.Delivery.GIVEN_UP if gave_up else Invitation.Delivery.FAILED,
                attempts=attempts,
                last_error=mail.describe(exc),
                next_attempt_at=None if gave_up else now + timedelta(seconds=RETRY_AFTER[attempts - 1]),
            )
            return "given up" if gave_up else "failed"
        # Recorded as sent only once the email went (issue 12), in the transaction that held the row.
        sent_at = timezone.now()
        Invitation.objects.filter(pk=pk).update(
            delivery=Invitation.Delivery.SENT,
            send_count=invitation.send_count,
            sent_at=sent_at,
            expires_at=sent_at + timedelta(days=INVITATION_DAYS),
            attempts=attempts,
            last_error="",
            next_attempt_at=None,
        )
        return "sent"


def record_bounce(pk: int, reason: str) -> None:
    """The provider could not deliver an invitation it had accepted: staff see it given up, with the reason."""
    Invitation.objects.filter(pk=pk, status=Invitation.Status.PENDING).update(
        delivery=Invitation.Delivery.GIVEN_UP, last_error=reason[:300], next_attempt_at=None
    )


def requeue_due_invitations(*, now=None) -> int:
    """Queue again what a worker should try now (failed and due, or stalled); returns how many. Run periodically."""
    now = now or timezone.now()
    with transaction.atomic():
        pks = list(
            Invitation.objects.due_delivery(now=now, stalled_after=STALLED_AFTER)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:10_000]
        )
        # A stalled one waits another STALLED_AFTER before it is queued again.
        Invitation.objects.filter(pk__in=pks, delivery=Invitation.Delivery.QUEUED).update(next_attempt_at=now)
        queue_invitations(pks)
    return len(pks)


def resend_invitation(*, invitation: Invitation, actor) -> None:
    """Queue the invitation's email again (a new link; the old one stops working once it is sent)."""
    if invitation.status != Invitation.Status.PENDING:
        raise JoinProblem(_("Only pending invitations can be resent."))
    with transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk).update(
            delivery=Invitation.Delivery.QUEUED, attempts=0, last_error="", next_attempt_at=timezone.now()
        )
        record(actor=actor, clinic=invitation.clinic, action=AuditEvent.Action.RESEND, invitation=invitation.pk)
        queue_invitations([invitation.pk])
    invitation.refresh_from_db()


def revoke_invitation(*, invitation: Invitation, actor) -> None:
    if invitation.status != Invitation.Status.PENDING:
        raise JoinProblem(_("Only pending invitations can be revoked."))
    Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.REVOKED)
    record(actor=actor, clinic=invitation.clinic, action=AuditEvent.Action.REVOKE, invitation=invitation.pk)


def invitation_from_token(token: str) -> Invitation:
    """The pending invitation a link points to, or JoinProblem saying plainly what is wrong."""
    try:
        data = signing.loads(token, salt=INVITE_SALT, max_age=timedelta(days=INVITATION_DAYS))
    except signing.SignatureExpired as exc:
        raise JoinProblem(_("This invitation link has expired. Ask the clinic to send you a new one.")) from exc
    except signing.BadSignature as exc:
        raise JoinProblem(
            _("This invitation link is not valid. Check that you copied the whole link from the email.")
        ) from exc
    invitation = Invitation.objects.select_related("clinic").filter(pk=data.get("i")).first()
    if invitation is None or invitation.status == Invitation.Status.REVOKED:
        raise JoinProblem(_("This invitation was withdrawn by the clinic. Contact them if you still want to join."))
    if invitation.status == Invitation.Status.ACCEPTED:
        raise JoinProblem(_("This invitation has already been used. If it was you, just sign in."))
    if data.get("n") != invitation.send_count or invitation.expires_at < timezone.now():
        raise JoinProblem(
            _(
                "This invitation link has expired or was replaced by a newer email. Use the most recent "
                "invitation, or ask the clinic to resend it."
            )
        )
    return invitation


def is_addressed_to(invitation: Invitation, user) -> bool:
    """The invitation was sent to this person's account address, or to an address they have confirmed."""
    email = invitation.email.lower()
    return user.email.lower() == email or user.emailaddress_set.filter(email__iexact=email, verified=True).exists()


def clinic_from_code(code: str) -> Clinic:
    clinic = Clinic.objects.filter(join_code=code.strip().upper().replace("-", "").replace(" ", "")).first()
    if clinic is None:
        raise JoinProblem(_("We couldn't find a clinic with that code. Check the code on your flyer and try again."))
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
        raise StaffChangeRefused(_("A clinic needs at least one manager. Make someone else a manager first."))


def add_staff(*, clinic: Clinic, actor, user, role: str) -> StaffMembership:
    membership, created = StaffMembership.objects.get_or_create(clinic=clinic, user=user, defaults={"role": role})
    if not created:
        raise StaffChangeRefused(_("%(email)s is already on this clinic's staff.") % {"email": user.email})
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
