"""Issue 16: clinic staff pages in Spanish, and each family member's language on the family list (a column, a
filter, the CSV export) and on their page."""

import csv
import io
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from clinics import charts, selectors
from clinics.models import FamilyMember

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"


def url(name, *args, lang="en", **query):
    with translation.override(lang):
        address = reverse(name, args=args)
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def family(clinic, email, name, language):
    user = User.objects.create_user(email=email, password="x" * 12, display_name=name, language=language)
    FamilyMember.objects.create(clinic=clinic, user=user, consented_at=timezone.now())
    return user


@pytest.fixture
def families(clinic):
    return [
        family(clinic, "ann@example.com", "Ann English", "en"),
        family(clinic, "bea@example.com", "Bea Española", "es"),
        family(clinic, "cal@example.com", "Cal Español", "es"),
    ]


@pytest.fixture
def staff_client(client, manager, staff_login):
    staff_login(client, manager)
    return client


def names_listed(html: str) -> set[str]:
    return set(re.findall(r'families/\d+/">([^<]+)</a>', html))


def test_the_family_list_shows_everyone_with_their_language(staff_client, clinic, families):
    html = staff_client.get(url("clinics:dashboard", clinic.slug)).content.decode()
    assert names_listed(html) == {"Ann English", "Bea Española", "Cal Español"}
    assert re.search(r'data-label="Language">\s*Spanish\s*<', html)
    assert re.search(r'data-label="Language">\s*English\s*<', html)
    spanish = staff_client.get(url("clinics:dashboard", clinic.slug, lang="es")).content.decode()
    assert re.search(r'data-label="Idioma">\s*Español\s*<', spanish)
    assert re.search(r'data-label="Idioma">\s*Inglés\s*<', spanish)


@pytest.mark.parametrize("language, expected", [("es", {"Bea Española", "Cal Español"}), ("en", {"Ann English"})])
def test_the_family_list_filters_by_language(staff_client, clinic, families, language, expected):
    html = staff_client.get(url("clinics:dashboard", clinic.slug, lang=language)).content.decode()
    assert names_listed(html) == {"Ann English", "Bea Española", "Cal Español"}, "no filter: everyone"
    filtered = staff_client.get(url("clinics:dashboard", clinic.slug, language=language)).content.decode()
    assert names_listed(filtered) == expected


def test_family_rows_filter_and_sort_by_language(clinic, families):
    scope = selectors.ClinicScope.of(clinic)
    spanish = selectors.family_rows(clinic, scope, language="es")
    assert {m.user.email for m in spanish} == {"bea@example.com", "cal@example.com"}
    by_language = [m.user.language for m in selectors.family_rows(clinic, scope, sort="language", descending=True)]
    assert by_language == ["es", "es", "en"]


def exported(client, clinic, **query) -> list[list[str]]:
    response = client.get(url("clinics:export", clinic.slug, **query))
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_csv_export_has_a_language_column_and_follows_the_filter(staff_client, clinic, families):
    rows = exported(staff_client, clinic)
    assert rows[0][-1] == "Language"
    assert {r[1]: r[-1] for r in rows[1:]} == {
        "ann@example.com": "English",
        "bea@example.com": "Spanish",
        "cal@example.com": "Spanish",
    }
    assert sorted(r[1] for r in exported(staff_client, clinic, language="es")[1:]) == [
        "bea@example.com",
        "cal@example.com",
    ]


def test_pending_invitations_show_and_filter_their_language(staff_client, clinic, manager):
    from clinics import services

    services.invite_families(clinic=clinic, actor=manager, rows=services.rows_from_text("p@example.com"), language="es")
    services.invite_families(clinic=clinic, actor=manager, rows=services.rows_from_text("q@example.com"))
    rows = exported(staff_client, clinic, status="not_joined", language="es")
    assert rows[0] == ["Email", "Name", "Invited", "Link expires", "Language"]
    assert [(r[0], r[-1]) for r in rows[1:]] == [("p@example.com", "Spanish")]
    html = staff_client.get(url("clinics:invitations", clinic.slug, lang="es")).content.decode()
    assert "<td>Español</td>" in html and "<td>Inglés</td>" in html


def test_the_member_page_shows_the_language(staff_client, clinic, families):
    bea = families[1]
    html = staff_client.get(url("clinics:member", clinic.slug, bea.pk)).content.decode()
    assert re.search(r"<dt[^>]*>Language</dt>\s*<dd[^>]*>\s*Spanish\s*</dd>", html)


def test_the_cached_family_list_keeps_languages_apart(staff_client, clinic, families):
    staff_client.get(url("clinics:dashboard", clinic.slug))  # cached in English
    spanish = staff_client.get(url("clinics:dashboard", clinic.slug, lang="es")).content.decode()
    assert "Invitado / se unió" in spanish and "Invited / joined" not in spanish


