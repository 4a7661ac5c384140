"""The low findings of the probe, one test each: hostile input that was a 500, methods and bodies no page takes,
and an invitation recorded as sent when it was not."""

import smtplib
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from clinics.models import Clinic, Invitation

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def staff_client(client, clinic_staff, staff_login):
    staff_login(client, clinic_staff)
    return client


# --- A NUL byte in a path (PostgreSQL refuses NUL: it was a 500 there) -------------------------------------


@pytest.mark.parametrize("path", ["/verify/%00/", "/clinics/join/%00/", "/courses/certificates/%00/", "/about/%01"])
def test_a_control_character_in_the_path_is_a_400(client, caregiver, path):
    client.force_login(caregiver)
    response = client.get(path)
    assert response.status_code == 400
    assert "We couldn't understand that request" in response.content.decode()


# --- CSV uploads that were a 500 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, message",
    [
        (b"email," + b"n" * 200_000 + b"\na@example.com,x\n", "could not be read as CSV"),
        (b"email,name\na@example.com,A\x00B\n", "contains a NUL character"),
    ],
    ids=["huge header field", "NUL byte"],
)
def test_unreadable_csv_is_a_form_error(staff_client, clinic, content, message):
    upload = SimpleUploadedFile("f.csv", content, content_type="text/csv")
    response = staff_client.post(reverse("clinics:invite", args=[clinic.slug]), {"emails": "", "csv_file": upload})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


def test_csv_with_old_mac_line_endings_is_read(staff_client, clinic):
    upload = SimpleUploadedFile("f.csv", b"email,name\ra@example.com,Ann\rb@example.com,Bo\r", content_type="text/csv")
    staff_client.post(reverse("clinics:invite", args=[clinic.slug]), {"emails": "", "csv_file": upload})
    assert sorted(Invitation.objects.values_list("email", "name")) == [
        ("a@example.com", "Ann"),
        ("b@example.com", "Bo"),
    ]


# --- A form declaring charset=utf-16 -----------------------------------------------------------------------


def test_a_form_in_utf_16_is_a_400_not_a_500():
    """Django refuses the body (400); the 400 page then ran the CSRF check, which read the body again: 500."""
    client = Client(enforce_csrf_checks=True)
    client.raise_request_exception = False
    client.get(reverse("account_login"))
    token = client.cookies["csrftoken"].value
    body = f"csrfmiddlewaretoken={token}&login=a@example.com&password=x".encode("utf-16")
    response = client.generic(
        "POST", reverse("account_login"), body, content_type="application/x-www-form-urlencoded; charset=utf-16"
    )
    assert response.status_code == 400
    assert "We couldn't understand that request" in response.content.decode()


# --- A line break in a clinic's name -----------------------------------------------------------------------


def test_a_clinic_name_must_be_one_line(client, clinic, manager, staff_login):
    staff_login(client, manager)
    response = client.post(
        reverse("clinics:settings", args=[clinic.slug]),
        {"name": "Calm\nWaters", "contact_phone": "", "after_hours_phone": ""},
    )
    assert response.status_code == 200 and "Use a single line" in response.content.decode()
    assert Clinic.objects.get(pk=clinic.pk).name == "Calm Waters Clinic"


def test_an_old_name_with_a_line_break_still_sends_invitations(staff_client, clinic):
    Clinic.objects.filter(pk=clinic.pk).update(name="Calm\r\nWaters")
    response = staff_client.post(reverse("clinics:invite", args=[clinic.slug]), {"emails": "a@example.com"})
    assert response.status_code == 302
    assert mail.outbox[0].subject == "Calm Waters invites you to Support Circle"
    assert Invitation.objects.get().sent_at is not None


def test_an_invitation_whose_email_failed_is_not_recorded_as_sent(staff_client, clinic, clinic_staff, monkeypatch):
    from clinics import services

    services.invite_families(clinic=clinic, actor=clinic_staff, rows=services.rows_from_text("kept@example.com"))
    invitation = Invitation.objects.get()
    before = (invitation.send_count, invitation.sent_at)

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    response = staff_client.post(reverse("clinics:invite", args=[clinic.slug]), {"emails": "new@example.com"})
    assert response.status_code == 302  # queued at once; the worker's attempt failed and is recorded
    new = Invitation.objects.get(email="new@example.com")
    assert (new.delivery, new.sent_at, new.send_count) == (Invitation.Delivery.FAILED, None, 0)
    assert "SMTPServerDisconnected" in new.last_error

    staff_client.post(reverse("clinics:invitation_action", args=[clinic.slug, invitation.pk, "resend"]))
    invitation.refresh_from_db()
    assert (invitation.send_count, invitation.sent_at) == before
    assert invitation.delivery == Invitation.Delivery.FAILED


# --- Methods and bodies no page takes ------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_methods_no_page_takes_are_refused(client, method):
    response = client.generic(method, "/about/")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD, POST"


def test_uploads_are_capped_outside_the_invite_form(caregiver_client, staff_client, clinic):
    big = SimpleUploadedFile("big.bin", b"x" * 400_000)
    caregiver_client.raise_request_exception = False
    response = caregiver_client.post(reverse("accounts:profile"), {"display_name": "Casey", "file": big})
    assert response.status_code == 400
    # The invite form takes its CSV (up to 1 MB; the form explains anything larger).
    rows = b"email\n" + b"".join(b"person%d@example.com\n" % n for n in range(30_000))
    assert 600_000 < len(rows) < 1_000_000
    upload = SimpleUploadedFile("families.csv", rows, content_type="text/csv")
    response = staff_client.post(reverse("clinics:invite", args=[clinic.slug]), {"emails": "", "csv_file": upload})
    assert response.status_code == 200 and "at most 2000 addresses" in response.content.decode()


def test_the_benchmark_page_is_not_routed_unless_asked_for(client):
    assert client.get("/bench/bare/").status_code == 404
    code = "from django.urls import resolve; print(resolve('/bench/bare/').func.__name__)"
    env = {"DJANGO_SETTINGS_MODULE": "config.test_settings", "DJANGO_ENV_FILE": "/nonexistent", "BENCH_BARE_VIEW": "1"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.strip().splitlines()[-1] == "bare", result.stderr


# --- Settings ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, folder",
    [("filemail:///var/tmp/sc-mail", "/var/tmp/sc-mail"), ("filemail://tmp/mail", str(ROOT / "tmp/mail"))],
)
def test_filemail_takes_an_absolute_or_a_relative_folder(url, folder):
    code = "from django.conf import settings; print(settings.EMAIL_FILE_PATH, settings.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    env = {"DJANGO_SETTINGS_MODULE": "config.test_settings", "DJANGO_ENV_FILE": "/nonexistent", "EMAIL_URL": url}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    # Also: kept database connections are checked before use, so one the server dropped is not a 500.
    assert result.stdout.strip().splitlines()[-1] == f"{folder} True", result.stderr


def test_seed_demo_refuses_production_settings_unless_told(db):
    from io import StringIO

    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="--allow-production"):
        call_command("seed_demo", clinics=1, families=0, stdout=StringIO())
