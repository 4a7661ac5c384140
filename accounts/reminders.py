"""When a learner's course reminders fall, and the one-click link that stops them.

The rhythm is counted from the day the learner chose it (`reminders_started_on`), in weeks of seven days:

| Rhythm                | Weeks 1–4        | Weeks 5–8 | After week 8     |
|-----------------------|------------------|-----------|------------------|
| weekly                | weekly           | weekly    | weekly           |
| fortnightly           | every two weeks  | …         | …                |
| treatment, then weekly| twice a week     | weekly    | weekly           |
| treatment, then every two weeks | twice a week | weekly | every two weeks |

Twice a week uses the first two weekdays ticked (or the first and three days later); weekly and every two weeks
the first ticked (or the day it was chosen). Each reminder day belongs to a *period* (a day, a week or two
weeks of the rhythm); `Reminder` rows are unique per learner and period, so there is at most one per period.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from .languages import language_of
from .models import User

UNSUBSCRIBE_SALT = "accounts.reminders.unsubscribe"
Rhythm = User.ReminderRhythm


def weekdays(user: User) -> list[int]:
    days = sorted({int(d) for d in user.reminder_weekdays if d.isdigit() and int(d) < 7})
    return days or [user.reminders_started_on.weekday()]


def reminder_period(user: User, today: date) -> str | None:
    """The period a reminder sent today would settle, or None when today is not one of the learner's days."""
    start = user.reminders_started_on
    if user.reminder_rhythm == Rhythm.OFF or start is None or today < start:
        return None
    week = (today - start).days // 7
    days = weekdays(user)
    prefix = f"{user.reminder_rhythm}:{start.isoformat()}"
    treatment = user.reminder_rhythm in (Rhythm.TREATMENT_WEEKLY, Rhythm.TREATMENT_FORTNIGHTLY)
    if treatment and week < 4:  # twice a week
        pair = days[:2] if len(days) > 1 else [days[0], (days[0] + 3) % 7]
        return f"{prefix}:d{today.isoformat()}" if today.weekday() in pair else None
    if today.weekday() != days[0]:
        return None
    fortnightly = user.reminder_rhythm == Rhythm.FORTNIGHTLY or (
        user.reminder_rhythm == Rhythm.TREATMENT_FORTNIGHTLY and week >= 8
    )
    if fortnightly:
        offset = week - (8 if treatment else 0)
        return f"{prefix}:f{offset // 2}" if offset % 2 == 0 else None
    return f"{prefix}:w{week}"


def unsubscribe_token(user: User) -> str:
    # No timestamp: a one-click link never expires (RFC 8058), and every reminder to a person carries the same one.
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"u": user.pk}, compress=True)


def unsubscribe_url(user: User) -> str:
    """The one-click link, in the learner's language (a reminder may be written by a worker, with no request)."""
    with language_of(user):
        return settings.SITE_URL + reverse("accounts:unsubscribe", args=[unsubscribe_token(user)])


def user_from_token(token: str) -> User | None:
    # Both shapes verify the same signature over what precedes it; only the shape of the payload tells them apart.
    readers = (
        lambda: signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token),
        lambda: signing.loads(token, salt=UNSUBSCRIBE_SALT),  # links in reminders sent before (timestamped)
    )
    for read in readers:
        try:
            data = read()
            break
        except (signing.BadSignature, ValueError):
            continue
    else:
        return None
    if not isinstance(data, dict):
        return None
    return User.objects.filter(pk=data.get("u")).first()


def choose_rhythm(user: User, rhythm: str, days: str | None = None, *, today: date | None = None) -> None:
    """Save the learner's choice; a new rhythm (or turning reminders on) starts counting today."""
    previous = User.objects.filter(pk=user.pk).values_list("reminder_rhythm", flat=True).first()
    user.reminder_rhythm = rhythm
    if days is not None:
        user.reminder_weekdays = days
    if rhythm != previous or user.reminders_started_on is None:
        user.reminders_started_on = (today or timezone.localdate()) if rhythm != Rhythm.OFF else None
    user.save(update_fields=["reminder_rhythm", "reminder_weekdays", "reminders_started_on"])


def turn_off(user: User) -> None:
    choose_rhythm(user, Rhythm.OFF)
