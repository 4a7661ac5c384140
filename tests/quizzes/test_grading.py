import uuid

import pytest
from django.urls import reverse

from quizzes.models import Attempt, AttemptAnswer, Choice, Question


@pytest.fixture
def quiz(db, make_course, add_quiz):
    course = make_course(modules=1, lessons_per_module=1)
    return add_quiz(lesson=course.modules.first().lessons.first())


def submit(client, quiz, data, token=None):
    token = token or str(uuid.uuid4())
    return client.post(reverse("quizzes:take", args=[quiz.pk]), {"token": token, **data})


@pytest.mark.parametrize("wrong, score, passed", [(0, 100, True), (1, 75, False), (4, 0, False)])
def test_grading_all_partly_and_none_correct(caregiver_client, caregiver, quiz, wrong, score, passed, answers_for):
    response = submit(caregiver_client, quiz, answers_for(quiz, wrong=wrong))
    attempt = Attempt.objects.get(user=caregiver)
    assert response.status_code == 302 and response["Location"] == reverse("quizzes:attempt", args=[attempt.pk])
    assert (attempt.score_percent, attempt.passed, attempt.correct_count) == (score, passed, 4 - wrong)
    assert AttemptAnswer.objects.filter(attempt=attempt, is_correct=True).count() == 4 - wrong
    results = caregiver_client.get(response["Location"]).content.decode()
    assert f"{score}%" in results
    assert ("Not passed yet" in results) is not passed


def test_multiple_choice_partly_selected_is_wrong(caregiver_client, caregiver, quiz, answers_for):
    data = answers_for(quiz)
    multiple = quiz.questions.get(kind="multiple")
    data[f"q{multiple.pk}"] = data[f"q{multiple.pk}"][:1]  # one of the two right answers only
    submit(caregiver_client, quiz, data)
    attempt = Attempt.objects.get(user=caregiver)
    assert attempt.score_percent == 75
    assert AttemptAnswer.objects.get(attempt=attempt, question=multiple).is_correct is False


def test_quiz_page_never_reveals_answers(caregiver_client, quiz):
    html = caregiver_client.get(reverse("quizzes:take", args=[quiz.pk])).content.decode()
    assert "Pick the right one" in html
    for choice in Choice.objects.filter(question__quiz=quiz):
        assert choice.text in html  # every choice is offered…
        assert f'value="{choice.pk}"' in html
        assert choice.explanation not in html  # …but nothing says which is right
    assert "is_correct" not in html and "correct" not in html.lower().replace("correct horse", "")


