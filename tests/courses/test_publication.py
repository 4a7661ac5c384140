"""One publication rule (courses.models.visible_course/module/lesson), a cascade, wherever content is shown."""

import re

import pytest
from django.urls import reverse

from courses.models import Course, Enrollment, Lesson, Module
from quizzes.models import Quiz


@pytest.fixture
def hidden_module(quiz_course, django_capture_on_commit_callbacks):
    """quiz_course with its second module unpublished (its lessons stay published themselves)."""
    module = Module.objects.filter(course=quiz_course).order_by("order").last()
    with django_capture_on_commit_callbacks(execute=True):
        module.published = False
        module.save()
    return module


def test_an_unpublished_module_hides_its_lessons_and_their_quizzes(
    client, caregiver_client, quiz_course, hidden_module
):
    hidden = list(hidden_module.lessons.all())
    assert all(lesson.published for lesson in hidden)
    assert not Lesson.objects.published().filter(pk__in=[le.pk for le in hidden]).exists()
    for lesson in hidden:
        assert client.get(lesson.get_absolute_url()).status_code == 404
    syllabus = client.get(quiz_course.get_absolute_url()).content.decode()
    assert "Lesson 1.1" in syllabus and "Lesson 2.1" not in syllabus
    assert "2 lessons in 1 module" in syllabus


def test_an_unpublished_course_hides_everything_under_it(client, caregiver_client, caregiver, quiz_course):
    from courses import services

    services.enroll(user=caregiver, course=quiz_course)
    Course.objects.filter(pk=quiz_course.pk).update(published=False)
    lesson = Lesson.objects.in_course(quiz_course).first()
    assert not Lesson.objects.published().in_course(quiz_course).exists()
    assert not Module.objects.published().filter(course=quiz_course).exists()
    assert not Quiz.objects.visible().filter(pk__in=[lesson.quiz.pk, quiz_course.final_assessment.pk]).exists()
    assert client.get(lesson.get_absolute_url()).status_code == 404
    assert caregiver_client.get(reverse("quizzes:take", args=[quiz_course.final_assessment.pk])).status_code == 404
    assert quiz_course.title not in caregiver_client.get(reverse("dashboard")).content.decode()
    assert not Enrollment.objects.unfinished().filter(user=caregiver).exists(), "no reminder about a hidden course"


def test_admin_shows_which_lessons_learners_can_see(
    client, admin_user_with_2fa, staff_login, quiz_course, hidden_module
):
    staff_login(client, admin_user_with_2fa)
    html = client.get(reverse("admin:courses_lesson_changelist"), {"module__course__id__exact": quiz_course.pk})
    rows = re.findall(r"<tr[^>]*>.*?</tr>", html.content.decode(), re.S)
    visible = {}
    for row in rows:
        title = re.search(r">(Lesson \d\.\d)<", row)
        if title:
            icons = re.findall(r'alt="(True|False)"', row)
            visible[title.group(1)] = icons[-1]  # the last boolean column: visible to learners
    assert visible == {"Lesson 1.1": "True", "Lesson 1.2": "True", "Lesson 2.1": "False", "Lesson 2.2": "False"}


def test_joining_a_clinic_enrolls_only_in_published_courses(caregiver, clinic, make_course):
    from clinics.services import join_clinic

    hidden = make_course(published=False)
    clinic.courses.add(hidden)
    join_clinic(user=caregiver, clinic=clinic)
    assert set(Enrollment.objects.filter(user=caregiver).values_list("course__published", flat=True)) == {True}


def test_an_old_attempt_still_opens_after_its_course_is_unpublished(
    caregiver_client, caregiver, quiz_course, take_quiz
):
    attempt = take_quiz(caregiver, quiz_course.final_assessment)
    Course.objects.filter(pk=quiz_course.pk).update(published=False)
    response = caregiver_client.get(reverse("quizzes:attempt", args=[attempt.pk]))
    assert response.status_code == 200 and f"{attempt.score_percent}%" in response.content.decode()
