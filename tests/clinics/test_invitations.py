import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from clinics import services
from clinics.models import AuditEvent, FamilyMember, Invitation


@pytest.fixture
def staff_client(client, clinic_staff, staff_login):
    staff_login(client, clinic_staff)
    return client


def invite_url(clinic):
    return reverse("clinics:invite", args=[clinic.slug])


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/clinics/join/invite/[^\s]+/)", message.body).group(1)


def test_pasted_list_reports_each_row_and_keeps_valid_ones(staff_client, clinic, clinic_staff, caregiver):
    FamilyMember.objects.create(clinic=clinic, user=caregiver, consented_at=timezone.now())
    Invitation.objects.create(clinic=clinic, email="pending@example.com", expires_at=timezone.now() + timedelta(days=3))
    text = "ann@example.com\nnot-an-email, bob@example.com\nANN@example.com\ncarer@example.com\npending@example.com\n\n"
    response = staff_client.post(invite_url(clinic), {"emails": text})
    html = response.content.decode()
    assert response.status_code == 200
    assert set(Invitation.objects.filter(clinic=clinic, status="pending").values_list("email", flat=True)) == {
        "ann@example.com",
        "bob@example.com",
        "pending@example.com",
    }
    for message in ("Not a valid email address.", "Listed twice", "Already a member", "Already invited"):
        assert message in html
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.com", "bob@example.com"]
    for message in mail.outbox:
        assert message.subject == "Calm Waters Clinic invites you to Support Circle"
        assert "Calm Waters Clinic invites you" in message.body and "555-0100" in message.body
        assert link_in(message)  # a join link the family can open
    # the problem rows are put back in the box to fix
    assert "not-an-email" in html.split("<textarea")[1]
    assert AuditEvent.objects.filter(action="invite", actor=clinic_staff, detail__count=2).exists()


def test_csv_upload_with_good_and_bad_rows(staff_client, clinic):
    data = b"\xef\xbb\xbfEmail,Name\nzoe@example.com,Zo\xc3\xab\nbroken,Bad Row\n,\nyan@example.com,\n"
    upload = SimpleUploadedFile("families.csv", data, content_type="text/csv")
    response = staff_client.post(invite_url(clinic), {"emails": "", "csv_file": upload})
    html = response.content.decode()
    assert {i.email: i.name for i in Invitation.objects.filter(clinic=clinic)} == {
        "zoe@example.com": "Zoë",
        "yan@example.com": "",
    }
    assert "Not a valid email address." in html and ">3<" in html  # row 3 of the file
    assert sorted(m.to[0] for m in mail.outbox) == ["yan@example.com", "zoe@example.com"]
    assert mail.outbox[0].body.startswith("Hello Zoë,") or mail.outbox[1].body.startswith("Hello Zoë,")
    assert "broken" in html.split("<textarea")[1]  # the bad row is put back to fix


@pytest.mark.parametrize(
    "content, message",
    [
        (b"name,address\nA,a@example.com\n", "header with a column named"),
        (b"\xff\xfe\x00e\x00m", "not UTF-8"),
    ],
)
def test_unusable_csv_gets_a_clear_message_and_sends_nothing(staff_client, clinic, content, message):
    upload = SimpleUploadedFile("x.csv", content, content_type="text/csv")
    response = staff_client.post(invite_url(clinic), {"emails": "keep@example.com", "csv_file": upload})
    html = response.content.decode()
    assert message in html and "keep@example.com" in html
    assert not Invitation.objects.exists() and not mail.outbox


def test_empty_form_asks_for_addresses(staff_client, clinic):
    response = staff_client.post(invite_url(clinic), {"emails": "  "})
    assert "Paste at least one email address" in response.content.decode()


def test_resend_replaces_the_link_and_revoke_disables_it(staff_client, client, clinic, clinic_staff, staff_login):
    report = services.invite_families(
        clinic=clinic, actor=clinic_staff, rows=services.rows_from_text("rae@example.com")
    )
    invitation = Invitation.objects.get(email="rae@example.com")
    first_link = link_in(mail.outbox[-1])
    staff_client.post(reverse("clinics:invitation_action", args=[clinic.slug, invitation.pk, "resend"]))
    second_link = link_in(mail.outbox[-1])
    assert first_link != second_link and len(report.invited) == 1
    staff_client.logout()
    assert "replaced by a newer email" in client.get(first_link).content.decode()
    assert client.get(second_link).status_code == 200
    assert "Calm Waters Clinic" in client.get(second_link).content.decode()
    assert [m.to[0] for m in mail.outbox] == ["rae@example.com", "rae@example.com"]

    staff_login(staff_client, clinic_staff)
    staff_client.post(reverse("clinics:invitation_action", args=[clinic.slug, invitation.pk, "revoke"]))
    staff_client.logout()
    response = client.get(second_link)
    assert response.status_code == 410 and "withdrawn by the clinic" in response.content.decode()
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.REVOKED
    assert AuditEvent.objects.filter(action__in=["resend", "revoke"]).count() == 2


def test_expired_and_garbled_links_get_clear_pages(client, clinic, clinic_staff):
    services.invite_families(clinic=clinic, actor=clinic_staff, rows=services.rows_from_text("old@example.com"))
    link = link_in(mail.outbox[-1])
    assert "Calm Waters Clinic" in client.get(link).content.decode()  # the link works until it expires
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert "expired" in client.get(link).content.decode()
    expired = client.get(link)
    assert expired.status_code == 410 and "ask the clinic to resend it" in expired.content.decode()
    assert 'name="agree"' not in expired.content.decode()  # nothing to agree to
    response = client.get("/clinics/join/invite/garbage-token/")
    assert response.status_code == 410 and "not valid" in response.content.decode()


def test_another_clinics_invitation_cannot_be_touched(client, other_staff, clinic, clinic_staff, staff_login):
    services.invite_families(clinic=clinic, actor=clinic_staff, rows=services.rows_from_text("x@example.com"))
    invitation = Invitation.objects.get()
    staff_login(client, other_staff)
    url = reverse("clinics:invitation_action", args=["hilltop", invitation.pk, "revoke"])
    assert client.post(url).status_code == 404
    assert Invitation.objects.get().status == "pending"
    sent = len(mail.outbox)
    resend = reverse("clinics:invitation_action", args=["hilltop", invitation.pk, "resend"])
    assert client.post(resend).status_code == 404
    # nor through its own clinic's address: it is not on the other clinic's lists
    assert (
        client.post(reverse("clinics:invitation_action", args=["calm-waters", invitation.pk, "revoke"])).status_code
        == 404
    )
    assert len(mail.outbox) == sent and Invitation.objects.get().send_count == 1
    assert not AuditEvent.objects.filter(action__in=["resend", "revoke"]).exists()
    assert "x@example.com" not in client.get(reverse("clinics:invitations", args=["hilltop"])).content.decode()
