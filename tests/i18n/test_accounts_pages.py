"""Sign-in, sign-up, password reset, two-factor and the account pages in Spanish: no English sentence from the
catalogue left in the page's own content (the account menu beside it is the site's, checked with every page)."""

import re

import pytest

from tests.i18n.test_spanish_pages import english_fragments, visible_text

PASSWORD = "correct horse battery"  # make_caregiver's


def content(response) -> str:
    """The page's <main>, without the navigation inside it."""
    page = response.content.decode()
    main = re.search(r"(?s)<main\b.*?</main>", page).group(0)
    return visible_text(re.sub(r"(?s)<nav\b.*?</nav>", " ", main))


def assert_spanish(response, *spanish: str) -> None:
    assert response.status_code == 200
    assert '<html lang="es">' in response.content.decode()
    text = content(response)
    english = sorted(fragment for fragment in english_fragments() if fragment in text)
    assert not english, f"English left: {english}"
    for words in spanish:
        assert words in text


@pytest.mark.django_db
def test_entrance_pages_in_spanish(client):
    assert_spanish(client.get("/es/accounts/login/"), "¿Olvidó su contraseña?", "Enviarme un código")
    assert_spanish(client.get("/es/accounts/signup/"), "Su nombre", "Crear una cuenta")
    assert_spanish(client.get("/es/accounts/password/reset/"), "Restablecer la contraseña")
    assert_spanish(client.get("/es/accounts/login/code/"), "Pedir el código")
    assert_spanish(client.get("/es/accounts/confirm-email/not-a-key/"), "Este enlace de confirmación venció")
    assert_spanish(client.get("/es/accounts/password/reset/key/1-nope/"), "Enviarme un enlace nuevo")


@pytest.mark.django_db
def test_form_errors_in_spanish(client):
    response = client.post("/es/accounts/login/", {"login": "nadie@example.com", "password": "no"})
    assert_spanish(response, "no son correctas")
    response = client.post("/es/accounts/signup/", {"email": "no", "password1": "a", "password2": "b"})
    assert_spanish(response, "Escriba un nombre, aunque sea solo el nombre de pila.")


@pytest.mark.django_db
def test_after_sign_up_and_password_reset_requests(client):
    response = client.post(
        "/es/accounts/signup/",
        {
            "display_name": "Noor",
            "email": "nueva@example.com",
            "password1": "una clave larga 42",
            "password2": "una clave larga 42",
        },
        follow=True,
    )
    assert_spanish(response, "Le enviamos un correo electrónico para confirmar su dirección.")
    client.logout()
    response = client.post("/es/accounts/password/reset/", {"email": "nueva@example.com"}, follow=True)
    assert response.redirect_chain[-1][0].startswith("/es/")
    assert_spanish(response)
    response = client.post("/es/accounts/login/code/", {"email": "nueva@example.com"}, follow=True)
    assert_spanish(response, "El código vence pronto")


@pytest.mark.django_db
def test_two_factor_step_at_sign_in_in_spanish(client, make_caregiver, turn_on_two_factor, totp_code):
    user = make_caregiver("ana@example.com", verified=True, language="es")
    secret = turn_on_two_factor(user)
    response = client.post("/es/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response["Location"] == "/es/accounts/2fa/authenticate/"
    assert_spanish(client.get(response["Location"]), "Verificación en dos pasos", "Escriba un código de su aplicación")
    response = client.post("/es/accounts/2fa/authenticate/", {"code": "000000"})
    assert_spanish(response)
    response = client.post("/es/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response["Location"] == "/es/my-learning/"


@pytest.mark.django_db
def test_turning_on_two_factor_in_spanish(client, make_caregiver):
    user = make_caregiver("ana@example.com", verified=True, language="es")
    client.post("/es/accounts/login/", {"login": user.email, "password": PASSWORD})  # a fresh sign-in
    assert_spanish(client.get("/es/accounts/2fa/"), "Verificación en dos pasos")
    response = client.get("/es/accounts/2fa/totp/activate/")
    assert_spanish(response, "Activar la aplicación de autenticación", "Copiar la clave secreta")
    assert 'alt="Código QR para agregar Support Circle' in response.content.decode()


@pytest.mark.django_db
def test_account_pages_in_spanish(client, make_caregiver):
    client.force_login(make_caregiver("ana@example.com", verified=True, language="es"))
    response = client.get("/es/accounts/profile/")
    assert_spanish(response, "Su perfil", "Idioma", "lunes")
    assert 'value="Guardar perfil"' in response.content.decode()
    assert_spanish(client.get("/es/accounts/your-data/"), "Borrar su cuenta")
    assert_spanish(client.get("/es/accounts/password/change/"), "Cambiar la contraseña")
    assert_spanish(client.get("/es/accounts/email/"))
    response = client.post("/es/accounts/your-data/", {"password": "wrong", "confirm": "on"})
    assert_spanish(response, "Esa contraseña no es correcta.")


@pytest.mark.django_db
def test_english_pages_unchanged(client, caregiver):
    html = client.get("/accounts/login/").content.decode()
    assert "Forgot your password?" in html and '<html lang="en">' in html
    client.force_login(caregiver)
    html = client.get("/accounts/profile/").content.decode()
    assert "Your profile" in html and "Save profile" in html and "Monday" in html and "Language" in html
