"""Grading and recording quiz attempts. Grading happens here, on the server, only."""

from __future__ import annotations

import random
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from courses import services as course_services

from .models import Attempt, AttemptAnswer, Question, Quiz
from .rules import has_passed, score_percent


def draw_questions(*, quiz: Quiz, questions: list[Question], rng: random.Random | None = None) -> list[Question]:
    """The questions one attempt asks. A bank (quiz.draw set) gives `draw` of them at random, spread over as many
    lessons as possible (one per lesson before a second from any), in the bank's own order; otherwise all.
    Drawn by question and lesson ids only: the same questions whatever the language the quiz is taken in."""
    if not quiz.draw or quiz.draw >= len(questions):
        return list(questions)
    rng = rng or random.SystemRandom()
    by_lesson: dict[int | None, list[Question]] = {}
    for question in questions:
        by_lesson.setdefault(question.covers_lesson_id, []).append(question)
    groups = list(by_lesson.values())
    for group in groups:
        rng.shuffle(group)
    rng.shuffle(groups)
    drawn: list[Question] = []
    while len(drawn) < quiz.draw:
        for group in groups:
            if group and len(drawn) < quiz.draw:
                drawn.append(group.pop())
    position = {q.pk: n for n, q in enumerate(questions)}
    return sorted(drawn, key=lambda q: position[q.pk])


class AttemptRejected(Exception):
    """The submission cannot be recorded (for example a choice that belongs to another question)."""


def is_correct(question: Question, selected: set[int]) -> bool:
    """All-or-nothing: exactly the correct choices, no more and no fewer."""
    return selected == {c.pk for c in question.choices.all() if c.is_correct}


def snapshot_question(question: Question, selected: set[int]) -> dict:
    """What was asked and answered, in the active language (the attempt's: see _record)."""
    return {
        "question_id": question.pk,
        "kind": question.kind,
        "scenario": question.scenario,
        "prompt": question.prompt,
        "correct": is_correct(question, selected),
        "choices": [
            {
                "id": c.pk,
                "text": c.text,
                "is_correct": c.is_correct,
                "explanation": c.explanation,
                "selected": c.pk in selected,
            }
            for c in question.choices.all()
        ],
    }


def submit_attempt(
    *,
    user,
    quiz: Quiz,
    questions: list[Question],
    token: uuid.UUID,
    answers: dict[int, set[int]],
    language: str | None = None,
) -> Attempt:
    """Grade and record one attempt. The same token again (a double click, a replay) returns the first attempt.
    `language`: the one the quiz was taken in (default: the active one, the quiz page's)."""
    existing = Attempt.objects.filter(token=token).first()
    if existing:
        if existing.user_id != user.pk:
            raise AttemptRejected(_("This quiz page has expired. Please open the quiz again."))
        return existing
    for question in questions:
        valid = {c.pk for c in question.choices.all()}
        chosen = answers.get(question.pk, set())
        if not chosen:
            raise AttemptRejected(_("Every question needs an answer."))
        if not chosen <= valid or (len(chosen) > 1 and not question.allows_many):
            raise AttemptRejected(_("An answer did not belong to its question."))
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    try:
        attempt = _record(user=user, quiz=quiz, questions=questions, token=token, answers=answers, language=language)
    except IntegrityError:
        # Two identical submissions raced; the unique token let exactly one through.
        attempt = Attempt.objects.get(token=token)
        if attempt.user_id != user.pk:
            raise AttemptRejected(_("This quiz page has expired. Please open the quiz again.")) from None
    return attempt


@transaction.atomic
def _record(*, user, quiz, questions, token, answers, language: str) -> Attempt:
    # The snapshot keeps the words the learner read: the attempt's language, whatever language reviews it later.
    with translation.override(language):
        title = quiz.title
        snapshot = [snapshot_question(q, answers[q.pk]) for q in questions]
    correct = sum(item["correct"] for item in snapshot)
    score = score_percent(correct, len(questions))
    attempt = Attempt.objects.create(
        user=user,
        quiz=quiz,
        token=token,
        correct_count=correct,
        question_count=len(questions),
        score_percent=score,
        pass_mark=quiz.pass_mark,
        passed=has_passed(score, quiz.pass_mark),
        language=language,
        snapshot={"title": title, "questions": snapshot},
    )
    AttemptAnswer.objects.bulk_create(
        AttemptAnswer(attempt=attempt, question_id=item["question_id"], is_correct=item["correct"]) for item in snapshot
    )
    course = quiz.owning_course()
    course_services.enroll(user=user, course=course)
    course_services.touch_activity(user=user, course=course)
    if attempt.passed:
        if quiz.is_final_assessment:
            course_services.record_final_assessment_passed(user=user, course=course)
        else:
            course_services.record_lesson_quiz_passed(user=user, lesson=quiz.lesson)
    return attempt
