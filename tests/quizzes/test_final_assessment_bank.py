"""A final assessment drawn from a bank: each attempt asks `draw` questions at random, the same ones until it is
submitted, spread over the lessons, and is marked on exactly those."""

import random
import re
import uuid

import pytest
from django.urls import reverse

from courses.models import Lesson
from quizzes.models import Attempt, Choice, Question
from quizzes.services import draw_questions


@pytest.fixture
def bank(quiz_course):
    """The course's final assessment as a bank of 12 questions, 3 per lesson, of which 4 are drawn."""
    final = quiz_course.final_assessment
    final.questions.all().delete()
    for n, lesson in enumerate(Lesson.objects.in_course(quiz_course).in_reading_order()):
        for k in range(3):
            question = Question.objects.create(
                quiz=final, kind="single", prompt=f"Bank question {n}.{k}", order=3 * n + k, covers_lesson=lesson
            )
            Choice.objects.create(question=question, text=f"right {n}.{k}", is_correct=True, explanation="Yes.")
            Choice.objects.create(
                question=question, text=f"wrong {n}.{k}", is_correct=False, explanation="No.", order=1
            )
    final.draw = 4
    final.save()
    return final


def asked(html: str) -> list[str]:
    return re.findall(r"Bank question \d\.\d", html)


def form_of(html: str) -> tuple[str, list[int]]:
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    return token, [int(pk) for pk in re.findall(r'name="q(\d+)"', html)]


def test_an_attempt_asks_the_drawn_questions_and_keeps_them_until_submitted(caregiver_client, bank):
    url = reverse("quizzes:take", args=[bank.pk])
    first = caregiver_client.get(url).content.decode()
    assert len(asked(first)) == 4 and "4 questions" in first
    assert asked(caregiver_client.get(url).content.decode()) == asked(first)  # a reload asks the same
    token, question_ids = form_of(first)
    # Answer all but one: the page comes back with the same questions and the answers given.
    answers = {f"q{pk}": [str(Choice.objects.get(question_id=pk, is_correct=True).pk)] for pk in set(question_ids)}
    missing = f"q{question_ids[0]}"
    partial = {k: v for k, v in answers.items() if k != missing}
    again = caregiver_client.post(url, {"token": token, **partial}).content.decode()
    assert asked(again) == asked(first) and "Some questions need an answer" in again
    response = caregiver_client.post(url, {"token": token, **answers})
    attempt = Attempt.objects.get(token=token)
    assert response["Location"] == reverse("quizzes:attempt", args=[attempt.pk])
    assert (attempt.question_count, attempt.correct_count, attempt.passed) == (4, 4, True)
    assert [q["prompt"] for q in attempt.snapshot["questions"]] == asked(first)
    # The next attempt is a new draw with a new token.
    token_next, _ = form_of(caregiver_client.get(url).content.decode())
    assert token_next != token


def test_the_same_page_submitted_twice_records_one_attempt(caregiver_client, bank):
    url = reverse("quizzes:take", args=[bank.pk])
    token, question_ids = form_of(caregiver_client.get(url).content.decode())
    answers = {f"q{pk}": [str(Choice.objects.get(question_id=pk, is_correct=True).pk)] for pk in set(question_ids)}
    first = caregiver_client.post(url, {"token": token, **answers})
    second = caregiver_client.post(url, {"token": token, **answers})
    assert first["Location"] == second["Location"] and Attempt.objects.count() == 1


def test_a_forged_page_cannot_choose_its_own_questions(caregiver_client, bank):
    url = reverse("quizzes:take", args=[bank.pk])
    caregiver_client.get(url)
    easy = list(bank.questions.all()[:4])
    answers = {f"q{q.pk}": [str(q.choices.get(is_correct=True).pk)] for q in easy}
    response = caregiver_client.post(url, {"token": str(uuid.uuid4()), **answers}, follow=True)
    assert not Attempt.objects.exists()
    assert "This quiz page has expired" in response.content.decode()


def test_draws_spread_over_lessons_and_vary(bank):
    questions = list(bank.questions.all())
    draws = [draw_questions(quiz=bank, questions=questions, rng=random.Random(seed)) for seed in range(40)]
    for drawn in draws:
        assert len(drawn) == 4 and len({q.covers_lesson_id for q in drawn}) == 4  # one from each of 4 lessons
        assert [q.order for q in drawn] == sorted(q.order for q in drawn)
    assert len({tuple(q.pk for q in drawn) for drawn in draws}) > 10


def test_a_quiz_without_a_draw_asks_every_question_in_order(quiz_course):
    quiz = Lesson.objects.in_course(quiz_course).in_reading_order().first().quiz
    questions = list(quiz.questions.all())
    assert draw_questions(quiz=quiz, questions=questions) == questions
