"""Reads across quizzes and progress for one learner, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Avg, Count, Max
from django.db.models.functions import Coalesce

from courses.from_quizzes import QuizScores
from courses.selectors import enrolled_statuses

from .models import Attempt, visible_quiz

# The course a quiz belongs to: its own for a final assessment, its lesson's otherwise.
QUIZ_COURSE = Coalesce("quiz__course_id", "quiz__lesson__module__course_id")


def quiz_scores(user_ids: Iterable[int], course_ids: Iterable[int]) -> dict[tuple[int, int], QuizScores]:
    """Attempts and average score per (learner, course), over the course's visible quizzes (1 query).

    Registered with courses (courses.from_quizzes) as the quiz figures of every learner status; the clinic's
    SQL twin (clinics.selectors.family_rows) averages the same attempts.
    """
    rows = (
        Attempt.objects.filter(visible_quiz("quiz__"), user_id__in=list(user_ids))
        .annotate(course_id=QUIZ_COURSE)
        .filter(course_id__in=list(course_ids))
        .values("user_id", "course_id")
        .annotate(attempts=Count("pk"), average=Avg("score_percent"))
    )
    return {(r["user_id"], r["course_id"]): QuizScores(r["attempts"], float(r["average"])) for r in rows}


def best_scores_by_course(user, course_ids: list[int]) -> dict[int, list[dict]]:
    """Each quiz the learner attempted: best score, attempts, passed — grouped by course (1 query)."""
    rows = (
        Attempt.objects.for_user(user)
        .annotate(course_id=QUIZ_COURSE)
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
    """One entry per visible enrolled course: the learner status and the best score on each quiz (6 queries, and
    the course structure when content has changed)."""
    statuses = enrolled_statuses(user)
    scores = best_scores_by_course(user, [s.course.pk for s in statuses])
    return [{"status": status, "scores": scores.get(status.course.pk, [])} for status in statuses]
