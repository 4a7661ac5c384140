"""One place that knows everything we hold about a person.

accounts is the lowest app, so it cannot import courses, quizzes or clinics. Each of those registers, in its
AppConfig.ready(), a function that returns that app's rows for a user. Deletion relies on the database:
every personal row cascades from the user, and anything kept for statistics is detached (SET_NULL) first.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

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
            "relationship": user.get_relationship_display(),
            "course_reminders": user.course_reminders,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary} for e in user.emailaddress_set.all()
        ],
        "two_factor_methods": [a.get_type_display() for a in user.authenticator_set.all()],
    }
    for exporter in _exporters:
        data.update(exporter(user))
    return data


@transaction.atomic
def delete_user(user) -> None:
    """Delete the person and their records in one transaction."""
    for hook in _before_delete:
        hook(user)
    user.delete()
