"""Background work for clinics: sending invitations, exactly once each (services.deliver_invitation explains how,
and the one window left), and queueing again the ones that failed or stalled."""

from __future__ import annotations

import logging
from collections import Counter

from django.utils import timezone
from django_tasks import task

from accounts import mail

from . import services
from .models import Invitation

logger = logging.getLogger(__name__)


@task()
def deliver_invitations(invitation_ids: list[int]) -> dict:
    """Send a batch of invitations over one connection to the mail server; failed ones are retried later."""
    outcomes: Counter = Counter()
    connection = mail.connection()
    try:
        connection.open()
        unavailable = None
    except mail.TRANSIENT_ERRORS as exc:  # the server would not connect: each invitation records why, and waits
        logger.warning("Mail server unavailable: %s", mail.describe(exc))
        unavailable = exc
    try:
        for pk in invitation_ids:
            outcome = services.deliver_invitation(pk, connection, unavailable=unavailable)
            outcomes[outcome] += 1
            if outcome in ("failed", "given up") and unavailable is None:
                connection.close()  # the failure may have broken the connection: the next message opens a new one
    finally:
        connection.close()
    if outcomes["failed"]:
        _retry_when_due(invitation_ids)
    return dict(outcomes)


def _retry_when_due(invitation_ids: list[int]) -> None:
    """Queue the batch's failed invitations again for when the earliest is due. The periodic sweep
    (requeue_invitations) is the safety net, and the only retry on a backend that cannot defer."""
    failed = list(
        Invitation.objects.filter(pk__in=invitation_ids, delivery=Invitation.Delivery.FAILED)
        .order_by("next_attempt_at")
        .values_list("pk", "next_attempt_at")
    )
    if failed:
        wait = (failed[0][1] - timezone.now()).total_seconds()
        mail.later(deliver_invitations, max(0.0, wait), [pk for pk, _ in failed])


@task()
def requeue_invitations() -> int:
    """Periodic: queue again invitations whose retry is due or whose task was lost (a killed worker)."""
    return services.requeue_due_invitations()


BOUNCES = {"bounced", "rejected", "complained", "failed"}


def invitation_bounced(sender, event, esp_name, **kwargs) -> None:
    """django-anymail's tracking webhook: a provider reports that an invitation bounced or was marked as spam."""
    pk = (event.metadata or {}).get("invitation")
    if event.event_type in BOUNCES and pk:
        services.record_bounce(int(pk), f"{esp_name} reported {event.event_type}: {event.description or ''}")
