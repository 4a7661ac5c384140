"""The clinic report: every figure aggregated in the database, in a fixed number of queries."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Avg, Count, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from courses.models import Certificate, Course, Enrollment, Lesson, LessonProgress
from quizzes.models import Attempt, AttemptAnswer, Question

from .models import Clinic, FamilyMember

INACTIVE_DAYS = 14
FILTERS = {
    "": "Everyone who joined",
    "not_started": "Not started",
    "in_progress": "In progress",
    "inactive": f"Inactive for {INACTIVE_DAYS}+ days",
    "completed": "Completed",
    "not_joined": "Invited, not yet joined",
}
SORTS = {
    "name": Lower("user__display_name"),
    "email": Lower("user__email"),
    "joined": F("joined_at"),
    "invited": F("invited_at"),
    "progress": F("completed_lessons"),
    "activity": F("last_activity"),
    "quiz": F("quiz_average"),
    "completed": F("certificate_at"),
}


@dataclass(frozen=True)
class ClinicScope:
    """The clinic's assigned courses and their published lessons, fetched once per request."""

    course_ids: list[int]
    lesson_count: int

    @classmethod
    def of(cls, clinic: Clinic) -> ClinicScope:
        course_ids = list(clinic.courses.values_list("pk", flat=True))
        lesson_count = Lesson.objects.published().filter(module__course_id__in=course_ids).count()
        return cls(course_ids=course_ids, lesson_count=lesson_count)

    def lessons(self) -> QuerySet:
        return Lesson.objects.published().filter(module__course_id__in=self.course_ids)


def _per_user(queryset: QuerySet, aggregate, field=None) -> Subquery:
    return Subquery(
        queryset.filter(user=OuterRef("user")).values("user").annotate(v=aggregate).values("v")[:1],
        output_field=field or IntegerField(),
    )


def family_rows(
    clinic: Clinic, scope: ClinicScope, *, status: str = "", sort: str = "name", descending: bool = False
) -> QuerySet:
    """Family members annotated with progress, activity, quiz average and completion, filtered and sorted."""
    lessons = scope.lessons()
    progress = LessonProgress.objects.filter(lesson__in=lessons)
    enrollments = Enrollment.objects.filter(course_id__in=scope.course_ids)
    attempts = Attempt.objects.filter(Q(quiz__lesson__in=lessons) | Q(quiz__course_id__in=scope.course_ids))
    rows = (
        FamilyMember.objects.filter(clinic=clinic)
        .select_related("user")
        .annotate(
            completed_lessons=Coalesce(_per_user(progress.filter(completed_at__isnull=False), Count("pk")), Value(0)),
            started_lessons=Coalesce(_per_user(progress, Count("pk")), Value(0)),
            last_activity=_per_user(
                enrollments, Max("last_activity_at"), field=enrollments.model._meta.get_field("last_activity_at")
            ),
            quiz_average=_per_user(attempts, Avg("score_percent"), field=Attempt._meta.get_field("score_percent")),
            completed_courses=Coalesce(
                _per_user(enrollments.filter(completed_at__isnull=False), Count("pk")), Value(0)
            ),
            certificate_at=_per_user(
                Certificate.objects.filter(course_id__in=scope.course_ids),
                Max("issued_at"),
                field=Certificate._meta.get_field("issued_at"),
            ),
        )
    )
    rows = apply_status(rows, status, scope)
    order = SORTS.get(sort, SORTS["name"])
    order = order.desc(nulls_last=True) if descending else order.asc(nulls_last=True)
    return rows.order_by(order, "pk")


def apply_status(rows: QuerySet, status: str, scope: ClinicScope) -> QuerySet:
    course_count = len(scope.course_ids)
    is_complete = Q(completed_courses__gte=course_count) & Q(completed_courses__gt=0)
    if status == "not_started":
        return rows.filter(started_lessons=0).exclude(is_complete)
    if status == "in_progress":
        return rows.filter(started_lessons__gt=0).exclude(is_complete)
    if status == "inactive":
        cutoff = timezone.now() - timedelta(days=INACTIVE_DAYS)
        return rows.exclude(is_complete).filter(
            Q(last_activity__lt=cutoff) | Q(last_activity__isnull=True, joined_at__lt=cutoff)
        )
    if status == "completed":
        return rows.filter(is_complete)
    return rows


