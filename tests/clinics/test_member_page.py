"""A family member's page: per-lesson progress and quiz results, what they agreed to share (issue 15: 8)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from clinics.models import FamilyMember
from courses import services
from courses.models import Lesson


@pytest.fixture
def member(clinic, caregiver, quiz_course, take_quiz):
    """Lesson 1 (quiz) read, its quiz failed then passed; lesson 2 read (complete); final assessment failed."""
    FamilyMember.objects.create(clinic=clinic, user=caregiver, consented_at=timezone.now())
    services.enroll(user=caregiver, course=quiz_course, source="clinic")
    lessons = list(Lesson.objects.published().in_course(quiz_course).in_reading_order())
    services.mark_lesson_read(user=caregiver, lesson=lessons[0])
    take_quiz(caregiver, lessons[0].quiz, wrong=2)  # 50%
    take_quiz(caregiver, lessons[0].quiz)  # 100%
    services.mark_lesson_read(user=caregiver, lesson=lessons[1])
    take_quiz(caregiver, quiz_course.final_assessment, wrong=4)  # 0%
    return caregiver


def open_page(client, clinic, user):
    return client.get(reverse("clinics:member", args=[clinic.slug, user.pk]))


def test_every_lesson_with_its_state_and_quiz_result(client, clinic_staff, staff_login, clinic, member):
    staff_login(client, clinic_staff)
    response = open_page(client, clinic, member)
    [course] = response.context["courses"]
    rows = [row for _module, rows in course.modules for row in rows]
    assert [(r.lesson.title, r.state) for r in rows] == [
        ("Lesson 1.1", "complete"),
        ("Lesson 1.2", "complete"),
        ("Lesson 2.1", "not_started"),
        ("Lesson 2.2", "not_started"),
    ]
    assert rows[0].completed_at is not None and rows[2].completed_at is None
    quiz = rows[0].quiz
    assert (quiz.attempts, quiz.best, quiz.passed) == (2, 100, True)
    assert rows[1].quiz is None and not rows[1].lesson.has_quiz
    final = course.final_assessment
    assert (final.attempts, final.best, final.passed) == (1, 0, False)
    html = response.content.decode()
    assert "Module 1" in html and "Module 2" in html
    assert "Best 100%, passed" in html and "2 attempts" in html and "Not passed yet" in html
    assert "2 of 4 lessons" in html


def test_page_shows_scores_not_the_answers_chosen(client, clinic_staff, staff_login, clinic, member):
    staff_login(client, clinic_staff)
    html = open_page(client, clinic, member).content.decode()
    for answer_text in ("wrong A", "right 1", "Because", "listen", "lecture", "Pick the right one"):
        assert answer_text not in html


def test_an_unpublished_lesson_and_its_quiz_are_not_shown(client, clinic_staff, staff_login, clinic, member):
    Lesson.objects.filter(title="Lesson 1.1").update(published=False)
    staff_login(client, clinic_staff)
    [course] = open_page(client, clinic, member).context["courses"]
    rows = [row for _module, rows in course.modules for row in rows]
    assert [r.lesson.title for r in rows] == ["Lesson 1.2", "Lesson 2.1", "Lesson 2.2"]
    assert course.final_assessment is not None  # the course's own quiz is still visible


def test_another_clinics_staff_get_404(client, other_staff, staff_login, clinic, member):
    staff_login(client, other_staff)
    assert open_page(client, clinic, member).status_code == 404
