"""A learner fills in their safety plan, saves it, finds it again, prints it, and opens the treatment-day
checklist with their clinic's numbers."""

from django.utils import timezone

from clinics.models import FamilyMember
from toolkit.models import SafetyPlan

from .conftest import ARTIFACTS, assert_fits_phone, check_page

PASSWORD = "a long and happy password 42"


def test_learner_fills_the_safety_plan_and_opens_the_checklist(page, phone_page, make_caregiver, clinic):
    learner = make_caregiver("plan.learner@example.com", name="Robin", verified=True)
    learner.set_password(PASSWORD)
    learner.save()
    FamilyMember.objects.create(clinic=clinic, user=learner, consented_at=timezone.now())

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(learner.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/my-learning/")
    page.get_by_role("link", name="Account").click()
    page.get_by_role("link", name="Safety plan").click()
    page.wait_for_url("**/toolkit/safety-plan/")
    check_page(page, "safety-plan-empty")

    # Too long a part: the error summary names it, and nothing typed is lost.
    page.get_by_label("My warning signs").fill("I stop answering my phone")
    page.get_by_label("What matters most to me").fill("x" * 1001)
    page.get_by_role("button", name="Save my plan").click()
    check_page(page, "safety-plan-errors")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.get_by_label("My warning signs").input_value() == "I stop answering my phone"
    assert not SafetyPlan.objects.exists()

    page.get_by_label("What matters most to me").fill("Our dog Pepper, and the garden in spring")
    page.get_by_label("Things I can do on my own").fill("A walk round the block\nMusic in headphones")
    page.get_by_label("Making my surroundings safer").fill("Medicines in the locked box")
    page.get_by_role("button", name="Save my plan").click()
    assert page.get_by_text("Your safety plan is saved. Only you can see it.").is_visible()
    check_page(page, "safety-plan-saved")

    page.reload()
    assert page.get_by_label("Things I can do on my own").input_value() == "A walk round the block\nMusic in headphones"
    assert page.get_by_label("What matters most to me").input_value() == "Our dog Pepper, and the garden in spring"
    assert page.get_by_role("button", name="Print").is_visible(), "print.js shows the Print button"

    # On paper: the saved plan and the crisis line, without navigation, forms or buttons.
    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / "safety-plan-print.png"), full_page=True)
    assert page.locator(".plan-sheet").is_visible() and page.locator(".crisis-bar").is_visible()
    assert not page.locator("form").first.is_visible() and not page.locator(".site-header").is_visible()
    assert page.locator(".plan-sheet").get_by_text("Our dog Pepper").is_visible()
    page.emulate_media(media="screen")

    page.get_by_role("link", name="Treatment-day checklist").click()
    page.wait_for_url("**/toolkit/treatment-day-checklist/")
    check_page(page, "checklist-member")
    assert page.get_by_text("Calm Waters Clinic").is_visible()
    assert page.get_by_role("link", name="555-0199").is_visible()
    page.get_by_label("Photo ID and insurance card.").check()
    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / "checklist-print.png"), full_page=True)
    page.emulate_media(media="screen")

    phone_page.goto("/toolkit/treatment-day-checklist/")
    check_page(phone_page, "checklist-anonymous")
    assert phone_page.get_by_text("Calm Waters Clinic").count() == 0
    assert_fits_phone(phone_page, "checklist")
