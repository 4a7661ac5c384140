"""Headless Chromium (Debian's package) driven by Playwright, with axe-core for accessibility.

Screenshots land in test-artifacts/ so a person can look at them. Outside CI the browser tests skip
when /usr/bin/chromium is missing; in CI (CI=true) a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; the Django ORM calls made by the test itself
# are still synchronous, so this only silences Django's guard against async contexts.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: CI must install Debian's chromium")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, device_scale_factor=2
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def check_page(page, name: str) -> None:
    """Screenshot the page and assert axe-core finds no accessibility violations and nothing loads off-site."""
    from axe_playwright_python.sync_playwright import Axe

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    results = Axe().run(page)
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"
    assert page.locator("h1").count() == 1, f"{name}: one h1"
    assert page.locator("main#main").count() == 1 and page.locator("a[href='#main']").count() == 1
    assert page.get_by_text("988").first.is_visible(), f"{name}: crisis line visible"
    offsite = page.evaluate(
        "performance.getEntriesByType('resource').map(e => e.name).filter(u => !u.startsWith(location.origin))"
    )
    assert offsite == [], f"{name}: loaded from other hosts: {offsite}"


def assert_fits_phone(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name}: scrolls sideways by {overflow}px at 360px wide"


@pytest.fixture
def signed_in_context(browser, live_server, staff_login):
    """signed_in_context(user, viewport): a browser context signed in as `user` (None: a visitor), with a staff
    member's two-factor step recorded as after a real sign-in. The caller closes it."""
    from django.conf import settings
    from django.test import Client

    def make(user, viewport):
        context = browser.new_context(base_url=live_server.url, viewport=viewport)
        if user is not None:
            client = staff_login(Client(), user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
        return context

    return make
