"""Writes that touch progress. Each is safe under double clicks and two tabs: unique constraints plus
get_or_create, and completion timestamps that are only ever set, never cleared."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .from_quizzes import COURSE_FINAL_ASSESSMENT, LESSON_QUIZ
from .models import Certificate, Course, Enrollment, Lesson, LessonProgress


def _get_or_create(model, **lookup):
    # get_or_create can still race between two requests; the unique constraint decides, we re-read.
    try:
        with transaction.atomic():
            return model.objects.get_or_create(**lookup)[0]
    except IntegrityError:
        return model.objects.get(**lookup)


def lesson_requires_quiz(lesson: Lesson) -> bool:
    return hasattr(lesson, LESSON_QUIZ)


def course_requires_final_assessment(course: Course) -> bool:
    return hasattr(course, COURSE_FINAL_ASSESSMENT)


def enroll(*, user, course: Course, source: str = Enrollment.Source.SELF) -> Enrollment:
    enrollment = _get_or_create(Enrollment, user=user, course=course)
    if source == Enrollment.Source.CLINIC and enrollment.source != source:
        Enrollment.objects.filter(pk=enrollment.pk).update(source=source)
        enrollment.source = source
    return enrollment


def touch_activity(*, user, course: Course) -> None:
    Enrollment.objects.filter(user=user, course=course).update(last_activity_at=timezone.now())


ACTIVITY_RESOLUTION = timedelta(minutes=5)


def record_lesson_visit(*, user, lesson: Lesson, enrollment: Enrollment, progress: LessonProgress | None) -> None:
    """Note that the learner opened a lesson. Reading pages are hot: write only when something changed."""
    if progress is None:
        _get_or_create(LessonProgress, user=user, lesson=lesson)
    now = timezone.now()
    # "Last activity" is shown by the day; refreshing it more than every few minutes only costs writes.
    if enrollment.last_activity_at is None or now - enrollment.last_activity_at > ACTIVITY_RESOLUTION:
        Enrollment.objects.filter(pk=enrollment.pk).update(last_activity_at=now)


def lesson_is_complete(progress: LessonProgress, *, requires_quiz: bool) -> bool:
    """Complete = the learner reached the end, and passed the quiz if the lesson has one."""
    return bool(progress.reached_end_at and (progress.quiz_passed_at or not requires_quiz))


@transaction.atomic
def _record_progress(*, user, lesson: Lesson, reached_end: bool = False, quiz_passed: bool = False) -> LessonProgress:
    progress = _get_or_create(LessonProgress, user=user, lesson=lesson)
    progress = LessonProgress.objects.select_for_update().get(pk=progress.pk)
    now = timezone.now()
    if reached_end:
        progress.reached_end_at = progress.reached_end_at or now
    if quiz_passed:
        progress.quiz_passed_at = progress.quiz_passed_at or now
    if progress.completed_at is None and lesson_is_complete(progress, requires_quiz=lesson_requires_quiz(lesson)):
        progress.completed_at = now
    progress.save()
    touch_activity(user=user, course=lesson.module.course)
    complete_course_if_done(user=user, course=lesson.module.course)
    return progress


def mark_lesson_read(*, user, lesson: Lesson) -> LessonProgress:
    """The learner reached the end of the lesson ("Mark complete"). Complete now, or once its quiz is passed."""
    return _record_progress(user=user, lesson=lesson, reached_end=True)


def record_lesson_quiz_passed(*, user, lesson: Lesson) -> LessonProgress:
    return _record_progress(user=user, lesson=lesson, quiz_passed=True)


@transaction.atomic
def record_final_assessment_passed(*, user, course: Course) -> Enrollment:
    enrollment = enroll(user=user, course=course)
    Enrollment.objects.filter(pk=enrollment.pk, final_passed_at__isnull=True).update(final_passed_at=timezone.now())
    complete_course_if_done(user=user, course=course)
    enrollment.refresh_from_db()
    return enrollment


def all_lessons_complete(*, user, course: Course) -> bool:
    published = Lesson.objects.published().in_course(course)
    done = LessonProgress.objects.filter(user=user, lesson__in=published, completed_at__isnull=False)
    return done.count() == published.count()


def complete_course_if_done(*, user, course: Course) -> Certificate | None:
    """Complete the course and issue the certificate once every lesson and the final assessment are done.

    Completion is never undone: a lesson added later shows as "new" but keeps the certificate valid.
    """
    enrollment = Enrollment.objects.filter(user=user, course=course).first()
    if enrollment is None:
        return None
    if enrollment.completed_at is None:
        if not all_lessons_complete(user=user, course=course):
            return None
        if course_requires_final_assessment(course) and enrollment.final_passed_at is None:
            return None
        Enrollment.objects.filter(pk=enrollment.pk, completed_at__isnull=True).update(completed_at=timezone.now())
    return issue_certificate(user=user, course=course)


def issue_certificate(*, user, course: Course) -> Certificate:
    existing = Certificate.objects.filter(user=user, course=course).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Certificate.objects.create(
                user=user, course=course, holder_name=user.get_full_name(), course_title=course.title
            )
    except IntegrityError:
        return Certificate.objects.get(user=user, course=course)
