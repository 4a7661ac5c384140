"""Background work for accounts: sending a message a request rendered (allauth's confirmations, password
resets, sign-in codes and notices).

A worker has no request and so no language: it renders nothing. Each message arrives written in its recipient's
language (accounts/adapter.py `send_mail`); anything a task writes itself must use `languages.language_of(user)`."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.apps import apps
from django.utils import timezone
from django_tasks import task

from . import mail

logger = logging.getLogger("supportcircle.mail")

# Seconds to wait before attempts 2, 3, 4 and 5; after the fifth the message is given up (and logged).
RETRY_AFTER = [30, 120, 600, 1800]


@task()
def send_email(message: dict, attempt: int = 1) -> str:
    """Send one queued message. A temporary failure queues it again after a pause.

    A sign-in code or reset link that never arrives can be asked for again; one that arrives twice does no harm.
    So this task is simply retried, not tracked like an invitation (clinics/tasks.py)."""
    try:
        mail.deliver(mail.from_data(message))
    except mail.PermanentFailure as exc:
        logger.warning("Email not sent, given up: %s", mail.describe(exc))
        return "given up"
    except mail.TRANSIENT_ERRORS as exc:
        if attempt > len(RETRY_AFTER):
            logger.warning("Email not sent after %s attempts, given up: %s", attempt, mail.describe(exc))
            return "given up"
        logger.warning("Email not sent (attempt %s), retrying: %s", attempt, mail.describe(exc))
        mail.later(send_email, RETRY_AFTER[attempt - 1], message, attempt + 1)
        return "retrying"
    return "sent"


# Finished tasks are kept a while to look into in admin; queued emails hold sign-in codes and reset links, so
# theirs go soon after they are sent.
SENT_EMAIL_KEPT = timedelta(minutes=10)
FINISHED_TASKS_KEPT = timedelta(days=7)


@task()
def forget_old_task_results() -> int:
    """Periodic: delete finished tasks from the database queue (sent emails after minutes, the rest after days)."""
    if not apps.is_installed("django_tasks_db"):
        return 0
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    finished = DBTaskResult.objects.finished()
    emails = finished.filter(task_path=send_email.module_path, finished_at__lt=now - SENT_EMAIL_KEPT)
    rest = finished.filter(finished_at__lt=now - FINISHED_TASKS_KEPT)
    return emails.delete()[0] + rest.delete()[0]
