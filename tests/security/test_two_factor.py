"""Finding 1: a superuser with an authenticator app signed in at /admin/login/ with the password alone and reached
all of admin, every clinic dashboard and CSV export, with no rate limit on that form."""

import pytest
from django.urls import reverse

ADMIN_PASSWORD = "admin password 123"  # admin_user_with_2fa's


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def admin_secret(db, django_user_model, turn_on_two_factor):
    """A superuser with an authenticator app; returns its secret."""
    admin = django_user_model.objects.create_superuser(email="root@example.com", password=ADMIN_PASSWORD)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    return turn_on_two_factor(admin)


def test_admin_login_page_hands_over_to_allauth(client, admin_secret):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"


def test_the_password_alone_at_admin_login_signs_no_one_in(client, admin_secret, clinic):
    response = client.post("/admin/login/?next=/admin/", {"username": "root@example.com", "password": ADMIN_PASSWORD})
    assert not is_signed_in(client)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    for url in (
        "/admin/",
        reverse("clinics:dashboard", args=[clinic.slug]),
        reverse("clinics:export", args=[clinic.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_admin_sign_in_needs_the_code(client, admin_secret, clinic, totp_code):
    response = client.post(
        reverse("account_login") + "?next=/admin/", {"login": "root@example.com", "password": ADMIN_PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert not is_signed_in(client)
    assert client.get("/admin/").status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(admin_secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("clinics:dashboard", args=[clinic.slug])).status_code == 200


def test_a_session_that_skipped_the_code_reaches_no_staff_page(
    client, admin_secret, clinic, totp_code, django_user_model
):
    """What /admin/login/ used to create: a signed-in session of an account with two-factor set up, but no code
    entered. Staff pages ask for the code, then open."""
    client.force_login(django_user_model.objects.get(email="root@example.com"))
    for url in (
        "/admin/",
        "/admin/clinics/familymember/",
        reverse("clinics:dashboard", args=[clinic.slug]),
        reverse("clinics:export", args=[clinic.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("mfa_reauthenticate")), url
    response = client.post(
        reverse("mfa_reauthenticate") + "?next=/admin/clinics/familymember/", {"code": totp_code(admin_secret)}
    )
    assert response["Location"] == "/admin/clinics/familymember/"
    assert client.get("/admin/clinics/familymember/").status_code == 200


def test_admin_sign_in_is_rate_limited(client, admin_secret):
    """The probe: 40 wrong passwords at /admin/login/, then the right one. Now none of them is checked there, and
    allauth's form (where admin sign-in goes) locks the account after a few failures."""
    for _ in range(40):
        client.post("/admin/login/", {"username": "root@example.com", "password": "wrong"})
    client.post("/admin/login/", {"username": "root@example.com", "password": ADMIN_PASSWORD})
    assert not is_signed_in(client)

    for _ in range(5):
        client.post(reverse("account_login"), {"login": "root@example.com", "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": "root@example.com", "password": ADMIN_PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert not is_signed_in(client)


def test_turning_on_two_factor_counts_as_passing_it_in_that_session(client, make_staff, clinic, totp_code):
    """New staff are sent to set up an authenticator; having just entered a valid code, they go straight on."""
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    staff = make_staff("new@calm.example", clinic, two_factor=False)
    client.post(reverse("account_login"), {"login": staff.email, "password": "staff password 123"})
    dashboard = reverse("clinics:dashboard", args=[clinic.slug])
    assert client.get(dashboard)["Location"] == reverse("mfa_index")
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert client.get(dashboard).status_code == 200
