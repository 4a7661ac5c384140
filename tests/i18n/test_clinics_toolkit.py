"""Issue 16: the treatment-day checklist and the safety plan, as pages and PDFs, in Spanish, with the crisis line
in Spanish (988: press 2; text AYUDA; chat 988lifeline.org/es; 911)."""

import pytest
from django.urls import reverse
from django.utils import translation

from toolkit import pdf
from toolkit.services import save_safety_plan


@pytest.fixture
def readable_pdfs(monkeypatch):
    """The core font without compression, so the PDF's text can be searched in its bytes (Latin-1, as it prints)."""
    monkeypatch.setattr(pdf, "UNICODE_FONT", pdf.Path("/nonexistent.ttf"))
    monkeypatch.setattr(pdf, "COMPRESS", False)


def url(name, language="en"):
    with translation.override(language):
        return reverse(name)


def latin1(text: str) -> bytes:
    return text.encode("latin-1")


def test_the_spanish_checklist_pdf_is_in_spanish(client, db, readable_pdfs):
    body = client.get(url("toolkit:checklist_pdf", "es")).content
    assert body.startswith(b"%PDF")
    for text in (
        "Lista de verificación",  # the title, wrapped over two lines in the PDF
        "El día anterior",
        "En la bolsa",
        "A quién llamar",
        "marque 2 para español",
        "AYUDA",
        "988lifeline.org/es",
        "llame al 911",
    ):
        assert latin1(text) in body, text
    assert b"Treatment-day checklist" not in body and b"Who to call" not in body


def test_the_checklist_pdf_language_can_be_asked_for(client, db, readable_pdfs):
    spanish = client.get(url("toolkit:checklist_pdf") + "?language=es").content
    assert latin1("A quién llamar") in spanish
    english = client.get(url("toolkit:checklist_pdf", "es") + "?language=en").content
    assert b"Who to call" in english and latin1("A quién llamar") not in english
    unknown = client.get(url("toolkit:checklist_pdf") + "?language=xx").content
    assert b"Who to call" in unknown


def test_the_spanish_checklist_page(client, db):
    html = client.get(url("toolkit:checklist", "es")).content.decode()
    assert "Lista de verificación para el día del tratamiento" in html
    assert "Está reservado el viaje de ida y el de regreso a casa." in html
    assert "marque 2 para español" in html
    assert "Who to call" not in html and "The day before" not in html
    assert url("toolkit:checklist_pdf", "es") in html
    assert url("toolkit:checklist_pdf", "es") + "?language=en" in html  # the English copy, from the Spanish page


def test_the_spanish_safety_plan_pdf(caregiver_client, caregiver, readable_pdfs):
    save_safety_plan(user=caregiver, coping="Caminar")
    body = caregiver_client.get(url("toolkit:safety_plan_pdf", "es")).content
    for text in ("Mi plan de seguridad", "Mis señales de alerta", "Caminar", "marque 2 para español", "AYUDA"):
        assert latin1(text) in body, text
    assert b"My warning signs" not in body


def test_the_spanish_safety_plan_page(caregiver_client):
    html = caregiver_client.get(url("toolkit:safety_plan", "es")).content.decode()
    assert "Su plan de seguridad" in html and "Mis señales de alerta" in html and "Guardar mi plan" in html
    assert "marque 2 para español" in html
    assert "My warning signs" not in html and "Save my plan" not in html
