"""Issue 16: clinics invite each family in its own language (the form, a CSV column), and the email, its link,
the join page, the consent text and a new account follow the invitation's language."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from clinics import services
from clinics.languages import parse_language
from clinics.models import Invitation

PASSWORD = "a long and happy password 42"


@pytest.fixture
def staff_client(client, clinic_staff, staff_login):
    staff_login(client, clinic_staff)
    return client


def invite_url(clinic, language="en"):
    with translation.override(language):
        return reverse("clinics:invite", args=[clinic.slug])


def join_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S*clinics/join/invite/[^\s]+/)", message.body).group(1)


def upload(data: bytes):
    return SimpleUploadedFile("families.csv", data, content_type="text/csv")


def test_a_spanish_invitation_sends_a_spanish_email_with_a_spanish_link(staff_client, clinic):
    # Sent from an English page: the email follows the invitation's language, not the request's.
    staff_client.post(invite_url(clinic), {"emails": "ana@example.com", "language": "es"})
    invitation = Invitation.objects.get(email="ana@example.com")
    assert invitation.language == "es"
    (message,) = mail.outbox
    assert message.subject == "Calm Waters Clinic le invita a Support Circle"
    assert message.body.startswith("Hola:")
    assert "Únase aquí (el enlace funciona durante 14 días):" in message.body
    assert "marque 2 para español" in message.body and "AYUDA" in message.body
    assert "invites you" not in message.body and "Join here" not in message.body
    assert join_link(message).startswith("/es/clinics/join/invite/")


def test_an_english_invitation_from_a_spanish_page_stays_english(staff_client, clinic):
    staff_client.post(invite_url(clinic, "es"), {"emails": "bo@example.com", "language": "en"})
    (message,) = mail.outbox
    assert message.subject == "Calm Waters Clinic invites you to Support Circle"
    assert "Join here" in message.body and "Únase" not in message.body
    assert join_link(message).startswith("/clinics/join/invite/")


def test_the_form_offers_the_page_language_first(staff_client, clinic):
    spanish = staff_client.get(invite_url(clinic, "es")).content.decode()
    assert re.search(r'<option value="es"[^>]*selected', spanish)
    assert "Idioma de la invitación" in spanish
    english = staff_client.get(invite_url(clinic)).content.decode()
    assert re.search(r'<option value="en"[^>]*selected', english)
    # posted without a choice (an old form): the page's language
    staff_client.post(invite_url(clinic, "es"), {"emails": "cy@example.com"})
    assert Invitation.objects.get(email="cy@example.com").language == "es"


def test_a_resent_invitation_keeps_its_language(staff_client, clinic):
    staff_client.post(invite_url(clinic), {"emails": "di@example.com", "language": "es"})
    invitation = Invitation.objects.get(email="di@example.com")
    staff_client.post(reverse("clinics:invitation_action", args=[clinic.slug, invitation.pk, "resend"]))
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject.endswith("le invita a Support Circle")
    assert join_link(mail.outbox[1]).startswith("/es/")


def test_csv_language_column_sets_each_rows_language(staff_client, clinic):
    data = (
        "email,name,language\n"
        "a@example.com,A,es\n"
        "b@example.com,B,English\n"
        "c@example.com,C,Español\n"
        "d@example.com,D,inglés\n"
        "e@example.com,E,SPANISH\n"
        "f@example.com,F,\n"
    ).encode()
    staff_client.post(invite_url(clinic), {"emails": "", "csv_file": upload(data), "language": "en"})
    languages = dict(Invitation.objects.values_list("email", "language"))
    assert languages == {
        "a@example.com": "es",
        "b@example.com": "en",
        "c@example.com": "es",
        "d@example.com": "en",
        "e@example.com": "es",
        "f@example.com": "en",  # blank: the form's choice
    }
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["c@example.com"].endswith("le invita a Support Circle")
    assert subjects["d@example.com"].endswith("invites you to Support Circle")


def test_csv_without_a_language_column_uses_the_form_choice(staff_client, clinic):
    data = b"email,name\nx@example.com,X\ny@example.com,Y\n"
    staff_client.post(invite_url(clinic), {"emails": "", "csv_file": upload(data), "language": "es"})
    assert set(Invitation.objects.values_list("language", flat=True)) == {"es"}


def test_a_bad_language_is_reported_on_its_row_and_nothing_else_is_lost(staff_client, clinic):
    data = b"email,language\ngood@example.com,es\nbad@example.com,French\nalso@example.com,en\n"
    response = staff_client.post(invite_url(clinic), {"emails": "", "csv_file": upload(data)})
    html = response.content.decode()
    assert set(Invitation.objects.values_list("email", flat=True)) == {"good@example.com", "also@example.com"}
    assert "Unknown language “French”: write en (English) or es (Spanish), or leave it blank." in html
    assert "bad@example.com" in html.split("<textarea")[1]  # back in the box, to fix and send again
    assert len(mail.outbox) == 2


def test_the_bad_language_message_is_in_spanish_on_a_spanish_page(staff_client, clinic):
    data = b"email,language\nbad@example.com,klingon\n"
    html = staff_client.post(invite_url(clinic, "es"), {"emails": "", "csv_file": upload(data)}).content.decode()
    assert "Idioma desconocido “klingon”" in html
    assert not Invitation.objects.exists()


def test_the_upload_explains_the_language_column(staff_client, clinic):
    assert (
        "“language” column write en (English) or es (Spanish)" in staff_client.get(invite_url(clinic)).content.decode()
    )


@pytest.mark.parametrize(
    "cell, code",
    [
        ("en", "en"),
        ("ES", "es"),
        ("English", "en"),
        ("Spanish", "es"),
        ("Español", "es"),
        ("espanol", "es"),
        ("Inglés", "en"),
        ("es-MX", "es"),
        (" en_US ", "en"),
        ("French", None),
        ("e", None),
    ],
)
def test_parse_language(cell, code):
    assert parse_language(cell) == code


def test_join_page_and_consent_follow_a_spanish_invitation(client, clinic, clinic_staff):
    services.invite_families(
        clinic=clinic, actor=clinic_staff, rows=services.rows_from_text("eva@example.com"), language="es"
    )
    link = join_link(mail.outbox[-1])
    page = client.get(link)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Únase a Calm Waters Clinic en Support Circle" in html
    assert "Acepto que esta clínica vea mi nombre" in html
    assert "Lo que Calm Waters Clinic verá" in html and "Aceptar y continuar" in html
    assert "I agree that this clinic" not in html and "What they will not see" not in html
    refused = client.post(link, {}).content.decode()
    assert "Marque la casilla para aceptar" in refused
    # The English address of the same link sends the visitor to the invitation's language's address.
    english_address = link.removeprefix("/es")
    assert client.get(english_address)["Location"] == link


def test_the_language_switch_beats_the_invitation_language(client, clinic, clinic_staff, settings):
    services.invite_families(
        clinic=clinic, actor=clinic_staff, rows=services.rows_from_text("flo@example.com"), language="es"
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(join_link(mail.outbox[-1]).removeprefix("/es")).content.decode()
    assert "I agree that this clinic can see my name" in html


def test_a_new_account_from_a_spanish_invitation_is_spanish(client, clinic, clinic_staff):
    services.invite_families(
        clinic=clinic, actor=clinic_staff, rows=services.rows_from_text("gil@example.com"), language="es"
    )
    link = join_link(mail.outbox[-1])
    response = client.post(link, {"agree": "on"})
    with translation.override("es"):
        signup = reverse("account_signup")
    assert response["Location"] == signup + "?email=gil@example.com"
    client.post(
        response["Location"],
        {"display_name": "Gil", "email": "gil@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert User.objects.get(email="gil@example.com").language == "es"


def test_a_new_account_from_an_english_invitation_keeps_english(client, clinic, clinic_staff):
    services.invite_families(clinic=clinic, actor=clinic_staff, rows=services.rows_from_text("hal@example.com"))
    response = client.post(join_link(mail.outbox[-1]), {"agree": "on"})
    client.post(
        response["Location"],
        {"display_name": "Hal", "email": "hal@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert User.objects.get(email="hal@example.com").language == "en"
