"""The two PDFs in both fonts: the system's Unicode font when present, else the core font with characters it
cannot encode replaced. Any text a person types must give a PDF, never a 500."""

import pytest
from django.urls import reverse

from toolkit import pdf
from toolkit.models import SECTIONS
from toolkit.services import save_safety_plan

AWKWARD = "Zoë and Ñandú — “quotes” ‘single’ … 🌿😊 李雷 tab\there " + "unbroken" * 40


@pytest.fixture(params=["unicode", "core"])
def font(request, monkeypatch):
    if request.param == "core":
        monkeypatch.setattr(pdf, "UNICODE_FONT", pdf.Path("/nonexistent.ttf"))
    elif not pdf.UNICODE_FONT.exists():
        pytest.skip("no DejaVu font on this system")
    return request.param


def test_the_plan_pdf_holds_the_crisis_lines_and_the_plan(caregiver_client, caregiver, monkeypatch):
    monkeypatch.setattr(pdf, "UNICODE_FONT", pdf.Path("/nonexistent.ttf"))
    monkeypatch.setattr(pdf, "COMPRESS", False)
    save_safety_plan(user=caregiver, coping="A walk round the block", what_matters="Our dog Pepper")
    response = caregiver_client.get(reverse("toolkit:safety_plan_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    body = response.content
    assert b"Call or text 988" in body and b"call 911" in body
    assert b"A walk round the block" in body and b"Our dog Pepper" in body
    assert b"My warning signs" in body, "empty parts still print, with lines to write on"


def test_the_plan_pdf_filename_has_no_personal_data(caregiver_client, caregiver):
    save_safety_plan(user=caregiver, coping="Music")
    disposition = caregiver_client.get(reverse("toolkit:safety_plan_pdf"))["Content-Disposition"]
    assert disposition == 'attachment; filename="support-circle-safety-plan.pdf"'


def test_a_blank_plan_prints_for_writing_by_hand(caregiver_client):
    response = caregiver_client.get(reverse("toolkit:safety_plan_pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_awkward_text_never_breaks_the_plan_pdf(caregiver_client, caregiver, font):
    save_safety_plan(user=caregiver, **dict.fromkeys(SECTIONS, AWKWARD))
    response = caregiver_client.get(reverse("toolkit:safety_plan_pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_the_core_font_replaces_what_it_cannot_print(caregiver, monkeypatch):
    monkeypatch.setattr(pdf, "UNICODE_FONT", pdf.Path("/nonexistent.ttf"))
    monkeypatch.setattr(pdf, "COMPRESS", False)
    plan = save_safety_plan(user=caregiver, coping="Zoë — “hi” 😊")
    body = pdf.safety_plan_pdf(plan)
    assert 'Zoë - "hi" ?'.encode("latin-1") in body