def english_msgids() -> list[str]:
    """The English text of the catalogue's strings that a page could show as it is (no placeholder), long enough not
    to be part of another word, and different in Spanish."""
    catalogue = polib.pofile(str(CATALOGUE))
    return [
        e.msgid
        for e in catalogue
        if "%(" not in e.msgid and not e.msgid_plural and len(e.msgid) >= 10 and e.msgstr and e.msgstr != e.msgid
    ]


def english_left(html: str) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html))  # what people read
    return [msgid for msgid in english_msgids() if re.search(rf"(?<!\w){re.escape(msgid)}(?!\w)", text)]


STAFF_PAGES = ["dashboard", "invite", "invitations", "flyer", "staff", "settings"]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_in_spanish_leave_no_english_behind(staff_client, clinic, families, name):
    from clinics import services

    services.invite_families(
        clinic=clinic, actor=User.objects.get(email="manager@calm.example"), rows=services.rows_from_text("z@x.org")
    )
    response = staff_client.get(url(f"clinics:{name}", clinic.slug, lang="es"))
    assert response.status_code == 200
    html = response.content.decode()
    left = english_left(html)
    assert not left, left


def test_staff_pages_in_spanish_say_it_in_spanish(staff_client, clinic, families):
    dashboard = staff_client.get(url("clinics:dashboard", clinic.slug, lang="es")).content.decode()
    for text in ("Familias activas cada semana", "Cuánto han avanzado las familias", "Descargar un CSV de esta vista"):
        assert text in dashboard
    assert "Folleto en español" in dashboard and "?language=es" in dashboard and "?language=en" in dashboard
    invite = staff_client.get(url("clinics:invite", clinic.slug, lang="es")).content.decode()
    assert "Invitar a familias" in invite and "Enviar invitaciones" in invite


def test_spanish_charts_keep_svg_numbers(staff_client, clinic, families):
    """Spanish writes 12,5 for 12.5: inside an SVG that would break every bar (seen in a screenshot)."""
    dashboard = staff_client.get(url("clinics:dashboard", clinic.slug, lang="es")).content.decode()
    svgs = re.findall(r"(?s)<svg class=\"chart-svg\".*?</svg>", dashboard)
    assert svgs
    numbers = re.findall(r'\b(?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', " ".join(svgs))
    assert numbers and not [n for n in numbers if "," in n], numbers


def test_the_flyer_in_each_language(staff_client, clinic):
    spanish = staff_client.get(url("clinics:flyer", clinic.slug, language="es")).content.decode()
    assert "¿Acompaña a alguien durante un tratamiento con ketamina?" in spanish
    assert "marque 2 para español" in spanish and "AYUDA" in spanish and "988lifeline.org/es" in spanish
    assert f"/es/clinics/join/{clinic.join_code}/" in spanish
    assert 'aria-label="Código QR del enlace para unirse"' in spanish
    assert "Flyer and clinic code" in spanish, "the page around the flyer stays in the page's language"
    english = staff_client.get(url("clinics:flyer", clinic.slug)).content.decode()
    assert "Supporting someone through ketamine treatment?" in english
    assert f"/es/clinics/join/{clinic.join_code}/" not in english
    # The Spanish page's own flyer is Spanish without asking.
    page = staff_client.get(url("clinics:flyer", clinic.slug, lang="es")).content.decode()
    assert "¿Acompaña a alguien durante un tratamiento con ketamina?" in page


def test_chart_labels_in_spanish():
    with translation.override("es"):
        progress = charts.progress_chart([("None", 2), ("1–24%", 1), ("All", 3)], 6)
        activity = charts.activity_chart([(timezone.localdate().replace(month=1, day=5), 4)])
    assert progress.title == "Cuánto han avanzado las familias"
    assert [bar.label for bar in progress.bars] == ["Ninguna", "1–24%", "Todas"]
    assert "el grupo más grande, 3, es “Todas”" in progress.summary
    assert activity.bars[0].sublabel == "Ene" and activity.rows[0][0].startswith("5 de enero de")
    with translation.override("en"):
        english = charts.progress_chart([("None", 2), ("All", 3)], 5)
    assert [bar.label for bar in english.bars] == ["None", "All"]


def test_the_member_page_in_spanish_leaves_no_english_behind(staff_client, clinic, families):
    html = staff_client.get(url("clinics:member", clinic.slug, families[1].pk, lang="es")).content.decode()
    assert "Idioma" in html and "Español" in html
    left = english_left(html)
    assert not left, left


def test_family_pages_in_spanish_leave_no_english_behind(client, clinic, families):
    client.force_login(families[1])
    for address in (
        url("clinics:join_code", lang="es"),
        url("clinics:mine", lang="es"),
        url("clinics:join_link", clinic.join_code, lang="es"),
    ):
        html = client.get(address).content.decode()
        left = english_left(html)
        assert not left, (address, left)
    assert "Clínicas con las que comparte su progreso" in client.get(url("clinics:mine", lang="es")).content.decode()
