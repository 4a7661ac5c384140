"""Two gunicorn processes on different ports, sharing nothing but PostgreSQL and Redis (a stand-in for two hosts
behind a load balancer): a person signs in through the real form on one and is signed in on the other, with
sessions kept only in Redis (so the cache is shared, not just the database).

    .venv/bin/python bench/two_hosts.py [--pg-admin-url postgres://postgres@127.0.0.1:5432/postgres]
                                        [--redis redis://127.0.0.1:6379/11]
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORTS = (8101, 8102)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/11")
    args = parser.parse_args()
    name = f"sc_two_hosts_{os.getpid()}"
    database_url = args.pg_admin_url.rsplit("/", 1)[0] + f"/{name}"
    env = {
        **os.environ,
        "DJANGO_ENV_FILE": "/nonexistent",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "two-hosts-bench-" + "y" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_PROXY_SSL_HEADER": "1",
        "DJANGO_CSRF_TRUSTED_ORIGINS": ",".join(f"https://127.0.0.1:{port}" for port in PORTS),
        "DATABASE_URL": database_url,
        "CACHE_URL": args.redis,
        "DJANGO_SESSION_ENGINE": "django.contrib.sessions.backends.cache",  # sessions in Redis only
        "ACCOUNT_EMAIL_VERIFICATION": "optional",
        "DJANGO_REQUEST_LOG_LEVEL": "WARNING",
    }
    subprocess.run(["psql", args.pg_admin_url, "-qc", f"CREATE DATABASE {name}"], check=True)
    subprocess.run(["redis-cli", "-u", args.redis, "flushdb"], check=True, capture_output=True)
    servers = []
    try:
        manage = [PYTHON, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        code = (
            "import django; django.setup(); from accounts.models import User; "
            "User.objects.create_user(email='two@example.com', password='two-hosts-password-1', display_name='Two')"
        )
        subprocess.run(
            [PYTHON, "-c", code], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"}, check=True
        )
        for port in PORTS:
            command = [str(ROOT / ".venv/bin/gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi"]
            servers.append(
                subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"},
                    start_new_session=True,
                )
            )
        for port in PORTS:
            wait_for(f"http://127.0.0.1:{port}/healthz")

        browser = Browser()
        a, b = (f"http://127.0.0.1:{port}" for port in PORTS)
        page = browser.get(f"{a}/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        browser.post(f"{a}/accounts/login/", {"login": "two@example.com", "password": "two-hosts-password-1"}, token)
        signed_in_on_b = "two@example.com" in browser.get(f"{b}/accounts/profile/")
        print(
            f"signed in through the form on :{PORTS[0]}; the profile on :{PORTS[1]} shows the account: {signed_in_on_b}"
        )
        health = [browser.get(f"http://127.0.0.1:{port}/healthz") for port in PORTS]
        print("healthz:", *health)
        assert signed_in_on_b, "the second process did not see the session"
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        subprocess.run(["psql", args.pg_admin_url, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"])
        subprocess.run(["redis-cli", "-u", args.redis, "flushdb"], capture_output=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Keeps cookies itself: the site's are Secure (production settings) and the traffic here is plain http, as
    behind the TLS proxy (X-Forwarded-Proto: https is sent, as that proxy would)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def _open(self, request) -> str:
        request.add_header("X-Forwarded-Proto", "https")
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = self.opener.open(request)
        except urllib.error.HTTPError as error:  # a 302 arrives here with NoRedirect
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            key, _, value = header.split(";")[0].partition("=")
            self.cookies[key.strip()] = value
        return response.read().decode()

    def get(self, url: str) -> str:
        return self._open(urllib.request.Request(url))

    def post(self, url: str, data: dict, token: str) -> str:
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}).encode()
        origin = "https://" + url.split("://", 1)[1].split("/", 1)[0]
        return self._open(
            urllib.request.Request(
                url, data=body, headers={"Referer": url.replace("http://", "https://"), "Origin": origin}
            )
        )


def wait_for(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer")


if __name__ == "__main__":
    main()
