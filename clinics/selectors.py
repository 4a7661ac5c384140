"""The clinic report: every figure aggregated in the database, in a fixed number of queries.

What a page or export *shows* for a family member comes from the learner status (courses.selectors:
learner_statuses and FamilyProgress). `family_rows` is its SQL twin, used to filter and sort thousands of families
in the database; it counts the same lessons, attempts and completions (tests/courses/test_learner_status.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import (
    Avg,
    Case,
    Count,
    DateTimeField,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.caches import cached_clinic_report, cached_clinic_scope
from courses.models import Certificate, Course, Enrollment, Lesson, LessonProgress, Module
from courses.progress import LessonState
from courses.selectors import FamilyProgress, LearnerStatus, course_structures, learner_statuses
from courses.translation import in_active_language
from quizzes.models import Attempt, AttemptAnswer, Question, visible_quiz
from quizzes.selectors import QUIZ_COURSE

from .models import Clinic, FamilyMember

INACTIVE_DAYS = 14
FILTERS = {
    "": _("Everyone who joined"),
    "not_started": _("Not started"),
    "in_progress": _("In progress"),
    "inactive": lazy(lambda: gettext("Inactive for %(days)s+ days") % {"days": INACTIVE_DAYS}, str)(),
    "completed": _("Completed"),
    "not_joined": _("Invited, not yet joined"),
}
SORTS = {
    "name": Lower("user__display_name"),
    "email": Lower("user__email"),
    "joined": F("joined_at"),
    "invited": F("invited_at"),
    "progress": F("completed_lessons"),
    "activity": F("last_activity"),
    "quiz": F("quiz_average"),
    "completed": F("completed_on"),
    "language": F("user__language"),
}


@dataclass(frozen=True)
class ClinicScope:
    """The clinic's assigned courses that learners can see, in catalogue order, and how many lessons they hold."""

    courses: list[Course]

    @classmethod
    def of(cls, clinic: Clinic) -> ClinicScope:
        """Cached (config/caches.py): every clinic page needs it. The courses are shared: callers must not change
        them."""
        return cached_clinic_scope(
            clinic.pk,
            lambda: cls(courses=list(Course.objects.published().filter(clinics=clinic).order_by("order", "title"))),
        )

    @property
    def course_ids(self) -> list[int]:
        return [c.pk for c in self.courses]

    def lessons(self) -> QuerySet:
        return Lesson.objects.published().filter(module__course_id__in=self.course_ids)


def family_progress(user_ids: list[int], scope: ClinicScope) -> dict[int, FamilyProgress]:
    """What staff see of each person: the learner status in every assigned course (4 queries)."""
    statuses = learner_statuses(user_ids=user_ids, courses=scope.courses)
    return {
        uid: FamilyProgress([statuses[(uid, cid)] for cid in scope.course_ids if (uid, cid) in statuses])
        for uid in user_ids
    }


# --- The SQL twin: filtering and sorting thousands of families -------------------------------------------------


def _per_user(queryset: QuerySet, aggregate, field=None) -> Subquery:
    inner = queryset.filter(user=OuterRef("user")).values("user").annotate(v=aggregate).values("v")[:1]
    return Subquery(inner, output_field=field or IntegerField())


def family_completed(scope: ClinicScope) -> Q:
    """FamilyProgress.completed in SQL: every assigned course completed (and there is at least one)."""
    return Q(completed_courses__gte=len(scope.course_ids)) & Q(completed_courses__gt=0)


