"""Reads that span relations, each in a fixed number of queries whatever the course size.

`learner_statuses` is the one place that says where a learner stands in a course: every page and export that
shows progress (course page, lesson page, learner dashboard, clinic family list, member page, CSV, the person's
data export) reads it. The clinic list also sorts and filters 5,000 families in SQL with the same rules
(clinics.selectors.family_rows); tests/courses/test_learner_status.py checks that the two agree.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from config.caches import cached_content_many

from .from_quizzes import COURSE_FINAL_ASSESSMENT, LESSON_QUIZ, QuizScores, quiz_scores
from .models import Certificate, Course, Enrollment, Lesson, LessonProgress, Module
from .progress import CourseProgress, LessonState, lesson_state, whole_percent

HAS_QUIZ = ExpressionWrapper(Q(**{f"{LESSON_QUIZ}__isnull": False}), output_field=BooleanField())
NO_SCORES = QuizScores(attempts=0, average=None)


# --- Course structure (cached until course content changes) ------------------------------------------------------


@dataclass(frozen=True)
class CourseStructure:
    """A course's visible modules, each with its visible lessons as `published_lessons` (each lesson annotated
    has_quiz), and its final assessment's id: what the syllabus, reading order and next step are made of."""

    modules: list[Module]
    final_assessment_id: int | None
    # Names this built copy: what is rendered from it (a lesson page's kept parts) is kept under this name.
    copy_id: str = field(default_factory=lambda: uuid.uuid4().hex, compare=False)

    @cached_property
    def lessons(self) -> list[Lesson]:
        """Every visible lesson in reading order."""
        return [lesson for module in self.modules for lesson in module.published_lessons]


HIDDEN = CourseStructure(modules=[], final_assessment_id=None)  # what learners see of an unpublished course


def course_structures(course_ids: list[int], *, refresh: bool = False) -> dict[int, CourseStructure]:
    """The structure of each visible course among `course_ids`, from the content cache (one entry per course; 3
    queries build the missing ones)."""

    def build(ids: list[int]) -> dict[int, CourseStructure | None]:
        lessons = (
            Lesson.objects.published()
            .annotate(has_quiz=HAS_QUIZ)
            .defer("body", "body_html", "sources", "sources_html", "source_checksum")
            .order_by("order", "pk")
        )
        modules = (
            Module.objects.published()
            .filter(course_id__in=ids)
            .select_related("course")
            .order_by("order", "pk")
            .prefetch_related(Prefetch("lessons", queryset=lessons, to_attr="published_lessons"))
        )
        by_course: dict[int, list[Module]] = {}
        for module in modules:
            by_course.setdefault(module.course_id, []).append(module)
        visible = dict(Course.objects.published().filter(pk__in=ids).values_list("pk", COURSE_FINAL_ASSESSMENT))
        # None marks a course learners cannot see, so that answer is cached too.
        return {cid: CourseStructure(by_course.get(cid, []), visible[cid]) if cid in visible else None for cid in ids}

    names = {cid: f"structure:{cid}" for cid in set(course_ids)}
    structures = cached_content_many(names, build, refresh=refresh)
    return {cid: structure for cid, structure in structures.items() if structure is not None}


@dataclass(frozen=True)
class LessonPosition:
    index: int  # 1-based
    total: int
    previous: Lesson | None
    next: Lesson | None


def lesson_position(lesson: Lesson, ordered: list[Lesson]) -> LessonPosition:
    ids = [item.pk for item in ordered]
    i = ids.index(lesson.pk)
    return LessonPosition(
        index=i + 1,
        total=len(ordered),
        previous=ordered[i - 1] if i > 0 else None,
        next=ordered[i + 1] if i + 1 < len(ordered) else None,
    )


