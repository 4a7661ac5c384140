"""The person's language: saved at sign-up, changed in the profile or with the switch, and where sign-in lands."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User

PASSWORD = "a long and happy password 42"


def sign_up(client, url, email="nueva@example.com"):
    return client.post(url, {"display_name": "Noor", "email": email, "password1": PASSWORD, "password2": PASSWORD})


@pytest.mark.django_db
def test_sign_up_on_the_spanish_page_saves_spanish(client):
    response = sign_up(client, "/es/accounts/signup/")
    assert response.status_code == 302 and response["Location"].startswith("/es/")
    assert User.objects.get(email="nueva@example.com").language == "es"


@pytest.mark.django_db
def test_sign_up_on_the_english_page_saves_english(client):
    sign_up(client, "/accounts/signup/", email="new@example.com")
    assert User.objects.get(email="new@example.com").language == "en"


@pytest.mark.django_db
def test_profile_changes_the_language_and_opens_again_in_it(client, caregiver):
    client.force_login(caregiver)
    response = client.post(
        "/accounts/profile/",
        {"display_name": "Casey", "language": "es", "relationship": "parent", "reminder_rhythm": "off"},
    )
    assert response.status_code == 302 and response["Location"] == "/es/accounts/profile/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    caregiver.refresh_from_db()
    assert caregiver.language == "es" and caregiver.relationship == "parent"
    html = client.get(response["Location"]).content.decode()
    assert "Su perfil está guardado." in html and 'value="es" selected' in html.replace("\n", " ")


@pytest.mark.django_db
def test_profile_saved_without_a_language_keeps_it(client, make_caregiver):
    user = make_caregiver("es@example.com", language="es")
    client.force_login(user)
    response = client.post(
        "/es/accounts/profile/", {"display_name": "Ana", "relationship": "parent", "reminder_rhythm": "off"}
    )
    assert response["Location"] == "/es/accounts/profile/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    user.refresh_from_db()
    assert user.language == "es" and user.display_name == "Ana"


@pytest.mark.django_db
def test_the_switch_saves_the_language_on_the_profile_and_sets_the_cookie(client, caregiver):
    client.force_login(caregiver)
    response = client.post(reverse("set_language"), {"language": "es", "next": "/accounts/profile/"})
    assert response.status_code == 302 and response["Location"] == "/es/accounts/profile/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    caregiver.refresh_from_db()
    assert caregiver.language == "es"


@pytest.mark.django_db
def test_the_switch_without_an_account_sets_only_the_cookie(client):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 302 and response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


@pytest.mark.django_db
def test_the_switch_ignores_a_language_we_do_not_have(client, caregiver):
    client.force_login(caregiver)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    caregiver.refresh_from_db()
    assert caregiver.language == "en"


def sign_in(client, url, email):
    return client.post(url, {"login": email, "password": "correct horse battery"})


@pytest.mark.django_db
def test_sign_in_lands_in_the_language_of_the_profile(client, make_caregiver):
    make_caregiver("es@example.com", verified=True, language="es")
    response = sign_in(client, "/accounts/login/", "es@example.com")
    assert response.status_code == 302 and response["Location"] == "/es/my-learning/"


@pytest.mark.django_db
def test_sign_in_on_a_spanish_page_lands_in_spanish_whatever_the_profile(client, make_caregiver):
    make_caregiver("en@example.com", verified=True)  # an account from before the Spanish site: profile "en"
    response = sign_in(client, "/es/accounts/login/", "en@example.com")
    assert response["Location"] == "/es/my-learning/"
    client.logout()
    response = sign_in(client, "/accounts/login/", "en@example.com")
    assert response["Location"] == "/my-learning/"


@pytest.mark.django_db
def test_the_switch_cookie_outranks_the_profile_at_sign_in(client, make_caregiver):
    make_caregiver("es@example.com", verified=True, language="es")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = sign_in(client, "/accounts/login/", "es@example.com")
    assert response["Location"] == "/my-learning/"


@pytest.mark.django_db
def test_sign_in_keeps_an_explicit_next_page(client, make_caregiver):
    make_caregiver("es@example.com", verified=True, language="es")
    response = sign_in(client, "/accounts/login/?next=/courses/", "es@example.com")
    assert response["Location"] == "/courses/"


@pytest.mark.django_db
def test_spanish_admin_pages_ask_staff_for_the_code_too(client, admin_user_with_2fa):
    """/es/admin/ is the same admin as /admin/: a session that skipped the code reaches neither."""
    client.force_login(admin_user_with_2fa)
    for url in ("/admin/", "/es/admin/", "/es/admin/accounts/user/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/reauthenticate/" in response["Location"], url


@pytest.mark.django_db
def test_staff_warning_is_in_the_page_language(client, make_caregiver):
    staff = make_caregiver("staff@example.com", verified=True, is_staff=True)
    client.force_login(staff)
    response = client.get("/es/admin/", follow=True)
    html = response.content.decode()
    assert "deben activar la verificación en dos pasos" in html
    assert "Staff accounts must turn on two-factor" not in html
