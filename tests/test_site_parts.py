"""The header and footer are kept rendered per process (config/site_parts.py): one copy per language and kind of
visitor, with each request's own CSRF token and address put in. Nothing of one person may reach another's page,
and the forms in the header must still work."""

import re
from html import unescape
from urllib.parse import unquote

import pytest
from django.test import Client

from config import site_parts

pytestmark = pytest.mark.django_db


def form_fields(html: str, action: str) -> dict[str, str]:
    """The hidden fields of the header form posting to `action`."""
    form = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', html, re.S)
    assert form, f"no form posting to {action}"
    return {name: unescape(value) for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(1))}


def test_the_header_forms_carry_this_requests_csrf_token_and_it_works(caregiver):
    client = Client(enforce_csrf_checks=True)
    client.force_login(caregiver)
    html = client.get("/courses/").content.decode()
    token = client.cookies["csrftoken"].value
    switch = form_fields(html, "/language/")
    assert switch["next"] == "/courses/"
    assert len(switch["csrfmiddlewaretoken"]) == 64 and switch["csrfmiddlewaretoken"] != token  # masked, as Django's

    response = client.post("/language/", {**switch, "language": "es"})
    assert response.status_code == 302 and response["Location"] == "/es/courses/"

    sign_out = form_fields(client.get("/es/courses/").content.decode(), "/es/accounts/logout/")
    assert client.post("/es/accounts/logout/", sign_out).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_forged_or_missing_token_is_still_refused(caregiver):
    client = Client(enforce_csrf_checks=True)
    client.force_login(caregiver)
    client.get("/courses/")
    assert client.post("/accounts/logout/", {"csrfmiddlewaretoken": "x" * 64}).status_code == 403
    assert client.post("/accounts/logout/").status_code == 403


def test_each_kind_of_visitor_gets_its_own_header_in_one_process(client, caregiver, manager):
    def header(html: str) -> str:
        html = html[html.index('<header class="site-header">') : html.index("</header>")]
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)  # a new mask on every page

    visitor = header(client.get("/courses/").content.decode())
    client.force_login(manager)
    staff = header(client.get("/courses/").content.decode())
    client.force_login(caregiver)
    carer = header(client.get("/courses/").content.decode())
    client.logout()
    visitor_again = header(client.get("/courses/").content.decode())

    assert "Sign in" in visitor and "Sign out" not in visitor and "Clinic" not in visitor
    assert "Sign out" in staff and ">Clinic<" in staff
    assert "Sign out" in carer and ">Clinic<" not in carer and "My learning" in carer
    assert visitor_again == visitor


def test_the_header_follows_the_page_language(client):
    english = client.get("/courses/").content.decode()
    spanish = client.get("/es/courses/").content.decode()
    assert ">Courses</a>" in english and ">Español</button>" in english and "Education, not medical advice." in english
    assert ">Cursos</a>" in spanish and ">English</button>" in spanish and ">Courses</a>" not in spanish
    assert client.get("/courses/").content.decode().count(">Courses</a>") == english.count(">Courses</a>")


def test_the_address_put_in_is_escaped_and_never_read_as_a_marker(client):
    hostile = '/courses/?q="><script>alert(1)</script>'
    html = client.get(hostile).content.decode()
    assert "<script>alert(1)" not in html and '"><script>' not in html
    assert unquote(form_fields(html, "/language/")["next"]) == hostile  # the address, quoted as Django gives it
    # Django leaves & and ' in a query as they are: they are escaped here, as {{ }} would.
    assert (
        '<input type="hidden" name="next" value="/courses/?a=1&amp;b=&#x27;2">'
        in client.get("/courses/?a=1&b='2").content.decode()
    )

    # An address that spells a marker stays text: the CSRF input is not put in a second time.
    html = client.get(f"/courses/?q={site_parts._CSRF_INPUT}").content.decode()
    assert form_fields(html, "/language/")["next"] == f"/courses/?q={site_parts._CSRF_INPUT}"
    assert html.count('name="csrfmiddlewaretoken"') == 1  # the switch's (a visitor has no sign-out form)


def test_the_kept_parts_hold_no_token_address_or_person(client, caregiver):
    client.force_login(caregiver)
    client.get("/courses/?from=casey")
    kept = [html for key, (_expires, html) in site_parts_copies().items()]
    assert kept, "the header and footer are kept"
    token = client.cookies["csrftoken"].value
    for html in kept:
        assert "casey" not in html.lower() and caregiver.email not in html and token not in html


def site_parts_copies() -> dict:
    from config import caches

    return {key: value for key, value in caches._local.items() if ":site-part:" in key}


def test_a_changed_setting_drops_the_kept_parts(client, settings):
    """Tests change static storage or languages in a running process: parts built under the old settings go."""
    client.get("/courses/")
    assert site_parts_copies()
    settings.CRISIS_LINE = {"call_text": "988", "emergency": "112"}
    assert not site_parts_copies()
    assert 'href="tel:112"' in client.get("/courses/").content.decode()
