"""A newly created admin signs in and reaches admin at once, after turning on two-factor (issue 15: 11)."""

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User

PASSWORD = "admin password for tests 42"


@pytest.fixture
def created(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("create_admin", "--email", "Boss@Example.com", "--name", "Bo", "--noinput")
    return User.objects.get(email="boss@example.com")


def test_admin_is_created_with_a_verified_address(created):
    assert created.is_superuser and created.is_staff and created.check_password(PASSWORD)
    assert EmailAddress.objects.filter(user=created, email="boss@example.com", verified=True, primary=True).exists()


def test_new_admin_signs_in_then_is_sent_to_two_factor_setup(client, created):
    response = client.post(reverse("account_login"), {"login": "boss@example.com", "password": PASSWORD})
    assert response.status_code == 302, "signed in at once: no confirmation email round-trip"
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_index")


def test_existing_account_needs_promote(created, caregiver, monkeypatch):
    with pytest.raises(CommandError, match="--promote"):
        call_command("create_admin", "--email", caregiver.email, "--noinput")
    call_command("create_admin", "--email", caregiver.email, "--noinput", "--promote")
    caregiver.refresh_from_db()
    assert caregiver.is_superuser and EmailAddress.objects.get(user=caregiver).verified


def test_weak_or_missing_password_is_refused(db, monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="DJANGO_SUPERUSER_PASSWORD"):
        call_command("create_admin", "--email", "x@example.com", "--noinput")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("create_admin", "--email", "x@example.com", "--noinput")
    assert not User.objects.filter(email="x@example.com").exists()
