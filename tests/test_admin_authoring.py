"""Authoring without a developer (issue 15: 12): drag-and-drop order, Markdown preview beside the lesson body,
choices on the question page, staff picked by search, and staff previewing unpublished lessons on the site."""

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import Course, Lesson, Module
from quizzes.models import Choice, Question


@pytest.fixture
def admin_client(client, admin_user_with_2fa, staff_login):
    return staff_login(client, admin_user_with_2fa)


@pytest.fixture
def lesson(quiz_course):
    return Lesson.objects.in_course(quiz_course).in_reading_order().first()


def test_course_module_quiz_and_question_pages_offer_drag_and_drop(admin_client, quiz_course, lesson):
    question = lesson.quiz.questions.first()
    pages = [
        reverse("admin:courses_course_change", args=[quiz_course.pk]),
        reverse("admin:courses_module_change", args=[lesson.module.pk]),
        reverse("admin:quizzes_quiz_change", args=[lesson.quiz.pk]),
        reverse("admin:quizzes_question_change", args=[question.pk]),
    ]
    for url in pages:
        html = admin_client.get(url).content.decode()
        assert "adminsortable2/js/adminsortable2" in html, url
    question_page = admin_client.get(pages[3]).content.decode()
    for choice in question.choices.all():  # choices are edited on the question's own page
        assert choice.text in question_page


def test_reordering_saves_the_order_field(admin_client, lesson):
    """What the drag handle does: it rewrites each row's order and the inline formset saves it."""
    question = lesson.quiz.questions.first()
    choices = list(question.choices.order_by("order"))
    data = {
        "quiz": question.quiz_id,
        "kind": question.kind,
        "scenario_en": question.scenario,
        "prompt_en": question.prompt,
        "order": question.order,
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": len(choices),
        "choices-MIN_NUM_FORMS": 2,
        "choices-MAX_NUM_FORMS": 1000,
    }
    for i, choice in enumerate(reversed(choices)):  # dragged into reverse order
        data.update(
            {
                f"choices-{i}-id": choice.pk,
                f"choices-{i}-question": question.pk,
                f"choices-{i}-text_en": choice.text,
                f"choices-{i}-is_correct": "on" if choice.is_correct else "",
                f"choices-{i}-explanation_en": choice.explanation,
                f"choices-{i}-order": i,
            }
        )
    data = {k: v for k, v in data.items() if v != ""}
    response = admin_client.post(reverse("admin:quizzes_question_change", args=[question.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(Choice.objects.filter(question=question).order_by("order")) == list(reversed(choices))


def test_markdown_preview_renders_as_the_site_does(admin_client):
    url = reverse("admin:courses_lesson_preview")
    response = admin_client.post(url, {"body": "## Hello\n\n*Calm* <script>alert(1)</script>"})
    html = response.json()["html"]
    assert "<h2>Hello</h2>" in html and "<em>Calm</em>" in html and "<script" not in html
    assert admin_client.get(url).status_code == 405


def test_markdown_preview_is_for_admin_staff_with_csrf(admin_user_with_2fa, caregiver, staff_login):
    url = reverse("admin:courses_lesson_preview")
    assert Client().post(url, {"body": "x"}).status_code == 302  # to sign in
    learner = Client()
    learner.force_login(caregiver)
    assert learner.post(url, {"body": "x"}).status_code == 302  # admin refuses non-staff
    strict = staff_login(Client(enforce_csrf_checks=True), admin_user_with_2fa)
    assert strict.post(url, {"body": "x"}).status_code == 403  # no CSRF token


def test_lesson_page_loads_the_preview_script_from_static_files(admin_client, lesson):
    html = admin_client.get(reverse("admin:courses_lesson_change", args=[lesson.pk])).content.decode()
    assert "js/admin-preview.js" in html and "css/admin.css" in html
    assert 'data-markdown-preview="/admin/courses/lesson/preview-markdown/"' in html


def test_staff_are_picked_by_searching_their_name_or_email(admin_client, caregiver, clinic):
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "clinics", "model_name": "staffmembership", "field_name": "user", "term": "carer@"},
    )
    assert [r["id"] for r in response.json()["results"]] == [str(caregiver.pk)]
    html = admin_client.get(reverse("admin:clinics_clinic_change", args=[clinic.pk])).content.decode()
    assert "admin-autocomplete" in html


# --- Staff preview of unpublished lessons on the site ----------------------------------------------------------


@pytest.fixture
def draft(quiz_course):
    lesson = Lesson.objects.in_course(quiz_course).in_reading_order().last()
    lesson.published = False
    lesson.save()
    return lesson


def test_learners_and_visitors_still_get_404_for_an_unpublished_lesson(client, caregiver, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(caregiver)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_admin_staff_preview_an_unpublished_lesson_with_a_banner(admin_client, draft):
    response = admin_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview — not visible to learners" in html and draft.title in html
    assert response["X-Robots-Tag"] == "noindex"


def test_preview_covers_an_unpublished_module_or_course(admin_client, quiz_course, lesson):
    Module.objects.filter(pk=lesson.module_id).update(published=False)
    assert admin_client.get(lesson.get_absolute_url()).status_code == 200
    Course.objects.filter(pk=quiz_course.pk).update(published=False)
    assert admin_client.get(lesson.get_absolute_url()).status_code == 200


def test_staff_without_two_factor_in_this_session_get_404(
    client, admin_user_with_2fa, clinic_staff, draft, staff_login
):
    client.force_login(admin_user_with_2fa)  # password only: no code entered
    assert client.get(draft.get_absolute_url()).status_code == 404
    staff_login(client, clinic_staff)  # clinic staff are not admin staff
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_published_lesson_shows_no_preview_banner(admin_client, lesson):
    assert "Preview — not visible" not in admin_client.get(lesson.get_absolute_url()).content.decode()


def test_questions_keep_their_order_field_for_content_files(lesson):
    assert [q.order for q in Question.objects.filter(quiz=lesson.quiz)] == [0, 1, 2, 3]
