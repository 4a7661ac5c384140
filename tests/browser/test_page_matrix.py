"""Every page each role can reach, in English and in Spanish, at 1280 px and on a 360 px phone (and at 640 px, which is 1280 px at 200% zoom):
axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation, nothing scrolls sideways, every tab stop shows a focus ring
of 3:1 or more, and on a phone a lesson's title starts within the first 200 px.

People sign in by session cookie (the sign-in pages themselves are checked signed out) so the matrix stays fast.
Figures per page are written to test-artifacts/matrix/summary-<role>-<width>.json.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.languages import translate_path
from clinics.models import FamilyMember, Invitation
from courses import services
from courses.models import Certificate, Lesson

from .audit import ARTIFACTS, audit, problems_in

PASSWORD = "correct horse battery"  # tests/conftest.py's make_caregiver
WIDTHS = {"desktop": (1280, 900), "phone": (360, 740)}
ZOOM_WIDTH = 640  # a 1280 px window at 200% zoom lays out like this


@pytest.fixture
def world(real_course, make_caregiver, make_clinic, make_staff, take_quiz, admin_user_with_2fa):
    """A learner part-way through, a graduate with a certificate, a clinic with a manager, and an admin."""
    lessons = list(Lesson.objects.published().in_course(real_course).in_reading_order())
    clinic = make_clinic("Calm Waters Clinic", "calm-waters", courses=[real_course], contact_phone="555-0100")
    learner = make_caregiver("learner@example.com", name="Lee", verified=True)
    services.enroll(user=learner, course=real_course)
    for lesson in lessons[:3]:
        services.mark_lesson_read(user=learner, lesson=lesson)
        services.record_lesson_quiz_passed(user=learner, lesson=lesson)
    failed = take_quiz(learner, lessons[3].quiz, wrong=2)
    passed = take_quiz(learner, lessons[3].quiz)
    FamilyMember.objects.create(clinic=clinic, user=learner, consented_at=timezone.now())

    graduate = make_caregiver("graduate@example.com", name="Zoë Ñandú Łukasz 王小明", verified=True)
    services.enroll(user=graduate, course=real_course)
    for lesson in lessons:
        services.mark_lesson_read(user=graduate, lesson=lesson)
        services.record_lesson_quiz_passed(user=graduate, lesson=lesson)
    final = take_quiz(graduate, real_course.final_assessment)
    assert final.passed
    certificate = Certificate.objects.get(user=graduate)

    manager = make_staff("manager@calm.example", clinic, role="manager")
    make_staff("nurse@calm.example", clinic)
    Invitation.objects.create(
        clinic=clinic, email="family@example.com", expires_at=timezone.now() + timezone.timedelta(days=14)
    )
    lesson = lessons[3]
    return {
        "course": real_course,
        "lesson": lesson,
        "clinic": clinic,
        "users": {"caregiver": learner, "graduate": graduate, "staff": manager, "admin": admin_user_with_2fa},
        "attempts": {"failed": failed, "passed": passed, "final": final},
        "certificate": certificate,
    }


def pages_for(role: str, world) -> dict[str, str]:
    course, lesson, clinic = world["course"], world["lesson"], world["clinic"]
    attempts, certificate = world["attempts"], world["certificate"]
    if role == "anonymous":
        return {
            "home": "/",
            "about": "/about/",
            "courses": "/courses/",
            "course": course.get_absolute_url(),
            "lesson": lesson.get_absolute_url(),
            "sign-in": "/accounts/login/",
            "sign-up": "/accounts/signup/",
            "password-reset": "/accounts/password/reset/",
            "password-reset-done": "/accounts/password/reset/done/",
            "sign-in-code": "/accounts/login/code/",
            "stale-confirm-link": "/accounts/confirm-email/stale-key/",
            "stale-reset-link": "/accounts/password/reset/key/zz-set-password/",
            "verify": "/verify/",
            "verify-valid": f"/verify/{certificate.formatted_code}/",
            "join-by-code": reverse("clinics:join_code"),
            "not-found": "/no-such-page/",
        }
    if role == "caregiver":
        return {
            "home-returning": "/",
            "dashboard": reverse("dashboard"),
            "course": course.get_absolute_url(),
            "lesson": lesson.get_absolute_url(),
            "quiz": reverse("quizzes:take", args=[lesson.quiz.pk]),
            "results-failed": reverse("quizzes:attempt", args=[attempts["failed"].pk]),
            "results-passed": reverse("quizzes:attempt", args=[attempts["passed"].pk]),
            "profile": reverse("accounts:profile"),
            "email": "/accounts/email/",
            "password-change": "/accounts/password/change/",
            "two-factor": "/accounts/2fa/",
            "your-data": reverse("accounts:data"),
            "my-clinics": reverse("clinics:mine"),
        }
    if role == "graduate":
        return {
            "home-graduate": "/",
            "dashboard-graduate": reverse("dashboard"),
            "celebration": reverse("quizzes:attempt", args=[attempts["final"].pk]),
            "certificate": certificate.get_absolute_url(),
            "final-assessment": reverse("quizzes:take", args=[course.final_assessment.pk]),
        }
    if role == "staff":
        learner = world["users"]["caregiver"]
        return {
            "clinic-list": reverse("clinics:list"),
            "clinic-dashboard": reverse("clinics:dashboard", args=[clinic.slug]),
            "clinic-member": reverse("clinics:member", args=[clinic.slug, learner.pk]),
            "clinic-invite": reverse("clinics:invite", args=[clinic.slug]),
            "clinic-invitations": reverse("clinics:invitations", args=[clinic.slug]),
            "clinic-flyer": reverse("clinics:flyer", args=[clinic.slug]),
            "clinic-staff": reverse("clinics:staff", args=[clinic.slug]),
            "clinic-settings": reverse("clinics:settings", args=[clinic.slug]),
        }
    if role == "admin":
        return {"home-admin": "/", "courses-admin": "/courses/", "lesson-admin": lesson.get_absolute_url()}
    raise ValueError(role)


ROLES = ["anonymous", "caregiver", "graduate", "staff", "admin"]


def in_language(pages: dict[str, str], language: str) -> dict[str, str]:
    """The same pages at their address in `language` (English: unchanged; Spanish: /es/…)."""
    if language == "en":
        return pages
    return {
        name: translate_path(url, language) if name != "not-found" else f"/{language}{url}"
        for name, url in pages.items()
    }


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("role", ROLES)
def test_every_page_every_role(browser, live_server, world, role, width, language, signed_in_context):
    user = None if role == "anonymous" else world["users"][role]
    width_px, height = WIDTHS[width]
    context = signed_in_context(user, {"width": width_px, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)
    report, problems = [], []
    pages = in_language(pages_for(role, world), language)
    suffix = "" if language == "en" else f"-{language}"
    for name, url in pages.items():
        response = page.goto(url)
        expected = 404 if name == "not-found" else 200
        assert response.status == expected, f"{role} {name} {url}: {response.status}"
        assert "login" not in page.url or role == "anonymous", f"{role} {name}: sent to sign in"
        assert page.locator("html").get_attribute("lang") == language, f"{role} {name} {url}: not in {language}"
        # measured as the page opens, before the keyboard walk scrolls it
        title_top = round(page.evaluate("document.querySelector('h1').getBoundingClientRect().top"))
        figures = audit(page, f"{role}-{name}-{width}{suffix}")
        if name.startswith("lesson"):
            figures["title_top"] = title_top
        report.append(figures)
        problems += problems_in(figures, phone=width == "phone")
    if width == "desktop":
        # 200% zoom: the same pages laid out 640 px wide must not scroll sideways either.
        page.set_viewport_size({"width": ZOOM_WIDTH, "height": 900})
        for name, url in pages.items():
            page.goto(url)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            report.append({"name": f"{name}-zoom200", "overflow": overflow})
            if overflow > 0:
                problems.append(f"{name} at 200% zoom: scrolls sideways by {overflow}px")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"summary-{role}-{width}{suffix}.json").write_text(json.dumps(report, indent=1, default=str))
    context.close()
    assert problems == [], "\n".join(problems)


def test_phone_menu_opens_and_closes(browser, live_server, world, signed_in_context):
    context = signed_in_context(world["users"]["caregiver"], {"width": 360, "height": 740})
    page = context.new_page()
    page.goto(world["lesson"].get_absolute_url())
    toggle = page.get_by_role("button", name="Menu")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("link", name="My learning").is_visible(), "the menu starts folded on a phone"
    toggle.click()
    page.locator("#site-nav.show:not(.collapsing)").wait_for()  # Bootstrap ignores a click while it animates
    assert page.get_by_role("link", name="My learning").is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "phone-menu-open.png"))
    toggle.click()
    page.get_by_role("link", name="My learning").wait_for(state="hidden")
    context.close()


def test_errors_are_announced(browser, live_server, world, signed_in_context):
    """A failed sign-in and an empty form: the title starts "Error:" and focus lands on the message."""
    context = signed_in_context(None, {"width": 360, "height": 740})
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("learner@example.com")
    page.locator("#id_password").fill("not the password")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error:"), page.title()
    focused = page.evaluate("document.activeElement.className + ' ' + document.activeElement.innerText")
    assert "alert" in focused and "not correct" in focused, focused
    figures = audit(page, "anonymous-sign-in-failed-phone")
    assert problems_in(figures, phone=True) == []

    page.goto("/accounts/signup/")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error:"), page.title()
    assert page.evaluate("document.activeElement.classList.contains('is-invalid')")
    figures = audit(page, "anonymous-sign-up-errors-phone")
    assert problems_in(figures, phone=True) == []

    caregiver = signed_in_context(world["users"]["caregiver"], {"width": 360, "height": 740})
    quiz_page = caregiver.new_page()
    quiz_page.goto(reverse("quizzes:take", args=[world["lesson"].quiz.pk]))
    quiz_page.get_by_role("button", name="Submit answers").click()
    quiz_page.wait_for_load_state()
    assert quiz_page.title().startswith("Error:"), quiz_page.title()
    assert quiz_page.evaluate("document.activeElement.classList.contains('error-summary')")
    figures = audit(quiz_page, "caregiver-quiz-errors-phone")
    assert problems_in(figures, phone=True) == []

    # a quiz result is announced: focus moves to it
    quiz_page.goto(reverse("quizzes:attempt", args=[world["attempts"]["failed"].pk]))
    assert quiz_page.evaluate("document.activeElement.getAttribute('role')") == "status"
    assert quiz_page.title().startswith("Not passed yet")
    for ctx in (context, caregiver):
        ctx.close()


def test_destructive_actions_ask_first(browser, live_server, world, signed_in_context):
    """Leaving a clinic opens a question; only its second button leaves."""
    learner = world["users"]["caregiver"]
    context = signed_in_context(learner, {"width": 360, "height": 740})
    page = context.new_page()
    page.goto(reverse("clinics:mine"))
    page.get_by_text("Leave Calm Waters Clinic").first.click()
    assert page.get_by_text("They will stop seeing your progress").is_visible()
    assert FamilyMember.objects.filter(user=learner).exists(), "opening the question changes nothing"
    figures = audit(page, "caregiver-leave-clinic-confirm-phone")
    assert problems_in(figures, phone=True) == []
    page.get_by_role("button", name="Yes, leave").click()
    page.wait_for_load_state()
    assert page.get_by_text("You've left Calm Waters Clinic").is_visible()
    assert not FamilyMember.objects.filter(user=learner).exists()
    context.close()


def test_two_factor_secret_can_be_copied_by_keyboard(browser, live_server, make_caregiver, signed_in_context):
    user = make_caregiver("keys@example.com", name="Kim", verified=True)
    context = signed_in_context(user, {"width": 360, "height": 740})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto("/accounts/2fa/totp/activate/")
    if "reauthenticate" in page.url:
        page.locator("#id_password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_url("**/totp/activate/")
    qr = page.locator("img[src^='data:']")
    assert "QR code" in qr.get_attribute("alt")
    secret = page.locator("#authenticator_secret")
    assert secret.is_editable() is False and secret.is_enabled(), "read-only, but reachable by keyboard"
    copy = page.get_by_role("button", name="Copy the secret")
    copy.focus()
    page.keyboard.press("Enter")
    page.get_by_text("Copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == secret.input_value()
    figures = audit(page, "caregiver-two-factor-activate-phone")
    assert problems_in(figures, phone=True) == []
    context.close()
