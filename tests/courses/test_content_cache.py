"""The lesson and quiz pages read course structure from the cache; an admin's edit must show at once."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from courses.content_cache import content_changed
from courses.models import Lesson
from quizzes.models import Attempt, Choice
from tests.two_factor import force_login_with_two_factor


def queries_for(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.django_db
def test_a_lesson_page_reads_the_course_structure_from_the_cache_after_the_first_visit(
    caregiver_client, caregiver, small_course
):
    lesson = Lesson.objects.in_course(small_course).in_reading_order().first()
    services.enroll(user=caregiver, course=small_course)
    services.mark_lesson_read(user=caregiver, lesson=lesson)
    caregiver_client.get(lesson.get_absolute_url())
    content_changed()
    after_an_edit, _ = queries_for(caregiver_client, lesson.get_absolute_url())
    again, html = queries_for(caregiver_client, lesson.get_absolute_url())
    assert again == after_an_edit - 2  # the lesson and the reading order
    assert lesson.title in html and "Lesson 1 of 6" in html


@pytest.mark.django_db
def test_an_edited_lesson_shows_at_once(caregiver_client, small_course):
    lesson = Lesson.objects.in_course(small_course).in_reading_order().first()
    caregiver_client.get(lesson.get_absolute_url())
    lesson.title = "A clearer title"
    lesson.save()
    assert "A clearer title" in caregiver_client.get(lesson.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_lesson_unpublished_by_the_admin_action_disappears_at_once(
    admin_user_with_2fa, caregiver_client, small_course
):
    lessons = list(Lesson.objects.in_course(small_course).in_reading_order())
    assert caregiver_client.get(lessons[0].get_absolute_url()).status_code == 200
    admin = Client()
    force_login_with_two_factor(admin, admin_user_with_2fa)
    response = admin.post(
        reverse("admin:courses_lesson_changelist"),
        {"action": "unpublish", "_selected_action": [lessons[0].pk]},
        follow=True,
    )
    assert "1 lesson(s) unpublished." in response.content.decode()
    assert caregiver_client.get(lessons[0].get_absolute_url()).status_code == 404
    # The neighbour's "previous" link no longer leads to it.
    assert lessons[0].get_absolute_url() not in caregiver_client.get(lessons[1].get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_quiz_is_graded_against_the_database_not_the_cached_page(
    caregiver_client, quiz_course, monkeypatch, answers_for
):
    quiz = Lesson.objects.in_course(quiz_course).in_reading_order().first().quiz
    url = reverse("quizzes:take", args=[quiz.pk])
    html = caregiver_client.get(url).content.decode()
    token = html.split('name="token" value="')[1].split('"')[0]
    answers = answers_for(quiz)
    # An edit this worker's cache never hears of (another worker's, with per-process caches) leaves the
    # cached page outdated...
    monkeypatch.setattr("courses.content_cache.content_changed", lambda **kwargs: None)
    right = Choice.objects.get(question__quiz=quiz, text="right")
    Choice.objects.filter(question=right.question).update(is_correct=False)
    Choice.objects.filter(question=right.question, text="wrong A").update(is_correct=True)
    # ...but the submission is marked with what the database says now.
    caregiver_client.post(url, {**answers, "token": token})
    attempt = Attempt.objects.get(token=token)
    assert attempt.score_percent == 75


@pytest.mark.django_db
def test_a_bulk_update_of_course_content_forgets_the_cached_structure(caregiver_client, small_course):
    lesson = Lesson.objects.in_course(small_course).in_reading_order().first()
    caregiver_client.get(lesson.get_absolute_url())
    Lesson.objects.filter(pk=lesson.pk).update(title="Renamed in bulk")  # no save signal
    assert "Renamed in bulk" in caregiver_client.get(lesson.get_absolute_url()).content.decode()
