"""The course in each language on the site: Spanish pages (/es/…) show the Spanish text, English pages the English,
and nothing cached in one language reaches a page in the other."""

import random
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from config.caches import cached_clinic_report, cached_content, forget_course_content
from courses.models import Certificate, Lesson
from quizzes.models import Quiz
from quizzes.services import draw_questions


def get(client, url: str, language: str = "en"):
    """GET `url` (an English address) in `language`, then back to English in the test's thread."""
    try:
        return client.get(url if language == "en" else f"/{language}{url}")
    finally:
        translation.activate("en")


@pytest.fixture
def lesson(real_course):
    return Lesson.objects.get(slug="two-treatments-two-rulebooks")


def test_the_spanish_lesson_page_is_in_spanish_and_the_english_one_in_english(client, lesson):
    spanish = get(client, lesson.get_absolute_url(), "es").content.decode()
    english = get(client, lesson.get_absolute_url()).content.decode()

    assert "Dos tratamientos, dos reglamentos" in spanish and lesson.body_html_es[:200] in spanish
    assert "Two treatments, two rulebooks" not in spanish
    assert "Two treatments, two rulebooks" in english and lesson.body_html_en[:200] in english
    assert "Dos tratamientos" not in english


def test_cached_pages_do_not_leak_across_languages(client, lesson, real_course):
    cache.clear()
    pages = [lesson.get_absolute_url(), real_course.get_absolute_url(), reverse("courses:course_list")]
    for url in pages:  # Spanish first: the caches are filled in Spanish
        assert get(client, url, "es").status_code == 200
    for url in pages:
        english = get(client, url).content.decode()
        assert real_course.title_en in english, url
        assert real_course.title_es not in english, url
    course_page = get(client, real_course.get_absolute_url()).content.decode()
    assert lesson.title_en in course_page and lesson.title_es not in course_page  # the cached syllabus


def test_a_spanish_attempt_is_reviewed_as_it_was_taken(client, caregiver, lesson, take_quiz):
    quiz = lesson.quiz
    with translation.override("es"):
        attempt = take_quiz(caregiver, quiz)
    question = quiz.questions.order_by("order").first()

    assert attempt.language == "es"
    assert attempt.snapshot["title"] == quiz.title_es
    assert attempt.snapshot["questions"][0]["prompt"] == question.prompt_es
    assert attempt.snapshot["questions"][0]["choices"][0]["text"] == question.choices.first().text_es
    client.force_login(caregiver)
    review = get(client, reverse("quizzes:attempt", args=[attempt.pk])).content.decode()  # the English page
    assert question.prompt_es in review and question.prompt_en not in review

    english = take_quiz(caregiver, quiz)
    assert english.language == "en" and english.snapshot["questions"][0]["prompt"] == question.prompt_en


def test_the_final_assessment_draws_the_same_questions_in_either_language(client, caregiver, real_course):
    final = Quiz.objects.get(course=real_course)
    questions = list(final.questions.prefetch_related("choices"))
    drawn = {}
    for language in ("en", "es"):
        with translation.override(language):
            drawn[language] = [q.pk for q in draw_questions(quiz=final, questions=questions, rng=random.Random(16))]
    assert drawn["en"] == drawn["es"] and len(drawn["en"]) == final.draw

    # On the site: the draw kept for the attempt is the same when the learner switches language mid-way.
    client.force_login(caregiver)
    url = reverse("quizzes:take", args=[final.pk])
    asked_in_spanish = re.findall(r'name="q(\d+)"', get(client, url, "es").content.decode())
    asked_in_english = re.findall(r'name="q(\d+)"', get(client, url).content.decode())
    assert asked_in_spanish and list(dict.fromkeys(asked_in_spanish)) == list(dict.fromkeys(asked_in_english))


def test_a_certificate_keeps_the_course_title_in_each_language(caregiver, real_course):
    with translation.override("es"):  # issued while the learner browsed in Spanish
        certificate = Certificate.objects.create(
            user=caregiver, course=real_course, holder_name="Casey", course_title=real_course.title
        )
    certificate.refresh_from_db()
    assert certificate.course_title_in("es") == real_course.title_es
    assert certificate.course_title_in("en") == real_course.title_en
    assert certificate.course_title == real_course.title_en  # the active language here: English
    real_course.title_es = "Otro título"
    real_course.save()
    assert Certificate.objects.get(pk=certificate.pk).course_title_in("es") == certificate.course_title_es


def test_spanish_pages_cost_the_same_queries_as_english_ones(client, caregiver, lesson, real_course, take_quiz):
    """The per-language caches and translated columns add no query: tests/test_query_budgets.py holds in Spanish."""
    attempt = take_quiz(caregiver, lesson.quiz)
    client.force_login(caregiver)
    pages = [
        lesson.get_absolute_url(),
        real_course.get_absolute_url(),
        reverse("courses:course_list"),
        reverse("quizzes:take", args=[lesson.quiz.pk]),
        reverse("quizzes:attempt", args=[attempt.pk]),
        reverse("dashboard"),
    ]
    counts = {}
    for language in ("en", "es"):
        for url in pages:
            cache.clear()
            for visit in ("first", "again"):
                with CaptureQueriesContext(connection) as queries:
                    assert get(client, url, language).status_code == 200
                counts[(url, visit, language)] = len(queries)
    differ = {
        (url, visit): (counts[(url, visit, "en")], counts[(url, visit, "es")])
        for url in pages
        for visit in ("first", "again")
        if counts[(url, visit, "en")] != counts[(url, visit, "es")]
    }
    assert not differ


def test_cached_content_is_kept_per_language_and_forgotten_in_both(db, django_capture_on_commit_callbacks):
    cache.clear()
    with translation.override("es"):
        assert cached_content("greeting", lambda: "hola") == "hola"
    assert cached_content("greeting", lambda: "hello") == "hello"
    with translation.override("es"):
        assert cached_content("greeting", lambda: "otra") == "hola"  # still cached, in Spanish only
    assert cached_clinic_report(1, [1], lambda: "report") == "report"
    with translation.override("es"):
        assert cached_clinic_report(1, [1], lambda: "informe") == "informe"

    with django_capture_on_commit_callbacks(execute=True):
        forget_course_content()

    assert cached_content("greeting", lambda: "hello again") == "hello again"
    with translation.override("es"):
        assert cached_content("greeting", lambda: "hola de nuevo") == "hola de nuevo"
