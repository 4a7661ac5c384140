import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from courses.models import Certificate, Enrollment, Lesson, LessonProgress, Module
from courses.progress import LessonState
from courses.selectors import learner_status


def lessons_of(course):
    return list(Lesson.objects.published().in_course(course).in_reading_order())


def complete_url(lesson):
    m = lesson.module
    return reverse("courses:complete_lesson", args=[m.course.slug, m.slug, lesson.slug])


@pytest.fixture
def pass_quiz(answers_for):
    """pass_quiz(client, quiz, wrong=0): answer the quiz through its page, as a learner does."""

    def submit(client, quiz, wrong=0):
        return client.post(
            reverse("quizzes:take", args=[quiz.pk]), {"token": str(uuid.uuid4()), **answers_for(quiz, wrong=wrong)}
        )

    return submit


def states(user, course):
    states = learner_status(user, course).states
    return [states[le.pk] for le in lessons_of(course)]


def test_enroll_is_one_click_and_idempotent(caregiver_client, caregiver, quiz_course):
    url = reverse("courses:enroll", args=[quiz_course.slug])
    caregiver_client.post(url)
    caregiver_client.post(url)
    assert Enrollment.objects.filter(user=caregiver, course=quiz_course).count() == 1


def test_anonymous_can_read_but_not_track(client, quiz_course):
    lesson = lessons_of(quiz_course)[0]
    assert client.get(lesson.get_absolute_url()).status_code == 200
    assert LessonProgress.objects.count() == 0
    response = client.post(complete_url(lesson))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_lesson_with_quiz_completes_only_after_reading_and_passing(caregiver_client, caregiver, quiz_course, pass_quiz):
    first = lessons_of(quiz_course)[0]
    caregiver_client.post(reverse("courses:enroll", args=[quiz_course.slug]))
    caregiver_client.get(first.get_absolute_url())
    assert states(caregiver, quiz_course)[0] == LessonState.IN_PROGRESS

    response = caregiver_client.post(complete_url(first))
    assert response["Location"] == reverse("quizzes:take", args=[first.quiz.pk])
    assert states(caregiver, quiz_course)[0] == LessonState.QUIZ_TO_PASS

    pass_quiz(caregiver_client, first.quiz, wrong=2)  # 50%: fail
    assert states(caregiver, quiz_course)[0] == LessonState.QUIZ_TO_PASS
    pass_quiz(caregiver_client, first.quiz)
    assert states(caregiver, quiz_course)[0] == LessonState.COMPLETE


def test_passing_the_quiz_first_then_reading_completes(caregiver, quiz_course):
    first = lessons_of(quiz_course)[0]
    services.enroll(user=caregiver, course=quiz_course)
    services.record_lesson_quiz_passed(user=caregiver, lesson=first)
    assert LessonProgress.objects.get(user=caregiver, lesson=first).completed_at is None
    services.mark_lesson_read(user=caregiver, lesson=first)
    assert LessonProgress.objects.get(user=caregiver, lesson=first).completed_at is not None


def test_lesson_without_quiz_completes_on_mark_and_continues_to_next(caregiver_client, caregiver, quiz_course):
    lessons = lessons_of(quiz_course)
    response = caregiver_client.post(complete_url(lessons[1]))
    assert states(caregiver, quiz_course)[1] == LessonState.COMPLETE
    # Continue goes to the first lesson not complete — lesson 1, not lesson 3.
    assert response["Location"] == lessons[0].get_absolute_url()


def test_resume_goes_to_first_incomplete_not_last_visited(caregiver_client, caregiver, quiz_course):
    lessons = lessons_of(quiz_course)
    caregiver_client.post(complete_url(lessons[1]))
    caregiver_client.post(complete_url(lessons[2]))
    caregiver_client.get(lessons[3].get_absolute_url())  # last visited
    response = caregiver_client.get(reverse("courses:continue", args=[quiz_course.slug]))
    assert response["Location"] == lessons[0].get_absolute_url()


