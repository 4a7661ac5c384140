import json
import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from courses import services
from courses.models import Certificate, Enrollment, LessonProgress
from quizzes.models import Attempt, AttemptAnswer

PASSWORD = "a long and happy password 42"


def sign_up(client, email="new@example.com", name="Noor"):
    return client.post(
        reverse("account_signup"),
        {"display_name": name, "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


@pytest.mark.django_db
def test_sign_up_verify_by_email_and_land_signed_in(client):
    response = sign_up(client)
    assert response.status_code == 302 and response["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@example.com"]
    user = User.objects.get(email="new@example.com")
    assert user.display_name == "Noor" and not EmailAddress.objects.get(user=user).verified

    link = confirmation_link(mail.outbox[0])
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("accounts:profile")).status_code == 200  # signed in


@pytest.mark.django_db
def test_unverified_user_cannot_sign_in(client):
    sign_up(client)
    client.logout()
    response = client.post(reverse("account_login"), {"login": "new@example.com", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.django_db
def test_reused_confirmation_link_explains_and_offers_a_new_one(client):
    sign_up(client)
    link = confirmation_link(mail.outbox[0])
    client.post(link)
    client.logout()
    html = client.get(link).content.decode()
    assert "expired or has already been used" in html and reverse("account_login") in html
    html = client.get("/accounts/confirm-email/not-a-real-key/").content.decode()
    assert "expired or has already been used" in html


@pytest.mark.django_db
def test_signup_does_not_reveal_known_addresses(client, caregiver):
    known = sign_up(client, email=caregiver.email)
    client.logout()
    unknown = sign_up(client, email="nobody-yet@example.com")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert User.objects.filter(email=caregiver.email).count() == 1


@pytest.mark.django_db
def test_password_reset_does_not_reveal_known_addresses(client, caregiver):
    known = client.post(reverse("account_reset_password"), {"email": caregiver.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "stranger@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


@pytest.mark.django_db
def test_stale_reset_link_explains_and_offers_a_new_one(client):
    html = client.get("/accounts/password/reset/key/zz-set-password/", follow=True).content.decode()
    assert "expired or has already been used" in html and reverse("account_reset_password") in html


@pytest.mark.django_db
def test_failed_sign_ins_are_rate_limited(client, caregiver):
    EmailAddress.objects.create(user=caregiver, email=caregiver.email, verified=True, primary=True)
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": caregiver.email, "password": "wrong"})
        assert response.status_code == 200
    response = client.post(reverse("account_login"), {"login": caregiver.email, "password": "correct horse battery"})
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.django_db
def test_sign_up_with_bad_input_keeps_what_was_typed(client):
    response = client.post(
        reverse("account_signup"),
        {"display_name": "Noor", "email": "not-an-email", "password1": "short", "password2": "other"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Noor"' in html and 'value="not-an-email"' in html
    assert "is-invalid" in html and "short" not in re.findall(r'value="([^"]*)"', html)


def test_profile_edit(caregiver_client, caregiver):
    response = caregiver_client.post(
        reverse("accounts:profile"), {"display_name": "Casey B", "relationship": "sibling", "reminder_rhythm": "off"}
    )
    assert response.status_code == 302
    caregiver.refresh_from_db()
    assert (caregiver.display_name, caregiver.relationship, caregiver.reminder_rhythm) == ("Casey B", "sibling", "off")
    html = caregiver_client.get(reverse("accounts:profile")).content.decode()
    assert "We store no patient health information" in html


def test_profile_rejects_bad_input_and_keeps_the_rest(caregiver_client, caregiver):
    response = caregiver_client.post(reverse("accounts:profile"), {"display_name": "  ", "relationship": "martian"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please enter a name" in html and "Select a valid choice" in html
    caregiver.refresh_from_db()
    assert caregiver.display_name == "Casey" and caregiver.relationship == "prefer_not"


@pytest.fixture
def give_records(take_quiz):
    """give_records(user, course): an enrollment, a read lesson, a passed quiz and a certificate."""

    def give(user, course):
        services.enroll(user=user, course=course)
        lesson = course.modules.first().lessons.first()
        services.mark_lesson_read(user=user, lesson=lesson)
        Certificate.objects.create(user=user, course=course, holder_name=user.display_name, course_title=course.title)
        take_quiz(user, lesson.quiz)

    return give


def test_export_contains_my_rows_and_no_one_elses(
    caregiver_client, caregiver, other_caregiver, quiz_course, give_records
):
    give_records(caregiver, quiz_course)
    give_records(other_caregiver, quiz_course)
    response = caregiver_client.get(reverse("accounts:export"))
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == caregiver.email
    assert len(data["enrollments"]) == 1 and len(data["lesson_progress"]) == 1
    assert len(data["quiz_attempts"]) == 1 and data["quiz_attempts"][0]["answers"][0]["your_answer"]
    assert len(data["certificates"]) == 1 and data["certificates"][0]["name"] == "Casey"
    text = response.content.decode()
    assert other_caregiver.email not in text and "Olive" not in text


def test_delete_account_needs_password_and_removes_only_my_rows(
    caregiver_client, caregiver, other_caregiver, quiz_course, give_records
):
    give_records(caregiver, quiz_course)
    give_records(other_caregiver, quiz_course)
    wrong = caregiver_client.post(reverse("accounts:data"), {"password": "nope", "confirm": "on"})
    assert "That password is not correct." in wrong.content.decode()
    assert User.objects.filter(pk=caregiver.pk).exists()

    response = caregiver_client.post(reverse("accounts:data"), {"password": "correct horse battery", "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=caregiver.pk).exists()
    for model in (Enrollment, LessonProgress, Certificate):
        assert not model.objects.filter(user_id=caregiver.pk).exists()
        assert model.objects.filter(user=other_caregiver).exists()
    assert not Attempt.objects.filter(user_id=caregiver.pk).exists()
    assert Attempt.objects.filter(user=other_caregiver).count() == 1
    # kept without identity for question statistics
    assert Attempt.objects.filter(user__isnull=True).count() == 1
    assert AttemptAnswer.objects.filter(attempt__user__isnull=True).exists()
    assert caregiver_client.get(reverse("accounts:profile")).status_code == 302


def test_management_commands_export_and_delete(caregiver, other_caregiver, quiz_course, give_records):
    give_records(caregiver, quiz_course)
    out = StringIO()
    call_command("export_user", caregiver.email.upper(), stdout=out)
    assert json.loads(out.getvalue())["profile"]["email"] == caregiver.email
    call_command("delete_user", caregiver.email, "--yes", stdout=StringIO())
    assert not User.objects.filter(email=caregiver.email).exists()
    assert User.objects.filter(email=other_caregiver.email).exists()


@pytest.mark.django_db
def test_staff_need_two_factor_for_admin(client, django_user_model, turn_on_two_factor, totp_code):
    staff = django_user_model.objects.create_superuser(email="boss@example.com", password=PASSWORD)
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_index")
    secret = turn_on_two_factor(staff)
    # Set up is not enough: this session has not entered a code yet.
    response = client.get("/admin/")
    assert response["Location"] == reverse("mfa_reauthenticate") + "?next=%2Fadmin%2F"
    client.post(response["Location"], {"code": totp_code(secret)})
    assert client.get("/admin/").status_code == 200


def test_caregivers_can_turn_on_two_factor(caregiver_client, caregiver, totp_code):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    response = caregiver_client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    caregiver_client.post(response["Location"], {"password": "correct horse battery"})
    page = caregiver_client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = caregiver_client.session[SECRET_SESSION_KEY]
    assert secret in page.content.decode()
    wrong = caregiver_client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200 and "is-invalid" in wrong.content.decode()
    caregiver_client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert Authenticator.objects.filter(user=caregiver, type=Authenticator.Type.TOTP).exists()
