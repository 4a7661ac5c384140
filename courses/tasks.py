"""Background work for courses: reminders on the rhythm each learner chose (accounts/reminders.py).

`schedule_reminders` runs periodically (`manage.py enqueue_periodic`); it records one `Reminder` per learner and
period and, in the same transaction, queues its email. Running it twice, or on two hosts at once, sends no
second reminder: the row is unique per period.
"""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from accounts import mail
from accounts.languages import language_of
from accounts.models import Reminder, User
from accounts.reminders import reminder_period, unsubscribe_url

from .models import Enrollment
from .selectors import learner_statuses

logger = logging.getLogger(__name__)
RETRY_AFTER = [600, 3600]  # seconds before a second and third attempt at a reminder that failed to send


@task()
def schedule_reminders(today: str | None = None) -> int:
    """Queue today's reminders (at most one per learner and period); returns how many were queued."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    learners = (
        User.objects.exclude(reminder_rhythm=User.ReminderRhythm.OFF)
        .filter(pk__in=Enrollment.objects.unfinished().values("user_id"))
        .only("pk", "reminder_rhythm", "reminder_weekdays", "reminders_started_on")
    )
    queued = 0
    for user in learners.iterator(chunk_size=1000):
        period = reminder_period(user, day)
        if period is None:
            continue
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(user=user, period=period)
                send_course_reminder.enqueue(reminder.pk)
        except IntegrityError:  # already queued for this period
            continue
        queued += 1
    return queued


def reminder_message(user: User, enrollment: Enrollment):
    # In the learner's language: its words, the course title and every link (a worker has no request).
    with language_of(user):
        learner = learner_statuses(user_ids=[user.pk], courses=[enrollment.course], details=False)[
            (user.pk, enrollment.course_id)
        ]
        unsubscribe = unsubscribe_url(user)
        context = {
            "user": user,
            "course": enrollment.course,
            "site_url": settings.SITE_URL,
            "next_url": settings.SITE_URL + learner.next_step.url,
            "next_lesson": learner.resume,
            "unsubscribe_url": unsubscribe,
            "rhythm": user.get_reminder_rhythm_display(),
        }
        return mail.build(
            subject=_("Pick up where you left off: %(title)s") % {"title": enrollment.course.title},
            body=render_to_string("courses/email/reminder.txt", context),
            to=user.email,
            # RFC 2369 and RFC 8058: mail apps show an "Unsubscribe" button that stops reminders in one click.
            headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )


@task()
def send_course_reminder(reminder_id: int, attempt: int = 1) -> str:
    """Send one recorded reminder, unless it was sent already or the learner has since stopped or changed their
    reminders. The row is locked from the check to the record of the send (as for invitations)."""
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user")
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None or reminder.sent_at is not None:
            return "skipped"
        user = reminder.user
        current = f"{user.reminder_rhythm}:{user.reminders_started_on.isoformat() if user.reminders_started_on else ''}"
        if not user.is_active or not user.wants_reminders or not reminder.period.startswith(current + ":"):
            return "turned off"
        enrollment = (
            Enrollment.objects.unfinished()
            .filter(user=user)
            .select_related("course")
            .order_by("-last_activity_at", "-enrolled_at")
            .first()
        )
        if enrollment is None:
            return "nothing to finish"
        try:
            mail.deliver(reminder_message(user, enrollment))
        except mail.PermanentFailure as exc:
            logger.warning("Reminder %s not sent: %s", reminder_id, mail.describe(exc))
            return "given up"
        except mail.TRANSIENT_ERRORS as exc:
            logger.warning("Reminder %s not sent (attempt %s): %s", reminder_id, attempt, mail.describe(exc))
            if attempt <= len(RETRY_AFTER):
                mail.later(send_course_reminder, RETRY_AFTER[attempt - 1], reminder_id, attempt + 1)
            return "failed"
        now = timezone.now()
        Reminder.objects.filter(pk=reminder_id).update(sent_at=now)
        Enrollment.objects.filter(pk=enrollment.pk).update(reminded_at=now)
        return "sent"
