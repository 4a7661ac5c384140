"""The Content-Security-Policy in a real browser: nothing on any page is refused, progress bars still get
their width (from the stylesheet, since style attributes are not allowed) and the two-factor QR code (a
data: image) shows."""

from allauth.account.models import EmailAddress
from django.urls import reverse

from courses import services


def test_no_page_breaks_the_content_security_policy(page, caregiver, small_course, add_quiz):
    refused = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append((page.url, message.text)),
    )
    lessons = list(small_course.modules.first().lessons.all())
    quiz = add_quiz(lesson=lessons[0])
    EmailAddress.objects.create(user=caregiver, email=caregiver.email, verified=True, primary=True)
    services.enroll(user=caregiver, course=small_course)
    services.mark_lesson_read(user=caregiver, lesson=lessons[1])  # 1 of 6 lessons: 17%

    for url in [
        "/",
        reverse("about"),
        small_course.get_absolute_url(),
        lessons[1].get_absolute_url(),
        reverse("account_signup"),
        "/no-such-page/",
        "/admin/login/",
        reverse("account_login"),
    ]:
        page.goto(url)
    page.get_by_label("Email").fill(caregiver.email)
    page.locator("#id_password").fill("correct horse battery")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/my-learning/")

    bar, track = page.locator(".progress-bar").first.bounding_box(), page.locator(".progress").first.bounding_box()
    assert abs(bar["width"] / track["width"] - 0.17) < 0.01, "the progress bar's width comes from site.css"
    assert page.locator(".progress").first.get_attribute("aria-valuenow") == "17"

    for url in [
        small_course.get_absolute_url(),
        reverse("quizzes:take", args=[quiz.pk]),
        reverse("accounts:profile"),
        reverse("account_email"),
        reverse("mfa_activate_totp"),
    ]:
        page.goto(url)
    assert page.url.endswith(reverse("mfa_activate_totp"))
    assert page.locator("img[src^='data:']").first.evaluate("img => img.complete && img.naturalWidth > 0"), "QR code"
    assert refused == []
