"""One place that knows everything we hold about a person.

accounts is the lowest app, so it cannot import courses, quizzes or clinics. Each of those registers, in its
AppConfig.ready(), a function that returns that app's rows for a user. Deletion relies on the database:
every personal row cascades from the user, and anything kept for statistics is detached (SET_NULL) first.
Rows that name the person without pointing at the account (a clinic's invitation to their address, an admin
history entry, another signed-in browser's session) are removed or anonymised by the before-delete hooks.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

DELETED = "(deleted account)"

Exporter = Callable[[object], dict[str, list[dict]]]
_exporters: list[Exporter] = []
_before_delete: list[Callable[[object], None]] = []


def register_exporter(exporter: Exporter) -> None:
    if exporter not in _exporters:
        _exporters.append(exporter)


def register_before_delete(hook: Callable[[object], None]) -> None:
    if hook not in _before_delete:
        _before_delete.append(hook)


def export_user_data(user) -> dict:
    data = {
        "profile": {
            "email": user.email,
            "name": user.display_name,
            "language": user.get_language_display(),
            "relationship": user.get_relationship_display(),
            "course_reminders": user.get_reminder_rhythm_display(),
            "reminder_weekdays": [calendar.day_name[int(d)] for d in user.reminder_weekdays],
            "reminders_started_on": user.reminders_started_on.isoformat() if user.reminders_started_on else None,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary} for e in user.emailaddress_set.all()
        ],
        "two_factor_methods": [a.get_type_display() for a in user.authenticator_set.all()],
        "reminders_sent": [r.sent_at.isoformat() for r in user.reminders.filter(sent_at__isnull=False)],
    }
    for exporter in _exporters:
        data.update(exporter(user))
    return data


def addresses_of(user) -> set[str]:
    """Every email address the person has used with us, lower-cased."""
    return {user.email.lower(), *(e.lower() for e in user.emailaddress_set.values_list("email", flat=True))}


@transaction.atomic
def delete_user(user) -> None:
    """Delete the person and their records in one transaction."""
    for hook in _before_delete:
        hook(user)
    _forget_admin_history(user)
    _end_sessions(user)
    user.delete()


def _forget_admin_history(user) -> None:
    """Admin's history keeps each changed object's name (the person's, or "Name at Clinic")."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    names = Q(object_id=str(user.pk), content_type=ContentType.objects.get_for_model(user))
    for text in addresses_of(user) | ({user.display_name} if user.display_name else set()):
        names |= Q(object_repr__icontains=text)
    LogEntry.objects.filter(names).update(object_repr=DELETED)


def _end_sessions(user) -> None:
    """Sign the person out everywhere: a session holds their id and the address they signed in with. Sessions
    kept only in the cache cannot be listed; they end at once anyway, as their account no longer exists."""
    if settings.SESSION_ENGINE not in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ):
        return
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.models import Session

    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=2000):
        if store().decode(session.session_data).get(SESSION_KEY) == str(user.pk):
            store(session_key=session.session_key).delete()
