"""Where one request's time goes, page by page, in one process: CPU ms per request, queries, and a cProfile table.

Deterministic enough to compare before and after a change (no load generator, no other workers), unlike the
throughput benchmark, which measures the whole server. Run it against a seeded database with production settings:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sc_prof DJANGO_DEBUG=0 DJANGO_SECRET_KEY=x \\
        DJANGO_ALLOWED_HOSTS=127.0.0.1 .venv/bin/python bench/profile_pages.py --pages lesson,quiz --requests 200

(the database seeded with `manage.py migrate` and `manage.py seed_demo --clinics 2 --families 5000 --seed 1
--allow-production`, as bench/run.py does). `--profile` adds cProfile's tables: the functions with the most cumulative and own time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("BENCH_BARE_VIEW", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAGES = ("bare", "bare_signed_in", "home", "lesson", "quiz", "final", "dashboard", "clinic", "submit", "submit_final")


def fixtures(learners: int) -> dict:
    out = Path(tempfile.mkdtemp(prefix="sc-profile-")) / "fixtures.json"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "fixtures.py"), str(out), "--learners", str(learners)], check=True
    )
    return json.loads(out.read_text())


_handler_client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https", secure=True)


def client_for(session_key: str | None) -> Client:
    """A client with its own cookies, sharing one request handler: building the middleware chain (WhiteNoise
    scans the static files) per client would cost more than the requests measured."""
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https", secure=True)
    client.handler = _handler_client.handler
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client


def quiz_answers(html: str) -> dict:
    data = {"csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)}
    token = re.search(r'name="token" value="([^"]+)"', html)
    if token:
        data["token"] = token.group(1)
    for name in dict.fromkeys(re.findall(r'name="(q\d+)"', html)):
        data[name] = re.search(rf'name="{name}" value="(\d+)"', html).group(1)
    return data


def one_request(page: str, data: dict, rng: random.Random) -> int:
    learner = rng.choice(data["learners"])
    if page == "bare":
        response = client_for(None).get("/bench/bare/")
    elif page == "bare_signed_in":  # the same page for a signed-in caregiver: loading the session and the user
        response = client_for(learner["session"]).get("/bench/bare/")
    elif page == "home":
        response = client_for(None).get("/")
    elif page == "lesson":
        response = client_for(learner["session"]).get(rng.choice(data["lessons"]))
    elif page == "quiz":
        response = client_for(learner["session"]).get(rng.choice(data["lesson_quizzes"]))
    elif page == "final":
        response = client_for(learner["session"]).get(data["final_quiz"])
    elif page == "dashboard":
        response = client_for(learner["session"]).get("/my-learning/")
    elif page == "clinic":
        staff = data["staff"][0]
        response = client_for(staff["session"]).get(f"/clinics/{staff['clinic']}/")
    elif page in ("submit", "submit_final"):
        client = client_for(learner["session"])
        path = rng.choice(data["lesson_quizzes"]) if page == "submit" else data["final_quiz"]
        form = client.get(path)
        response = client.post(path, quiz_answers(form.content.decode()))
        return response.status_code if response.status_code != 302 else 200
    return response.status_code


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--learners", type=int, default=400)
    parser.add_argument("--profile", action="store_true", help="print cProfile's tables (cumulative and own time)")
    parser.add_argument("--top", type=int, default=25, help="rows in each profile table")
    parser.add_argument("--filter", default="", help="cumulative table: only functions whose file matches this")
    args = parser.parse_args()
    data = fixtures(args.learners)
    for page in args.pages.split(","):
        rng = random.Random(1)
        for _ in range(20):  # warm caches and imports
            assert one_request(page, data, rng) == 200, page
        profiler = cProfile.Profile() if args.profile else None
        with CaptureQueriesContext(connection) as queries:
            started_cpu, started = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            for _ in range(args.requests):
                one_request(page, data, rng)
            if profiler:
                profiler.disable()
            cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started
        per = args.requests * (2 if page.startswith("submit") else 1)
        print(
            f"{page:10} {1000 * cpu / args.requests:7.2f} ms CPU, {1000 * wall / args.requests:7.2f} ms wall "
            f"per request; {len(queries) / per:5.1f} queries per HTTP request"
        )
        if profiler:
            stream = io.StringIO()
            stats = pstats.Stats(profiler, stream=stream)
            stats.sort_stats("cumulative").print_stats(args.filter, args.top)
            stats.sort_stats("tottime").print_stats(args.top)
            print(stream.getvalue())


if __name__ == "__main__":
    main()
