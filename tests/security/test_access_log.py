"""Finding 4: gunicorn's access log carried password-reset keys, email-confirmation keys, invitation tokens and
certificate codes in full. The probe, reproduced: gunicorn with production settings, a reset, a sign-up
confirmation, an invitation and a certificate, then every secret looked for in the access log."""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETUP = """
from clinics import services
from clinics.models import Clinic
from courses.models import Certificate, Course
from accounts.models import User
from allauth.account.models import EmailAddress
user = User.objects.create_user(email="reset@example.com", password="an old password 42", display_name="Rae")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
course = Course.objects.create(slug="c", title="Course", summary="s", published=True)
print("CERTIFICATE", Certificate.objects.create(user=user, course=course, holder_name="Rae", course_title="Course").code)
clinic = Clinic.objects.create(name="Calm Waters Clinic", slug="calm-waters")
services.invite_families(clinic=clinic, actor=None, rows=services.rows_from_text("invited@example.com"))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    """gunicorn with production settings, a fresh SQLite database and emails written to a folder."""

    def __init__(self, tmp: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.mail = tmp / "mail"
        self.log = tmp / "gunicorn.log"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_", "BENCH_"))}
        self.env.update(
            DJANGO_ENV_FILE=str(tmp / "none.env"),
            DJANGO_SETTINGS_MODULE="tests.security.server_settings",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_SECURE_SSL_REDIRECT="0",  # plain http on loopback, as behind the TLS proxy
            SITE_URL=self.base,
            DATABASE_URL=f"sqlite:///{tmp / 'site.sqlite3'}",
            EMAIL_URL=f"filemail://{self.mail}",  # an absolute folder
            TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",  # emails sent in the request: no worker
            CACHE_URL="locmemcache://",
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            GUNICORN_WORKERS="1",
        )
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def start(self) -> None:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), "-c", "config/gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not start:\n" + self.log.read_text())

    def stop(self) -> str:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)
        return self.log.read_text()

    def get(self, path: str) -> tuple[int, str, str]:
        try:
            with self.opener.open(self.base + path, timeout=10) as response:
                return response.status, response.headers.get("Location", ""), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read().decode()

    def post_form(self, path: str, data: dict) -> int:
        status, location, page = self.get(path)
        assert "csrfmiddlewaretoken" in page, (status, location, page[:300])
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=body), timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def link_in_mail(self, pattern: str) -> str:
        for message in sorted(self.mail.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True):
            found = re.search(re.escape(self.base) + pattern, message.read_text())
            if found:
                return found.group(0).removeprefix(self.base)
        raise AssertionError(f"no email links to {pattern}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def site(tmp_path):
    site = Site(tmp_path)
    site.manage("migrate", "--noinput", "-v0")
    site.setup_output = site.manage("shell", "-c", SETUP)
    site.start()
    yield site
    if site.process.poll() is None:
        site.stop()


def test_access_log_has_no_keys_tokens_or_codes(site):
    secrets_seen = []

    # A password reset: the emailed link, then the page it redirects to.
    assert site.post_form("/accounts/password/reset/", {"email": "reset@example.com"}) == 302
    reset = site.link_in_mail(r"/accounts/password/reset/key/[^/\s]+/")
    secrets_seen.append(reset.split("/")[-2])
    status, location, _ = site.get(reset)
    assert status == 302
    site.get(location)

    # A sign-up and its confirmation link.
    assert (
        site.post_form(
            "/accounts/signup/",
            {
                "display_name": "Sam",
                "email": "new@example.com",
                "password1": "a fresh pass 42",
                "password2": "a fresh pass 42",
            },
        )
        == 302
    )
    confirm = site.link_in_mail(r"/accounts/confirm-email/[^/\s]+/")
    secrets_seen.append(confirm.split("/")[-2])
    assert site.get(confirm)[0] == 200

    # A clinic invitation, opened.
    invitation = site.link_in_mail(r"/clinics/join/invite/[^/\s]+/")
    secrets_seen.append(invitation.split("/")[-2])
    assert site.get(invitation)[0] == 200

    # A certificate's public check and its (sign-in only) page.
    code = re.search(r"CERTIFICATE (\S+)", site.setup_output).group(1)
    secrets_seen.append(code)
    assert site.get(f"/verify/{code}/")[0] == 200
    site.get(f"/courses/certificates/{code}/")

    log = site.stop()
    access = [line for line in log.splitlines() if '"GET ' in line or '"POST ' in line]
    assert len(access) >= 8, log
    for secret in secrets_seen:
        assert secret not in log, f"{secret} is in the access log:\n{log}"
    assert '"GET /accounts/password/reset/key/<uidb36>-<key>/ HTTP/1.1" 302' in log
    assert '"GET /accounts/confirm-email/<key>/ HTTP/1.1" 200' in log
    assert '"GET /clinics/join/invite/<token>/ HTTP/1.1" 200' in log
    assert '"GET /verify/<code>/ HTTP/1.1" 200' in log


@pytest.mark.django_db
def test_request_log_masks_a_short_uidb36_that_also_occurs_in_the_key(client, caplog):
    """uidb36 is the user id in base 36 ("2"): replacing it everywhere cut the key into pieces but left it readable."""
    import logging

    caplog.set_level(logging.INFO, logger="supportcircle.requests")
    client.get("/accounts/password/reset/key/2-d2x2c2-29a7c2b2e52f/")
    [line] = [r.getMessage() for r in caplog.records if r.name == "supportcircle.requests"]
    assert "path=/accounts/password/reset/key/<uidb36>-<key>/ " in line
