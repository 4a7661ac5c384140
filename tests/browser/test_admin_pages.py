"""Django admin, as an admin who writes the course and a clinic's staff use it: axe-core finds no violation on the
pages they work in (the change lists with editable cells, and the lesson and question forms)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import translation

from courses.models import Lesson

from .conftest import ARTIFACTS


@pytest.fixture
def admin_page(signed_in_context, admin_user_with_2fa):
    context = signed_in_context(admin_user_with_2fa, {"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_admin_pages_have_no_accessibility_violations(admin_page, real_course, language):
    lesson = Lesson.objects.in_course(real_course).first()
    question = lesson.quiz.questions.first()
    with translation.override(language):  # /es/admin/…: the same admin in Spanish, both languages' fields
        pages = [
            reverse("admin:index"),
            reverse("admin:courses_course_changelist"),
            reverse("admin:courses_module_changelist"),
            reverse("admin:courses_lesson_changelist"),
            reverse("admin:courses_lesson_change", args=[lesson.pk]),
            reverse("admin:quizzes_question_changelist"),
            reverse("admin:quizzes_question_change", args=[question.pk]),
            reverse("admin:clinics_clinic_changelist"),
        ]
    found = {}
    for url in pages:
        admin_page.goto(url)
        assert admin_page.locator("html").get_attribute("lang") == language, url
        violations = Axe().run(admin_page).response["violations"]
        if violations:
            found[url] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    ARTIFACTS.mkdir(exist_ok=True)
    admin_page.goto(pages[4])
    admin_page.screenshot(path=str(ARTIFACTS / f"django-admin-lesson-{language}.png"), full_page=True)
    assert found == {}
