"""The treatment-day checklist: public, the same list on the page and in the PDF, and the clinic's numbers only
for that clinic's family members."""

import pytest
from django.urls import reverse
from django.utils import timezone

from clinics.models import FamilyMember
from toolkit import pdf
from toolkit.checklist import CHECKLIST, WHO_TO_CALL

CHECKLIST_URL = reverse("toolkit:checklist")
PDF_URL = reverse("toolkit:checklist_pdf")


@pytest.fixture
def readable_pdfs(monkeypatch):
    """The core font without compression, so the PDF's text can be searched in its bytes."""
    monkeypatch.setattr(pdf, "UNICODE_FONT", pdf.Path("/nonexistent.ttf"))
    monkeypatch.setattr(pdf, "COMPRESS", False)


def join(user, clinic):
    FamilyMember.objects.create(clinic=clinic, user=user, consented_at=timezone.now())


def test_anyone_can_open_the_checklist_and_its_pdf(client, db):
    page = client.get(CHECKLIST_URL)
    assert page.status_code == 200
    html = page.content.decode()
    for section in CHECKLIST:
        assert str(section.heading) in html
        for item in section.items:
            assert str(item.title).replace("'", "&#x27;") in html
    for item in WHO_TO_CALL:
        assert str(item.title) in html
    assert "Education, not medical advice." in html and 'href="tel:988"' in html
    assert 'media="print"' in html and "css/print" in html
    assert "no-store" not in page.get("Cache-Control", "")

    response = client.get(PDF_URL)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="support-circle-treatment-day-checklist.pdf"'


def test_the_checklist_teaches_the_label_facts():
    text = " ".join(f"{i.title} {i.detail}" for s in CHECKLIST for i in s.items)
    assert "until the next day, after a restful sleep" in text
    assert "Someone else drives home" in text
    assert "at least 2 hours after every dose" in text
    assert "Each IV clinic sets its own" in text
    assert "2 hours" in text and "30 minutes" in text and "1 hour" in text


def test_a_member_sees_their_clinic_numbers_and_never_another_clinics(client, caregiver, clinic, make_clinic):
    make_clinic("Riverside Clinic", "riverside", contact_phone="555-0300", after_hours_phone="555-0399")
    join(caregiver, clinic)
    client.force_login(caregiver)
    response = client.get(CHECKLIST_URL)
    html = response.content.decode()
    assert "Calm Waters Clinic" in html and "555-0100" in html and "555-0199" in html
    assert "Riverside Clinic" not in html and "555-0300" not in html and "555-0399" not in html
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_a_member_of_two_clinics_sees_both(client, caregiver, clinic, make_clinic):
    second = make_clinic("Riverside Clinic", "riverside", contact_phone="555-0300", after_hours_phone="")
    join(caregiver, clinic)
    join(caregiver, second)
    client.force_login(caregiver)
    html = client.get(CHECKLIST_URL).content.decode()
    assert "Your clinics" in html
    assert "555-0100" in html and "555-0199" in html and "555-0300" in html and "ask the clinic" in html


def test_no_clinic_numbers_for_people_who_are_not_members(client, caregiver, other_caregiver, clinic, manager):
    join(other_caregiver, clinic)
    for person in (None, caregiver, manager):  # anonymous, a learner of no clinic, the clinic's own manager
        client.logout()
        if person:
            client.force_login(person)
        html = client.get(CHECKLIST_URL).content.decode()
        assert "555-0100" not in html and "555-0199" not in html and "Calm Waters Clinic" not in html
        assert "Write your clinic" in html


def test_the_pdf_carries_the_crisis_lines_and_the_members_clinic(
    client, caregiver, clinic, other_clinic, readable_pdfs
):
    other_clinic.contact_phone = "555-0300"
    other_clinic.save()
    anonymous = client.get(PDF_URL).content
    assert b"988" in anonymous and b"911" in anonymous and b"555-0100" not in anonymous
    assert b"Treatment-day checklist" in anonymous and b"Before the dose" in anonymous

    join(caregiver, clinic)
    client.force_login(caregiver)
    response = client.get(PDF_URL)
    assert b"Calm Waters Clinic" in response.content and b"555-0100" in response.content
    assert b"555-0199" in response.content and b"555-0300" not in response.content
    assert "no-store" in response["Cache-Control"]


def test_the_pdf_survives_any_clinic_name(client, caregiver, make_clinic):
    odd = make_clinic("Clínica Ñandú — “Zoë” 🌿", "odd", contact_phone="555-0111", after_hours_phone="☎ 555-0112")
    join(caregiver, odd)
    client.force_login(caregiver)
    response = client.get(PDF_URL)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
