import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.languages import language_of
from accounts.permissions import passed_two_factor
from config.caches import cached_content

from . import services
from .certificates import certificate_pdf, completion_date
from .forms import VerifyCertificateForm
from .from_quizzes import COURSE_FINAL_ASSESSMENT, LESSON_QUIZ
from .models import Certificate, Course, Enrollment, Lesson
from .progress import LessonState
from .selectors import LearnerStatus, LessonPosition, learner_status, learner_statuses, lesson_position


def _published_courses() -> list[Course]:
    return cached_content("published-courses", lambda: list(Course.objects.published()))


def _latest_status(user) -> LearnerStatus | None:
    """Where a signed-in learner stands in the course they were last active in (2 queries), for the greeting."""
    if not user.is_authenticated:
        return None
    enrollment = Enrollment.objects.for_user(user).current().select_related("course").first()
    if enrollment is None:
        return None
    statuses = learner_statuses(
        user_ids=[user.pk], courses=[enrollment.course], details=False, enrollments=[enrollment]
    )
    return statuses.get((user.pk, enrollment.course_id))


def home(request):
    return render(
        request, "courses/home.html", {"courses": _published_courses(), "current": _latest_status(request.user)}
    )


def about(request):
    return render(request, "courses/about.html")


def course_list(request):
    return render(request, "courses/course_list.html", {"courses": _published_courses()})


def _published_lesson(course_slug, module_slug, lesson_slug) -> Lesson:
    # The lesson's quiz and its question count come in the same query (the lesson page shows both).
    return get_object_or_404(
        Lesson.objects.published()
        .select_related("module__course", LESSON_QUIZ)
        .annotate(question_count=Count(f"{LESSON_QUIZ}__questions")),
        module__course__slug=course_slug,
        module__slug=module_slug,
        slug=lesson_slug,
    )


def _cached_lesson(course_slug, module_slug, lesson_slug) -> Lesson:
    """The lesson page's lesson, from the cache while the course content is unchanged. Its `copy_id` names this
    copy: the page's kept parts are built from it."""

    def build() -> Lesson:
        lesson = _published_lesson(course_slug, module_slug, lesson_slug)
        lesson.copy_id = uuid.uuid4().hex
        return lesson

    return cached_content(f"lesson-page:{course_slug}/{module_slug}/{lesson_slug}", build)


def course_detail(request, course_slug):
    course = get_object_or_404(Course.objects.published().select_related(COURSE_FINAL_ASSESSMENT), slug=course_slug)
    learner = learner_status(request.user, course)
    lessons = learner.lessons  # shared with other requests (config/caches.py): read, never changed
    states = learner.states if learner.enrollment else {}
    syllabus = [
        (module, [(lesson, states.get(lesson.pk)) for lesson in module.published_lessons])
        for module in learner.structure.modules
    ]
    return render(
        request,
        "courses/course_detail.html",
        {
            "course": course,
            "modules": learner.structure.modules,
            "syllabus": syllabus,
            "learner": learner,
            "lesson_count": len(lessons),
            "total_minutes": sum(lesson.minutes for lesson in lessons),
            "final_assessment": getattr(course, COURSE_FINAL_ASSESSMENT, None),
        },
    )


@login_required
@require_POST
def enroll(request, course_slug):
    course = get_object_or_404(Course.objects.published(), slug=course_slug)
    services.enroll(user=request.user, course=course)
    messages.success(
        request, _("You're enrolled in “%(title)s”. Your progress is saved as you go.") % {"title": course.title}
    )
    return redirect(course)


def lesson_detail(request, course_slug, module_slug, lesson_slug):
    try:
        lesson = _cached_lesson(course_slug, module_slug, lesson_slug)
    except Http404:
        if not may_preview(request):
            raise  # learners: the publication rule (visible_lesson) decides, as everywhere
        return _lesson_preview(request, course_slug, module_slug, lesson_slug)
    course = lesson.module.course
    learner = learner_status(request.user, course, details=False, with_lesson=lesson)
    if learner.enrollment:
        services.record_lesson_visit(
            user=request.user,
            lesson=lesson,
            enrollment=learner.enrollment,
            progress=learner.progress_rows.get(lesson.pk),
        )
    # Kept per copy of the lesson and of the course structure this page reads (both cached), so the parts always
    # agree with the rest of the page and are never older than those copies.
    parts = cached_content(
        f"lesson-parts:{lesson.copy_id}:{learner.structure.copy_id}",
        lambda: _lesson_parts(lesson, lesson_position(lesson, learner.lessons)),
    )
    return render(
        request,
        "courses/lesson_detail.html",
        {
            "lesson": lesson,
            "module": lesson.module,
            "course": course,
            "parts": parts,
            "learner": learner,
            "state": learner.states.get(lesson.pk, LessonState.NOT_STARTED),
            "quiz": getattr(lesson, LESSON_QUIZ, None),
        },
    )