def test_missing_answers_get_a_message_and_keep_the_chosen_ones(caregiver_client, caregiver, quiz, answers_for):
    data = answers_for(quiz)
    single = quiz.questions.get(kind="single")
    scenario = quiz.questions.get(kind="scenario")
    del data[f"q{scenario.pk}"]
    response = submit(caregiver_client, quiz, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please choose an answer to this question." in html
    chosen = data[f"q{single.pk}"][0]
    assert f'value="{chosen}" class="form-check-input" id="id_q{single.pk}_' in html
    assert "checked" in html.split(f'value="{chosen}"')[1].split(">")[0]
    assert not Attempt.objects.filter(user=caregiver).exists()


def test_double_submission_records_one_attempt(caregiver_client, caregiver, quiz, answers_for):
    token = str(uuid.uuid4())
    first = submit(caregiver_client, quiz, answers_for(quiz), token)
    second = submit(caregiver_client, quiz, answers_for(quiz, wrong=2), token)
    assert Attempt.objects.filter(user=caregiver).count() == 1
    assert first["Location"] == second["Location"]
    assert Attempt.objects.get(user=caregiver).score_percent == 100


def test_another_users_token_cannot_be_replayed(client, caregiver, other_caregiver, quiz, answers_for):
    token = str(uuid.uuid4())
    client.force_login(caregiver)
    submit(client, quiz, answers_for(quiz), token)
    client.force_login(other_caregiver)
    response = submit(client, quiz, answers_for(quiz), token)
    assert response.status_code == 302 and response["Location"] == reverse("quizzes:take", args=[quiz.pk])
    assert not Attempt.objects.filter(user=other_caregiver).exists()
    assert "This quiz page has expired" in client.get(response["Location"]).content.decode()


def test_forged_choice_from_another_question_is_rejected(caregiver_client, caregiver, quiz, answers_for):
    data = answers_for(quiz)
    single = quiz.questions.get(kind="single")
    foreign = Choice.objects.filter(question__quiz=quiz, is_correct=True).exclude(question=single).first()
    data[f"q{single.pk}"] = [str(foreign.pk)]
    response = submit(caregiver_client, quiz, data)
    assert response.status_code == 200
    assert "not one of this question&#x27;s choices" in response.content.decode()
    assert not Attempt.objects.filter(user=caregiver).exists()


def test_two_choices_posted_for_a_single_answer_question_count_as_one_answer(
    caregiver_client, caregiver, quiz, answers_for
):
    data = answers_for(quiz)
    single = quiz.questions.get(kind="single")
    right = single.choices.get(is_correct=True)
    last = single.choices.filter(is_correct=False).last()
    data[f"q{single.pk}"] = [str(right.pk), str(last.pk)]  # the right one and a wrong one, wrong one last
    response = submit(caregiver_client, quiz, data)
    attempt = Attempt.objects.filter(user=caregiver).first()
    # Django keeps the last value for a single-choice field; it must never count as correct twice over.
    assert attempt is None or attempt.correct_count <= 4
    assert attempt is not None and response["Location"] == reverse("quizzes:attempt", args=[attempt.pk])
    recorded = next(q for q in attempt.snapshot["questions"] if q["question_id"] == single.pk)
    assert [c["text"] for c in recorded["choices"] if c["selected"]] == [last.text]
    assert recorded["correct"] is False
    assert (attempt.correct_count, attempt.score_percent) == (3, 75)


def test_two_choices_on_a_single_answer_question_are_rejected_by_grading(caregiver, quiz):
    from quizzes.services import AttemptRejected, submit_attempt

    questions = list(quiz.questions.prefetch_related("choices"))
    answers = {q.pk: {c.pk for c in q.choices.all() if c.is_correct} for q in questions}
    single = quiz.questions.get(kind="single")
    answers[single.pk] |= {single.choices.filter(is_correct=False).first().pk}
    with pytest.raises(AttemptRejected, match="did not belong to its question"):
        submit_attempt(user=caregiver, quiz=quiz, questions=questions, token=uuid.uuid4(), answers=answers)
    assert not Attempt.objects.filter(user=caregiver).exists()


def test_attempt_snapshot_survives_later_edits(caregiver_client, caregiver, quiz, answers_for):
    submit(caregiver_client, quiz, answers_for(quiz, wrong=1))
    attempt = Attempt.objects.get(user=caregiver)
    question = quiz.questions.get(kind="single")
    question.prompt = "Edited prompt"
    question.save()
    Choice.objects.filter(question=question).update(is_correct=True)
    Question.objects.filter(kind="scenario", quiz=quiz).delete()

    html = caregiver_client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    attempt.refresh_from_db()
    assert attempt.score_percent == 75
    assert "Pick the right one" in html and "Edited prompt" not in html
    assert "Your friend calls you." in html
    assert "Because wrong A." in html


def test_results_show_answers_correct_answers_and_explanations(caregiver_client, caregiver, quiz, answers_for):
    submit(caregiver_client, quiz, answers_for(quiz, wrong=1))
    attempt = Attempt.objects.get(user=caregiver)
    html = caregiver_client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert "75%" in html and "Not passed yet" in html
    assert "Your answer:" in html and "Correct answer:" in html
    for choice in Choice.objects.filter(question__quiz=quiz):
        assert choice.explanation in html


def test_other_users_attempt_is_404(client, caregiver, other_caregiver, quiz, answers_for):
    client.force_login(caregiver)
    submit(client, quiz, answers_for(quiz))
    attempt = Attempt.objects.get(user=caregiver)
    own = client.get(reverse("quizzes:attempt", args=[attempt.pk]))
    assert own.status_code == 200 and "100%" in own.content.decode()  # the owner sees it
    client.force_login(other_caregiver)
    response = client.get(reverse("quizzes:attempt", args=[attempt.pk]))
    assert response.status_code == 404
    assert "100%" not in response.content.decode() and "Your answer:" not in response.content.decode()


def test_choice_order_is_shuffled_per_attempt(caregiver_client, quiz):
    orders = set()
    for _ in range(12):
        html = caregiver_client.get(reverse("quizzes:take", args=[quiz.pk])).content.decode()
        positions = tuple(sorted(("wrong A", "wrong B", "right</label>"), key=html.index))
        orders.add(positions)
    assert len(orders) > 2


def test_quiz_of_unpublished_lesson_is_404(caregiver_client, quiz, django_capture_on_commit_callbacks):
    assert "Pick the right one" in caregiver_client.get(reverse("quizzes:take", args=[quiz.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        quiz.lesson.published = False
        quiz.lesson.save()
    response = caregiver_client.get(reverse("quizzes:take", args=[quiz.pk]))
    assert response.status_code == 404
    assert "Pick the right one" not in response.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in(client, quiz):
    response = client.get(reverse("quizzes:take", args=[quiz.pk]))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert response["Location"] == f"{reverse('account_login')}?next={reverse('quizzes:take', args=[quiz.pk])}"


def test_admin_choice_validation(quiz):
    from quizzes.rules import correct_choice_problem

    assert correct_choice_problem("single", total=3, correct=2)
    assert correct_choice_problem("true_false", total=2, correct=0)
    assert correct_choice_problem("true_false", total=3, correct=1)
    assert correct_choice_problem("multiple", total=3, correct=0)
    assert correct_choice_problem("multiple", total=3, correct=2) is None
    assert correct_choice_problem("scenario", total=2, correct=1) is None
    # each refusal says what is wrong, in words an admin can act on
    assert correct_choice_problem("single", total=3, correct=2) == (
        "This kind of question needs exactly one correct choice (it has 2)."
    )
    assert "exactly one correct choice (it has 0)" in correct_choice_problem("true_false", total=2, correct=0)
    assert correct_choice_problem("true_false", total=3, correct=1) == "A true/false question has exactly two choices."
    assert "at least one correct choice" in correct_choice_problem("multiple", total=3, correct=0)
    assert correct_choice_problem("scenario", total=1, correct=1) == "A question needs at least two choices."
    assert correct_choice_problem("single", total=3, correct=1) is None
