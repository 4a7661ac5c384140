"""Realistic demo data at scale: `python manage.py seed_demo --clinics 10 --families 5000`.

Every demo account's email ends in @demo.supportcircle.test and its password is "demo-password-123".
Each clinic has a manager (<clinic-slug>-manager@…) and a staff member (<clinic-slug>-staff@…), both with a
TOTP authenticator so they pass the two-factor check; its secret is DEMO_TOTP_SECRET, so a person trying the
demo can add it to an authenticator app. Caregivers are family<clinic>-<n>@… .

Built for speed (10 × 5,000 families in a few minutes): one password hash reused for every account, rows
written with bulk_create (no save(), no signals) in one transaction per run.
"""

from __future__ import annotations

import random
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Value
from django.utils import timezone
from django.utils.text import slugify

from courses.models import Certificate, Course, Enrollment, Lesson, LessonProgress
from quizzes.loader import load_content
from quizzes.models import Attempt, AttemptAnswer, Quiz
from quizzes.rules import has_passed, score_percent
from quizzes.services import snapshot_question

from ...models import Clinic, FamilyMember, Invitation, StaffMembership

SNAPSHOT_FIELD = Attempt._meta.get_field("snapshot")
DEMO_DOMAIN = "demo.supportcircle.test"
DEMO_PASSWORD = "demo-password-123"
DEMO_TOTP_SECRET = "SUPPORTCIRCLEDEMOSTAFFTOTPSECRET"  # base32; demo clinics hold only made-up people
DEMO_CLINIC_PREFIX = "demo-"
INACTIVE_DAYS = 14

# Share of each clinic's families in each state (the rest: partway and active in the last two weeks).
SHARE_NOT_STARTED = 0.15
SHARE_COMPLETE = 0.20
SHARE_INACTIVE = 0.25
SHARE_PENDING_INVITES = 0.04

PLACES = [
    "Riverside",
    "Harbor View",
    "Cedar Grove",
    "Northgate",
    "Lakeshore",
    "Willow Creek",
    "Summit",
    "Bayfront",
    "Maple Hill",
    "Westbrook",
    "Pinecrest",
    "Stonebridge",
    "Fairview",
    "Oak Park",
    "Silver Lake",
    "Eastside",
]
CLINIC_KINDS = ["Ketamine Clinic", "Mind & Mood Center", "Infusion Therapy", "Behavioral Health", "Wellness Clinic"]
FIRST_NAMES = [
    "Alex",
    "Sam",
    "Jordan",
    "Taylor",
    "Morgan",
    "Casey",
    "Riley",
    "Jamie",
    "Avery",
    "Quinn",
    "Maria",
    "José",
    "Aisha",
    "Wei",
    "Priya",
    "Daniel",
    "Grace",
    "Tomás",
    "Fatima",
    "Liam",
    "Noah",
    "Emma",
    "Olivia",
    "Hannah",
    "Kenji",
    "Nadia",
    "Omar",
    "Rosa",
    "Ethan",
    "Chloe",
    "Ravi",
    "Sofia",
    "Mateo",
    "Leah",
    "Yusuf",
    "Ingrid",
]
LAST_INITIALS = "ABCDEFGHJKLMNOPRSTVWY"
RELATIONSHIPS = [
    ("partner", 40),
    ("parent", 20),
    ("adult_child", 15),
    ("sibling", 8),
    ("friend", 7),
    ("other", 3),
    ("prefer_not", 7),
]


@contextmanager
def historical_timestamps(*models):
    """Let bulk_create keep the past dates we set: auto_now / auto_now_add would stamp every row "now"."""
    changed = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                changed.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in changed:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def delete_rows(model, pks_queryset) -> int:
    """DELETE … WHERE pk IN (subquery) in one statement: no rows loaded into Python, no cascade collection."""
    sql, params = pks_queryset.values("pk").query.sql_with_params()
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(table)} WHERE {connection.ops.quote_name(pk)} IN ({sql})", params
        )
        return cursor.rowcount


