"""Lesson states and course progress for one learner, computed from rows already fetched."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy, ngettext


class LessonState(models.TextChoices):
    NOT_STARTED = "not_started", gettext_lazy("Not started")
    IN_PROGRESS = "in_progress", gettext_lazy("In progress")
    QUIZ_TO_PASS = "quiz_to_pass", gettext_lazy("Quiz to pass")
    COMPLETE = "complete", gettext_lazy("Complete")


def lesson_state(progress, *, has_quiz: bool) -> LessonState:
    if progress is None:
        return LessonState.NOT_STARTED
    if progress.completed_at:
        return LessonState.COMPLETE
    if progress.reached_end_at and has_quiz:
        return LessonState.QUIZ_TO_PASS
    return LessonState.IN_PROGRESS


def whole_percent(value: float | None) -> int | None:
    """A percentage as people round it (62.5 → 63), the same on every page and export."""
    return None if value is None else int(value + 0.5)


@dataclass(frozen=True)
class CourseProgress:
    completed: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0

    @property
    def label(self) -> str:
        # Read when a page renders, so in that page's language.
        return ngettext("%(completed)s of %(total)s lesson", "%(completed)s of %(total)s lessons", self.total) % {
            "completed": self.completed,
            "total": self.total,
        }