def test_double_clicks_make_no_duplicate_rows(caregiver, quiz_course):
    lesson = lessons_of(quiz_course)[1]
    for _ in range(3):
        enrollment = services.enroll(user=caregiver, course=quiz_course)
        # Each "tab" loaded the page before the other's row existed, so each believes there is none.
        services.record_lesson_visit(user=caregiver, lesson=lesson, enrollment=enrollment, progress=None)
        services.mark_lesson_read(user=caregiver, lesson=lesson)
    assert Enrollment.objects.filter(user=caregiver).count() == 1
    assert LessonProgress.objects.filter(user=caregiver, lesson=lesson).count() == 1


def test_progress_rows_are_unique_in_the_database(caregiver, quiz_course):
    from django.db import IntegrityError, transaction

    lesson = lessons_of(quiz_course)[1]
    LessonProgress.objects.create(user=caregiver, lesson=lesson)
    with pytest.raises(IntegrityError), transaction.atomic():
        LessonProgress.objects.create(user=caregiver, lesson=lesson)
    Enrollment.objects.create(user=caregiver, course=quiz_course)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(user=caregiver, course=quiz_course)


@pytest.fixture
def finish_course(pass_quiz):
    """finish_course(client, course): read every lesson and pass every lesson quiz (not the final)."""

    def finish(client, course):
        for lesson in lessons_of(course):
            client.post(complete_url(lesson))
            if hasattr(lesson, "quiz"):
                pass_quiz(client, lesson.quiz)

    return finish


def test_course_completes_only_with_every_lesson_and_the_final(
    caregiver_client, caregiver, quiz_course, pass_quiz, finish_course
):
    finish_course(caregiver_client, quiz_course)
    enrollment = Enrollment.objects.get(user=caregiver, course=quiz_course)
    assert enrollment.completed_at is None and not Certificate.objects.exists()

    pass_quiz(caregiver_client, quiz_course.final_assessment, wrong=1)  # 75% < 80%
    assert not Certificate.objects.exists()
    pass_quiz(caregiver_client, quiz_course.final_assessment)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    certificate = Certificate.objects.get(user=caregiver, course=quiz_course)
    assert certificate.holder_name == "Casey"


def test_final_passed_before_lessons_completes_when_last_lesson_done(
    caregiver_client, caregiver, quiz_course, pass_quiz, finish_course
):
    pass_quiz(caregiver_client, quiz_course.final_assessment)
    assert not Certificate.objects.exists()
    finish_course(caregiver_client, quiz_course)
    assert Certificate.objects.filter(user=caregiver).count() == 1


def test_new_lesson_keeps_completion_and_certificate(
    caregiver_client, caregiver, quiz_course, pass_quiz, finish_course, django_capture_on_commit_callbacks
):
    finish_course(caregiver_client, quiz_course)
    pass_quiz(caregiver_client, quiz_course.final_assessment)
    code = Certificate.objects.get(user=caregiver).code
    module = Module.objects.filter(course=quiz_course).first()
    with django_capture_on_commit_callbacks(execute=True):
        Lesson.objects.create(
            module=module, slug="brand-new", title="Brand new lesson", summary="s", body="b", order=99
        )

    enrollment = Enrollment.objects.get(user=caregiver)
    assert enrollment.completed_at is not None
    assert caregiver_client.get(reverse("certificate_verify", args=[code])).status_code == 200
    dashboard = caregiver_client.get(reverse("dashboard")).content.decode()
    assert "New lesson available" in dashboard and "Brand new lesson" in dashboard


def test_syllabus_shows_each_state(caregiver_client, caregiver, quiz_course):
    lessons = lessons_of(quiz_course)
    caregiver_client.post(reverse("courses:enroll", args=[quiz_course.slug]))
    caregiver_client.post(complete_url(lessons[0]))  # quiz to pass
    caregiver_client.post(complete_url(lessons[1]))  # complete
    caregiver_client.get(lessons[2].get_absolute_url())  # in progress
    html = caregiver_client.get(quiz_course.get_absolute_url()).content.decode()
    for label in ("Quiz to pass", "Complete", "In progress", "Not started"):
        assert label in html
    assert "1 of 4 lessons" in html