def family_rows(
    clinic: Clinic,
    scope: ClinicScope,
    *,
    status: str = "",
    sort: str = "name",
    descending: bool = False,
    search: str = "",
    language: str = "",
) -> QuerySet:
    """Family members annotated with progress, activity, quiz average and completion, filtered and sorted;
    `language`: only those whose site language it is (their emails and certificate follow it)."""
    progress = LessonProgress.objects.filter(lesson__in=scope.lessons())
    enrollments = Enrollment.objects.filter(course_id__in=scope.course_ids)
    attempts = Attempt.objects.filter(visible_quiz("quiz__")).annotate(course_id=QUIZ_COURSE)
    attempts = attempts.filter(course_id__in=scope.course_ids)
    certificates = Certificate.objects.filter(course_id__in=scope.course_ids)
    date = DateTimeField()
    rows = (
        FamilyMember.objects.filter(clinic=clinic)
        .select_related("user")
        .annotate(
            completed_lessons=Coalesce(_per_user(progress.filter(completed_at__isnull=False), Count("pk")), Value(0)),
            started_lessons=Coalesce(_per_user(progress, Count("pk")), Value(0)),
            last_activity=_per_user(enrollments, Max("last_activity_at"), field=date),
            quiz_average=_per_user(attempts, Avg("score_percent"), field=FloatField()),
            completed_courses=Coalesce(
                _per_user(enrollments.filter(completed_at__isnull=False), Count("pk")), Value(0)
            ),
            last_certificate_at=_per_user(certificates, Max("issued_at"), field=date),
        )
        .annotate(completed_on=Case(When(family_completed(scope), then=F("last_certificate_at")), output_field=date))
    )
    rows = apply_status(rows, status, scope).filter(matches_search(search, "user__display_name", "user__email"))
    if language:
        rows = rows.filter(user__language=language)
    order = SORTS.get(sort, SORTS["name"])
    order = order.desc(nulls_last=True) if descending else order.asc(nulls_last=True)
    return rows.order_by(order, "pk")


