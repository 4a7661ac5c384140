"""Invitations go out from a worker, exactly once each, and staff see where each one is (issue 13).

Tasks run in-process here (config/test_settings.py); tests/test_task_worker.py runs a real worker process."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from clinics import services, tasks
from clinics.models import Invitation

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def staff_client(client, clinic_staff, staff_login):
    staff_login(client, clinic_staff)
    return client


def invite(clinic, actor, *emails):
    return services.invite_families(clinic=clinic, actor=actor, rows=services.rows_from_text("\n".join(emails)))


def make_due(invitation, extra=timedelta(0)):
    """Time passes: its next attempt is due (plus `extra`)."""
    Invitation.objects.filter(pk=invitation.pk).update(next_attempt_at=timezone.now() - extra - timedelta(seconds=1))


class FlakyBackend:
    """A locmem backend that refuses the first `failures` sends, and counts connections."""

    failures = 0
    opened = 0

    def __init__(self, *args, **kwargs):
        from django.core.mail.backends.locmem import EmailBackend

        self.inner = EmailBackend(*args, **kwargs)

    def open(self):
        FlakyBackend.opened += 1

    def close(self):
        pass

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return self.inner.send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.failures, FlakyBackend.opened = 0, 0
    return FlakyBackend


def test_the_invite_page_answers_with_the_queue_and_the_worker_sends(staff_client, clinic):
    with override_settings(TASKS=DUMMY_TASKS):  # nothing runs: the request only queues
        response = staff_client.post(
            reverse("clinics:invite", args=[clinic.slug]), {"emails": "a@example.com\nb@example.com"}, follow=True
        )
        assert "2 invitation(s) queued" in response.content.decode()
        assert mail.outbox == []
        assert set(Invitation.objects.values_list("delivery", flat=True)) == {Invitation.Delivery.QUEUED}
        assert Invitation.objects.filter(sent_at__isnull=False).count() == 0
        html = staff_client.get(reverse("clinics:invitations", args=[clinic.slug])).content.decode()
        assert "0 sent, 2 queued" in html
        from django_tasks import default_task_backend

        (result,) = default_task_backend.results
        assert sorted(result.args[0]) == sorted(Invitation.objects.values_list("pk", flat=True))
    tasks.deliver_invitations.call(*result.args)  # what the worker does
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.com", "b@example.com"]
    assert set(Invitation.objects.values_list("delivery", flat=True)) == {Invitation.Delivery.SENT}
    html = staff_client.get(reverse("clinics:invitations", args=[clinic.slug])).content.decode()
    assert "2 sent, 0 queued" in html and "Sent " in html


def test_a_batch_shares_one_connection(clinic, clinic_staff, flaky):
    invite(clinic, clinic_staff, *(f"p{n}@example.com" for n in range(30)))
    assert len(mail.outbox) == 30 and flaky.opened == 1


def test_an_invitation_is_never_sent_twice_when_its_task_runs_twice(clinic, clinic_staff):
    invite(clinic, clinic_staff, "once@example.com")
    invitation = Invitation.objects.get()
    tasks.deliver_invitations.call([invitation.pk])
    tasks.deliver_invitations.call([invitation.pk])
    assert services.deliver_invitation(invitation.pk) == "skipped"
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert (invitation.delivery, invitation.send_count, invitation.attempts) == ("sent", 1, 1)


def test_a_failed_send_backs_off_then_succeeds(clinic, clinic_staff, flaky, staff_client):
    flaky.failures = 1
    invite(clinic, clinic_staff, "later@example.com")
    invitation = Invitation.objects.get()
    assert invitation.delivery == Invitation.Delivery.FAILED and invitation.sent_at is None
    assert invitation.send_count == 0, "the link is not counted as sent"
    assert "SMTPServerDisconnected" in invitation.last_error and "later@example.com" not in invitation.last_error
    wait = (invitation.next_attempt_at - timezone.now()).total_seconds()
    assert services.RETRY_AFTER[0] - 5 < wait <= services.RETRY_AFTER[0]
    html = staff_client.get(reverse("clinics:invitations", args=[clinic.slug])).content.decode()
    assert "Failed: SMTPServerDisconnected" in html and "Retrying at" in html

    assert services.requeue_due_invitations() == 0, "not due yet"
    assert services.deliver_invitation(invitation.pk) == "not yet"
    make_due(invitation)
    assert services.requeue_due_invitations() == 1
    invitation.refresh_from_db()
    assert invitation.delivery == Invitation.Delivery.SENT and invitation.attempts == 2
    assert len(mail.outbox) == 1


def test_given_up_after_the_last_attempt(clinic, clinic_staff, flaky, staff_client):
    flaky.failures = 100
    invite(clinic, clinic_staff, "never@example.com")
    invitation = Invitation.objects.get()
    for _ in range(services.MAX_ATTEMPTS - 1):
        invitation.refresh_from_db()
        assert invitation.delivery == Invitation.Delivery.FAILED
        make_due(invitation)
        services.requeue_due_invitations()
    invitation.refresh_from_db()
    assert (invitation.delivery, invitation.attempts) == (Invitation.Delivery.GIVEN_UP, services.MAX_ATTEMPTS)
    assert invitation.next_attempt_at is None and invitation.sent_at is None
    assert services.requeue_due_invitations(now=timezone.now() + timedelta(days=1)) == 0
    html = staff_client.get(reverse("clinics:invitations", args=[clinic.slug])).content.decode()
    assert f"Given up after {services.MAX_ATTEMPTS} attempts" in html

    flaky.failures = 0  # staff resend: queued again from the start, and it goes
    staff_client.post(reverse("clinics:invitation_action", args=[clinic.slug, invitation.pk, "resend"]))
    invitation.refresh_from_db()
    assert (invitation.delivery, invitation.send_count) == (Invitation.Delivery.SENT, 1)


def test_a_refused_address_is_given_up_at_once(clinic, clinic_staff, settings, monkeypatch):
    def refuse(self, messages):
        raise smtplib.SMTPRecipientsRefused({"gone@example.com": (550, b"5.1.1 No such user")})

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    invite(clinic, clinic_staff, "gone@example.com")
    invitation = Invitation.objects.get()
    assert invitation.delivery == Invitation.Delivery.GIVEN_UP and "550 5.1.1 No such user" in invitation.last_error


def test_a_worker_killed_mid_send_loses_nothing(clinic, clinic_staff, monkeypatch):
    """The worker dies before the mail server accepted the message: the transaction rolls back, the invitation
    stays queued, and the periodic sweep queues it again once it has stalled."""
    with override_settings(TASKS=DUMMY_TASKS):
        invite(clinic, clinic_staff, "crash@example.com")
    invitation = Invitation.objects.get()

    def die(*args, **kwargs):
        raise SystemExit("killed")  # not an error the task handles: like a process dying

    monkeypatch.setattr("accounts.mail.deliver", die)
    with pytest.raises(SystemExit):
        services.deliver_invitation(invitation.pk)
    monkeypatch.undo()
    invitation.refresh_from_db()
    assert (invitation.delivery, invitation.send_count, invitation.attempts) == ("queued", 0, 0)
    assert services.requeue_due_invitations() == 0, "not stalled yet"
    make_due(invitation, services.STALLED_AFTER)
    services.requeue_due_invitations()
    invitation.refresh_from_db()
    assert invitation.delivery == Invitation.Delivery.SENT and len(mail.outbox) == 1


def test_a_revoked_invitation_queued_is_not_sent(clinic, clinic_staff):
    with override_settings(TASKS=DUMMY_TASKS):
        invite(clinic, clinic_staff, "revoked@example.com")
    invitation = Invitation.objects.get()
    services.revoke_invitation(invitation=invitation, actor=clinic_staff)
    assert services.deliver_invitation(invitation.pk) == "skipped" and mail.outbox == []


def test_a_resend_sends_a_new_link_and_the_old_one_stops(clinic, clinic_staff, staff_client):
    invite(clinic, clinic_staff, "twice@example.com")
    invitation = Invitation.objects.get()
    old_link = services.invitation_url(invitation)
    staff_client.post(reverse("clinics:invitation_action", args=[clinic.slug, invitation.pk, "resend"]))
    invitation.refresh_from_db()
    assert invitation.send_count == 2 and len(mail.outbox) == 2
    assert old_link not in mail.outbox[1].body and services.invitation_url(invitation) in mail.outbox[1].body


def test_a_bounce_reported_by_the_provider_gives_the_invitation_up(clinic, clinic_staff):
    from types import SimpleNamespace

    invite(clinic, clinic_staff, "bounce@example.com")
    invitation = Invitation.objects.get()
    event = SimpleNamespace(
        event_type="bounced", metadata={"invitation": str(invitation.pk)}, description="Mailbox full"
    )
    tasks.invitation_bounced(sender=None, event=event, esp_name="Postmark")
    invitation.refresh_from_db()
    assert invitation.delivery == Invitation.Delivery.GIVEN_UP
    assert invitation.last_error == "Postmark reported bounced: Mailbox full"


def test_an_address_invited_meanwhile_by_another_request_is_reported_alone(clinic, clinic_staff):
    """The batch insert meets the unique constraint (another request invited one address since this one looked):
    the others are still invited, that row says so."""
    invite(clinic, clinic_staff, "raced@example.com")
    rows = services.rows_from_text("fresh@example.com\nraced@example.com")
    pks = services._create_invitations(clinic, clinic_staff, rows, timezone.now())
    assert len(pks) == 1 and [r.ok for r in rows] == [True, False]
    assert rows[1].result.startswith("Already invited")
