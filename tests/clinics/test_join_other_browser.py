"""Joining survives confirming the email address in another browser (issue 15: 10): the agreement is kept with the
new account at sign-up, and completed when the address is confirmed, whichever browser opens the link."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from clinics import services
from clinics.models import FamilyMember, Invitation, PendingJoin
from courses.models import Enrollment

PASSWORD = "a long and happy password 42"


def sign_up(client, email, next_url):
    return client.post(next_url, {"display_name": "Fran", "email": email, "password1": PASSWORD, "password2": PASSWORD})


def confirmation_link() -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[-1].body).group(1)


@pytest.fixture
def phone():
    return Client()  # the second browser: the phone the email is read on


def agree_and_sign_up(laptop, clinic, email="fran@example.com"):
    response = laptop.post(clinic.join_path(), {"agree": "on"})
    assert response["Location"] == reverse("account_signup")
    sign_up(laptop, email, response["Location"])
    assert PendingJoin.objects.filter(user__email=email, clinic=clinic).exists()
    return User.objects.get(email=email)


def test_code_join_completes_when_the_email_is_confirmed_in_another_browser(client, phone, clinic, quiz_course):
    user = agree_and_sign_up(client, clinic)
    assert not FamilyMember.objects.exists()  # not before the address is confirmed

    link = confirmation_link()
    assert phone.get(link).status_code == 200
    response = phone.post(link, follow=True)
    assert FamilyMember.objects.filter(clinic=clinic, user=user).exists()
    assert Enrollment.objects.get(user=user, course=quiz_course).source == "clinic"
    assert not PendingJoin.objects.exists()
    assert "joined Calm Waters Clinic" in response.content.decode().replace("&#x27;", "'")

    # Back on the laptop, signing in finds the join done: no error, no second membership.
    client.logout()
    phone.logout()
    response = phone.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert phone.get(reverse("clinics:join_continue"))["Location"] == reverse("dashboard")
    assert FamilyMember.objects.filter(user=user).count() == 1


def test_same_browser_still_joins_once(client, clinic):
    user = agree_and_sign_up(client, clinic)
    response = client.post(confirmation_link(), follow=True)
    assert response.status_code == 200
    assert FamilyMember.objects.filter(clinic=clinic, user=user).count() == 1
    page = response.content.decode().replace("&#x27;", "'")
    assert page.count("You've joined Calm Waters Clinic") == 1


def test_invitation_for_another_address_still_asks_after_confirmation(client, phone, clinic, clinic_staff):
    services.invite_families(clinic=clinic, actor=clinic_staff, rows=services.rows_from_text("mum@example.com"))
    invitation = Invitation.objects.get(email="mum@example.com")
    token = services.invitation_token(invitation)
    response = client.post(reverse("clinics:join_invitation", args=[token]), {"agree": "on"})
    sign_up(client, "son@example.com", reverse("account_signup"))  # signs up with another address
    son = User.objects.get(email="son@example.com")
    phone.post(confirmation_link())
    assert not FamilyMember.objects.exists()  # never joined as someone else without asking
    phone.force_login(son)
    response = phone.get(reverse("clinics:join_continue"))
    assert response["Location"].startswith("/clinics/join/invite/")
    assert "This invitation was sent to" in phone.get(response["Location"]).content.decode()


def test_a_pending_join_goes_with_the_account(client, clinic):
    user = agree_and_sign_up(client, clinic)
    user.delete()
    assert not PendingJoin.objects.exists()