@dataclass
class QuizPlan:
    """A quiz's questions with their choices, and how to answer each one right or wrong."""

    quiz: Quiz
    questions: list
    correct: dict = field(default_factory=dict)  # question pk -> set of correct choice pks
    wrong: dict = field(default_factory=dict)  # question pk -> list of wrong selections
    snapshots: dict = field(default_factory=dict)  # (question pk, right?, variant) -> snapshot dict, shared

    @classmethod
    def of(cls, quiz: Quiz) -> QuizPlan:
        plan = cls(quiz=quiz, questions=list(quiz.questions.all()))
        for q in plan.questions:
            choices = list(q.choices.all())
            right = {c.pk for c in choices if c.is_correct}
            wrong_choices = [c.pk for c in choices if not c.is_correct]
            plan.correct[q.pk] = right
            if q.allows_many:
                variants = [right | {w} for w in wrong_choices]
                if len(right) > 1:
                    variants += [right - {r} for r in right]
            else:
                variants = [{w} for w in wrong_choices]
            plan.wrong[q.pk] = variants or [set()]
        return plan

    @property
    def most_wrong_to_pass(self) -> int:
        n = len(self.questions)
        return max((w for w in range(n + 1) if has_passed(score_percent(n - w, n), self.quiz.pass_mark)), default=0)

    def snapshot(self, question, *, right: bool, variant: int) -> dict:
        key = (question.pk, right, variant)
        if key not in self.snapshots:
            selected = self.correct[question.pk] if right else self.wrong[question.pk][variant]
            self.snapshots[key] = snapshot_question(question, selected)
        return self.snapshots[key]


class Seeder:
    def __init__(self, *, rng: random.Random, now: datetime, batch_size: int, password_hash: str, out):
        self.rng, self.now, self.batch_size, self.password_hash, self.out = rng, now, batch_size, password_hash, out
        self.counts: dict[str, list] = {}  # table -> [rows, seconds spent writing them]

    def count(self, model, rows: int, since: float) -> None:
        total = self.counts.setdefault(str(model._meta.verbose_name_plural), [0, 0.0])
        total[0] += rows
        total[1] += time.perf_counter() - since

    def bulk(self, objs: list) -> list:
        if objs:
            started = time.perf_counter()
            type(objs[0]).objects.bulk_create(objs, batch_size=self.batch_size)
            self.count(type(objs[0]), len(objs), started)
        return objs

    def insert_rows(self, model, columns: list[str], rows: list[tuple]) -> None:
        """Multi-row INSERTs for the largest table (1.8 M answers for 50,000 families), without Django's
        per-value preparation, which was half the run time. Only for columns that need no conversion."""
        if not rows:
            return
        started = time.perf_counter()
        quote = connection.ops.quote_name
        per_statement = min(self.batch_size, (connection.features.max_query_params or 65535) // len(columns))
        head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) VALUES "
        one = f"({', '.join(['%s'] * len(columns))})"
        with connection.cursor() as cursor:
            for start in range(0, len(rows), per_statement):
                chunk = rows[start : start + per_statement]
                cursor.execute(head + ", ".join([one] * len(chunk)), [value for row in chunk for value in row])
        self.count(model, len(rows), started)

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def code(self, length: int) -> str:
        return "".join(self.rng.choice("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for _ in range(length))

    def days_ago(self, low: float, high: float) -> datetime:
        return self.now - timedelta(days=self.rng.uniform(low, high))

    def phone(self) -> str:
        return f"({self.rng.randint(201, 989)}) 555-01{self.rng.randint(0, 99):02d}"  # 555-01xx: reserved, fictional

    def display_name(self) -> str:
        if self.rng.random() < 0.1:
            return ""  # some people never give a name
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_INITIALS)}."

    def user(self, email: str, *, name: str, joined: datetime, **extra):
        User = get_user_model()
        return User(email=email, password=self.password_hash, display_name=name, date_joined=joined, **extra)


