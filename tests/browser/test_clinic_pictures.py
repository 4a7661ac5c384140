"""Issue 15 part B in a real browser, at 1280 px and 360 px: the dashboard with its pictures and a search (a
200-character address among the rows), a family member's lesson table, the admin lesson page with its Markdown
preview, and an admin previewing an unpublished lesson. Each: axe-core (WCAG 2.0/2.1/2.2 A and AA) finds nothing, no
sideways scroll, every tab stop shows a focus ring of 3:1 or more. Screenshots: test-artifacts/matrix/part-b-*.png.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from clinics.models import FamilyMember
from courses import services
from courses.models import Lesson

from .audit import audit, problems_in

WIDTHS = {"desktop": (1280, 900), "phone": (360, 740)}
LONG_EMAIL = "a.very.long.address." + "x" * 160 + "@example-of-a-long-domain.org"


@pytest.fixture
def world(real_course, make_caregiver, make_clinic, make_staff, take_quiz, admin_user_with_2fa):
    clinic = make_clinic("Calm Waters Clinic", "calm-waters", courses=[real_course])
    staff = make_staff("manager@calm.example", clinic, role="manager")
    lessons = list(Lesson.objects.published().in_course(real_course).in_reading_order())
    members = []
    for n, name in enumerate(["Ann Smith", "Ben Okafor", "Cat Nguyen", "Dev Patel", "Long Address " + "N" * 60]):
        email = LONG_EMAIL if name.startswith("Long") else f"{name.split()[0].lower()}@example.com"
        user = make_caregiver(email, name=name, verified=True)
        FamilyMember.objects.create(clinic=clinic, user=user, consented_at=timezone.now())
        services.enroll(user=user, course=real_course, source="clinic")
        for lesson in lessons[: n * 4]:
            services.mark_lesson_read(user=user, lesson=lesson)
            quiz = getattr(lesson, "quiz", None)
            if quiz is not None:
                take_quiz(user, quiz, wrong=n % 2)
        members.append(user)
    draft = lessons[-1]
    draft.published = False
    draft.save()
    return {"clinic": clinic, "staff": staff, "admin": admin_user_with_2fa, "members": members, "draft": draft}


def page_for(signed_in_context, user, width):
    w, h = WIDTHS[width]
    context = signed_in_context(user, {"width": w, "height": h})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.mark.parametrize("width", list(WIDTHS))
def test_clinic_pages_with_pictures_search_and_member_detail(signed_in_context, world, width):
    clinic = world["clinic"]
    context, page = page_for(signed_in_context, world["staff"], width)
    dashboard = reverse("clinics:dashboard", args=[clinic.slug])
    pages = {
        "dashboard": dashboard,
        "dashboard-search": dashboard + "?q=example&sort=progress&order=desc",
        "member": reverse("clinics:member", args=[clinic.slug, world["members"][3].pk]),
        "member-long": reverse("clinics:member", args=[clinic.slug, world["members"][4].pk]),
    }
    problems = []
    for name, url in pages.items():
        assert page.goto(url).status == 200, name
        if name == "dashboard":
            for details in page.locator("details.chart-numbers").all():
                details.locator("summary").click()  # the numbers tables are checked too
            assert page.locator("svg.chart-svg[role=img]").count() == 3
            # the pictures fit their column at every width
            widths = page.evaluate(
                "[...document.querySelectorAll('svg.chart-svg')].map(s => s.getBoundingClientRect().right)"
            )
            assert max(widths) <= page.viewport_size["width"], widths
        if name == "dashboard-search":
            assert page.get_by_text(LONG_EMAIL).is_visible()
            cell = page.locator("td", has_text=LONG_EMAIL)
            right = cell.evaluate("c => c.closest('table').getBoundingClientRect().right")
            assert right <= page.viewport_size["width"] + 1, f"the table is pushed off-screen: {right}"
        problems += problems_in(audit(page, f"part-b-{name}-{width}"))
    context.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_admin_markdown_preview_and_lesson_preview(signed_in_context, world, width):
    context, page = page_for(signed_in_context, world["admin"], width)
    draft = world["draft"]
    problems = []
    page.goto(reverse("admin:courses_lesson_change", args=[draft.pk]))
    preview = page.locator(".markdown-preview-body").first  # the English body's (each language has its own)
    preview.locator("h2, p").first.wait_for()
    page.locator("textarea#id_body_en").fill("## Checking the preview\n\nSome *gentle* words.")
    page.locator(".markdown-preview-body h2", has_text="Checking the preview").wait_for()
    assert preview.locator("em").inner_text() == "gentle"
    page.screenshot(path=str(_artifact(f"part-b-admin-lesson-{width}")), full_page=False)
    if width == "desktop":  # side by side
        source = page.locator("textarea#id_body_en").bounding_box()
        pane = page.locator(".markdown-preview").first.bounding_box()
        assert pane["x"] > source["x"] + source["width"] - 1
    page.goto(draft.get_absolute_url())
    assert page.get_by_text("Preview — not visible to learners").is_visible()
    problems += problems_in(audit(page, f"part-b-lesson-preview-{width}"))
    context.close()
    assert problems == [], "\n".join(problems)


def _artifact(name):
    from .audit import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"
