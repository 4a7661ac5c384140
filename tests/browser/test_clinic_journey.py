"""Clinic staff invite a family member, who joins from the emailed link and appears on the dashboard."""

import re

from django.core import mail

from accounts.models import User
from clinics.models import FamilyMember

from .conftest import assert_fits_phone, check_page

PASSWORD = "a long and happy password 42"


def sign_in_with_two_factor(page, email, password, code):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    check_page(page, "mfa-authenticate")
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign In").click()


def test_staff_invite_family_who_joins_and_appears(
    browser, live_server, clinic, quiz_course, make_staff, turn_on_two_factor, totp_code
):
    manager = make_staff("boss@calm.example", clinic, role="manager", two_factor=False)
    manager.set_password(PASSWORD)
    manager.save()
    secret = turn_on_two_factor(manager)

    staff_context = browser.new_context(base_url=live_server.url)
    page = staff_context.new_page()
    page.set_default_timeout(15_000)
    sign_in_with_two_factor(page, "boss@calm.example", PASSWORD, totp_code(secret))
    page.get_by_role("link", name="Clinic").click()
    page.wait_for_url(f"**/clinics/{clinic.slug}/")
    check_page(page, "clinic-dashboard-empty")

    page.get_by_role("link", name="Invite", exact=True).click()
    check_page(page, "clinic-invite")
    page.get_by_label("Email addresses").fill("family.member@example.com\nnot-an-address")
    page.get_by_role("button", name="Send invitations").click()
    check_page(page, "clinic-invite-report")
    assert page.get_by_text("Not a valid email address.").is_visible()

    for name, link in [
        ("clinic-invitations", "Invitations"),
        ("clinic-flyer", "Flyer and code"),
        ("clinic-staff", "Staff"),
        ("clinic-settings", "Settings"),
    ]:
        page.get_by_role("link", name=link, exact=True).click()
        check_page(page, name)

    # The family member opens the emailed link in their own browser.
    link = re.search(r"https?://[^/\s]+(/clinics/join/invite/[^\s]+/)", mail.outbox[-1].body).group(1)
    family_context = browser.new_context(base_url=live_server.url)
    family = family_context.new_page()
    family.set_default_timeout(15_000)
    family.goto(link)
    check_page(family, "clinic-join-consent")
    family.get_by_role("button", name="Agree and continue").click()
    check_page(family, "clinic-join-consent-error")
    family.get_by_label("I agree").check()
    family.get_by_role("button", name="Agree and continue").click()
    assert family.get_by_label("Email").input_value() == "family.member@example.com"
    family.get_by_label("Your name").fill("Frankie")
    family.locator("#id_password1").fill(PASSWORD)
    family.locator("#id_password2").fill(PASSWORD)
    family.get_by_role("button", name="Sign Up").click()
    family.wait_for_url("**/my-learning/")
    assert family.get_by_text(quiz_course.title).first.is_visible()
    check_page(family, "clinic-joined-dashboard")
    family.goto("/clinics/mine/")
    check_page(family, "clinic-mine")
    user = User.objects.get(email="family.member@example.com")
    assert FamilyMember.objects.filter(clinic=clinic, user=user).exists()

    page.goto(f"/clinics/{clinic.slug}/")
    assert page.get_by_role("link", name="Frankie").is_visible()
    check_page(page, "clinic-dashboard")
    page.get_by_role("link", name="Frankie").click()
    check_page(page, "clinic-member")

    page.goto(f"/clinics/{clinic.slug}/flyer/")
    assert page.locator(".flyer svg").count() == 1
    assert clinic.join_code in page.content()
    phone = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    phone_page = phone.new_page()
    phone_page.goto(link.replace("invite", "invite"))
    assert_fits_phone(phone_page, "clinic-join")
    for context in (staff_context, family_context, phone):
        context.close()