def family_page(rows: QuerySet, number, per_page: int) -> Page:
    """One page of `family_rows`, its figures computed for that page's families only (2 queries and the count).

    The page's members are chosen first by their ids alone: the database then works out only the figures the
    filter and the sort need, for every family, and all six for the 25 shown. Asking for all six and a page at
    once made SQLite work them out for all 5,000 families even when sorting by name (0.7 s).
    """
    page = Paginator(rows.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    members = {member.pk: member for member in rows.filter(pk__in=ids)}
    page.object_list = [members[pk] for pk in ids if pk in members]
    return page


MAX_SEARCH_WORDS = 5


def matches_search(search: str, *fields: str) -> Q:
    """Every word of `search` in one of `fields` ("ann smith" finds Ann Smith, "ann@" her address).

    A case-insensitive substring match (icontains): a clinic's families are a few thousand rows already narrowed by
    the clinic's own index, so scanning their names and emails costs milliseconds; a prefix-only search could use an
    index but would miss "smith" in "Ann Smith" and the domain in an address, which staff do type.
    """
    condition = Q()
    for word in search.split()[:MAX_SEARCH_WORDS]:
        word_anywhere = Q()
        for field in fields:
            word_anywhere |= Q(**{f"{field}__icontains": word})
        condition &= word_anywhere
    return condition


def pending_invitations(clinic: Clinic, *, search: str = "", language: str = "") -> QuerySet:
    """The "Invited, not yet joined" view: invitations still waiting, newest first, searched by email and name,
    and if asked only those in one language."""
    invitations = clinic.invitations.pending().filter(matches_search(search, "email", "name"))
    if language:
        invitations = invitations.filter(language=language)
    return invitations.order_by("-created_at")


def apply_status(rows: QuerySet, status: str, scope: ClinicScope) -> QuerySet:
    is_complete = family_completed(scope)
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


# --- Report figures (cached: config/caches.py) ---------------------------------------------------------------------


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
    rows = family_rows(clinic, scope)
    return Summary(
        invited=clinic.invitations.count(),
        joined=FamilyMember.objects.filter(clinic=clinic).count(),
        started=rows.filter(started_lessons__gt=0).count(),
        completed=rows.filter(family_completed(scope)).count(),
    )


def lesson_funnel(clinic: Clinic, scope: ClinicScope) -> list[dict]:
    """How many of this clinic's families completed each lesson, in reading order (1 query)."""
    members = FamilyMember.objects.filter(clinic=clinic).values("user_id")
    done = dict(
        LessonProgress.objects.filter(user_id__in=members, lesson__in=scope.lessons(), completed_at__isnull=False)
        .values("lesson_id")
        .annotate(n=Count("pk"))
        .values_list("lesson_id", "n")
    )
    structures = course_structures(scope.course_ids)
    lessons = [lesson for cid in scope.course_ids for lesson in structures[cid].lessons]
    return [{"lesson": lesson, "completed": done.get(lesson.pk, 0)} for lesson in lessons]


def most_missed_questions(clinic: Clinic, scope: ClinicScope, limit: int = 5) -> list[dict]:
    """The questions this clinic's families most often answer wrong (3 queries).

    The answers are counted per question without naming which questions: asking the database for "these 175
    questions" made SQLite probe the answers index once per question and attempt, five times slower (0.8 s for
    5,000 families). The counts (one row per question ever answered) are then kept for the scope's questions.
    """
    members = FamilyMember.objects.filter(clinic=clinic).values("user_id")
    in_scope = set(
        Question.objects.filter(visible_quiz("quiz__"))
        .annotate(course_id=QUIZ_COURSE)
        .filter(course_id__in=scope.course_ids)
        .values_list("pk", flat=True)
    )
    counts = (
        AttemptAnswer.objects.filter(attempt__user_id__in=members)
        .values("question_id")
        .annotate(answered=Count("pk"), wrong=Count("pk", filter=Q(is_correct=False)))
        .order_by()
    )
    top = sorted(
        (row for row in counts if row["question_id"] in in_scope and row["wrong"] > 0),
        key=lambda row: (-row["wrong"], row["question_id"]),
    )[:limit]
    titles = {
        question["pk"]: question
        for question in Question.objects.filter(pk__in=[row["question_id"] for row in top]).values(
            "pk", prompt_text=in_active_language("prompt"), quiz_title=in_active_language("quiz__title")
        )
    }
    return [
        {**row, "prompt": title["prompt_text"], "quiz_title": title["quiz_title"]}
        for row in top
        if (title := titles.get(row["question_id"]))  # a question deleted in between is left out, not a 500
    ]


PROGRESS_BANDS = ["None", "1–24%", "25–49%", "50–74%", "75–99%", "All"]


def progress_distribution(clinic: Clinic, scope: ClinicScope, *, joined: int) -> list[tuple[str, int]]:
    """How many families completed none, under a quarter, ... or all of their lessons (1 query; the lessons they
    completed, counted as family_rows and the learner status count them)."""
    total = len(course_lessons(scope))
    members = FamilyMember.objects.filter(clinic=clinic).values("user_id")
    done = (
        LessonProgress.objects.filter(lesson__in=scope.lessons(), completed_at__isnull=False, user_id__in=members)
        .values("user_id")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    counts = dict.fromkeys(PROGRESS_BANDS, 0)
    started = 0
    for n in done:
        started += 1
        share = n / total if total else 0
        band = "All" if n >= total else PROGRESS_BANDS[1 + min(int(share * 4), 3)]
        counts[band] += 1
    counts["None"] = joined - started
    return list(counts.items())


def course_lessons(scope: ClinicScope) -> list[Lesson]:
    structures = course_structures(scope.course_ids)
    return [lesson for cid in scope.course_ids if cid in structures for lesson in structures[cid].lessons]


ACTIVITY_WEEKS = 12


def weekly_activity(clinic: Clinic, scope: ClinicScope, *, weeks: int = ACTIVITY_WEEKS) -> list[tuple[date, int]]:
    """Families active in each of the last `weeks` weeks (Monday first, this week last): who opened or finished a
    lesson, or submitted a quiz, that week (1 query: distinct (person, week) pairs, at most weeks × families).

    The week is a CASE over the weeks' Mondays, not TruncWeek: SQLite truncates dates by calling back into Python
    for every row (0.35 s of 0.4 s for 5,000 families)."""
    today = timezone.localdate()
    mondays = [today - timedelta(days=today.weekday() + 7 * (weeks - 1 - i)) for i in range(weeks)]
    starts = [timezone.make_aware(datetime.combine(monday, time.min)) for monday in mondays]
    members = FamilyMember.objects.filter(clinic=clinic).values("user_id")
    progress = LessonProgress.objects.filter(user_id__in=members, lesson__in=scope.lessons())

    def pairs(queryset, moment):
        latest_first = [
            When(**{f"{moment}__gte": start}, then=Value(i)) for i, start in reversed(list(enumerate(starts)))
        ]
        return (
            queryset.filter(**{f"{moment}__gte": starts[0]})
            .annotate(week=Case(*latest_first, output_field=IntegerField()))
            .values_list("user_id", "week")
            .order_by()
        )

    attempts = Attempt.objects.filter(visible_quiz("quiz__"), user_id__in=members).annotate(course_id=QUIZ_COURSE)
    attempts = attempts.filter(course_id__in=scope.course_ids)
    active = pairs(progress, "started_at").union(
        pairs(progress, "updated_at"), pairs(attempts, "submitted_at")
    )  # UNION: each person once per week
    per_week = [0] * weeks
    for _user_id, week in active:
        per_week[week] += 1
    return list(zip(mondays, per_week, strict=True))


def clinic_report(clinic: Clinic, scope: ClinicScope) -> dict:
    """Tiles, funnel and most-missed questions. They aggregate every answer the clinic's families ever gave (about
    180,000 rows for 5,000 demo families), so they are cached (config/caches.py)."""

    def compute() -> dict:
        figures = summary(clinic, scope)
        return {
            "summary": figures,
            "funnel": [
                {"title": step["lesson"].title, "completed": step["completed"]} for step in lesson_funnel(clinic, scope)
            ],
            "missed": most_missed_questions(clinic, scope),
            "progress": progress_distribution(clinic, scope, joined=figures.joined),
            "activity": weekly_activity(clinic, scope),
            "computed_at": timezone.now(),
        }

    return cached_clinic_report(clinic.pk, scope.course_ids, compute)


# --- One family member's page ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizResult:
    """What the person agreed to share of one quiz: attempts, best score, passed — never the answers they gave."""

    title: str
    attempts: int
    best: int
    passed: bool
    last: datetime


@dataclass(frozen=True)
class LessonRow:
    lesson: Lesson
    state: LessonState
    completed_at: datetime | None
    quiz: QuizResult | None


@dataclass(frozen=True)
class CourseDetail:
    status: LearnerStatus
    modules: list[tuple[Module, list[LessonRow]]]
    final_assessment: QuizResult | None


def quiz_results(user_id: int, scope: ClinicScope) -> dict[tuple[str, int], QuizResult]:
    """{("lesson", lesson id) or ("course", course id): QuizResult} over the scope's visible quizzes (1 query)."""
    rows = (
        Attempt.objects.filter(visible_quiz("quiz__"), user_id=user_id)
        .annotate(course_id=QUIZ_COURSE)
        .filter(course_id__in=scope.course_ids)
        .annotate(quiz_title=in_active_language("quiz__title"))
        .values("quiz_id", "quiz_title", "quiz__lesson_id", "quiz__course_id")
        .annotate(
            attempts=Count("pk"),
            best=Max("score_percent"),
            passes=Count("pk", filter=Q(passed=True)),
            last=Max("submitted_at"),
        )
    )
    return {
        ("lesson", r["quiz__lesson_id"]) if r["quiz__lesson_id"] else ("course", r["quiz__course_id"]): QuizResult(
            r["quiz_title"], r["attempts"], r["best"], r["passes"] > 0, r["last"]
        )
        for r in rows
    }


def member_detail(user_id: int, scope: ClinicScope, progress: FamilyProgress) -> list[CourseDetail]:
    """Each assigned course: every visible lesson, module by module, with its state (the learner status), the date it
    was completed and its quiz's result; then the final assessment (1 query beyond the learner status)."""
    results = quiz_results(user_id, scope)
    details = []
    for status in progress.statuses:
        modules = []
        for module in status.structure.modules:
            rows = []
            for lesson in module.published_lessons:
                row = status.progress_rows.get(lesson.pk)
                rows.append(
                    LessonRow(
                        lesson=lesson,
                        state=status.states[lesson.pk],
                        completed_at=row.completed_at if row else None,
                        quiz=results.get(("lesson", lesson.pk)),
                    )
                )
            modules.append((module, rows))
        details.append(CourseDetail(status, modules, results.get(("course", status.course.pk))))
    return details
