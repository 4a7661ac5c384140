"""A Spanish-speaking family, all the way: staff invite in Spanish, the family member joins from the Spanish
email, learns in Spanish, switches to English and back mid-course without losing anything, passes the final
assessment and gets a Spanish certificate. Every page: screenshot, axe-core, lang="es".

Button and link names come from the Spanish catalogue (`es("…")`), so the test follows the translation and fails
if a name has no Spanish."""

import re

from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import User
from courses import services
from courses.models import Certificate, Lesson
from courses.selectors import learner_status

from .conftest import check_page

PASSWORD = "una contraseña larga y feliz 42"


def es(english: str) -> str:
    with translation.override("es"):
        spanish = gettext(english)
    assert spanish != english, f"no Spanish for {english!r}"
    return spanish


def check_spanish_page(page, name: str) -> None:
    assert page.locator("html").get_attribute("lang") == "es", f"{name}: not a Spanish page ({page.url})"
    check_page(page, f"es-{name}")


def answer_quiz(page, quiz):
    """Answer every question the page shows correctly, picking the Spanish choice texts."""
    with translation.override("es"):
        questions = {q.pk: q for q in quiz.questions.prefetch_related("choices")}
        fieldsets = page.locator("fieldset.question")
        for i in range(fieldsets.count()):
            fieldset = fieldsets.nth(i)
            question = questions[int(fieldset.locator("input").first.get_attribute("name")[1:])]
            picks = [c for c in question.choices.all() if c.is_correct]
            for choice in picks if question.allows_many else picks[:1]:
                fieldset.get_by_label(choice.text, exact=True).check()
    page.locator("main form [type=submit]").last.click()


def test_spanish_family_from_invitation_to_certificate(
    browser, live_server, real_course, clinic, make_staff, staff_login, signed_in_context
):
    manager = make_staff("jefa@calma.example", clinic, role="manager")
    manager.language = "es"
    manager.save()
    staff = signed_in_context(manager, {"width": 1280, "height": 900})
    page = staff.new_page()
    page.set_default_timeout(15_000)

    # Staff invite in Spanish.
    page.goto(f"/es/clinics/{clinic.slug}/invite/")
    check_spanish_page(page, "clinic-invite")
    page.locator("textarea[name=emails]").fill("familia@example.com")
    page.locator("select[name=language]").select_option("es")
    page.locator("main form [type=submit]").last.click()
    check_spanish_page(page, "clinic-invite-report")

    message = mail.outbox[-1]
    assert message.to == ["familia@example.com"]
    assert "Support Circle" in message.subject and message.subject != "" and "invite" not in message.subject.lower()
    link = re.search(r"https?://[^/\s]+(/es/clinics/join/invite/[^\s]+/)", message.body).group(1)

    # The family member joins from the Spanish email, in a browser that prefers English.
    family_context = browser.new_context(base_url=live_server.url, locale="en-US")
    family = family_context.new_page()
    family.set_default_timeout(15_000)
    family.goto(link)
    check_spanish_page(family, "join-consent")
    family.locator("input[name=agree]").check()
    family.locator("main form [type=submit]").first.click()
    family.locator("input[name=display_name]").fill("Rosa")
    family.locator("#id_password1").fill(PASSWORD)
    family.locator("#id_password2").fill(PASSWORD)
    check_spanish_page(family, "join-signup")
    family.locator("main form [type=submit]").last.click()
    family.wait_for_url("**/es/my-learning/")
    check_spanish_page(family, "dashboard-new")
    rosa = User.objects.get(email="familia@example.com")
    assert rosa.language == "es"

    # The course and a lesson, in Spanish.
    lessons = list(Lesson.objects.published().in_course(real_course).in_reading_order())
    first, second = lessons[:2]
    with translation.override("es"):
        first_title, course_url, first_url = first.title, real_course.get_absolute_url(), first.get_absolute_url()
    assert course_url.startswith("/es/") and first_title != first.title_en
    family.goto(course_url)
    check_spanish_page(family, "course")
    family.goto(first_url)
    assert family.get_by_role("heading", name=first_title, level=1).is_visible()
    check_spanish_page(family, "lesson")
    family.locator("main form [type=submit]").filter(has_text=re.compile(es("quiz").split()[0], re.I)).first.click()
    check_spanish_page(family, "quiz")
    answer_quiz(family, first.quiz)
    check_spanish_page(family, "quiz-passed")

    # Switching language mid-course keeps progress: the same lessons done, in English, then back.
    before = learner_status(rosa, real_course).progress
    family.get_by_role("button", name="English").click()
    assert family.locator("html").get_attribute("lang") == "en"
    family.goto("/my-learning/")
    assert family.locator("html").get_attribute("lang") == "en"
    after = learner_status(rosa, real_course).progress
    assert (after.completed, after.total) == (before.completed, before.total) and after.completed >= 1
    family.get_by_role("button", name="Español").click()
    assert family.locator("html").get_attribute("lang") == "es"
    rosa.refresh_from_db()
    assert rosa.language == "es"

    # The rest of the lessons are finished on the server to keep the test short.
    for lesson in lessons[1:]:
        services.mark_lesson_read(user=rosa, lesson=lesson)
        services.record_lesson_quiz_passed(user=rosa, lesson=lesson)
    family.goto("/es/my-learning/")
    check_spanish_page(family, "dashboard")
    family.get_by_role("link", name=es("Take the final assessment")).first.click()
    check_spanish_page(family, "final-assessment")
    answer_quiz(family, real_course.final_assessment)
    check_spanish_page(family, "celebration")

    certificate = Certificate.objects.get(user=rosa)
    with translation.override("es"):
        certificate_url = certificate.get_absolute_url()
    family.goto(certificate_url)
    check_spanish_page(family, "certificate")
    with family.expect_download() as download:
        family.locator("a[href$='.pdf'], a[href*='pdf']").first.click()
    assert download.value.suggested_filename.endswith(".pdf")

    # The clinic sees her, with her language.
    page.goto(f"/es/clinics/{clinic.slug}/")
    check_spanish_page(page, "clinic-dashboard")
    assert page.get_by_role("link", name="Rosa").is_visible()
    for context in (staff, family_context):
        context.close()
