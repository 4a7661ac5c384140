"""Reads across quizzes and progress for one learner, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Max
from django.db.models.functions import Coalesce

from courses.models import Certificate, Enrollment
from courses.selectors import (
    completed_lesson_ids,
    course_progress_by_course,
    first_incomplete_lessons,
    published_lessons_by_course,
)

from .models import Attempt


def best_scores_by_course(user, course_ids: list[int]) -> dict[int, list[dict]]:
    """Each quiz the learner attempted: best score, attempts, passed — grouped by course (1 query)."""
    rows = (
        Attempt.objects.for_user(user)
        .annotate(course_id=Coalesce("quiz__course_id", "quiz__lesson__module__course_id"))
        .filter(course_id__in=course_ids)
        .values("course_id", "quiz_id", "quiz__title")
        .annotate(best=Max("score_percent"), attempts=Count("pk"), last=Max("submitted_at"))
        .order_by("course_id", "quiz__lesson__module__order", "quiz__lesson__order", "quiz_id")
    )
    grouped = defaultdict(list)
    for row in rows:
        grouped[row["course_id"]].append(row)
    return grouped


def learning_dashboard(user) -> list[dict]:
    """One entry per enrolled course: progress, where to resume, quiz scores, certificate (4 queries, and 1 more
    when course content has changed)."""
    enrollments = list(
        Enrollment.objects.for_user(user).select_related("course").order_by("-last_activity_at", "-enrolled_at")
    )
    course_ids = [e.course_id for e in enrollments]
    lessons = published_lessons_by_course(course_ids)
    completed = completed_lesson_ids(user, course_ids)
    progress = course_progress_by_course(lessons, completed)
    resume = first_incomplete_lessons(lessons, completed)
    scores = best_scores_by_course(user, course_ids)
    certificates = {c.course_id: c for c in Certificate.objects.filter(user=user, course_id__in=course_ids)}
    return [
        {
            "enrollment": e,
            "course": e.course,
            "progress": progress[e.course_id],
            "resume": resume.get(e.course_id),
            "scores": scores.get(e.course_id, []),
            "certificate": certificates.get(e.course_id),
            "new_lessons": e.is_complete and progress[e.course_id].completed < progress[e.course_id].total,
        }
        for e in enrollments
    ]
