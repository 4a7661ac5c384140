"""Finding 6: a frozen or stopped Redis took the site down (no socket timeout: workers hung 30 s and were killed;
with Redis refusing connections 9 of 10 pages answered 500). Reproduced with a Redis this test starts, stops
(SIGTERM) and freezes (SIGSTOP): every page still answers, quickly, from the database, sign-in still works
and is still rate limited, and /healthz answers 503 naming the cache within 2 s.

Outside CI the test skips when redis-server is not installed; in CI (CI=true) that is a failure.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
import redis
from django.test import Client, override_settings
from django.urls import reverse

from courses.models import Lesson

REDIS_SERVER = shutil.which("redis-server")
PAGE_BUDGET_S = 2.0  # each page, even the one that meets the dead Redis first
HEALTHZ_BUDGET_S = 2.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def start_redis():
    """start_redis() -> (process, url): a throw-away redis-server on a free port, no persistence."""
    if REDIS_SERVER is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server not found: CI must install it (apt-get install redis-server)")
        pytest.skip("redis-server not found (apt-get install redis-server)")
    started = []

    def start():
        port = free_port()
        process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        url = f"redis://127.0.0.1:{port}/0"
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis.from_url(url, socket_timeout=0.2).ping()
                return process, url
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGCONT)
            process.terminate()
        process.wait(timeout=10)


def redis_settings(url: str) -> dict:
    return {
        "CACHES": {
            "default": {
                "BACKEND": "config.cache_backends.ResilientRedisCache",
                "LOCATION": url,
                "OPTIONS": {"timeout": 0.5, "retry_after": 10},
            }
        },
        # The production set-up from the README: sessions in Redis, backed by the database.
        "SESSION_ENGINE": "django.contrib.sessions.backends.cached_db",
    }


@pytest.fixture
def pages(quiz_course, clinic, caregiver, clinic_staff):
    lesson = Lesson.objects.in_course(quiz_course).in_reading_order().first()
    public = {
        "home": reverse("home"),
        "about": reverse("about"),
        "course list": reverse("courses:course_list"),
        "course": quiz_course.get_absolute_url(),
        "lesson": lesson.get_absolute_url(),
        "sign-in page": reverse("account_login"),
    }
    learner = {"my learning": reverse("dashboard"), "quiz": reverse("quizzes:take", args=[lesson.quiz.pk])}
    staff = {"clinic dashboard": reverse("clinics:dashboard", args=[clinic.slug])}
    return public, learner, staff


def visit_all(clients, pages) -> dict[str, tuple[int, float]]:
    public, learner, staff = pages
    results = {}
    for client, urls in ((clients["anonymous"], public), (clients["caregiver"], learner), (clients["staff"], staff)):
        for name, url in urls.items():
            started = time.perf_counter()
            status = client.get(url).status_code
            results[name] = (status, time.perf_counter() - started)
    return results


def healthz(client) -> tuple[int, dict, float]:
    started = time.perf_counter()
    response = client.get("/healthz")
    return response.status_code, response.json(), time.perf_counter() - started


def sign_in(client, user) -> int:
    return client.post(reverse("account_login"), {"login": user.email, "password": "correct horse battery"})


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("failure", ["stopped", "frozen"])
def test_pages_keep_working_when_redis_fails(
    start_redis, pages, caregiver, clinic_staff, make_caregiver, failure, staff_login
):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=caregiver, email=caregiver.email, verified=True, primary=True)
    process, url = start_redis()
    with override_settings(**redis_settings(url)):
        clients = {"anonymous": Client(), "caregiver": Client(), "staff": Client()}
        assert sign_in(clients["caregiver"], caregiver).status_code == 302
        staff_login(clients["staff"], clinic_staff)
        before = visit_all(clients, pages)
        assert {name: status for name, (status, _) in before.items()} == dict.fromkeys(before, 200)
        assert healthz(Client())[:2] == (200, {"status": "ok", "database": "ok", "cache": "ok", "queue": "ok"})

        process.send_signal(signal.SIGTERM if failure == "stopped" else signal.SIGSTOP)
        if failure == "stopped":
            process.wait(timeout=10)

        status, body, seconds = healthz(Client())
        print(f"\nRedis {failure}: /healthz {status} {body} in {seconds * 1000:.0f} ms")
        assert status == 503 and body == {"status": "error", "database": "ok", "cache": "error", "queue": "ok"}
        assert seconds < HEALTHZ_BUDGET_S

        during = visit_all(clients, pages)
        for name, (status, seconds) in during.items():
            print(f"Redis {failure}: {name} {status} in {seconds * 1000:.0f} ms")
        assert {name: status for name, (status, _) in during.items()} == dict.fromkeys(during, 200)
        assert max(seconds for _, seconds in during.values()) < PAGE_BUDGET_S
        # Still signed in (the session row is in the database), and signing in still works...
        assert caregiver.email in clients["caregiver"].get(reverse("accounts:profile")).content.decode()
        assert sign_in(Client(), caregiver).status_code == 302
        # ...and is still limited: failed attempts are counted in this process's memory meanwhile.
        attacker = Client()
        for _ in range(10):
            attacker.post(reverse("account_login"), {"login": caregiver.email, "password": "wrong"})
        refused = attacker.post(
            reverse("account_login"), {"login": caregiver.email, "password": "correct horse battery"}
        )
        assert "Too many failed login attempts" in refused.content.decode()

        status, body, seconds = healthz(Client())
        assert status == 503 and seconds < HEALTHZ_BUDGET_S


def test_one_redis_client_is_kept_per_pool_and_memory_answers_when_redis_stops(start_redis):
    # Django builds a redis.Redis per call; config/cache_backends.py keeps one, and the fallback still works.
    process, url = start_redis()
    with override_settings(**redis_settings(url)):
        from django.core.cache import caches

        cache = caches.create_connection("default")
        assert cache._cache.get_client() is cache._cache.get_client(write=True)
        cache.set("kept", "yes")
        assert cache.get("kept") == "yes"
        process.terminate()
        process.wait(timeout=10)
        assert cache.get("kept") is None  # Redis is gone: this process's memory answers
        cache.set("meanwhile", "memory")
        assert cache.get("meanwhile") == "memory"
