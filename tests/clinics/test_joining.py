import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from clinics import services
from clinics.models import FamilyMember, Invitation
from courses.models import Enrollment

PASSWORD = "a long and happy password 42"


def invite(clinic, actor, email):
    services.invite_families(clinic=clinic, actor=actor, rows=services.rows_from_text(email))
    return re.search(r"https?://[^/\s]+(/clinics/join/invite/[^\s]+/)", mail.outbox[-1].body).group(1)


def test_new_person_joins_from_the_emailed_link(client, clinic, clinic_staff, quiz_course):
    link = invite(clinic, clinic_staff, "newfamily@example.com")
    page = client.get(link).content.decode()
    for shown in ("name and email", "course progress", "quiz scores", "were last active"):
        assert shown in page
    no_consent = client.post(link, {})
    assert "Please tick the box" in no_consent.content.decode()

    response = client.post(link, {"agree": "on"})
    assert response["Location"] == reverse("account_signup") + "?email=newfamily@example.com"
    response = client.post(
        response["Location"],
        {
            "display_name": "Fran",
            "email": "newfamily@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    # the invitation proved the address: no second email round-trip, straight into the clinic's course
    assert response["Location"] == reverse("clinics:join_continue")
    response = client.get(response["Location"])
    assert response["Location"] == reverse("dashboard")
    user = User.objects.get(email="newfamily@example.com")
    assert EmailAddress.objects.get(user=user).verified
    assert FamilyMember.objects.filter(clinic=clinic, user=user).exists()
    assert Enrollment.objects.get(user=user, course=quiz_course).source == "clinic"
    assert Invitation.objects.get(email="newfamily@example.com").status == "accepted"
    assert quiz_course.title in client.get(reverse("dashboard")).content.decode()

    client.logout()
    reused = client.get(link)
    assert reused.status_code == 410 and "already been used" in reused.content.decode()


def test_existing_user_signs_in_and_joins(client, clinic, clinic_staff, caregiver):
    link = invite(clinic, clinic_staff, caregiver.email)
    client.force_login(caregiver)
    assert "Agree and join" in client.get(link).content.decode()
    response = client.post(link, {"agree": "on"})
    assert response["Location"] == reverse("dashboard")
    assert FamilyMember.objects.filter(clinic=clinic, user=caregiver).exists()
    assert FamilyMember.objects.get(clinic=clinic, user=caregiver).invitation.email == caregiver.email
    assert Invitation.objects.get(email=caregiver.email).status == "accepted"
    course = clinic.courses.get()
    assert Enrollment.objects.get(user=caregiver, course=course).source == "clinic"
    assert course.title in client.get(reverse("dashboard")).content.decode()


def test_join_by_code(client, clinic, caregiver):
    client.force_login(caregiver)
    wrong = client.post(reverse("clinics:join_code"), {"code": "NOPE1234"})
    assert "find a clinic with that code" in wrong.content.decode()
    response = client.post(reverse("clinics:join_code"), {"code": clinic.join_code.lower()})
    assert response["Location"] == clinic.join_path()
    consent = client.get(clinic.join_path()).content.decode()
    assert "Calm Waters Clinic" in consent and "Agree and join" in consent
    client.post(clinic.join_path(), {"agree": "on"})
    assert FamilyMember.objects.filter(clinic=clinic, user=caregiver, invitation__isnull=True).exists()
    assert client.get("/clinics/join/ZZZZZZZZ/").status_code == 404


def test_consent_is_required(client, clinic, caregiver):
    client.force_login(caregiver)
    response = client.post(clinic.join_path(), {})
    assert not FamilyMember.objects.exists()
    assert response.status_code == 200
    assert "Please tick the box to agree" in response.content.decode()
    assert not Enrollment.objects.filter(user=caregiver).exists()


def test_leaving_a_clinic_hides_the_caregiver_from_staff(
    client, clinic, clinic_staff, caregiver, django_capture_on_commit_callbacks, staff_login
):
    client.force_login(caregiver)
    client.post(clinic.join_path(), {"agree": "on"})
    assert clinic.name in client.get(reverse("clinics:mine")).content.decode()
    staff_login(client, clinic_staff)
    assert caregiver.email in client.get(reverse("clinics:dashboard", args=[clinic.slug])).content.decode()
    client.force_login(caregiver)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("clinics:leave", args=[clinic.slug]), follow=True)
    assert not FamilyMember.objects.exists()
    assert "You've left Calm Waters Clinic" in response.content.decode().replace("&#x27;", "'")

    staff_login(client, clinic_staff)
    assert caregiver.email not in client.get(reverse("clinics:dashboard", args=[clinic.slug])).content.decode()
    assert client.get(reverse("clinics:member", args=[clinic.slug, caregiver.pk])).status_code == 404