def test_certificate_pdf_page_and_verification(
    caregiver_client, client, caregiver, quiz_course, pass_quiz, finish_course
):
    finish_course(caregiver_client, quiz_course)
    pass_quiz(caregiver_client, quiz_course.final_assessment)
    certificate = Certificate.objects.get(user=caregiver)

    page = caregiver_client.get(certificate.get_absolute_url())
    assert page.status_code == 200 and certificate.formatted_code in page.content.decode()
    pdf = caregiver_client.get(reverse("courses:certificate_pdf", args=[certificate.code]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    found = client.get(reverse("certificate_verify", args=[certificate.formatted_code]))
    html = found.content.decode()
    assert found.status_code == 200 and "This certificate is valid" in html and "Casey" in html
    assert caregiver.email not in html
    missing = client.get(reverse("certificate_verify", args=["ABCDEFGHJKMN"]))
    assert missing.status_code == 404 and "Certificate not found" in missing.content.decode()
    bad = client.get(reverse("certificate_verify_form"), {"code": "nope"})
    assert bad.status_code == 200 and "12 letters and digits" in bad.content.decode()


def test_other_users_certificate_page_is_404(client, caregiver, other_caregiver, quiz_course):
    certificate = Certificate.objects.create(user=caregiver, course=quiz_course, holder_name="Casey", course_title="C")
    client.force_login(other_caregiver)
    assert client.get(certificate.get_absolute_url()).status_code == 404
    assert client.get(reverse("courses:certificate_pdf", args=[certificate.code])).status_code == 404


def count_queries(client, url) -> tuple[int, int]:
    """Queries on a visit with nothing cached, and on the next visit (course structure cached)."""
    cache.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    return tuple(counts)


@pytest.fixture
def build_learner_data(make_course, add_quiz):
    """build_learner_data(user, modules=…, lessons_per_module=…): a course half read, with quizzes."""

    def build(user, *, modules, lessons_per_module):
        course = make_course(modules=modules, lessons_per_module=lessons_per_module)
        lessons = lessons_of(course)
        add_quiz(lesson=lessons[0])
        add_quiz(course=course)
        services.enroll(user=user, course=course)
        for lesson in lessons[: len(lessons) // 2]:
            services.mark_lesson_read(user=user, lesson=lesson)
        return course, lessons

    return build


@pytest.mark.django_db
def test_learner_pages_run_a_fixed_number_of_queries(client, django_user_model, build_learner_data):
    """Guards against N+1 over lessons (syllabus states), questions/choices (quiz) and enrollments (dashboard)."""
    measured = []
    for size in (2, 10):
        user = django_user_model.objects.create_user(email=f"u{size}@example.com", password="x" * 12)
        client.force_login(user)
        courses = [build_learner_data(user, modules=size, lessons_per_module=size) for _ in range(size // 2)]
        course, lessons = courses[0]
        quiz = lessons[0].quiz
        for q in quiz.questions.all()[:1]:
            for extra in range(size):
                q.choices.create(text=f"extra {extra}", explanation="e", order=10 + extra)
        measured.append(
            (
                count_queries(client, course.get_absolute_url()),
                count_queries(client, lessons[-1].get_absolute_url()),
                count_queries(client, reverse("quizzes:take", args=[quiz.pk])),
                count_queries(client, reverse("dashboard")),
            )
        )
    small, large = measured
    assert small == large, f"query counts grew with data: {small} → {large}"
    (course_page, course_again), (lesson_page, lesson_again), (quiz_page, quiz_again), (dashboard, dashboard_again) = (
        large
    )
    # Cold: the course structure is built (3 queries) and a first lesson visit inserts its progress row.
    assert course_page <= 11 and lesson_page <= 15 and quiz_page <= 7 and dashboard <= 11, large
    assert course_again <= 8 and lesson_again <= 8 and quiz_again <= 4 and dashboard_again <= 8, large


def test_revisiting_a_lesson_writes_nothing(caregiver_client, caregiver, quiz_course):
    """Reading pages are hot: a revisit must not lock or write (the activity time is kept to 5 minutes)."""
    lesson = lessons_of(quiz_course)[1]
    caregiver_client.post(reverse("courses:enroll", args=[quiz_course.slug]))
    caregiver_client.get(lesson.get_absolute_url())
    with CaptureQueriesContext(connection) as ctx:
        caregiver_client.get(lesson.get_absolute_url())
    writes = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE", "BEGIN", "SAVEPOINT")
    ]
    assert writes == []
