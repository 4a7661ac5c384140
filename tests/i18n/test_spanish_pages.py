"""Every page, for every role, in Spanish: it answers as in English, says lang="es", and shows none of the
English interface text the catalogue translates (a forgotten {% translate %} shows up here)."""

import html
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from clinics.models import Invitation
from tests.test_permission_matrix import EXPECTED, ROLES, url_names, world  # noqa: F401 (world is a fixture)

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|<[^>]+>")


def english_fragments() -> set[str]:
    """Pieces of English long enough to be unmistakable (two words or more, 12+ characters), from every
    catalogue entry whose Spanish differs; markup and placeholders split a sentence into pieces."""
    fragments = set()
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete or not entry.translated():
            continue
        spanish = entry.msgstr or " ".join(entry.msgstr_plural.values())
        for english in filter(None, (entry.msgid, entry.msgid_plural)):
            for piece in PLACEHOLDER.split(html.unescape(english)):
                piece = " ".join(piece.split()).strip(" .,:;·()")
                if len(piece) >= 12 and " " in piece and piece not in html.unescape(spanish):
                    fragments.add(piece)
    return fragments


def visible_text(page: str) -> str:
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<!--.*?-->", " ", page)
    # Attribute text people hear or see: alt, aria-label, title, placeholder, value of buttons.
    attributes = " ".join(re.findall(r'(?:alt|aria-label|title|placeholder)="([^"]*)"', page))
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + attributes).split())


@pytest.mark.parametrize("role", ROLES)
def test_every_page_in_spanish(client, world, role, staff_login):  # noqa: F811
    Invitation.objects.update(language="es")  # an English invitation's page sends a visitor to its English address
    if role != ROLES[0]:
        staff_login(client, world["users"][role])
    column = ROLES.index(role)
    fragments = english_fragments()
    assert len(fragments) > 100, "the catalogue should translate the interface"
    checked, failures = 0, []
    for name in url_names():
        if EXPECTED[name][column] != 200 or name == "healthz":
            continue
        with translation.override("es"):
            url = reverse(name, args=world["args"].get(name, []))
        assert url.startswith("/es/"), url
        response = client.get(url)
        if response.status_code != 200:
            failures.append(f"{url}: {response.status_code}")
            continue
        if not response["Content-Type"].startswith("text/html"):
            continue
        page = response.content.decode()
        if '<html lang="es">' not in page:
            failures.append(f"{url}: no lang=es")
        text = visible_text(page)
        english = sorted(fragment for fragment in fragments if fragment in text)
        if english:
            failures.append(f"{url}: English left: {english[:8]}")
        checked += 1
    assert checked >= 5
    assert not failures, f"{role}:\n" + "\n".join(failures)