# --- Where a learner stands ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    """What "continue" means for this learner now; templates show `label` (in the active language) and link to
    `url`."""

    kind: str  # "start", "continue", "final_assessment", "certificate" or "course"
    label: str
    url: str


@dataclass
class LearnerStatus:
    """One learner in one course: lesson states, lessons done of total, quiz scores, completion, certificate."""

    user_id: int
    course: Course
    structure: CourseStructure
    enrollment: Enrollment | None
    progress_rows: dict[int, LessonProgress] = field(default_factory=dict)
    _scores: QuizScores | None = None
    _certificate: Certificate | None | bool = False  # False: not fetched yet

    @cached_property
    def states(self) -> dict[int, LessonState]:
        return {
            lesson.pk: lesson_state(self.progress_rows.get(lesson.pk), has_quiz=lesson.has_quiz)
            for lesson in self.structure.lessons
        }

    @property
    def lessons(self) -> list[Lesson]:
        return self.structure.lessons

    @cached_property
    def progress(self) -> CourseProgress:
        done = sum(state == LessonState.COMPLETE for state in self.states.values())
        return CourseProgress(done, len(self.structure.lessons))

    @property
    def completed(self) -> bool:
        """The course is complete: every lesson and the final assessment were done once. Never undone."""
        return bool(self.enrollment and self.enrollment.completed_at)

    @property
    def has_new_lessons(self) -> bool:
        return self.completed and self.progress.completed < self.progress.total

    @cached_property
    def resume(self) -> Lesson | None:
        return next((le for le in self.structure.lessons if self.states[le.pk] != LessonState.COMPLETE), None)

    @property
    def quiz_scores(self) -> QuizScores:
        if self._scores is None:
            self._scores = quiz_scores([self.user_id], [self.course.pk]).get((self.user_id, self.course.pk), NO_SCORES)
        return self._scores

    @property
    def certificate(self) -> Certificate | None:
        if self._certificate is False:
            self._certificate = Certificate.objects.filter(user_id=self.user_id, course=self.course).first()
        return self._certificate

    @property
    def next_step(self) -> NextStep:
        if self.resume is not None:
            started = self.progress.completed or any(s != LessonState.NOT_STARTED for s in self.states.values())
            if started:
                label = _("Continue: %(lesson)s") % {"lesson": self.resume.title}
            else:
                label = _("Start: %(lesson)s") % {"lesson": self.resume.title}
            return NextStep("continue" if started else "start", label, self.resume.get_absolute_url())
        if self.certificate is not None:
            return NextStep("certificate", _("View your certificate"), self.certificate.get_absolute_url())
        if self.structure.final_assessment_id is not None:
            url = reverse("quizzes:take", kwargs={"pk": self.structure.final_assessment_id})
            return NextStep("final_assessment", _("Take the final assessment"), url)
        return NextStep("course", _("Back to the course"), self.course.get_absolute_url())


def learner_statuses(
    *, user_ids: list[int], courses: list[Course], details: bool = True, enrollments: list[Enrollment] | None = None
) -> dict[tuple[int, int], LearnerStatus]:
    """{(user id, course id): LearnerStatus} for every visible course among `courses`.

    Queries: enrollments, progress rows, and with `details` quiz scores and certificates (4), plus the course
    structure when course content has changed. Without `details` those two are fetched on first use instead.
    """
    structures = course_structures([c.pk for c in courses])
    courses = [c for c in courses if c.pk in structures]
    if not user_ids or not courses:
        return {}
    course_ids = [c.pk for c in courses]
    lesson_ids = [le.pk for s in structures.values() for le in s.lessons]
    if enrollments is None:  # the caller may have them already
        enrollments = Enrollment.objects.filter(user_id__in=user_ids, course_id__in=course_ids)
    enrollments = {(e.user_id, e.course_id): e for e in enrollments}
    rows: dict[int, dict[int, LessonProgress]] = {}
    for row in LessonProgress.objects.filter(user_id__in=user_ids, lesson_id__in=lesson_ids):
        rows.setdefault(row.user_id, {})[row.lesson_id] = row
    scores, certificates = {}, {}
    if details:
        scores = quiz_scores(user_ids, course_ids)
        # A certificate exists only for a completed course (courses.services.complete_course_if_done).
        completed = [e for e in enrollments.values() if e.completed_at]
        if completed:
            certificates = {
                (c.user_id, c.course_id): c
                for c in Certificate.objects.filter(
                    user_id__in={e.user_id for e in completed}, course_id__in={e.course_id for e in completed}
                )
            }
    statuses = {}
    for user_id in user_ids:
        for course in courses:
            key = (user_id, course.pk)
            structure = structures[course.pk]
            statuses[key] = LearnerStatus(
                user_id=user_id,
                course=course,
                structure=structure,
                enrollment=enrollments.get(key),
                progress_rows={
                    le.pk: rows[user_id][le.pk] for le in structure.lessons if le.pk in rows.get(user_id, {})
                },
                _scores=scores.get(key, NO_SCORES) if details else None,
                _certificate=certificates.get(key) if details else False,
            )
    return statuses


def learner_status(user, course: Course, *, details: bool = True, with_lesson: Lesson | None = None) -> LearnerStatus:
    """Where `user` stands in `course` (a signed-out visitor has no enrollment and no progress).

    `with_lesson`, read from the database, must be in the course structure; if a process cached the structure
    before that lesson was added or published, it is rebuilt (with per-process caches, other workers hear of an
    edit only when their entry expires).
    """
    if with_lesson is not None:
        structure = course_structures([course.pk]).get(course.pk, HIDDEN)
        if with_lesson.pk not in {lesson.pk for lesson in structure.lessons}:
            course_structures([course.pk], refresh=True)
    if user.is_authenticated:
        status = learner_statuses(user_ids=[user.pk], courses=[course], details=details).get((user.pk, course.pk))
        if status is not None:
            return status
    # A visitor, or a course no longer published (an old attempt's page still opens): nothing to resume.
    structure = course_structures([course.pk]).get(course.pk, HIDDEN)
    return LearnerStatus(user_id=getattr(user, "pk", None) or 0, course=course, structure=structure, enrollment=None)


def enrolled_statuses(user) -> list[LearnerStatus]:
    """The learner's visible courses, most recently active first, each with its full status."""
    enrollments = list(Enrollment.objects.for_user(user).current().select_related("course"))
    statuses = learner_statuses(user_ids=[user.pk], courses=[e.course for e in enrollments], enrollments=enrollments)
    return [statuses[(user.pk, e.course_id)] for e in enrollments if (user.pk, e.course_id) in statuses]


