"""Admins edit content in Django admin without a developer."""

from django.urls import reverse

from courses.models import Lesson, Module
from quizzes.models import Question


def test_admin_adds_a_lesson_and_sees_it_on_the_site(client, admin_user_with_2fa, small_course):
    client.force_login(admin_user_with_2fa)
    module = Module.objects.filter(course=small_course).first()
    form = client.get(reverse("admin:courses_lesson_add")).content.decode()
    assert "Markdown: ## Heading" in form  # the Markdown hint beside the body field
    response = client.post(
        reverse("admin:courses_lesson_add"),
        {
            "module": module.pk,
            "title": "Added by an admin",
            "slug": "added-by-an-admin",
            "summary": "New.",
            "body": "## Hello\n\nWritten in **admin**.",
            "minutes": 3,
            "sources": "",
            "order": 9,
            "published": "on",
        },
    )
    assert response.status_code == 302
    lesson = Lesson.objects.get(slug="added-by-an-admin")
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "<strong>admin</strong>" in page
    change = client.get(reverse("admin:courses_lesson_change", args=[lesson.pk])).content.decode()
    assert "View on site" in change


def test_admin_rejects_a_single_choice_question_with_two_correct_answers(client, admin_user_with_2fa, quiz_course):
    client.force_login(admin_user_with_2fa)
    question = Question.objects.filter(kind="single").first()
    choices = list(question.choices.all())
    data = {
        "quiz": question.quiz_id,
        "kind": "single",
        "scenario": "",
        "prompt": question.prompt,
        "order": 0,
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": len(choices),
        "choices-MIN_NUM_FORMS": 2,
        "choices-MAX_NUM_FORMS": 1000,
    }
    for i, choice in enumerate(choices):
        data.update(
            {
                f"choices-{i}-id": choice.pk,
                f"choices-{i}-question": question.pk,
                f"choices-{i}-order": i,
                f"choices-{i}-text": choice.text,
                f"choices-{i}-explanation": choice.explanation,
                f"choices-{i}-is_correct": "on" if i < 2 else "",
            }
        )
    response = client.post(reverse("admin:quizzes_question_change", args=[question.pk]), data)
    assert response.status_code == 200
    assert "exactly one correct choice (it has 2)" in response.content.decode()
    assert question.choices.filter(is_correct=True).count() == 1


def test_question_statistics_in_admin(client, admin_user_with_2fa, quiz_course):
    client.force_login(admin_user_with_2fa)
    html = client.get(reverse("admin:quizzes_question_changelist")).content.decode()
    assert "% answered correctly" in html