class Command(BaseCommand):
    help = (
        "Create demo clinics, staff and caregivers with realistic progress, attempts and certificates. "
        f'All demo accounts end in @{DEMO_DOMAIN}; password "{DEMO_PASSWORD}".'
    )

    @staticmethod
    def reminders(rng, joined: datetime) -> dict:
        """Half the families chose weekly reminders when they joined (reminders are opt-in)."""
        if rng.random() < 0.5:
            return {"reminder_rhythm": "off"}
        return {"reminder_rhythm": "weekly", "reminders_started_on": joined.date()}

    def add_arguments(self, parser):
        parser.add_argument("--clinics", type=int, default=3, help="number of clinics (default 3)")
        parser.add_argument("--families", type=int, default=200, help="caregivers per clinic (default 200)")
        parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same data")
        parser.add_argument("--reset", action="store_true", help="delete earlier demo data first")
        parser.add_argument("--batch-size", type=int, default=1000, help="rows per INSERT (capped by the database)")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="run even with DJANGO_DEBUG=0 (a benchmark or test database, never a real site)",
        )

    def handle(self, *args, clinics, families, seed, reset, batch_size, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            # Demo staff accounts share a published password and authenticator secret: on a real site they
            # would open every demo clinic's pages to anyone who read the README.
            raise CommandError(
                "DJANGO_DEBUG=0: this looks like production, and demo accounts have a published password. "
                "Use --allow-production only for a benchmark or test database."
            )
        if clinics < 1 or families < 0:
            raise CommandError("--clinics must be at least 1 and --families at least 0.")
        started = time.perf_counter()
        demo_users = get_user_model().objects.filter(email__iendswith=f"@{DEMO_DOMAIN}")
        demo_clinics = Clinic.objects.filter(slug__startswith=DEMO_CLINIC_PREFIX)
        if reset:
            with transaction.atomic():
                self.reset(demo_users, demo_clinics)
            self.timing("deleted earlier demo data", started)
        elif demo_users.exists() or demo_clinics.exists():
            raise CommandError(
                f"Demo data already exists ({demo_users.count()} accounts @{DEMO_DOMAIN}, {demo_clinics.count()} demo clinics). "
                "Run again with --reset to replace it."
            )

        step = time.perf_counter()
        if not Course.objects.published().exists():
            report = load_content(settings.CONTENT_DIR)
            self.stdout.write(f"Course loaded from {settings.CONTENT_DIR}: {report.summary()}.")
        course = Course.objects.published().order_by("order", "pk").first()
        if course is None:
            raise CommandError("No published course to enrol families in.")
        lessons = list(Lesson.objects.published().in_course(course).in_reading_order())
        quizzes = Quiz.objects.filter(lesson__in=lessons).prefetch_related("questions__choices")
        lesson_plans = {quiz.lesson_id: QuizPlan.of(quiz) for quiz in quizzes}
        final = Quiz.objects.filter(course=course).prefetch_related("questions__choices").first()
        final_plan = QuizPlan.of(final) if final else None
        self.timing("course ready", step)

        seeder = Seeder(
            rng=random.Random(seed),
            now=timezone.now(),
            batch_size=batch_size,
            password_hash=make_password(DEMO_PASSWORD),
            out=self.stdout,
        )
        if connection.vendor == "sqlite":
            # Attempt tokens are random UUIDs: their unique index is written all over. SQLite's default 2 MB page
            # cache makes each clinic slower than the last; 256 MB keeps the index in memory for this run.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
        models = (Clinic, StaffMembership, FamilyMember, Invitation, Enrollment, LessonProgress, Attempt, Certificate)
        with transaction.atomic(), historical_timestamps(*models):
            created = self.create_clinics(seeder, clinics, course)
            for number, (clinic, manager) in enumerate(created, start=1):
                step = time.perf_counter()
                self.create_families(
                    seeder, clinic, manager, number, families, course, lessons, lesson_plans, final_plan
                )
                self.timing(f"clinic {number}/{clinics} “{clinic.name}”: {families} families", step)

        step = time.perf_counter()
        with connection.cursor() as cursor:
            # Fresh statistics, as a live database has: without them PostgreSQL plans the clinic report's
            # joins as if the tables were empty (a 300 ms page became 950 ms).
            cursor.execute("ANALYZE")
        self.timing("ANALYZE", step)
        for name, (count, seconds) in seeder.counts.items():
            self.stdout.write(f"  {count:>9,} {name:<28} {seconds:7.2f}s writing")
        self.timing("total", started)
        first = created[0][0]
        self.stdout.write(
            self.style.SUCCESS(
                f'Demo data ready. Every demo account\'s password is "{DEMO_PASSWORD}". '
                f"Clinic staff: {first.slug}-manager@{DEMO_DOMAIN} (dashboard /clinics/{first.slug}/; "
                f"authenticator app secret {DEMO_TOTP_SECRET}); "
                f"a caregiver: family01-00001@{DEMO_DOMAIN}."
            )
        )

    def timing(self, label: str, since: float) -> None:
        self.stdout.write(f"{time.perf_counter() - since:8.2f}s  {label}")

    def reset(self, demo_users, demo_clinics) -> None:
        attempts = Attempt.objects.filter(user__in=demo_users)
        delete_rows(AttemptAnswer, AttemptAnswer.objects.filter(attempt__in=attempts.values("pk")))
        delete_rows(Attempt, attempts)
        for model in (LessonProgress, Enrollment, Certificate, EmailAddress, Authenticator, StaffMembership):
            delete_rows(model, model.objects.filter(user__in=demo_users))
        delete_rows(FamilyMember, FamilyMember.objects.filter(clinic__in=demo_clinics))
        delete_rows(FamilyMember, FamilyMember.objects.filter(user__in=demo_users))
        delete_rows(Invitation, Invitation.objects.filter(clinic__in=demo_clinics))
        demo_clinics.delete()
        demo_users.delete()  # what is left to cascade is small: sessions of MFA, audit events, admin log

    def create_clinics(self, seeder: Seeder, count: int, course: Course) -> list[tuple[Clinic, object]]:
        names = [f"{place} {kind}" for kind in CLINIC_KINDS for place in PLACES]
        seeder.rng.shuffle(names)
        clinics = []
        for n in range(count):
            name = names[n % len(names)] + (f" {n // len(names) + 1}" if n >= len(names) else "")
            clinics.append(
                Clinic(
                    name=name,
                    slug=f"{DEMO_CLINIC_PREFIX}{slugify(name)}"[:50],
                    contact_phone=seeder.phone(),
                    after_hours_phone=seeder.phone(),
                    join_code=seeder.code(8),
                    created_at=seeder.days_ago(400, 500),
                )
            )
        seeder.bulk(clinics)
        seeder.bulk([Clinic.courses.through(clinic_id=c.pk, course_id=course.pk) for c in clinics])

        staff, roles = [], []
        for clinic in clinics:
            for role in (StaffMembership.Role.MANAGER, StaffMembership.Role.STAFF):
                staff.append(
                    seeder.user(
                        f"{clinic.slug}-{role.value}@{DEMO_DOMAIN}",
                        name=seeder.display_name() or "Clinic staff",
                        joined=clinic.created_at,
                    )
                )
                roles.append((clinic, role))
        seeder.bulk(staff)
        seeder.bulk([EmailAddress(user_id=u.pk, email=u.email, verified=True, primary=True) for u in staff])
        seeder.bulk(
            [
                StaffMembership(clinic=clinic, user_id=u.pk, role=role, created_at=clinic.created_at)
                for u, (clinic, role) in zip(staff, roles, strict=True)
            ]
        )
        for u in staff:  # a handful of rows: the same call a person's QR-code scan makes
            TOTP.activate(u, DEMO_TOTP_SECRET)
        seeder.counts["authenticators"] = [len(staff), 0.0]
        return [(clinic, staff[2 * i]) for i, clinic in enumerate(clinics)]

    def create_families(
        self, seeder, clinic, manager, number, count, course, lessons, lesson_plans, final_plan
    ) -> None:
        rng = seeder.rng
        states = (
            ["not_started"] * round(count * SHARE_NOT_STARTED)
            + ["complete"] * round(count * SHARE_COMPLETE)
            + ["inactive"] * round(count * SHARE_INACTIVE)
        )
        states = (states + ["active"] * count)[:count]
        rng.shuffle(states)

        users, plans = [], []
        for i, state in enumerate(states, start=1):
            plan = self.timeline(seeder, state, len(lessons))
            name = seeder.display_name()
            relationship = rng.choices([r for r, _ in RELATIONSHIPS], weights=[w for _, w in RELATIONSHIPS])[0]
            users.append(
                seeder.user(
                    f"family{number:02d}-{i:05d}@{DEMO_DOMAIN}",
                    name=name,
                    joined=plan["joined"] - timedelta(minutes=rng.uniform(2, 30)),
                    relationship=relationship,
                    **self.reminders(rng, plan["joined"]),
                    last_login=plan["last"] if state != "not_started" else plan["joined"],
                )
            )
            plans.append(plan)
        seeder.bulk(users)
        seeder.bulk([EmailAddress(user_id=u.pk, email=u.email, verified=True, primary=True) for u in users])

        invitations = []
        for u, plan in zip(users, plans, strict=True):
            if plan["invited"]:
                invitations.append(
                    Invitation(
                        clinic=clinic,
                        email=u.email,
                        name=u.display_name,
                        status=Invitation.Status.ACCEPTED,
                        invited_by_id=manager.pk,
                        created_at=plan["invited"],
                        sent_at=plan["invited"],
                        expires_at=plan["invited"] + timedelta(days=14),
                        send_count=1,
                    )
                )
        seeder.bulk(invitations)
        by_email = {inv.email: inv for inv in invitations}
        seeder.bulk(
            [
                FamilyMember(
                    clinic=clinic,
                    user_id=u.pk,
                    invitation=by_email.get(u.email),
                    invited_at=plan["invited"],
                    joined_at=plan["joined"],
                    consented_at=plan["joined"],
                )
                for u, plan in zip(users, plans, strict=True)
            ]
        )

        enrollments, progress, certificates, attempts, answers = [], [], [], [], []
        for u, plan in zip(users, plans, strict=True):
            enrollment = Enrollment(
                user_id=u.pk,
                course=course,
                source=Enrollment.Source.CLINIC,
                enrolled_at=plan["joined"],
                last_activity_at=None,
            )
            enrollments.append(enrollment)
            times = iter(plan["steps"])
            last = None
            for index in range(plan["completed"] + (1 if plan["current"] else 0)):
                lesson = lessons[index]
                start = next(times)
                row = LessonProgress(user_id=u.pk, lesson=lesson, started_at=start, updated_at=start)
                done = index < plan["completed"]
                quiz_plan = lesson_plans.get(lesson.pk)
                if done or plan["current"] == "quiz_to_pass":
                    row.reached_end_at = start + timedelta(minutes=lesson.minutes + rng.uniform(-2, 6))
                    row.updated_at = last = row.reached_end_at
                    if quiz_plan:
                        failures = 1 if not done else (1 if rng.random() < 0.2 else 0)
                        when = row.reached_end_at
                        for _ in range(failures):
                            when += timedelta(minutes=rng.uniform(1, 4))
                            attempts.append(self.attempt(seeder, quiz_plan, u.pk, when, passed=False, answers=answers))
                        if done:
                            when += timedelta(minutes=rng.uniform(1, 4))
                            attempts.append(self.attempt(seeder, quiz_plan, u.pk, when, passed=True, answers=answers))
                            row.quiz_passed_at = when
                        row.updated_at = last = when
                    if done:
                        row.completed_at = row.updated_at
                else:
                    last = start  # opened the lesson, did not reach the end yet
                progress.append(row)
            if plan["state"] == "complete":
                # The final assessment after the last lesson, before the planned last day (at least hours ago).
                room = max((plan["last"] - last).total_seconds(), 0)
                when = last + timedelta(seconds=rng.uniform(0, min(room, 3 * 86400)))
                if final_plan:
                    if rng.random() < 0.25:
                        attempts.append(self.attempt(seeder, final_plan, u.pk, when, passed=False, answers=answers))
                        when += timedelta(minutes=rng.uniform(5, 60))
                    attempts.append(self.attempt(seeder, final_plan, u.pk, when, passed=True, answers=answers))
                    enrollment.final_passed_at = when
                enrollment.completed_at = last = when
                certificates.append(
                    Certificate(
                        user_id=u.pk,
                        course=course,
                        code=seeder.code(12),
                        holder_name=u.get_full_name(),
                        course_title=course.title,
                        issued_at=when,
                    )
                )
            enrollment.last_activity_at = last
        seeder.bulk(enrollments)
        seeder.bulk(progress)
        seeder.bulk(certificates)
        seeder.bulk(attempts)
        seeder.insert_rows(
            AttemptAnswer,
            ["attempt_id", "question_id", "is_correct"],
            [(attempt.pk, q, ok) for attempt, q, ok in answers],
        )

        pending = []
        for i in range(1, round(count * SHARE_PENDING_INVITES) + 1):
            created_at = seeder.days_ago(0, 30)
            pending.append(
                Invitation(
                    clinic=clinic,
                    email=f"invitee{number:02d}-{i:05d}@{DEMO_DOMAIN}",
                    name=seeder.display_name(),
                    status=Invitation.Status.REVOKED if rng.random() < 0.05 else Invitation.Status.PENDING,
                    invited_by_id=manager.pk,
                    created_at=created_at,
                    sent_at=created_at,
                    expires_at=created_at + timedelta(days=14),
                    send_count=rng.choice([1, 1, 1, 2]),
                )
            )
        seeder.bulk(pending)

    def timeline(self, seeder: Seeder, state: str, lesson_count: int) -> dict:
        """When this family joined, how far they got and when each step happened."""
        rng = seeder.rng
        completed, current = 0, None
        if state == "not_started":
            joined = seeder.days_ago(0, 200)
            last = joined
        elif state == "complete":
            last = seeder.days_ago(0.2, 200)
            joined = last - timedelta(days=rng.uniform(1, 45))
            completed = lesson_count
        else:
            # Most people who stop, stop early: each further lesson is a little less likely.
            completed = min(int(rng.expovariate(1 / 5)), lesson_count - 1)
            current = rng.choice(["in_progress", "in_progress", "quiz_to_pass", None])
            if completed == 0 or lesson_count == 0:
                current = current or "in_progress"  # partway means at least one lesson opened
            last = (
                seeder.days_ago(INACTIVE_DAYS + 0.5, 150)
                if state == "inactive"
                else seeder.days_ago(0, INACTIVE_DAYS - 0.5)
            )
            joined = last - timedelta(days=rng.uniform(0.2, 90))
        if lesson_count == 0:
            completed, current = 0, None
        step_count = completed + (1 if current else 0)
        start = joined + timedelta(minutes=rng.uniform(1, 120))
        span = max((last - start).total_seconds(), 60) - 3600  # leave an hour for the last lesson and its quiz
        steps = sorted(start + timedelta(seconds=rng.uniform(0, max(span, 0))) for _ in range(step_count))
        invited = joined - timedelta(days=rng.uniform(0.1, 10)) if rng.random() < 0.7 else None
        return {
            "state": state,
            "joined": joined,
            "last": last,
            "completed": completed,
            "current": current,
            "steps": steps,
            "invited": invited,
        }

    def attempt(
        self, seeder: Seeder, plan: QuizPlan, user_id: int, when: datetime, *, passed: bool, answers: list
    ) -> Attempt:
        rng, n = seeder.rng, len(plan.questions)
        most = plan.most_wrong_to_pass
        if passed:
            wrong_count = rng.choice([0, 0, 0] + list(range(1, most + 1)))
        else:
            wrong_count = rng.randint(most + 1, min(most + 2, n)) if n else 0
        wrong = set(rng.sample(range(n), wrong_count))
        items = []
        for i, question in enumerate(plan.questions):
            right = i not in wrong
            variant = 0 if right else rng.randrange(len(plan.wrong[question.pk]))
            items.append(plan.snapshot(question, right=right, variant=variant))
        correct = n - wrong_count
        score = score_percent(correct, n)
        attempt = Attempt(
            user_id=user_id,
            quiz=plan.quiz,
            token=seeder.uuid(),
            submitted_at=when,
            correct_count=correct,
            question_count=n,
            score_percent=score,
            pass_mark=plan.quiz.pass_mark,
            passed=has_passed(score, plan.quiz.pass_mark),
            # Wrapped in Value so PostgreSQL inserts with VALUES: Django's UNNEST path sends a jsonb[] array whose
            # text escaping (done in Python, per quote character) took most of the run for 4 KB snapshots.
            snapshot=Value({"title": plan.quiz.title, "questions": items}, output_field=SNAPSHOT_FIELD),
        )
        answers.extend((attempt, item["question_id"], item["correct"]) for item in items)
        return attempt
