"""Security headers, production settings, error pages, health check, static files and request logs."""

from __future__ import annotations

import gzip
import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import DatabaseError
from django.template import loader
from django.test import Client, override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
CRISIS_BAR = '<a href="tel:988"><strong>988</strong></a>'  # only the crisis bar renders this (from settings)


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def assert_security_headers(response) -> None:
    csp = csp_directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"], "no inline scripts, no other hosts"
    assert "'unsafe-inline'" not in csp["style-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "microphone=()" in response.headers["Permissions-Policy"]


# --- Headers on every kind of page ----------------------------------------------------------------------

PAGES = [
    # name, signed in?, expected status
    ("home", False, 200),
    ("about", False, 200),
    ("course list", False, 200),
    ("course", False, 200),
    ("lesson", False, 200),
    ("quiz", True, 200),
    ("dashboard", True, 200),
    ("profile", True, 200),
    ("login", False, 200),
    ("signup", False, 200),
    ("404", False, 404),
    ("healthz", False, 200),
]


def page_url(name: str, course) -> str:
    lesson = course.modules.first().lessons.first()
    return {
        "home": reverse("home"),
        "about": reverse("about"),
        "course list": reverse("courses:course_list"),
        "course": course.get_absolute_url(),
        "lesson": lesson.get_absolute_url(),
        "quiz": reverse("quizzes:take", args=[lesson.quiz.pk]),
        "dashboard": reverse("dashboard"),
        "profile": reverse("accounts:profile"),
        "login": reverse("account_login"),
        "signup": reverse("account_signup"),
        "404": "/no-such-page/",
        "healthz": reverse("healthz"),
    }[name]


@pytest.mark.parametrize("name, signed_in, status", PAGES, ids=[p[0] for p in PAGES])
def test_every_page_type_sends_the_security_headers(client, caregiver, small_course, add_quiz, name, signed_in, status):
    add_quiz(lesson=small_course.modules.first().lessons.first())
    if signed_in:
        client.force_login(caregiver)
    response = client.get(page_url(name, small_course))
    assert response.status_code == status
    assert_security_headers(response)


def test_templates_need_no_inline_script_or_style():
    """The CSP allows neither, so a template that used them would silently lose its script or style."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        if inline_script.search(text) or re.search(r"\sstyle=|\son[a-z]+=", text, re.I) or "<style" in text:
            offenders.append(str(template.relative_to(ROOT)))
    assert offenders == []


def test_progress_bars_get_their_width_from_the_stylesheet(caregiver_client, caregiver, small_course):
    from courses.services import enroll

    enroll(user=caregiver, course=small_course)
    for url in (reverse("dashboard"), small_course.get_absolute_url()):
        html = caregiver_client.get(url).content.decode()
        assert 'role="progressbar"' in html and 'data-percent="0"' in html and 'style="' not in html
    css = (ROOT / "static/css/site.css").read_text()
    assert all(f'.progress-bar[data-percent="{n}"]{{width:{n}%}}' in css for n in range(101))


# --- Production settings ----------------------------------------------------------------------------------


def production_env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="support.example.org",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://support.example.org",
        **extra,
    )
    return env


def test_check_deploy_has_no_warnings_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_cookies_and_proxy_header():
    code = (
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=production_env(DJANGO_SECURE_PROXY_SSL_HEADER="1"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True True True Lax True ('HTTP_X_FORWARDED_PROTO', 'https')"


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_http_redirects_to_https_except_the_health_check(client):
    response = client.get("/about/")
    assert response.status_code == 301 and response["Location"] == "https://testserver/about/"
    assert client.get("/healthz").status_code == 200
    secure = client.get("/about/", secure=True)
    assert secure.status_code == 200
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


# --- Health check ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "queue": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_healthz_is_503_when_the_cache_loses_data(client, monkeypatch):
    class ForgetfulCache:
        def set(self, *args, **kwargs):
            pass

        def get(self, *args, **kwargs):
            return None

        def delete(self, *args, **kwargs):
            pass

    monkeypatch.setattr("config.views.cache", ForgetfulCache())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "error", "queue": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client, monkeypatch, caplog):
    class DownConnection:
        def cursor(self):
            raise DatabaseError("connection refused")

    monkeypatch.setattr("config.views.connection", DownConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error", "cache": "ok", "queue": "ok"}
    assert "connection refused" not in response.content.decode()  # details go to the log only
    assert "connection refused" in caplog.text


# --- Static files ----------------------------------------------------------------------------------------


@pytest.fixture
def collected_static(tmp_path, settings):
    """Our own static files collected as in production: hashed names, .gz and .br beside each."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]  # fast: our files only
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", "--noinput", verbosity=0)
    return tmp_path


def test_hashed_static_files_are_cached_for_a_long_time_and_compressed(collected_static):
    import brotli

    url = staticfiles_storage.url("css/site.css")
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", url)
    original = (ROOT / "static/css/site.css").read_bytes()
    client = Client()  # a new client loads WhiteNoise with the settings above

    response = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})
    assert response.status_code == 200 and response["Content-Encoding"] == "br"
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
    assert max_age >= 365 * 24 * 3600 and "immutable" in response["Cache-Control"]
    assert "Accept-Encoding" in response["Vary"]
    assert brotli.decompress(b"".join(response.streaming_content)) == original

    response = client.get(url, headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)) == original

    response = client.get(url)
    assert "Content-Encoding" not in response and b"".join(response.streaming_content) == original


