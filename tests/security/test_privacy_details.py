"""The remaining low findings: personal pages kept by caches, staff views not audited, admin showing other
clinics, and emails (HTML escapes in plain text, links to the wrong address)."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from clinics import services
from clinics.models import AuditEvent, FamilyMember, Invitation
from courses.models import Certificate, Lesson

SITE_URL = "https://support.example.org"
ROOT = Path(__file__).resolve().parents[2]


# --- Cache-Control on personal pages ---------------------------------------------------------------------


@pytest.fixture
def personal_urls(caregiver, clinic, quiz_course, take_quiz):
    lesson = Lesson.objects.in_course(quiz_course).in_reading_order().first()
    attempt = take_quiz(caregiver, lesson.quiz)
    certificate = Certificate.objects.create(user=caregiver, course=quiz_course, holder_name="Casey", course_title="T")
    FamilyMember.objects.create(clinic=clinic, user=caregiver, consented_at=timezone.now())
    learner = {
        "my learning": reverse("dashboard"),
        "attempt": reverse("quizzes:attempt", args=[attempt.pk]),
        "certificate": reverse("courses:certificate", args=[certificate.code]),
        "certificate PDF": reverse("courses:certificate_pdf", args=[certificate.code]),
        "JSON export": reverse("accounts:export"),
        "profile": reverse("accounts:profile"),
        "lesson": lesson.get_absolute_url(),
    }
    staff = {
        "clinic dashboard": reverse("clinics:dashboard", args=[clinic.slug]),
        "CSV export": reverse("clinics:export", args=[clinic.slug]),
        "family member": reverse("clinics:member", args=[clinic.slug, caregiver.pk]),
        "invitations": reverse("clinics:invitations", args=[clinic.slug]),
    }
    return learner, staff


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_personal_pages_and_downloads_are_private_and_not_stored(
    client, caregiver, clinic_staff, personal_urls, staff_login
):
    learner, staff = personal_urls
    client.force_login(caregiver)
    staff_client = Client()
    staff_login(staff_client, clinic_staff)
    for who, urls in ((client, learner), (staff_client, staff)):
        for name, url in urls.items():
            response = who.get(url)
            assert response.status_code == 200, name
            assert {"private", "no-store"} <= cache_control(response), f"{name}: {response.get('Cache-Control')}"


def test_an_invitation_page_is_private_even_before_signing_in(client, clinic, clinic_staff):
    services.invite_families(clinic=clinic, actor=clinic_staff, rows=services.rows_from_text("x@example.com"))
    link = re.search(r"https?://[^/\s]+(/clinics/join/invite/[^\s]+/)", mail.outbox[-1].body).group(1)
    assert {"private", "no-store"} <= cache_control(client.get(link))
    # Public pages for someone not signed in stay cacheable.
    assert "no-store" not in cache_control(client.get(reverse("about")))


# --- Staff looking at a family member ---------------------------------------------------------------------


def test_record_member_view_writes_who_looked_at_whom(clinic, clinic_staff, caregiver):
    member = FamilyMember.objects.create(clinic=clinic, user=caregiver, consented_at=timezone.now())
    event = services.record_member_view(actor=clinic_staff, clinic=clinic, member=member)
    assert (event.action, event.actor_email, event.clinic, event.detail) == (
        "view_member",
        clinic_staff.email,
        clinic,
        {"user": caregiver.pk},
    )


def test_opening_a_family_members_page_is_audited(client, clinic, clinic_staff, caregiver, staff_login):
    FamilyMember.objects.create(clinic=clinic, user=caregiver, consented_at=timezone.now())
    staff_login(client, clinic_staff)
    assert client.get(reverse("clinics:member", args=[clinic.slug, caregiver.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="view_member", actor=clinic_staff, detail={"user": caregiver.pk}).exists()


# --- Admin shows a staff member their own clinics only ------------------------------------------------------


def test_every_clinic_model_in_admin_is_limited_to_the_staff_members_clinics(
    client, clinic, other_clinic, clinic_staff, other_staff, caregiver, other_caregiver, staff_login
):
    from django.contrib.auth.models import Permission

    FamilyMember.objects.create(clinic=clinic, user=caregiver, consented_at=timezone.now())
    FamilyMember.objects.create(clinic=other_clinic, user=other_caregiver, consented_at=timezone.now())
    services.invite_families(clinic=other_clinic, actor=other_staff, rows=services.rows_from_text("hill@example.com"))
    services.record(actor=other_staff, clinic=other_clinic, action=AuditEvent.Action.EXPORT_CSV)
    services.record(actor=clinic_staff, clinic=clinic, action=AuditEvent.Action.EXPORT_CSV)
    clinic_staff.is_staff = True
    clinic_staff.save(update_fields=["is_staff"])
    clinic_staff.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_familymember", "view_invitation", "view_clinic", "view_auditevent"]
        )
    )
    staff_login(client, clinic_staff)
    for model in ("familymember", "invitation", "auditevent", "clinic"):
        html = client.get(reverse(f"admin:clinics_{model}_changelist")).content.decode()
        assert "Hilltop" not in html and "staff@hilltop.example" not in html, model
        assert "hill@example.com" not in html and "Olive" not in html, model
    events = client.get(reverse("admin:clinics_auditevent_changelist")).content.decode()
    assert clinic_staff.email in events
    hidden = AuditEvent.objects.get(clinic=other_clinic, action="export_csv")
    assert client.get(reverse("admin:clinics_auditevent_change", args=[hidden.pk])).status_code == 302


# --- Emails: plain text, and every link on SITE_URL -------------------------------------------------------


def links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


@override_settings(SITE_URL=SITE_URL)
def test_every_email_is_plain_text_with_links_on_site_url(client, make_clinic, make_staff, quiz_course, caregiver):
    """The site answered on another address (a proxy, another port); links still go to SITE_URL."""
    other_host = {"HTTP_HOST": "localhost:8001"}
    clinic = make_clinic("Kate & O'Neil's Clinic", "kate", courses=[quiz_course])
    staff = make_staff("kate@clinic.example", clinic)
    services.invite_families(
        clinic=clinic, actor=staff, rows=[services.InviteRow(row=2, email="fam@example.com", name="Seán O'Neil")]
    )
    client.post(
        reverse("account_signup"),
        {
            "display_name": "Dara O'Neil",
            "email": "dara@example.com",
            "password1": "pw long 1234",
            "password2": "pw long 1234",
        },
        **other_host,
    )
    client.post(reverse("account_reset_password"), {"email": staff.email}, **other_host)
    caregiver.display_name = "Casey O'Neil"
    caregiver.save(update_fields=["display_name"])
    from courses.services import enroll

    enroll(user=caregiver, course=quiz_course)
    from accounts.reminders import choose_rhythm

    choose_rhythm(caregiver, "weekly")  # from today, on today's weekday
    call_command("send_course_reminders", stdout=StringIO())

    subjects = [m.subject for m in mail.outbox]
    assert len(mail.outbox) == 4, subjects
    for message in mail.outbox:
        assert "&#x27;" not in message.body and "&amp;" not in message.body and "&#39;" not in message.body
        assert links(message), message.subject
        for link in links(message):
            assert link.startswith(SITE_URL + "/"), f"{message.subject}: {link}"
    invitation, confirmation, reset, reminder = mail.outbox
    assert invitation.body.startswith("Hello Seán O'Neil,") and "Kate & O'Neil's Clinic invites you" in invitation.body
    assert "Support Circle" in confirmation.body and "localhost" not in confirmation.body + reset.body
    assert reminder.body.startswith("Hello Casey O'Neil,")
    assert Invitation.objects.get().sent_at is not None


def production(**extra) -> dict[str, str]:
    import os
    import secrets

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SITE_URL"))}
    env.update(
        DJANGO_ENV_FILE="/nonexistent",
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="support.example.org",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://support.example.org",
        **extra,
    )
    return env


def test_links_go_to_the_site_and_check_deploy_refuses_an_address_it_does_not_serve():
    """The probe ran the site elsewhere than SITE_URL's default (127.0.0.1:8000): links pointed there."""
    import subprocess
    import sys

    def manage(*args, **extra):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=production(**extra), capture_output=True, text=True
        )

    shown = manage("shell", "-c", "from django.conf import settings; print(settings.SITE_URL)")
    assert shown.stdout.strip().splitlines()[-1] == "https://support.example.org", shown.stderr
    refused = manage("check", "--deploy", SITE_URL="http://127.0.0.1:8000")
    assert refused.returncode != 0 and "supportcircle.E001" in refused.stderr + refused.stdout
