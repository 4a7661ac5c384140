"""A newcomer's journeys in headless Chromium, with a screenshot and an axe-core check of every page."""

import re

from allauth.mfa.models import Authenticator
from django.core import mail

from accounts.models import User
from courses import services
from courses.models import Certificate, Lesson
from quizzes.models import Attempt

from .conftest import check_page

PASSWORD = "a long and happy password 42"


def sign_up_and_confirm(page, email="newcomer@example.com", name="Nadia"):
    page.goto("/accounts/signup/")
    check_page(page, "signup")
    page.get_by_role("button", name="Sign Up").click()
    check_page(page, "signup-errors")
    assert page.evaluate("document.activeElement.classList.contains('is-invalid')"), "focus moves to the first error"

    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/accounts/confirm-email/")
    check_page(page, "verification-sent")

    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    check_page(page, "confirm-email")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/my-learning/")


def test_newcomer_account_journey(page, real_course, totp_code):
    sign_up_and_confirm(page)
    check_page(page, "dashboard-empty")

    # sign out, then in again with "remember me"
    page.get_by_role("button", name="Sign out").click()
    page.goto("/accounts/login/")
    check_page(page, "login")
    page.get_by_label("Email").fill("newcomer@example.com")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_label("Remember Me").check()
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/my-learning/")

    # profile
    page.get_by_role("link", name="Account").click()
    check_page(page, "profile")
    page.get_by_label("Your relationship to the person in treatment").select_option("parent")
    page.get_by_role("button", name="Save profile").click()
    assert page.get_by_text("Your profile is saved.").is_visible()
    assert User.objects.get(email="newcomer@example.com").relationship == "parent"

    for name, url in [
        ("email", "/accounts/email/"),
        ("password-change", "/accounts/password/change/"),
        ("two-factor", "/accounts/2fa/"),
    ]:
        page.goto(url)
        check_page(page, name)

    # two-factor with an authenticator app
    page.goto("/accounts/2fa/totp/activate/")
    if "reauthenticate" in page.url:
        check_page(page, "reauthenticate")
        page.locator("#id_password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
    check_page(page, "two-factor-activate")
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    user = User.objects.get(email="newcomer@example.com")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    check_page(page, "two-factor-on")
    page.goto("/accounts/2fa/recovery-codes/")
    check_page(page, "recovery-codes")

    # your data: download, then delete
    page.goto("/accounts/your-data/")
    check_page(page, "your-data")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data").click()
    assert download.value.suggested_filename.endswith(".json")
    page.get_by_role("button", name="Delete my account").click()
    check_page(page, "delete-errors")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Delete my account").click()
    page.wait_for_url(lambda url: url.rstrip("/").endswith(page.url.split("/")[2]) or url.endswith("/"))
    assert not User.objects.filter(email="newcomer@example.com").exists()


def test_signed_out_account_pages(page, caregiver):
    for name, url in [
        ("password-reset", "/accounts/password/reset/"),
        ("login-code", "/accounts/login/code/"),
        ("stale-confirm-link", "/accounts/confirm-email/stale-key/"),
        ("stale-reset-link", "/accounts/password/reset/key/zz-set-password/"),
    ]:
        page.goto(url)
        check_page(page, name)
    page.goto("/accounts/password/reset/")
    page.get_by_label("Email").fill(caregiver.email)
    page.get_by_role("button", name="Reset My Password").click()
    check_page(page, "password-reset-done")


def answer_quiz(page, quiz, *, wrong: int = 0):
    """Answer the questions the page asks (a final assessment draws some of its bank), the first `wrong` wrongly."""
    questions = {q.pk: q for q in quiz.questions.prefetch_related("choices")}
    fieldsets = page.locator("fieldset.question")
    for i in range(fieldsets.count()):
        fieldset = fieldsets.nth(i)
        question = questions[int(fieldset.locator("input").first.get_attribute("name")[1:])]
        picks = [c for c in question.choices.all() if c.is_correct != (i < wrong)]
        if not question.allows_many:
            picks = picks[:1]
        for choice in picks:
            fieldset.get_by_label(choice.text, exact=True).check()
    page.get_by_role("button", name="Submit answers").click()


def test_learning_journey_to_a_certificate(page, real_course):
    sign_up_and_confirm(page, email="learner@example.com", name="Lee")
    user = User.objects.get(email="learner@example.com")
    page.goto(real_course.get_absolute_url())
    page.get_by_role("button", name="Enroll in this course").click()
    check_page(page, "course-enrolled")

    first, second = Lesson.objects.published().in_course(real_course).in_reading_order()[:2]
    page.get_by_role("link", name=f"Start: {first.title}").click()
    page.wait_for_url(f"**{first.get_absolute_url()}")
    page.get_by_role("button", name="Take the quiz to complete this lesson").click()
    check_page(page, "quiz")

    # submit with one answer missing: a clear message, answers kept
    questions = list(first.quiz.questions.prefetch_related("choices"))
    keep = next(c for c in questions[0].choices.all() if c.is_correct)
    page.locator("fieldset.question").first.get_by_label(keep.text, exact=True).check()
    page.get_by_role("button", name="Submit answers").click()
    check_page(page, "quiz-errors")
    assert page.locator("fieldset.question").first.get_by_label(keep.text, exact=True).is_checked()

    answer_quiz(page, first.quiz, wrong=2)
    check_page(page, "results-failed")
    assert page.get_by_text("Not passed yet").is_visible()
    page.get_by_role("link", name="Retake the quiz").click()
    answer_quiz(page, first.quiz)
    check_page(page, "results-passed")
    assert Attempt.objects.filter(user=user, quiz=first.quiz).count() == 2
    page.get_by_role("link", name="Continue").click()
    page.wait_for_url(f"**{second.get_absolute_url()}")

    # The other lessons are finished on the server to keep the test short; the final assessment
    # and the certificate are taken through the browser.
    for lesson in Lesson.objects.published().in_course(real_course).exclude(pk=first.pk):
        services.mark_lesson_read(user=user, lesson=lesson)
        services.record_lesson_quiz_passed(user=user, lesson=lesson)
    page.goto("/my-learning/")
    check_page(page, "dashboard")
    page.get_by_role("link", name="Take the final assessment").click()
    answer_quiz(page, real_course.final_assessment)
    assert page.get_by_role("heading", name="Well done, Lee!").is_visible()  # the celebration
    assert page.get_by_text("You passed the final assessment").is_visible()
    check_page(page, "celebration")
    page.get_by_role("link", name="View your certificate").click()

    certificate = Certificate.objects.get(user=user)
    page.wait_for_url(f"**{certificate.get_absolute_url()}")
    check_page(page, "certificate")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.goto(f"/verify/{certificate.formatted_code}/")
    check_page(page, "certificate-verify")
    assert page.get_by_text("This certificate is valid.").is_visible()
