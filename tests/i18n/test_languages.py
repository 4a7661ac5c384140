"""Choosing the language: the URL decides (/es/… is Spanish), the switch remembers, a first visit follows the
browser, a signed-in person's profile follows them to a new browser; every page says its language."""

import pytest
from django.conf import settings

COOKIE = settings.LANGUAGE_COOKIE_NAME


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "lang"), [("/", "en"), ("/es/", "es"), ("/about/", "en"), ("/es/about/", "es")])
def test_every_page_says_its_language(client, path, lang):
    page = client.get(path).content.decode()
    assert f'<html lang="{lang}">' in page


@pytest.mark.django_db
def test_search_engines_see_both_addresses(client):
    page = " ".join(client.get("/es/about/").content.decode().split())
    site = settings.SITE_URL
    assert f'<link rel="alternate" hreflang="en" href="{site}/about/">' in page
    assert f'<link rel="alternate" hreflang="es" href="{site}/es/about/">' in page
    assert f'<link rel="alternate" hreflang="x-default" href="{site}/about/">' in page


@pytest.mark.django_db
def test_the_switch_offers_the_other_language_in_its_own_language(client):
    english = client.get("/about/").content.decode()
    spanish = client.get("/es/about/").content.decode()
    assert 'value="es"' in english and 'lang="es">Español</button>' in english
    assert 'value="en"' in spanish and 'lang="en">English</button>' in spanish
    assert 'aria-label="Idioma"' in spanish and 'aria-label="Language"' in english


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "expected"),
    [("es-MX,es;q=0.9,en;q=0.8", "/es/courses/"), ("es", "/es/courses/"), ("en-US,en;q=0.9", None), ("fr", None)],
)
def test_first_visit_follows_the_browser(client, accept, expected):
    response = client.get("/courses/", headers={"accept-language": accept})
    if expected:
        assert response.status_code == 302 and response["Location"] == expected
        assert "Accept-Language" in response["Vary"]
    else:
        assert response.status_code == 200


@pytest.mark.django_db
def test_the_query_string_survives_the_redirect(client):
    response = client.get("/courses/?page=2", headers={"accept-language": "es"})
    assert response["Location"] == "/es/courses/?page=2"


@pytest.mark.django_db
def test_a_chosen_language_beats_the_browser(client):
    client.cookies[COOKIE] = "en"
    assert client.get("/courses/", headers={"accept-language": "es"}).status_code == 200


@pytest.mark.django_db
def test_a_shared_spanish_link_opens_in_spanish_whatever_the_browser(client):
    client.cookies[COOKIE] = "en"
    response = client.get("/es/courses/", headers={"accept-language": "en"})
    assert response.status_code == 200 and '<html lang="es">' in response.content.decode()


@pytest.mark.django_db
def test_posts_and_non_pages_are_never_redirected(client):
    assert client.get("/healthz", headers={"accept-language": "es"}).status_code == 200
    assert client.get("/no-such-page/", headers={"accept-language": "es"}).status_code == 404


@pytest.mark.django_db
def test_switching_keeps_the_page_and_remembers(client):
    response = client.post("/language/", {"language": "es", "next": "/courses/"})
    assert response.status_code == 302 and response["Location"] == "/es/courses/"
    assert response.cookies[COOKIE].value == "es"
    # Back to English from a Spanish page: the same page, English address, and no redirect back to Spanish.
    response = client.post("/language/", {"language": "en", "next": "/es/about/"})
    assert response["Location"] == "/about/"
    assert client.get("/about/", headers={"accept-language": "es"}).status_code == 200


@pytest.mark.django_db
def test_the_switch_never_sends_anyone_off_site(client):
    response = client.post("/language/", {"language": "es", "next": "https://evil.example/"})
    assert response.status_code == 302 and "evil" not in response["Location"]


@pytest.mark.django_db
def test_a_signed_in_choice_is_saved_on_the_profile(client, make_caregiver):
    person = make_caregiver()
    client.force_login(person)
    client.post("/language/", {"language": "es", "next": "/my-learning/"})
    person.refresh_from_db()
    assert person.language == "es"
    client.post("/language/", {"language": "xx", "next": "/"})  # not a language we have: nothing changes
    person.refresh_from_db()
    assert person.language == "es"


@pytest.mark.django_db
def test_the_profile_follows_a_person_to_a_new_browser(client, make_caregiver):
    person = make_caregiver()
    person.language = "es"
    person.save()
    client.force_login(person)
    response = client.get("/my-learning/", headers={"accept-language": "en"})
    assert response.status_code == 302 and response["Location"] == "/es/my-learning/"
    client.cookies[COOKIE] = "en"  # …until they choose otherwise on this browser
    assert client.get("/my-learning/").status_code == 200


@pytest.mark.django_db
def test_the_crisis_line_in_spanish_gives_988s_spanish_options(client):
    page = client.get("/es/").content.decode()
    assert "marque 2" in page and "AYUDA" in page and 'href="tel:988"' in page and 'href="tel:911"' in page
    assert "988lifeline.org/es" in page
    assert "Información educativa, no consejo médico." in page
