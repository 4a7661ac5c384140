"""Finding 7: invitation links acted as bearer tokens. Opening one and signing up with a different address created
the account under the invited address, marked verified (an identity swap); anyone signed in who opened someone
else's invitation joined as themselves without a word. Staff could not tell who had joined."""

import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from clinics import services
from clinics.models import FamilyMember, Invitation

PASSWORD = "a long and happy password 42"
INVITED = "invited.person@example.com"


def invite(clinic, actor) -> str:
    services.invite_families(clinic=clinic, actor=actor, rows=services.rows_from_text(INVITED))
    return re.search(r"https?://[^/\s]+(/clinics/join/invite/[^\s]+/)", mail.outbox[-1].body).group(1)


def staff_sees(client, staff, clinic, login) -> str:
    login(client, staff)
    return client.get(reverse("clinics:invitations", args=[clinic.slug])).content.decode()


def test_signing_up_from_an_invitation_with_another_address_is_no_identity_swap(client, clinic, clinic_staff):
    link = invite(clinic, clinic_staff)
    response = client.post(link, {"agree": "on"})
    assert response["Location"] == reverse("account_signup") + f"?email={INVITED}"
    response = client.post(
        response["Location"],
        {"display_name": "Mallory", "email": "mallory@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    # The account is the address typed, unconfirmed; the invited address is nobody's.
    user = User.objects.get(email="mallory@example.com")
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
        ("mallory@example.com", False)
    ]
    assert not User.objects.filter(email=INVITED).exists()
    assert not EmailAddress.objects.filter(email=INVITED).exists()
    assert response["Location"] == reverse("account_email_verification_sent")
    assert mail.outbox[-1].to == ["mallory@example.com"]
    assert not FamilyMember.objects.exists() and Invitation.objects.get().status == "pending"

    # Confirming their own address signs them in; the invitation then says whom it was for, and asks.
    key_link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[-1].body).group(1)
    client.post(key_link)
    response = client.get(reverse("clinics:join_continue"))
    # Back to the same invitation (a freshly signed link: its timestamp may differ by a second).
    token = response["Location"].removeprefix("/clinics/join/invite/").rstrip("/")
    assert services.invitation_from_token(token) == Invitation.objects.get()
    page = client.get(link).content.decode()
    assert f"This invitation was sent to <strong>{INVITED}</strong>" in page
    assert "signed in as <strong>mallory@example.com</strong>" in page


def test_someone_signed_in_with_another_address_is_told_and_must_confirm(
    client, clinic, clinic_staff, caregiver, staff_login
):
    link = invite(clinic, clinic_staff)
    client.force_login(caregiver)
    page = client.get(link).content.decode()
    assert f"This invitation was sent to <strong>{INVITED}</strong>" in page
    assert f"Join with my own account ({caregiver.email}), not as {INVITED}." in page

    refused = client.post(link, {"agree": "on"})
    assert refused.status_code == 200 and f"Please confirm that you are joining as {caregiver.email}." in (
        refused.content.decode()
    )
    assert not FamilyMember.objects.exists()

    response = client.post(link, {"agree": "on", "not_the_invitee": "on"})
    assert response["Location"] == reverse("dashboard")
    member = FamilyMember.objects.get(clinic=clinic)
    assert member.user == caregiver and member.invitation.email == INVITED

    # Staff see who actually joined from the invitation.
    html = staff_sees(client, clinic_staff, clinic, staff_login)
    assert INVITED in html and f"joined as {caregiver.email}" in html


def test_the_invited_person_joins_without_the_extra_question(client, clinic, clinic_staff, make_caregiver, staff_login):
    person = make_caregiver(INVITED, verified=True)
    link = invite(clinic, clinic_staff)
    client.force_login(person)
    page = client.get(link).content.decode()
    assert "not_the_invitee" not in page and "This invitation was sent to" not in page
    assert client.post(link, {"agree": "on"})["Location"] == reverse("dashboard")
    assert "joined as" not in staff_sees(client, clinic_staff, clinic, staff_login)


def test_the_invited_address_vouches_for_that_sign_up_only(client, clinic, clinic_staff):
    """Opening the invitation, then signing up with the invited address: confirmed at once, straight in."""
    link = invite(clinic, clinic_staff)
    client.post(link, {"agree": "on"})
    response = client.post(
        reverse("account_signup"),
        {"display_name": "Ivy", "email": INVITED.upper(), "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response["Location"] == reverse("clinics:join_continue")
    assert EmailAddress.objects.get(email=INVITED).verified
    assert client.get(response["Location"])["Location"] == reverse("dashboard")
    assert "invited_email" not in client.session  # spent: it confirms no address added later
