"""Reads that span relations, each in a fixed number of queries whatever the course size."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from .models import Course, Lesson, Module


@dataclass(frozen=True)
class LessonPosition:
    index: int  # 1-based
    total: int
    previous: Lesson | None
    next: Lesson | None


def published_course_outline(course: Course) -> list[Module]:
    """Published modules with their published lessons prefetched (2 queries)."""
    lessons = Lesson.objects.filter(published=True).order_by("order", "pk")
    return list(
        course.modules.filter(published=True)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("lessons", queryset=lessons, to_attr="published_lessons"))
    )


def reading_order(course: Course) -> list[Lesson]:
    """Every published lesson of the course, in reading order (1 query)."""
    return list(
        Lesson.objects.published().in_course(course).in_reading_order()
        .select_related("module").only("pk", "slug", "title", "module__slug", "module__course_id")
    )


def lesson_position(lesson: Lesson, ordered: list[Lesson]) -> LessonPosition:
    ids = [item.pk for item in ordered]
    i = ids.index(lesson.pk)
    return LessonPosition(
        index=i + 1,
        total=len(ordered),
        previous=ordered[i - 1] if i > 0 else None,
        next=ordered[i + 1] if i + 1 < len(ordered) else None,
    )
