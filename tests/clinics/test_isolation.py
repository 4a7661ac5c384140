"""Every clinic URL × every role. A staff member of another clinic gets 404, never 403."""

import pytest
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from clinics.models import Clinic, FamilyMember, Invitation, StaffMembership

ROLES = ["anonymous", "caregiver", "staff", "other_clinic_staff", "manager", "admin", "staff_without_2fa"]


@pytest.fixture
def world(
    clinic,
    other_clinic,
    manager,
    clinic_staff,
    other_staff,
    caregiver,
    other_caregiver,
    admin_user_with_2fa,
    make_staff,
):
    FamilyMember.objects.create(clinic=clinic, user=caregiver, consented_at=timezone.now())
    FamilyMember.objects.create(clinic=other_clinic, user=other_caregiver, consented_at=timezone.now())
    invitation = Invitation.objects.create(clinic=clinic, email="p@example.com", expires_at=timezone.now())
    no_2fa = make_staff("no2fa@calm.example", clinic, two_factor=False)
    membership = StaffMembership.objects.get(user=clinic_staff)
    return {
        "users": {
            "caregiver": caregiver,
            "staff": clinic_staff,
            "other_clinic_staff": other_staff,
            "manager": manager,
            "admin": admin_user_with_2fa,
            "staff_without_2fa": no_2fa,
        },
        "invitation": invitation,
        "membership": membership,
        "member": caregiver,
        "outsider": other_caregiver,
    }


def clinic_urls(w):
    s = "calm-waters"
    return {
        # name: (url, method, who gets 200/302-success: "staff" = any staff of this clinic, "manager" = managers only)
        "dashboard": (reverse("clinics:dashboard", args=[s]), "get", "staff"),
        "export": (reverse("clinics:export", args=[s]), "get", "staff"),
        "member": (reverse("clinics:member", args=[s, w["member"].pk]), "get", "staff"),
        "member_of_other_clinic": (reverse("clinics:member", args=[s, w["outsider"].pk]), "get", "nobody"),
        "invite": (reverse("clinics:invite", args=[s]), "get", "staff"),
        "invitations": (reverse("clinics:invitations", args=[s]), "get", "staff"),
        "resend": (reverse("clinics:invitation_action", args=[s, w["invitation"].pk, "resend"]), "post", "staff"),
        "flyer": (reverse("clinics:flyer", args=[s]), "get", "staff"),
        "staff": (reverse("clinics:staff", args=[s]), "get", "manager"),
        "staff_action": (reverse("clinics:staff_action", args=[s, w["membership"].pk]), "post", "manager"),
        "settings": (reverse("clinics:settings", args=[s]), "get", "manager"),
    }


# What another clinic's data looks like on a page: its name, its family member's email and name, its staff.
OTHER_CLINICS_DATA = ("hilltop", "other@example.com", "Olive")

# The redirect after a successful action (POST) on this clinic: back to the list it was made from.
SUCCESS_REDIRECT = {
    "resend": reverse_lazy("clinics:invitations", args=["calm-waters"]),
    "staff_action": reverse_lazy("clinics:staff", args=["calm-waters"]),
}


