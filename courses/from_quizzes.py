"""Everything courses needs from quizzes, declared in one place.

courses sits below quizzes (clinics → quizzes → courses → accounts) and never imports it. Instead:
- quizzes hangs a quiz on a lesson and a final assessment on a course under the reverse names below, and
  courses reads those relations by name (has the lesson a quiz? has the course a final assessment?);
- quizzes registers, in QuizzesConfig.ready(), the function that gives learners' quiz scores per course,
  which the learner status (courses.selectors.learner_statuses) reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from .progress import whole_percent

LESSON_QUIZ = "quiz"  # Lesson.quiz: the lesson's quiz, if any
COURSE_FINAL_ASSESSMENT = "final_assessment"  # Course.final_assessment: the course's final assessment, if any


@dataclass(frozen=True)
class QuizScores:
    """A learner's submitted attempts on one course's quizzes."""

    attempts: int
    average: float | None

    @property
    def percent(self) -> int | None:
        return whole_percent(self.average)


QuizScoresProvider = Callable[[Iterable[int], Iterable[int]], dict[tuple[int, int], QuizScores]]
_provider: QuizScoresProvider | None = None


def provide_quiz_scores(provider: QuizScoresProvider) -> None:
    global _provider
    _provider = provider


def quiz_scores(user_ids: Iterable[int], course_ids: Iterable[int]) -> dict[tuple[int, int], QuizScores]:
    """{(user id, course id): QuizScores} for the pairs that have attempts (1 query)."""
    if _provider is None:
        raise ImproperlyConfigured("The quizzes app registers quiz scores in its AppConfig.ready(); is it installed?")
    return _provider(user_ids, course_ids)
