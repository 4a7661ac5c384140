"""Content titles read through another model's queryset (an attempt's quiz, an answer's question) come in the
page's language: modeltranslation only rewrites the translated model's own querysets."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from clinics.models import FamilyMember
from clinics.selectors import ClinicScope, most_missed_questions, quiz_results
from quizzes.selectors import quiz_records_by_course


@pytest.fixture
def spanish_quiz(quiz_course):
    quiz = quiz_course.final_assessment
    quiz.title_es = "Evaluación final de prueba"
    quiz.save()
    for question in quiz.questions.all():
        question.prompt_es = f"Pregunta {question.pk}"
        question.save()
    return quiz


@pytest.mark.django_db
def test_a_learners_quiz_records_in_each_language(caregiver, quiz_course, spanish_quiz, take_quiz):
    take_quiz(caregiver, spanish_quiz)
    with translation.override("es"):
        spanish = quiz_records_by_course(caregiver, [quiz_course.pk])[quiz_course.pk]
    english = quiz_records_by_course(caregiver, [quiz_course.pk])[quiz_course.pk]
    assert [r.title for r in spanish] == ["Evaluación final de prueba"]
    assert [r.title for r in english] == [spanish_quiz.title_en]


@pytest.mark.django_db
def test_an_empty_spanish_title_falls_back_to_english(caregiver, quiz_course, take_quiz):
    quiz = quiz_course.final_assessment
    take_quiz(caregiver, quiz)
    with translation.override("es"):
        records = quiz_records_by_course(caregiver, [quiz_course.pk])[quiz_course.pk]
    assert [r.title for r in records] == [quiz.title_en]


@pytest.mark.django_db
def test_the_clinic_sees_quiz_titles_and_questions_in_its_page_language(
    caregiver, clinic, quiz_course, spanish_quiz, take_quiz
):
    FamilyMember.objects.create(clinic=clinic, user=caregiver, consented_at=timezone.now())
    take_quiz(caregiver, spanish_quiz, wrong=2)
    scope = ClinicScope.of(clinic)
    with translation.override("es"):
        missed = most_missed_questions(clinic, scope)
        results = quiz_results(caregiver.pk, scope)
    assert missed and all(row["prompt"].startswith("Pregunta ") for row in missed)
    assert {row["quiz_title"] for row in missed} == {"Evaluación final de prueba"}
    assert {result.title for result in results.values()} == {"Evaluación final de prueba"}


@pytest.mark.django_db
def test_an_english_attempt_on_a_spanish_page_is_marked_english(client, caregiver, quiz_course, take_quiz):
    attempt = take_quiz(caregiver, quiz_course.final_assessment)
    assert attempt.language == "en"
    client.force_login(caregiver)
    with translation.override("es"):
        spanish = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert '<html lang="es">' in spanish and 'lang="en">' in spanish  # the snapshot's texts
    with translation.override("en"):
        english = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert 'lang="en">' not in english.replace('<html lang="en">', "")