def text_of(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def expected(role: str, audience: str) -> int:
    if role == "anonymous":
        return 302  # to sign in
    if role == "staff_without_2fa":
        # Staff of this clinic are sent to set up two-factor before anything is looked up; manager pages
        # are a 404 for a non-manager whatever their two-factor state.
        return 404 if audience == "manager" else 302
    if audience == "nobody":
        return 404
    allowed = {"staff": {"staff", "manager", "admin"}, "manager": {"manager", "admin"}}[audience]
    return 200 if role in allowed else 404


@pytest.mark.parametrize("role", ROLES)
def test_clinic_url_matrix(client, world, role, staff_login):
    if role != "anonymous":
        staff_login(client, world["users"][role])
    failures = []
    for name, (url, method, audience) in clinic_urls(world).items():
        response = getattr(client, method)(url)
        want = expected(role, audience)
        got = response.status_code
        if method == "post" and want == 200:
            want = 302  # a successful action redirects back to its list
        if got != want:
            failures.append(f"{name} {method.upper()} {url}: {got}, expected {want}")
        if role == "staff_without_2fa" and got == 302:
            assert response["Location"] == reverse("mfa_index"), name
        text = text_of(response)
        if got == 200:
            # What staff came for: this clinic's page, with this clinic's family on the family pages…
            shown = "carer@example.com" if name in ("dashboard", "export", "member") else "Calm Waters Clinic"
            if shown not in text:
                failures.append(f"{name} {url}: 200 without {shown!r}")
            # …and nothing of the other clinic.
            leaked = [data for data in OTHER_CLINICS_DATA if data.lower() in text.lower()]
            if leaked:
                failures.append(f"{name} {url}: shows the other clinic's {leaked}")
        elif got == 404:
            # A 404 says nothing about the clinic or its families.
            leaked = [data for data in ("Calm Waters", "carer@example.com", "Casey") if data in text]
            if leaked:
                failures.append(f"{name} {url}: 404 page shows {leaked}")
        elif got == 302 and role == "anonymous":
            if response["Location"] != f"{reverse('account_login')}?next={url}":
                failures.append(f"{name} {url}: anonymous sent to {response['Location']}, not to sign in")
        elif got == 302 and role != "staff_without_2fa" and response["Location"] != str(SUCCESS_REDIRECT[name]):
            failures.append(f"{name} {url}: redirected to {response['Location']}, expected {SUCCESS_REDIRECT[name]}")
    assert not failures, "\n".join(failures)


def test_caregivers_never_see_clinic_pages(client, world):
    client.force_login(world["users"]["caregiver"])
    response = client.get(reverse("clinics:list"))
    html = response.content.decode()
    assert html.count("calm-waters") == 0
    assert response.status_code == 200 and "You are not on the staff of any clinic." in html
    assert "Calm Waters Clinic" not in html and "Hilltop Clinic" not in html


def test_admin_lists_only_what_for_staff_allows(client, world, staff_login):
    staff_login(client, world["users"]["admin"])
    assert client.get(reverse("admin:clinics_familymember_changelist")).status_code == 200
    # A superuser works at every clinic, so sees every clinic's families…
    html = client.get(reverse("admin:clinics_familymember_changelist")).content.decode()
    assert ">Casey<" in html
    assert ">Olive<" in html and "2 family members" in html


def test_admin_shows_clinic_staff_only_their_own_clinics_families_and_invitations(client, world, staff_login):
    from django.contrib.auth.models import Permission

    staff = world["users"]["staff"]  # staff at Calm Waters, with two-factor on
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_familymember", "view_invitation", "view_clinic"])
    )
    hilltop = Clinic.objects.get(slug="hilltop")
    Invitation.objects.create(clinic=hilltop, email="hill-invite@example.com", expires_at=timezone.now())
    staff_login(client, staff)

    families = client.get(reverse("admin:clinics_familymember_changelist")).content.decode()
    assert ">Casey<" in families and "1 family member" in families
    assert "Olive" not in families
    invitations = client.get(reverse("admin:clinics_invitation_changelist")).content.decode()
    assert "p@example.com" in invitations and "hill-invite@example.com" not in invitations
    clinics = client.get(reverse("admin:clinics_clinic_changelist")).content.decode()
    assert "Calm Waters Clinic" in clinics and "Hilltop Clinic" not in clinics
    outsider = FamilyMember.objects.get(user=world["outsider"])
    assert client.get(reverse("admin:clinics_familymember_change", args=[outsider.pk])).status_code == 302


def test_reserved_clinic_addresses_are_refused(db):
    from django.core.exceptions import ValidationError

    from clinics.models import Clinic

    with pytest.raises(ValidationError, match="used by the site itself"):
        Clinic(name="Join", slug="join").full_clean()


@pytest.mark.django_db
def test_the_header_shows_clinic_only_to_staff_and_follows_staff_changes(
    client, clinic, manager, caregiver, django_capture_on_commit_callbacks
):
    from clinics.services import add_staff, remove_staff

    clinic_link = f'href="{reverse("clinics:list")}"'
    client.force_login(caregiver)
    assert clinic_link not in client.get(reverse("home")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the cached answer is forgotten once the change commits
        membership = add_staff(clinic=clinic, actor=manager, user=caregiver, role="staff")
    assert clinic_link in client.get(reverse("home")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        remove_staff(membership=membership, actor=manager)
    assert clinic_link not in client.get(reverse("home")).content.decode()