def progress_by_course(user_ids: list[int], scope: ClinicScope) -> dict[int, dict[int, int]]:
    """Completed lessons per (user, course) for one page of rows (1 query)."""
    counts: dict[int, dict[int, int]] = {}
    rows = (
        LessonProgress.objects.filter(user_id__in=user_ids, lesson__in=scope.lessons(), completed_at__isnull=False)
        .values("user_id", "lesson__module__course_id")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts.setdefault(row["user_id"], {})[row["lesson__module__course_id"]] = row["n"]
    return counts


@dataclass(frozen=True)
class Summary:
    invited: int
    joined: int
    started: int
    completed: int

    @property
    def completion_rate(self) -> int:
        return round(100 * self.completed / self.joined) if self.joined else 0


def summary(clinic: Clinic, scope: ClinicScope) -> Summary:
    """Tiles: invited, joined, started, completed (4 queries whatever the clinic's size)."""
    members = FamilyMember.objects.filter(clinic=clinic).values("user_id")
    started = (
        LessonProgress.objects.filter(user_id__in=members, lesson__in=scope.lessons())
        .values("user_id")
        .distinct()
        .count()
    )
    completed = (
        Enrollment.objects.filter(user_id__in=members, course_id__in=scope.course_ids, completed_at__isnull=False)
        .values("user_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=max(len(scope.course_ids), 1))
        .count()
    )
    return Summary(
        invited=clinic.invitations.count(),
        joined=FamilyMember.objects.filter(clinic=clinic).count(),
        started=started,
        completed=completed,
    )


def lesson_funnel(clinic: Clinic, scope: ClinicScope) -> list[dict]:
    """How many of this clinic's families completed each lesson, in reading order (2 queries)."""
    members = FamilyMember.objects.filter(clinic=clinic).values("user_id")
    done = dict(
        LessonProgress.objects.filter(user_id__in=members, lesson__in=scope.lessons(), completed_at__isnull=False)
        .values("lesson_id")
        .annotate(n=Count("pk"))
        .values_list("lesson_id", "n")
    )
    lessons = scope.lessons().order_by("module__course__order", "module__course_id", "module__order", "order", "pk")
    return [{"lesson": lesson, "completed": done.get(lesson.pk, 0)} for lesson in lessons.only("pk", "title")]


def most_missed_questions(clinic: Clinic, scope: ClinicScope, limit: int = 5) -> list[dict]:
    """The questions this clinic's families most often answer wrong (1 query)."""
    members = FamilyMember.objects.filter(clinic=clinic).values("user_id")
    question_ids = list(
        Question.objects.filter(
            Q(quiz__lesson__in=scope.lessons()) | Q(quiz__course_id__in=scope.course_ids)
        ).values_list("pk", flat=True)
    )
    return list(
        AttemptAnswer.objects.filter(attempt__user_id__in=members, question_id__in=question_ids)
        .values("question_id", "question__prompt", "question__quiz__title")
        .annotate(answered=Count("pk"), wrong=Count("pk", filter=Q(is_correct=False)))
        .filter(wrong__gt=0)
        .order_by("-wrong", "question_id")[:limit]
    )


def assigned_courses(scope: ClinicScope) -> list[Course]:
    """The clinic's courses, each with its number of published lessons (1 query)."""
    published = Q(modules__published=True, modules__lessons__published=True)
    return list(
        Course.objects.filter(pk__in=scope.course_ids)
        .annotate(lesson_total=Count("modules__lessons", filter=published))
        .order_by("order", "title")
    )


REPORT_SECONDS = 300


def _report_key(clinic: Clinic) -> str:
    return f"clinic-report:{clinic.pk}"


def clinic_report(clinic: Clinic, scope: ClinicScope) -> dict:
    """Tiles, funnel and most-missed questions, cached for a few minutes.

    They aggregate every answer the clinic's families ever gave (about 180,000 rows for 5,000 demo families), which
    is too much to redo on every page view (the family list is cached for a minute: views.family_table).
    """

    def compute() -> dict:
        return {
            "summary": summary(clinic, scope),
            "funnel": [
                {"title": step["lesson"].title, "completed": step["completed"]} for step in lesson_funnel(clinic, scope)
            ],
            "missed": most_missed_questions(clinic, scope),
            "computed_at": timezone.now(),
        }

    key = f"{_report_key(clinic)}:{','.join(map(str, sorted(scope.course_ids)))}"
    return cache.get_or_set(key, compute, REPORT_SECONDS)


def families_version(clinic: Clinic) -> str:
    """Part of the cache key of the dashboard's family list: replaced by forget_report."""
    return cache.get_or_set(f"clinic-families-version:{clinic.pk}", lambda: uuid.uuid4().hex, None)


def forget_report(clinic: Clinic) -> None:
    """Called after changes staff expect to see at once (invitations sent, families joining or leaving)."""
    course_ids = sorted(clinic.courses.values_list("pk", flat=True))
    cache.delete(f"{_report_key(clinic)}:{','.join(map(str, course_ids))}")
    cache.set(f"clinic-families-version:{clinic.pk}", uuid.uuid4().hex, None)
