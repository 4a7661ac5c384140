"""The moments a learner expects, and the page-level accessibility rules that need no browser (issue 15)."""

import re

from django.urls import reverse

from courses import services
from courses.models import Certificate, Lesson


def title(html: str) -> str:
    return " ".join(re.search(r"<title>(.*?)</title>", html, re.S).group(1).split())


def test_home_greets_a_returning_learner_with_their_next_step(client, caregiver, real_course):
    services.enroll(user=caregiver, course=real_course)
    first, second = Lesson.objects.published().in_course(real_course).in_reading_order()[:2]
    services.mark_lesson_read(user=caregiver, lesson=first)
    services.record_lesson_quiz_passed(user=caregiver, lesson=first)
    client.force_login(caregiver)
    html = client.get(reverse("home")).content.decode()
    assert "Welcome back, Casey." in html
    assert f"Continue: {second.title}" in html and second.get_absolute_url() in html
    assert "1 of 25 lessons complete" in html and 'data-percent="4"' in html
    assert "Start the free course" not in html


def test_home_invites_a_newcomer_to_start(client, caregiver, real_course):
    client.force_login(caregiver)
    html = client.get(reverse("home")).content.decode()
    assert "Start the free course" in html and "Welcome back" not in html


def test_lesson_button_says_the_lesson_completes_when_the_quiz_is_passed(caregiver_client, real_course):
    lesson = Lesson.objects.published().in_course(real_course).in_reading_order()[0]
    html = caregiver_client.get(lesson.get_absolute_url()).content.decode()
    assert "Take the quiz to complete this lesson" in html
    assert "counts as complete once you pass" in html
    assert "Mark complete and take the quiz" not in html


def test_passing_the_final_assessment_celebrates_and_leads_to_the_certificate(
    client, make_caregiver, real_course, take_quiz
):
    graduate = make_caregiver("grad@example.com", name="Zoë")
    services.enroll(user=graduate, course=real_course)
    for lesson in Lesson.objects.published().in_course(real_course):
        services.mark_lesson_read(user=graduate, lesson=lesson)
        services.record_lesson_quiz_passed(user=graduate, lesson=lesson)
    attempt = take_quiz(graduate, real_course.final_assessment)
    client.force_login(graduate)
    html = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    certificate = Certificate.objects.get(user=graduate)
    assert "Well done, Zoë!" in html and "You passed the final assessment" in html
    assert certificate.get_absolute_url() in html and "View your certificate" in html
    assert title(html).startswith("Passed, 100%")


def test_dashboard_lists_every_attempt_to_review(caregiver_client, caregiver, quiz_course, take_quiz):
    services.enroll(user=caregiver, course=quiz_course)
    quiz = Lesson.objects.in_course(quiz_course).in_reading_order()[0].quiz
    failed, passed = take_quiz(caregiver, quiz, wrong=1), take_quiz(caregiver, quiz)
    html = caregiver_client.get(reverse("dashboard")).content.decode()
    for attempt in (failed, passed):
        assert reverse("quizzes:attempt", args=[attempt.pk]) in html
    assert "2 attempts" in html and "not passed" in html


def test_forms_use_the_sites_validation_not_the_browsers(caregiver_client):
    for url in (reverse("accounts:profile"), reverse("accounts:data"), reverse("certificate_verify_form")):
        html = caregiver_client.get(url).content.decode()
        forms = re.findall(r"<form\b[^>]*>", html)
        crispy = [f for f in forms if "novalidate" in f]
        assert crispy, f"{url}: no form with novalidate: {forms}"


def test_account_pages_have_titles_of_their_own(client):
    titles = {
        url: title(client.get(url, follow=True).content.decode())
        for url in (
            "/accounts/login/",
            "/accounts/login/code/",
            "/accounts/password/reset/",
            "/accounts/password/reset/done/",
            "/accounts/confirm-email/stale-key/",
            "/accounts/password/reset/key/zz-set-password/",
        )
    }
    assert len(set(titles.values())) == len(titles), titles
    assert "expired" in titles["/accounts/confirm-email/stale-key/"]


def test_an_empty_form_puts_error_in_the_title(client):
    html = client.post("/accounts/signup/", {}).content.decode()
    assert title(html).startswith("Error:")


def test_catalogue_headings_do_not_skip_a_level(client, real_course):
    html = client.get(reverse("courses:course_list")).content.decode()
    levels = [int(n) for n in re.findall(r"<h([1-6])\b", html)]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def test_account_emails_name_the_site_not_the_host(db, client, mailoutbox):
    client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "display_name": "Nia",
            "password1": "a long happy password 9",
            "password2": "a long happy password 9",
        },
    )
    client.post("/accounts/password/reset/", {"email": "new@example.com"})
    assert mailoutbox, "emails were sent"
    for message in mailoutbox:
        assert "Hello from Support Circle!" in message.body
        assert "testserver" not in message.body.split("http")[0], message.body