@dataclass(frozen=True)
class FamilyProgress:
    """One person across several courses (a clinic's assigned courses): the figures a clinic sees."""

    statuses: list[LearnerStatus]

    @property
    def lessons_done(self) -> int:
        return sum(s.progress.completed for s in self.statuses)

    @property
    def lessons_total(self) -> int:
        return sum(s.progress.total for s in self.statuses)

    @property
    def quiz_average(self) -> float | None:
        attempts = sum(s.quiz_scores.attempts for s in self.statuses)
        if not attempts:
            return None
        return (
            sum(s.quiz_scores.average * s.quiz_scores.attempts for s in self.statuses if s.quiz_scores.attempts)
            / attempts
        )

    @property
    def quiz_percent(self) -> int | None:
        return whole_percent(self.quiz_average)

    @property
    def completed(self) -> bool:
        """A family member has completed when they completed every assigned course (and there is one)."""
        return bool(self.statuses) and all(s.completed for s in self.statuses)

    @property
    def completed_on(self):
        """The date the last course was completed (its certificate), when every course is."""
        if not self.completed:
            return None
        return max((s.certificate.issued_at for s in self.statuses if s.certificate), default=None)

    @property
    def last_activity(self):
        return max(
            (s.enrollment.last_activity_at for s in self.statuses if s.enrollment and s.enrollment.last_activity_at),
            default=None,
        )
