"""Reads across quizzes and progress for one learner, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F
from django.db.models.functions import Coalesce

from courses.from_quizzes import QuizScores
from courses.selectors import enrolled_statuses
from courses.translation import in_active_language

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


@dataclass
class QuizRecord:
    """One quiz a learner attempted: its title, best score, and every attempt newest first (to review them)."""

    quiz_id: int
    title: str
    attempts: list[dict] = field(default_factory=list)  # pk, score_percent, passed, submitted_at

    @property
    def best(self) -> int:
        return max(a["score_percent"] for a in self.attempts)

    @property
    def passed(self) -> bool:
        return any(a["passed"] for a in self.attempts)

    @property
    def last(self):
        return self.attempts[0]["submitted_at"]


def quiz_records_by_course(user, course_ids: list[int]) -> dict[int, list[QuizRecord]]:
    """Each quiz the learner attempted, in reading order (the final assessment last), with every attempt — grouped
    by course (1 query: a learner's attempts are few)."""
    rows = (
        Attempt.objects.for_user(user)
        .annotate(course_id=QUIZ_COURSE, quiz_title=in_active_language("quiz__title"))
        .filter(course_id__in=course_ids)
        .values("pk", "course_id", "quiz_id", "quiz_title", "score_percent", "passed", "submitted_at")
        .order_by(
            "course_id",
            F("quiz__lesson__module__order").asc(nulls_last=True),
            "quiz__lesson__order",
            "quiz_id",
            "-submitted_at",
            "-pk",
        )
    )
    grouped: dict[int, dict[int, QuizRecord]] = defaultdict(dict)
    for row in rows:
        quizzes = grouped[row["course_id"]]
        if row["quiz_id"] not in quizzes:
            quizzes[row["quiz_id"]] = QuizRecord(row["quiz_id"], row["quiz_title"])
        quizzes[row["quiz_id"]].attempts.append(row)
    return {course_id: list(quizzes.values()) for course_id, quizzes in grouped.items()}


def learning_dashboard(user) -> list[dict]:
    """One entry per visible enrolled course: the learner status and each quiz attempted, with its best score and
    every attempt (6 queries, and
    the course structure when content has changed)."""
    statuses = enrolled_statuses(user)
    records = quiz_records_by_course(user, [s.course.pk for s in statuses])
    return [{"status": status, "quizzes": records.get(status.course.pk, [])} for status in statuses]
