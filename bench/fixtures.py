"""Signed-in sessions and page addresses for the load test, written as JSON for bench/locustfile.py.

Run by bench/run.py inside the benchmark's environment (its database and settings):
    python bench/fixtures.py OUT.json --learners 4000

Sessions are created directly in the session store, as a sign-in would leave them (user id, backend,
password hash, allauth's record of how the person authenticated), so the test never goes through the sign-in
form and its rate limits.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db import transaction  # noqa: E402
from django.urls import reverse  # noqa: E402

from clinics.management.commands.seed_demo import DEMO_CLINIC_PREFIX, DEMO_DOMAIN  # noqa: E402
from clinics.models import Clinic, FamilyMember, StaffMembership  # noqa: E402
from courses.models import Course, Lesson, LessonProgress  # noqa: E402
from quizzes.models import Quiz  # noqa: E402

SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
AUTHENTICATION_METHODS_SESSION_KEY = "account_authentication_methods"  # allauth.account.internal.flows.login


def signed_in_session(user, *, totp: Authenticator | None = None) -> str:
    now = time.time()
    methods = [{"method": "password", "at": now, "email": user.email}]
    if totp is not None:
        methods.append({"method": "mfa", "at": now, "id": totp.pk, "type": "totp"})
    session = SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = methods
    session.create()
    return session.session_key


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--learners", type=int, default=200, help="caregivers to sign in (distinct people)")
    args = parser.parse_args()

    course = Course.objects.published().order_by("order", "pk").first()
    lessons = list(Lesson.objects.published().in_course(course).in_reading_order().select_related("module__course"))
    lesson_quizzes = list(Quiz.objects.filter(lesson__in=lessons).values_list("pk", flat=True))
    final = Quiz.objects.filter(course=course).first()
    clinics = list(Clinic.objects.filter(slug__startswith=DEMO_CLINIC_PREFIX).order_by("pk"))
    if not clinics:
        sys.exit("No demo clinics: run `manage.py seed_demo` first.")

    # Learners who have started (the pages look like they do for most people), in a fixed order.
    started = LessonProgress.objects.values("user_id")
    members = (
        FamilyMember.objects.filter(clinic__in=clinics, user__email__endswith=f"@{DEMO_DOMAIN}", user_id__in=started)
        .select_related("user")
        .order_by("user_id")[: args.learners]
    )
    with transaction.atomic():
        learners = [{"email": m.user.email, "session": signed_in_session(m.user)} for m in members]
        staff = []
        for membership in (
            StaffMembership.objects.filter(clinic__in=clinics).select_related("user", "clinic").order_by("pk")
        ):
            totp = Authenticator.objects.filter(user=membership.user, type=Authenticator.Type.TOTP).first()
            staff.append(
                {
                    "email": membership.user.email,
                    "clinic": membership.clinic.slug,
                    "role": membership.role,
                    "families": membership.clinic.families.count(),
                    "session": signed_in_session(membership.user, totp=totp),
                }
            )

    fixtures = {
        "cookies": {"session": settings.SESSION_COOKIE_NAME, "csrf": settings.CSRF_COOKIE_NAME},
        "csrf_use_sessions": settings.CSRF_USE_SESSIONS,
        # Behind the TLS proxy the site expects: requests say X-Forwarded-Proto: https when Django trusts it.
        "https": bool(getattr(settings, "SECURE_PROXY_SSL_HEADER", None)),
        "ssl_redirect": settings.SECURE_SSL_REDIRECT,
        "learners": learners,
        "staff": staff,
        "course": course.get_absolute_url(),
        "lessons": [lesson.get_absolute_url() for lesson in lessons],
        "lesson_quizzes": [reverse("quizzes:take", args=[pk]) for pk in lesson_quizzes],
        "final_quiz": reverse("quizzes:take", args=[final.pk]) if final else None,
        "final_quiz_id": final.pk if final else None,
        "clinic_dashboard_route": "/clinics/<slug>/",
    }
    Path(args.out).write_text(json.dumps(fixtures, indent=1))
    print(f"{len(learners)} learner sessions, {len(staff)} staff sessions → {args.out}")


if __name__ == "__main__":
    main()
