"""Reads that span relations, each in a fixed number of queries whatever the course size."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q
from django.urls import reverse

from .content_cache import cached_content
from .models import (
    COURSE_FINAL_ASSESSMENT,
    LESSON_QUIZ,
    Certificate,
    Course,
    Enrollment,
    Lesson,
    LessonProgress,
    Module,
)
from .progress import CourseProgress, LessonState, lesson_state

HAS_QUIZ = ExpressionWrapper(Q(**{f"{LESSON_QUIZ}__isnull": False}), output_field=BooleanField())


@dataclass(frozen=True)
class LessonPosition:
    index: int  # 1-based
    total: int
    previous: Lesson | None
    next: Lesson | None


@dataclass
class LearnerView:
    """What one learner sees of one course: enrollment, states, progress and where to resume."""

    enrollment: Enrollment | None
    progress: CourseProgress
    resume: Lesson | None
    states: dict[int, LessonState] = field(default_factory=dict)
    progress_rows: dict[int, LessonProgress] = field(default_factory=dict)

    @property
    def has_new_lessons(self) -> bool:
        return bool(self.enrollment and self.enrollment.is_complete and self.progress.completed < self.progress.total)


def published_course_outline(course: Course) -> list[Module]:
    """Published modules with their published lessons prefetched, each marked has_quiz (2 queries)."""
    lessons = Lesson.objects.filter(published=True).annotate(has_quiz=HAS_QUIZ).order_by("order", "pk")
    return list(
        course.modules.filter(published=True)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("lessons", queryset=lessons, to_attr="published_lessons"))
    )


def reading_order(course: Course) -> list[Lesson]:
    """Every published lesson of the course, in reading order (1 query)."""
    return list(
        Lesson.objects.published()
        .in_course(course)
        .in_reading_order()
        .annotate(has_quiz=HAS_QUIZ)
        .select_related("module__course")
        .only("pk", "slug", "title", "module__slug", "module__course__slug")
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


def learner_view(user, course: Course, lessons: list[Lesson]) -> LearnerView:
    """States of `lessons` (published, in reading order, annotated has_quiz) for `user` (≤ 2 queries)."""
    enrollment = Enrollment.objects.for_user(user).filter(course=course).first()
    if enrollment is None:
        return LearnerView(
            enrollment=None, progress=CourseProgress(0, len(lessons)), resume=lessons[0] if lessons else None
        )
    rows = {p.lesson_id: p for p in LessonProgress.objects.filter(user=user, lesson__in=[le.pk for le in lessons])}
    states = {le.pk: lesson_state(rows.get(le.pk), has_quiz=le.has_quiz) for le in lessons}
    completed = sum(state == LessonState.COMPLETE for state in states.values())
    resume = next((le for le in lessons if states[le.pk] != LessonState.COMPLETE), None)
    return LearnerView(
        enrollment=enrollment,
        progress=CourseProgress(completed, len(lessons)),
        resume=resume,
        states=states,
        progress_rows=rows,
    )


def published_lessons_by_course(course_ids: list[int]) -> dict[int, list[Lesson]]:
    """Each course's published lessons in reading order (from the content cache; 1 query when it changes)."""

    def build():
        lessons = (
            Lesson.objects.published()
            .filter(module__course_id__in=course_ids)
            .order_by("module__course_id", "module__order", "module__pk", "order", "pk")
            .select_related("module__course")
            .only("pk", "slug", "title", "module__slug", "module__course__slug")
        )
        by_course: dict[int, list[Lesson]] = {cid: [] for cid in course_ids}
        for lesson in lessons:
            by_course[lesson.module.course_id].append(lesson)
        return by_course

    return cached_content(f"published-lessons:{','.join(map(str, sorted(course_ids)))}", build)


def completed_lesson_ids(user, course_ids: list[int]) -> set[int]:
    """The lessons `user` has completed in these courses (1 query)."""
    return set(
        LessonProgress.objects.filter(
            user=user, completed_at__isnull=False, lesson__module__course_id__in=course_ids
        ).values_list("lesson_id", flat=True)
    )


def course_progress_by_course(
    lessons_by_course: dict[int, list[Lesson]], completed: set[int]
) -> dict[int, CourseProgress]:
    """Completed / published lesson counts for each course."""
    return {
        cid: CourseProgress(sum(lesson.pk in completed for lesson in lessons), len(lessons))
        for cid, lessons in lessons_by_course.items()
    }


def first_incomplete_lessons(lessons_by_course: dict[int, list[Lesson]], completed: set[int]) -> dict[int, Lesson]:
    """The lesson to resume in each course: the first one not yet complete (courses all done are left out)."""
    resume = {}
    for cid, lessons in lessons_by_course.items():
        lesson = next((le for le in lessons if le.pk not in completed), None)
        if lesson is not None:
            resume[cid] = lesson
    return resume


def next_step_url(user, course: Course) -> str:
    """Where 'continue' leads: the first incomplete lesson, then the final assessment, then the certificate."""
    learner = learner_view(user, course, reading_order(course))
    if learner.resume:
        return learner.resume.get_absolute_url()
    certificate = Certificate.objects.filter(user=user, course=course).first()
    if certificate:
        return certificate.get_absolute_url()
    final = getattr(course, COURSE_FINAL_ASSESSMENT, None)
    if final:
        return reverse("quizzes:take", kwargs={"pk": final.pk})
    return course.get_absolute_url()