# --- Error pages -----------------------------------------------------------------------------------------


def assert_our_layout(html: str) -> None:
    assert "988" in html and "911" in html
    assert "Education, not medical advice." in html
    assert 'id="main"' in html


@pytest.mark.django_db
def test_404_page_uses_our_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert_our_layout(html)
    assert CRISIS_BAR in html and "We can't find that page" in html


@pytest.mark.django_db
@pytest.mark.urls("tests.security_urls")
def test_403_page_uses_our_layout(client):
    response = client.get("/test-errors/403/")
    assert response.status_code == 403
    assert CRISIS_BAR in response.content.decode()
    assert_our_layout(response.content.decode())


@pytest.mark.django_db
@pytest.mark.urls("tests.security_urls")
def test_400_page_keeps_the_crisis_bar(client):
    """Django's own 400 view renders without the request: the crisis bar would lose its numbers."""
    response = client.get("/test-errors/400/")
    assert response.status_code == 400
    html = response.content.decode()
    assert CRISIS_BAR in html and "We couldn't understand that request" in html
    assert_our_layout(html)


@pytest.mark.django_db
def test_unknown_host_gets_our_400_page(client):
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert CRISIS_BAR in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls("tests.security_urls")
def test_an_exception_in_a_view_shows_our_500_page(client):
    client.raise_request_exception = False
    response = client.get("/test-errors/500/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html and 'href="/"' in html
    assert "something broke" not in html  # never the exception itself
    assert_our_layout(html)
    assert_security_headers(response)


def test_500_page_renders_without_a_request_or_the_database():
    """No django_db mark: any query here would raise, as it might when the database is what failed."""
    html = loader.get_template("500.html").render()
    assert_our_layout(html)
    assert "{%" not in html and "{{" not in html


@pytest.mark.django_db
def test_a_stale_form_gets_our_csrf_page(caregiver):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": caregiver.email, "password": "correct horse battery"})
    assert response.status_code == 403
    assert "403_csrf.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "Your session expired or the form was open too long." in html
    assert "nothing you typed was sent" in html
    assert CRISIS_BAR in html
    assert_our_layout(html)
    assert_security_headers(response)


# --- Request log -------------------------------------------------------------------------------------------


def request_log_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "supportcircle.requests"]


def test_request_log_has_no_query_string_or_email(caregiver_client, caregiver, caplog):
    caplog.set_level(logging.INFO, logger="supportcircle.requests")
    caregiver_client.get("/about/?email=carer%40example.com&utm_source=newsletter")
    [line] = request_log_lines(caplog)
    assert re.fullmatch(r"method=GET path=/about/ route=about status=200 duration_ms=\d+(\.\d+)?", line), line
    assert caregiver.email not in caplog.text and "carer%40example.com" not in caplog.text
    assert "utm_source" not in caplog.text


@pytest.mark.django_db
def test_request_log_never_contains_what_was_posted(client, caregiver, caplog):
    caplog.set_level(logging.INFO, logger="supportcircle.requests")
    client.post(reverse("account_login"), {"login": caregiver.email, "password": "correct horse battery"})
    [line] = request_log_lines(caplog)
    assert line.startswith("method=POST path=/accounts/login/ route=account_login status=302 ")
    assert caregiver.email not in caplog.text and "correct horse battery" not in caplog.text


@pytest.mark.django_db
def test_request_log_hides_secret_keys_in_the_path(client, caplog):
    caplog.set_level(logging.INFO, logger="supportcircle.requests")
    client.get("/accounts/password/reset/key/3f-abc123-secretresettoken/")
    client.get("/accounts/confirm-email/Mjc:1vXyZa:secretconfirmkey/")
    lines = request_log_lines(caplog)
    assert "path=/accounts/password/reset/key/<uidb36>-<key>/ route=account_reset_password_from_key" in lines[0]
    assert "path=/accounts/confirm-email/<key>/ route=account_confirm_email" in lines[1]
    assert "secret" not in " ".join(lines)


@pytest.mark.django_db
def test_request_log_keeps_one_line_per_request(client, caplog):
    caplog.set_level(logging.INFO, logger="supportcircle.requests")
    client.get("/no-such-page/%0Afake=line")
    [line] = request_log_lines(caplog)
    # A control character in the path is refused before any view (config.middleware.RequestGuardMiddleware).
    assert "\n" not in line and "path=/no-such-page/%0Afake=line route=- status=400" in line
