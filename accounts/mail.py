"""Every email the site sends goes through here: built (and rendered) where it is asked for, sent by a worker.

- `queue(message)`: a request (or a task) has rendered a message; a worker sends it (`accounts.tasks.send_email`).
  The task is written in the caller's database transaction: the queue is a table in the same database, so the
  message is queued exactly when the change that caused it commits, and not at all if it rolls back.
- `deliver(messages, connection)`: the one call that hands messages to the email backend (SMTP, a provider's
  API, the console or a folder). Workers call it; batches pass one open connection.
- `later(task, seconds, ...)`: enqueue a retry after a pause, when the queue can hold one (the database queue
  can; the in-process test backend cannot, so a periodic sweep retries instead).

Emails are plain text; every link in them is on settings.SITE_URL.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from django.core.mail import BadHeaderError, EmailMessage, EmailMultiAlternatives, get_connection
from django.utils import timezone

logger = logging.getLogger("supportcircle.mail")

# Worth trying again later: the server or network failed, or refused for now (4xx). A 5xx for the recipient is
# permanent (PermanentFailure).
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


class PermanentFailure(Exception):
    """The message can never be delivered as it is (a refused address, a malformed header)."""


def build(*, subject: str, body: str, to: str, headers: dict | None = None) -> EmailMessage:
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[to], headers=headers or {})


def as_data(message: EmailMessage) -> dict:
    """A message as JSON the queue can hold."""
    data = {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
    }
    alternatives = getattr(message, "alternatives", None)
    if alternatives:
        data["alternatives"] = [[content, mimetype] for content, mimetype in alternatives]
    return data


def from_data(data: dict) -> EmailMessage:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data.get("from_email"),
        to=data["to"],
        headers=data.get("headers") or {},
    )
    for content, mimetype in data.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    return message


def queue(message: EmailMessage) -> None:
    from .tasks import send_email  # tasks import this module

    send_email.enqueue(as_data(message))


def connection():
    """One connection to the email backend, for a batch: open it with `with connection() as c:`."""
    return get_connection(fail_silently=False)


def deliver(message: EmailMessage, connection=None) -> None:
    """Hand one message to the backend. Raises PermanentFailure, or one of TRANSIENT_ERRORS to retry later."""
    try:
        message.connection = connection
        message.send(fail_silently=False)
    except BadHeaderError as exc:
        raise PermanentFailure("The message has a malformed header.") from exc
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _reason in exc.recipients.values()]
        if codes and all(code >= 500 for code in codes):
            raise PermanentFailure(describe(exc)) from exc
        raise


def describe(exc: BaseException) -> str:
    """What went wrong, for staff and the log: the error's kind and what the mail server said (no message body)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        detail = "; ".join(f"{code} {_text(reason)}" for code, reason in exc.recipients.values())
    elif isinstance(exc, smtplib.SMTPResponseException):
        detail = f"{exc.smtp_code} {_text(exc.smtp_error)}"
    elif isinstance(exc, PermanentFailure):
        detail = str(exc)
    else:
        detail = exc.__class__.__name__
    return f"{exc.__class__.__name__}: {detail}"[:300]


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def later(task, seconds: float, *args, **kwargs) -> bool:
    """Enqueue `task` to run after `seconds`; False when the backend cannot defer (a periodic sweep retries)."""
    if not task.get_backend().supports_defer:
        return False
    task.using(run_after=timezone.now() + timedelta(seconds=seconds)).enqueue(*args, **kwargs)
    return True