def _lesson_parts(lesson: Lesson, position: LessonPosition) -> dict[str, str]:
    """The parts of a lesson page that are the same for every reader (breadcrumbs, the lesson itself, the links to
    the lessons before and after), as HTML: rendering them was most of the page's template time."""
    context = {"lesson": lesson, "module": lesson.module, "course": lesson.module.course, "position": position}
    return {
        part: render_to_string(f"courses/_lesson_{part}.html", context) for part in ("breadcrumbs", "article", "nav")
    }


PREVIEW_MESSAGE = gettext_lazy(
    "Preview — not visible to learners. This lesson, its module or its course is not published yet."
)


def may_preview(request) -> bool:
    """Admin staff who passed two-factor in this session may open unpublished lessons to check them."""
    return request.user.is_authenticated and request.user.is_staff and passed_two_factor(request)


def _lesson_preview(request, course_slug, module_slug, lesson_slug):
    """An unpublished lesson (or one in an unpublished module or course) as learners will see it, for staff only."""
    lesson = get_object_or_404(
        Lesson.objects.select_related("module__course", LESSON_QUIZ).annotate(
            question_count=Count(f"{LESSON_QUIZ}__questions")
        ),
        module__course__slug=course_slug,
        module__slug=module_slug,
        slug=lesson_slug,
    )
    course = lesson.module.course
    ordered = list(Lesson.objects.in_course(course).in_reading_order().select_related("module__course"))
    messages.warning(request, PREVIEW_MESSAGE)
    response = render(
        request,
        "courses/lesson_detail.html",
        {
            "lesson": lesson,
            "module": lesson.module,
            "course": course,
            "parts": _lesson_parts(lesson, lesson_position(lesson, ordered)),  # never kept: not published
            "learner": learner_status(request.user, course, details=False),
            "state": LessonState.NOT_STARTED,
            "quiz": getattr(lesson, LESSON_QUIZ, None),
            "preview": True,
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def complete_lesson(request, course_slug, module_slug, lesson_slug):
    """'Mark complete and continue': the quiz next if it still needs passing, else the next lesson."""
    lesson = _published_lesson(course_slug, module_slug, lesson_slug)
    course = lesson.module.course
    services.enroll(user=request.user, course=course)
    progress = services.mark_lesson_read(user=request.user, lesson=lesson)
    if progress.completed_at is None:
        return redirect("quizzes:take", pk=lesson.quiz.pk)
    messages.success(request, _("“%(title)s” is complete.") % {"title": lesson.title})
    return redirect(learner_status(request.user, course, details=False).next_step.url)


@login_required
def continue_course(request, course_slug):
    course = get_object_or_404(Course.objects.published(), slug=course_slug)
    return redirect(learner_status(request.user, course, details=False).next_step.url)


@login_required
def certificate_detail(request, code):
    certificate = get_object_or_404(Certificate.objects.select_related("course"), code=code, user=request.user)
    verify_url = request.build_absolute_uri(reverse("certificate_verify", args=[certificate.code]))
    return render(
        request,
        "courses/certificate_detail.html",
        {
            "certificate": certificate,
            "completed_on": completion_date(certificate),
            "verify_url": verify_url,
        },
    )


@login_required
def certificate_download(request, code):
    certificate = get_object_or_404(Certificate.objects.select_related("user"), code=code, user=request.user)
    with language_of(certificate.user):  # the PDF's link opens the check page in the holder's language
        verify_url = request.build_absolute_uri(reverse("certificate_verify", args=[certificate.code]))
    response = HttpResponse(certificate_pdf(certificate, verify_url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="support-circle-certificate-{certificate.code}.pdf"'
    return response


def certificate_verify(request, code=None):
    """Public: shows only name, course and date for a valid code."""
    form = VerifyCertificateForm(request.GET or None)
    if code is None and form.is_valid():
        return redirect("certificate_verify", code=form.cleaned_data["code"])
    certificate = Certificate.objects.filter(code=code.upper().replace("-", "")).first() if code else None
    status = 200 if certificate or code is None else 404
    return render(
        request,
        "courses/certificate_verify.html",
        {
            "certificate": certificate,
            "completed_on": completion_date(certificate) if certificate else "",
            "code": code,
            "form": form,
        },
        status=status,
    )
