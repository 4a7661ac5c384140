"""The personal safety plan: private to its writer, saved, edited, deleted, exported and gone with the account."""

import json

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from clinics.models import FamilyMember
from toolkit.models import SECTION_MAX_LENGTH, SECTIONS, SafetyPlan
from toolkit.services import delete_safety_plan, save_safety_plan

PLAN_URL = reverse("toolkit:safety_plan")
SECRET = "Walk to the bakery on Elm Street with Marisol"


def filled(**parts) -> dict[str, str]:
    data = dict.fromkeys(SECTIONS, "")
    data.update(parts)
    return data


def test_anonymous_is_sent_to_sign_in(client, db):
    for name in ("toolkit:safety_plan", "toolkit:safety_plan_pdf", "toolkit:safety_plan_delete"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert client.post(PLAN_URL, filled(coping=SECRET)).status_code == 302
    assert not SafetyPlan.objects.exists()


def test_save_then_see_it_again_and_edit(caregiver_client, caregiver):
    page = caregiver_client.get(PLAN_URL)
    assert page.status_code == 200
    html = page.content.decode()
    for name in SECTIONS:
        field = SafetyPlan._meta.get_field(name)
        assert f'for="id_{name}"' in html and str(field.verbose_name) in html and field.help_text
    assert "novalidate" in html and "never shown to a clinic" in html

    response = caregiver_client.post(
        PLAN_URL, filled(warning_signs="I stop answering my phone", coping=SECRET), follow=True
    )
    assert response.redirect_chain == [(PLAN_URL, 302)]
    assert "Your safety plan is saved. Only you can see it." in response.content.decode()
    plan = SafetyPlan.objects.get(user=caregiver)
    assert plan.coping == SECRET and plan.warning_signs == "I stop answering my phone"
    assert SECRET in caregiver_client.get(PLAN_URL).content.decode()

    caregiver_client.post(PLAN_URL, filled(coping="Music\r\nA shower"))
    plan.refresh_from_db()
    assert plan.coping == "Music\nA shower" and plan.warning_signs == ""
    assert SafetyPlan.objects.filter(user=caregiver).count() == 1


def test_personal_pages_are_never_cached(caregiver_client, caregiver):
    save_safety_plan(user=caregiver, coping=SECRET)
    for name in ("toolkit:safety_plan", "toolkit:safety_plan_pdf", "toolkit:safety_plan_delete"):
        cache_control = caregiver_client.get(reverse(name))["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, name


def test_over_long_text_keeps_everything_typed_and_says_what_to_fix(caregiver_client, caregiver):
    too_long = "x" * (SECTION_MAX_LENGTH + 1)
    response = caregiver_client.post(PLAN_URL, filled(coping=SECRET, safer_home=too_long))
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html and 'href="#id_safer_home"' in html
    assert (
        f"Please shorten this part to {SECTION_MAX_LENGTH} characters or fewer (it has {SECTION_MAX_LENGTH + 1})"
        in html
    )
    assert SECRET in html and too_long in html
    assert not SafetyPlan.objects.exists()


def test_line_breaks_count_once_toward_the_limit(caregiver_client, caregiver):
    text = ("a" * 9 + "\r\n") * (SECTION_MAX_LENGTH // 10)  # 1000 characters once \r\n is one break
    assert caregiver_client.post(PLAN_URL, filled(coping=text.strip())).status_code == 302
    assert len(SafetyPlan.objects.get(user=caregiver).coping) <= SECTION_MAX_LENGTH


def test_an_empty_plan_is_not_saved(caregiver_client):
    response = caregiver_client.post(PLAN_URL, filled(coping="   "))
    assert response.status_code == 200
    assert "Write something in at least one part of the plan" in response.content.decode()
    assert not SafetyPlan.objects.exists()


def test_the_database_refuses_an_over_long_part(caregiver):
    with pytest.raises(IntegrityError), transaction.atomic():
        SafetyPlan.objects.create(user=caregiver, what_matters="x" * (SECTION_MAX_LENGTH + 1))


def test_the_service_takes_only_parts_of_the_plan(caregiver):
    with pytest.raises(TypeError):
        save_safety_plan(user=caregiver, diagnosis="anything")
    field_names = {f.name for f in SafetyPlan._meta.get_fields()}
    assert field_names == {"id", "user", "updated_at", *SECTIONS}, "no name, diagnosis, medicine or dates"


def test_delete_asks_first_then_deletes(caregiver_client, caregiver):
    save_safety_plan(user=caregiver, coping=SECRET)
    assert "Delete this plan" in caregiver_client.get(PLAN_URL).content.decode()
    confirm = caregiver_client.get(reverse("toolkit:safety_plan_delete"))
    assert confirm.status_code == 200 and "cannot be undone" in confirm.content.decode()
    assert SafetyPlan.objects.filter(user=caregiver).exists(), "the confirmation page deletes nothing"

    response = caregiver_client.post(reverse("toolkit:safety_plan_delete"), follow=True)
    assert response.redirect_chain == [(PLAN_URL, 302)]
    assert "Your safety plan is deleted." in response.content.decode()
    assert not SafetyPlan.objects.filter(user=caregiver).exists()
    assert SECRET not in response.content.decode()
    # Nothing left to delete: the page sends the person back.
    assert caregiver_client.get(reverse("toolkit:safety_plan_delete")).status_code == 302
    assert delete_safety_plan(user=caregiver) is False


def test_each_person_sees_only_their_own_plan(client, caregiver, other_caregiver):
    save_safety_plan(user=caregiver, coping=SECRET)
    save_safety_plan(user=other_caregiver, coping="Olive's own steps")
    client.force_login(other_caregiver)
    html = client.get(PLAN_URL).content.decode()
    assert "Olive&#x27;s own steps" in html and SECRET not in html
    # Deleting touches only the signed-in person's plan.
    client.post(reverse("toolkit:safety_plan_delete"))
    assert SafetyPlan.objects.filter(user=caregiver, coping=SECRET).exists()
    assert not SafetyPlan.objects.filter(user=other_caregiver).exists()


def test_clinic_staff_never_reach_a_members_plan(client, staff_login, caregiver, clinic, manager, monkeypatch):
    """The plan URL names no person; anything that would name one is a 404, and clinic pages never show it."""
    from toolkit import pdf

    FamilyMember.objects.create(clinic=clinic, user=caregiver, consented_at=timezone.now())
    plan = save_safety_plan(user=caregiver, coping=SECRET)
    staff_login(client, manager)
    for url in (
        f"{PLAN_URL}{caregiver.pk}/",
        f"{PLAN_URL}{plan.pk}/",
        f"{PLAN_URL}{caregiver.pk}/pdf/",
        f"/toolkit/safety-plans/{plan.pk}/",
        f"/clinics/{clinic.slug}/families/{caregiver.pk}/safety-plan/",
    ):
        assert client.get(url).status_code == 404, url
    # Asking with the learner's id in the query still shows the manager's own (empty) plan.
    own = client.get(f"{PLAN_URL}?user={caregiver.pk}&plan={plan.pk}")
    assert own.status_code == 200 and SECRET not in own.content.decode()
    monkeypatch.setattr(pdf, "UNICODE_FONT", pdf.Path("/nonexistent.ttf"))
    monkeypatch.setattr(pdf, "COMPRESS", False)
    own_pdf = client.get(f"{reverse('toolkit:safety_plan_pdf')}?user={caregiver.pk}")
    assert own_pdf.status_code == 200 and SECRET.encode() not in own_pdf.content
    # The clinic's own pages about this learner say nothing of it.
    for url in (
        reverse("clinics:member", args=[clinic.slug, caregiver.pk]),
        reverse("clinics:dashboard", args=[clinic.slug]),
        reverse("clinics:export", args=[clinic.slug]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
        assert SECRET not in body and "safety-plan" not in body and "Safety plan" not in body, url
    assert SafetyPlan.objects.get(user=caregiver).coping == SECRET


def test_the_plan_is_in_the_data_export(caregiver_client, caregiver):
    assert json.loads(caregiver_client.get(reverse("accounts:export")).content)["safety_plan"] is None
    save_safety_plan(user=caregiver, coping=SECRET, what_matters="Our dog, Pepper")
    data = json.loads(caregiver_client.get(reverse("accounts:export")).content)
    assert data["safety_plan"]["coping"] == SECRET
    assert data["safety_plan"]["what_matters"] == "Our dog, Pepper"
    assert set(data["safety_plan"]) == {*SECTIONS, "updated_at"}


def test_deleting_the_account_deletes_the_plan(client, make_caregiver):
    person = make_caregiver("plan.keeper@example.com", verified=True)
    person.set_password("a long and happy password 42")
    person.save(update_fields=["password"])
    keep = make_caregiver("someone.else@example.com")
    save_safety_plan(user=person, coping=SECRET)
    save_safety_plan(user=keep, coping="Not theirs")
    client.force_login(person)
    response = client.post(reverse("accounts:data"), {"password": "a long and happy password 42", "confirm": "on"})
    assert response.status_code == 302
    assert not SafetyPlan.objects.filter(coping=SECRET).exists()
    assert SafetyPlan.objects.filter(user=keep).exists()
