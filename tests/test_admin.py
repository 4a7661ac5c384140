"""Admins edit content in Django admin without a developer."""

import re

from django.urls import reverse

from courses.models import Lesson, Module
from quizzes.models import Question, Quiz


def test_admin_adds_a_lesson_and_sees_it_on_the_site(client, admin_user_with_2fa, small_course, staff_login):
    staff_login(client, admin_user_with_2fa)
    module = Module.objects.filter(course=small_course).first()
    assert "Added by an admin" not in client.get(small_course.get_absolute_url()).content.decode()
    first = module.lessons.order_by("order").first()
    assert "Lesson 1 of 6" in client.get(first.get_absolute_url()).content.decode()  # now in the cache
    form = client.get(reverse("admin:courses_lesson_add")).content.decode()
    assert "Markdown: ## Heading" in form  # the Markdown hint beside the body field
    response = client.post(
        reverse("admin:courses_lesson_add"),
        {
            "module": module.pk,
            "title_en": "Added by an admin",  # the English of each text field (the Spanish left empty)
            "slug": "added-by-an-admin",
            "summary_en": "New.",
            "body_en": "## Hello\n\nWritten in **admin**.",
            "minutes": 3,
            "sources_en": "",
            "order": 9,
            "published": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:courses_lesson_changelist")
    lesson = Lesson.objects.get(slug="added-by-an-admin")
    assert (lesson.module, lesson.published) == (module, True)
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "<strong>admin</strong>" in page
    assert "Added by an admin" in page and re.search(r"<h2[^>]*>\s*Hello\s*</h2>", page)
    # a visitor who is not signed in sees it too, and finds it in the course's syllabus
    client.logout()
    assert "<strong>admin</strong>" in client.get(lesson.get_absolute_url()).content.decode()
    assert "Added by an admin" in client.get(small_course.get_absolute_url()).content.decode()
    assert "Lesson 1 of 7" in client.get(first.get_absolute_url()).content.decode()  # the edit shows at once
    staff_login(client, admin_user_with_2fa)
    change = client.get(reverse("admin:courses_lesson_change", args=[lesson.pk])).content.decode()
    assert "View on site" in change
    view_on_site = re.search(r'href="([^"]+)"[^>]*>\s*View on site', change).group(1)
    assert client.get(view_on_site)["Location"].endswith(lesson.get_absolute_url())


def test_admin_rejects_a_single_choice_question_with_two_correct_answers(
    client, admin_user_with_2fa, quiz_course, staff_login
):
    staff_login(client, admin_user_with_2fa)
    question = Question.objects.filter(kind="single").first()
    choices = list(question.choices.all())
    data = {
        "quiz": question.quiz_id,
        "kind": "single",
        "scenario_en": "",
        "prompt_en": question.prompt,
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
                f"choices-{i}-text_en": choice.text,
                f"choices-{i}-explanation_en": choice.explanation,
                f"choices-{i}-is_correct": "on" if i < 2 else "",
            }
        )
    response = client.post(reverse("admin:quizzes_question_change", args=[question.pk]), data)
    assert response.status_code == 200
    assert "exactly one correct choice (it has 2)" in response.content.decode()
    assert question.choices.filter(is_correct=True).count() == 1


def admin_row(html: str, text: str) -> str:
    """The changelist row (<tr>…</tr>) that shows `text`."""
    rows = [row for row in html.split("<tr")[1:] if text in row]
    assert len(rows) == 1, f"{len(rows)} rows show {text!r}"
    return rows[0].split("</tr>")[0]


def test_question_statistics_in_admin(client, admin_user_with_2fa, quiz_course, caregiver, take_quiz, staff_login):
    staff_login(client, admin_user_with_2fa)
    html = client.get(reverse("admin:quizzes_question_changelist")).content.decode()
    assert "% answered correctly" in html
    # Four attempts at the lesson quiz: all right, first wrong, first two wrong, all wrong.
    quiz = Quiz.objects.get(lesson__isnull=False)
    for wrong in (0, 1, 2, 4):
        take_quiz(caregiver, quiz, wrong=wrong)
    url = reverse("admin:quizzes_question_changelist") + f"?quiz__id__exact={quiz.pk}"
    html = client.get(url).content.decode()
    for prompt, percent in [("Pick the right one", "25%"), ("Pick all right ones", "50%"), ("Is it true?", "75%")]:
        row = admin_row(html, prompt)
        assert 'class="field-times_answered">4<' in row, prompt
        assert f'class="field-percent_correct">{percent}<' in row, prompt
    # the final assessment's questions, never answered, say so rather than 0%
    final = reverse("admin:quizzes_question_changelist") + f"?quiz__id__exact={quiz_course.final_assessment.pk}"
    row = admin_row(client.get(final).content.decode(), "Pick the right one")
    assert 'class="field-times_answered">0<' in row and 'class="field-percent_correct">–<' in row
