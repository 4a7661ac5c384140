"""Every account email is written in the recipient's language, links included, whatever the page's language."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from accounts.reminders import unsubscribe_url

PASSWORD = "a long and happy password 42"


def links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def site_paths(message) -> list[str]:
    return [link.removeprefix(settings.SITE_URL) for link in links(message) if link.startswith(settings.SITE_URL)]


@pytest.mark.django_db
def test_sign_up_in_spanish_sends_a_spanish_confirmation(client):
    client.post(
        "/es/accounts/signup/",
        {"display_name": "Noor", "email": "nueva@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    [message] = mail.outbox
    assert "¡Saludos de Support Circle!" in message.body and "Gracias por usar Support Circle." in message.body
    assert "Para confirmar que es correcto, vaya a" in message.body
    assert "Hello from" not in message.body
    [path] = site_paths(message)
    assert path.startswith("/es/accounts/confirm-email/")
    html = client.get(path).content.decode()
    assert "Confirme que" in html and "Please confirm" not in html
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == "/es/my-learning/"


@pytest.mark.django_db
def test_after_choosing_spanish_the_next_email_is_spanish_with_spanish_links(client, make_caregiver):
    user = make_caregiver("casey@example.com", verified=True)
    client.force_login(user)
    client.post(
        "/accounts/profile/",
        {"display_name": "Casey", "language": "es", "relationship": "parent", "reminder_rhythm": "off"},
    )
    client.logout()
    client.cookies.clear()
    mail.outbox.clear()

    client.post("/accounts/password/reset/", {"email": "casey@example.com"})  # asked for on an English page
    [message] = mail.outbox
    assert message.subject == "[Support Circle] Cambiar su contraseña"
    assert "¡Saludos de Support Circle!" in message.body and "pidió cambiar la contraseña de su cuenta" in message.body
    assert "You're receiving this email" not in message.body
    [path] = site_paths(message)
    assert path.startswith("/es/accounts/password/reset/key/")
    assert client.get(path, follow=True).status_code == 200


@pytest.mark.django_db
def test_an_english_account_gets_english_email_from_a_spanish_page(client, make_caregiver):
    make_caregiver("casey@example.com", verified=True)
    client.post("/es/accounts/password/reset/", {"email": "casey@example.com"})
    [message] = mail.outbox
    assert message.subject == "[Support Circle] Password Reset Email"
    assert "Hello from Support Circle!" in message.body and "Saludos" not in message.body
    [path] = site_paths(message)
    assert path.startswith("/accounts/password/reset/key/")


@pytest.mark.django_db
def test_an_address_without_an_account_hears_back_in_the_page_language(client):
    client.post("/es/accounts/password/reset/", {"email": "nadie@example.com"})
    [message] = mail.outbox
    assert "¡Saludos de Support Circle!" in message.body
    assert [path for path in site_paths(message) if path.startswith("/es/accounts/signup/")]


@pytest.mark.django_db
def test_sign_in_code_email_follows_the_account(client, make_caregiver):
    make_caregiver("ana@example.com", verified=True, language="es")
    client.post("/accounts/login/code/", {"email": "ana@example.com"})
    [message] = mail.outbox
    assert message.subject == "[Support Circle] Su código para iniciar sesión"
    assert "¡Saludos de Support Circle!" in message.body


@pytest.mark.django_db
def test_email_rendered_during_a_spanish_request_leaves_the_request_in_spanish(client, make_caregiver):
    """Rendering the email in English must not switch the rest of the Spanish page to English."""
    make_caregiver("casey@example.com", verified=True)
    response = client.post("/es/accounts/password/reset/", {"email": "casey@example.com"}, follow=True)
    assert "Hello from" in mail.outbox[0].body
    assert 'lang="es"' in response.content.decode()


@pytest.mark.django_db
def test_the_reminder_unsubscribe_link_is_in_the_learners_language(make_caregiver):
    spanish = make_caregiver("ana@example.com", language="es")
    english = make_caregiver("casey@example.com")
    with translation.override("en"):  # a worker, or an English request, makes the link
        assert unsubscribe_url(spanish).startswith(settings.SITE_URL + "/es/accounts/reminders/stop/")
    with translation.override("es"):
        assert unsubscribe_url(english).startswith(settings.SITE_URL + "/accounts/reminders/stop/")


@pytest.mark.django_db
def test_the_unsubscribe_page_speaks_spanish(client, make_caregiver):
    user = make_caregiver("ana@example.com", language="es")
    path = unsubscribe_url(user).removeprefix(settings.SITE_URL)
    html = client.get(path).content.decode()
    assert "¿Dejar de recibir recordatorios del curso?" in html and "Stop course reminders" not in html
    html = client.post(path).content.decode()
    assert "Recordatorios desactivados" in html and "Reminders stopped" not in html
    html = client.get("/es/accounts/reminders/stop/nope/").content.decode()
    assert "Este enlace no es válido" in html


@pytest.mark.django_db
def test_signing_up_again_with_a_spanish_accounts_address_tells_its_owner_in_spanish(client, make_caregiver):
    make_caregiver("ana@example.com", verified=True, language="es")
    client.post(
        "/accounts/signup/",
        {"display_name": "Noor", "email": "ana@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    [message] = mail.outbox
    assert message.subject == "[Support Circle] Ya tiene una cuenta"
    assert "Pero ya existe una cuenta con ese correo." in message.body
    assert site_paths(message) == ["/es/accounts/password/reset/"]


@pytest.mark.django_db
def test_the_data_export_names_the_language(client, make_caregiver):
    client.force_login(make_caregiver("ana@example.com", language="es"))
    assert client.get("/es/accounts/your-data/export/").json()["profile"]["language"] == "Español"
