"""Locust users for bench/run.py. One page type per run, chosen by BENCH_PAGE:

  bare, bare_signed_in, home, lesson, quiz, dashboard, clinic,        closed loop, no think time
  clinic_views, submit
  exam                                                                 the exam-day scenario
  moodle                                                               like-for-like with the Moodle 4.5 load test

Every request goes to the server bench/run.py started on 127.0.0.1. Signed-in users of the pages and exam
scenarios use sessions from bench/fixtures.py (BENCH_FIXTURES), never the sign-in form; moodle users sign in
through the real form (the server must run with BENCH_NO_RATE_LIMITS=1: every user comes from 127.0.0.1).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import secrets
import time
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, between, constant, events, task

FIXTURES = json.loads(Path(os.environ["BENCH_FIXTURES"]).read_text())
PAGE = os.environ.get("BENCH_PAGE", "bare")
RESULTS = os.environ.get("BENCH_RESULTS")
LEARNER_OFFSET = int(os.environ.get("BENCH_LEARNER_OFFSET", "0"))
EXAM_START = float(os.environ.get("BENCH_EXAM_START", "0"))  # epoch seconds: everyone opens the exam from here
EXAM_OPEN_WINDOW = float(os.environ.get("BENCH_EXAM_OPEN_WINDOW", "20"))  # … within this many seconds
EXAM_DOUBLE_CLICK = float(os.environ.get("BENCH_EXAM_DOUBLE_CLICK", "0.05"))  # share who submit twice
THINK = float(os.environ.get("BENCH_THINK", "0"))  # pages: mean pause between requests (0: closed loop)
MOODLE_PAGES = int(os.environ.get("BENCH_MOODLE_PAGES", "8"))  # moodle: pages each person visits after signing in
MOODLE_PAGE_THINK = (3.0, 8.0)  # moodle: seconds between those pages
DEMO_PASSWORD = os.environ.get("BENCH_PASSWORD", "demo-password-123")  # seed_demo's password for every account
USERS_RESULTS = os.environ.get("BENCH_USERS_RESULTS")  # moodle: one record per person (signed in, late, …)

_learners = itertools.count(LEARNER_OFFSET)
_staff = itertools.count()
submissions: list[dict] = []  # quiz submits, for the exactly-once check after an exam run

INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'\b(type|name|value)="([^"]*)"', re.IGNORECASE)
ATTEMPT_URL = re.compile(r"/quizzes/attempts/(\d+)/$")
CLINIC_VIEWS = ["", "?status=inactive", "?status=completed", "?sort=progress&order=desc", "?sort=activity", "?page=40"]


def parse_quiz_form(html: str) -> tuple[list[tuple[str, str]], str | None]:
    """The POST body for a quiz page: CSRF token, attempt token, one answer per question (any choice)."""
    hidden, questions = {}, {}
    for tag in INPUT.findall(html):
        attrs = {k.lower(): v for k, v in ATTRIBUTE.findall(tag)}
        kind, name, value = attrs.get("type", "").lower(), attrs.get("name", ""), attrs.get("value", "")
        if kind == "hidden":
            hidden[name] = value
        elif kind in ("radio", "checkbox") and re.fullmatch(r"q\d+", name):
            questions.setdefault(name, (kind, []))[1].append(value)
    fields = [(name, hidden[name]) for name in ("csrfmiddlewaretoken", "token") if name in hidden]
    for name, (kind, values) in questions.items():
        picks = (
            random.sample(values, random.randint(1, min(2, len(values))))
            if kind == "checkbox"
            else [random.choice(values)]
        )
        fields += [(name, v) for v in picks]
    return fields, hidden.get("token")


class SiteUser(FastHttpUser):
    abstract = True
    connection_timeout = 60.0
    network_timeout = 60.0

    def on_start(self):
        self.scheme = "https" if FIXTURES["https"] else "http"
        self.headers = {"Accept": "text/html", "Accept-Encoding": "gzip, deflate, br"}
        if FIXTURES["https"]:
            self.headers["X-Forwarded-Proto"] = "https"  # what the TLS proxy in front of the site adds

    def sign_in(self, session_key: str) -> None:
        # Our own CSRF secret (32 letters/digits, as Django's): the page's form token is derived from it.
        cookies = {FIXTURES["cookies"]["session"]: session_key, FIXTURES["cookies"]["csrf"]: secrets.token_hex(16)}
        self.headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())

    def get(self, path: str, name: str):
        with self.client.get(path, name=name, headers=self.headers, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code} {r.headers.get('Location', '') if r.headers else ''}")
            return r

    def submit(self, quiz_path: str, page_name: str, submit_name: str, *, double_click: bool = False) -> dict | None:
        page = self.get(quiz_path, page_name)
        if page.status_code != 200 or not page.text:
            return None
        fields, token = parse_quiz_form(page.text)
        return self.post_answers(quiz_path, fields, token, submit_name, double_click=double_click)

    def post_answers(self, quiz_path, fields, token, submit_name, *, double_click=False) -> dict:
        origin = f"{self.scheme}://{self.host.split('://', 1)[1]}"
        headers = dict(self.headers, Origin=origin, Referer=origin + quiz_path)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urlencode(fields)
        outcome = {"user": self.email, "token": token, "ok": False, "attempt": None, "again": None}
        with self.client.post(
            quiz_path, data=body, name=submit_name, headers=headers, allow_redirects=False, catch_response=True
        ) as r:
            match = ATTEMPT_URL.search(r.headers.get("Location", "") if r.headers else "")
            if r.status_code == 302 and match:
                outcome.update(ok=True, attempt=int(match.group(1)))
            else:
                r.failure(f"status {r.status_code} {r.headers.get('Location', '') if r.headers else ''}")
        if double_click and outcome["ok"]:
            time.sleep(0.3)
            with self.client.post(
                quiz_path,
                data=body,
                name=f"{submit_name} (double click)",
                headers=headers,
                allow_redirects=False,
                catch_response=True,
            ) as r:
                match = ATTEMPT_URL.search(r.headers.get("Location", "") if r.headers else "")
                outcome["again"] = int(match.group(1)) if match else None
                if r.status_code != 302 or outcome["again"] != outcome["attempt"]:
                    r.failure(f"double click gave {r.status_code} → {outcome['again']}, first {outcome['attempt']}")
        submissions.append(outcome)
        return outcome


class PageUser(SiteUser):
    """Closed loop without think time (capacity), or with BENCH_THINK seconds between requests (people reading)."""

    abstract = PAGE in ("exam", "moodle")
    wait_time = between(THINK / 2, THINK * 3 / 2) if THINK else constant(0)

    def on_start(self):
        super().on_start()
        self.email = None
        if PAGE in ("clinic", "clinic_views"):
            staff = FIXTURES["staff"][next(_staff) % len(FIXTURES["staff"])]
            self.clinic = staff["clinic"]
            self.sign_in(staff["session"])
        elif PAGE in ("bare_signed_in", "lesson", "quiz", "dashboard", "submit"):
            learner = FIXTURES["learners"][next(_learners) % len(FIXTURES["learners"])]
            self.email = learner["email"]
            self.sign_in(learner["session"])

    @task
    def one_page(self):
        if PAGE == "bare":
            self.get("/bench/bare/", "bare")
        elif PAGE == "bare_signed_in":
            self.get("/bench/bare/", "bare (signed in)")
        elif PAGE == "home":
            self.get("/", "home")
        elif PAGE == "lesson":
            self.get(random.choice(FIXTURES["lessons"]), "lesson")
        elif PAGE == "quiz":
            self.get(random.choice(FIXTURES["lesson_quizzes"]), "quiz page")
        elif PAGE == "dashboard":
            self.get("/my-learning/", "learner dashboard")
        elif PAGE == "clinic":
            self.get(f"/clinics/{self.clinic}/", "clinic dashboard")
        elif PAGE == "clinic_views":
            self.get(f"/clinics/{self.clinic}/{random.choice(CLINIC_VIEWS)}", "clinic dashboard (filter/sort/page)")
        elif PAGE == "submit":
            self.submit(random.choice(FIXTURES["lesson_quizzes"]), "quiz page (before submit)", "quiz submit")


class ExamUser(SiteUser):
    """Exam day: open the final assessment together, think 30–90 s, submit, read the result. Once."""

    abstract = PAGE != "exam"
    wait_time = between(30, 90)

    def on_start(self):
        super().on_start()
        learner = FIXTURES["learners"][next(_learners)]
        self.email = learner["email"]
        self.sign_in(learner["session"])
        self.done = False

    @task
    def sit_the_exam(self):
        if self.done:
            time.sleep(1)
            return
        self.done = True
        try:
            time.sleep(max(0.0, EXAM_START - time.time()) + random.uniform(0, EXAM_OPEN_WINDOW))
            quiz = FIXTURES["final_quiz"]
            page = self.get(quiz, "final assessment page")
            if page.status_code != 200 or not page.text:
                return
            fields, token = parse_quiz_form(page.text)
            self.wait()  # reading and answering: 30–90 s
            double = random.random() < EXAM_DOUBLE_CLICK
            outcome = self.post_answers(quiz, fields, token, "final assessment submit", double_click=double)
            if outcome["ok"]:
                self.get(f"/quizzes/attempts/{outcome['attempt']}/", "attempt result")
        finally:
            _finished.append(self.email)
            if len(_finished) >= self.environment.runner.user_count:
                # Everyone is done: end the run early, after the CSV writer (every second) has seen the last
                # requests; quitting at once left the last second's requests out of the _stats.csv table.
                gevent.spawn_later(3, self.environment.runner.quit)


class MoodleUser(SiteUser):
    """The Moodle 4.5 load test's plan: sign in through the form (during the ramp), visit about 8 pages, wait for
    everyone, open the assessment at the same instant (BENCH_EXAM_START), think 30–90 s, submit, review. Once."""

    abstract = PAGE != "moodle"
    wait_time = between(30, 90)

    def on_start(self):
        super().on_start()
        self.email = FIXTURES["learners"][next(_learners)]["email"]
        self.done = False
        self.cookies: dict[str, str] = {}

    def keep_cookies(self, response) -> None:
        """A browser's cookie jar, enough for this site: CSRF and session cookies, sent back as a Cookie header
        (the client's own jar does not send them back here)."""
        for line in response.headers.get_all("Set-Cookie") if response.headers else []:
            name, _, value = line.split(";", 1)[0].partition("=")
            if value and "max-age=0" not in line.lower():
                self.cookies[name.strip()] = value.strip()
            else:
                self.cookies.pop(name.strip(), None)
        self.headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def get(self, path: str, name: str):
        response = super().get(path, name)
        self.keep_cookies(response)
        return response

    def sign_in_with_form(self) -> bool:
        """GET the sign-in page, POST its form. Cookies (CSRF, session) live in the client's cookie jar."""
        path = "/accounts/login/"
        page = self.get(path, "sign-in form (GET)")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text or "")
        if page.status_code != 200 or not match:
            return False
        fields = [("csrfmiddlewaretoken", match.group(1)), ("login", self.email), ("password", DEMO_PASSWORD)]
        origin = f"{self.scheme}://{self.host.split('://', 1)[1]}"
        headers = dict(self.headers, Origin=origin, Referer=origin + path)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        with self.client.post(
            path,
            data=urlencode(fields),
            name="sign-in (POST)",
            headers=headers,
            allow_redirects=False,
            catch_response=True,
        ) as r:
            self.keep_cookies(r)
            self.landing = r.headers.get("Location", "") if r.headers else ""
            if r.status_code != 302 or "/accounts/" in self.landing:
                r.failure(f"sign-in gave {r.status_code} → {self.landing!r}")
                return False
        return True

    def browse(self) -> int:
        """About 8 pages, as a learner would before the exam: the page sign-in led to, the course, lessons in
        reading order from a random place, a lesson quiz. Returns how many answered 200."""
        lessons = FIXTURES["lessons"]
        start = random.randrange(len(lessons))
        plan = [self.landing or "/my-learning/", FIXTURES["course"]]
        plan += [lessons[(start + i) % len(lessons)] for i in range(max(0, MOODLE_PAGES - 3))]
        plan.append(random.choice(FIXTURES["lesson_quizzes"]))
        ok = 0
        for path in plan[:MOODLE_PAGES]:
            time.sleep(random.uniform(*MOODLE_PAGE_THINK))
            ok += self.get(path, "page view").status_code == 200
        return ok

    @task
    def sit_the_exam(self):
        if self.done:
            time.sleep(1)
            return
        self.done = True
        record = {"user": self.email, "signed_in": False, "pages_ok": 0, "ready_before_start_s": None}
        try:
            record["signed_in"] = self.sign_in_with_form()
            if not record["signed_in"]:
                return
            record["pages_ok"] = self.browse()
            record["ready_before_start_s"] = round(EXAM_START - time.time(), 1)  # negative: late for the start
            time.sleep(max(0.0, EXAM_START - time.time()))  # the barrier: everyone opens it at the same instant
            quiz = FIXTURES["final_quiz"]
            page = self.get(quiz, "assessment open")
            if page.status_code != 200 or not page.text:
                return
            fields, token = parse_quiz_form(page.text)
            self.wait()  # reading and answering: 30–90 s
            outcome = self.post_answers(quiz, fields, token, "assessment submit")
            if outcome["ok"]:
                self.get(f"/quizzes/attempts/{outcome['attempt']}/", "review")
        finally:
            user_records.append(record)
            _finished.append(self.email)
            if len(_finished) >= self.environment.parsed_options.num_users:  # all spawned, all done
                # Everyone is done: end the run early, after the CSV writer (every second) has seen the last
                # requests; quitting at once left the last second's requests out of the _stats.csv table.
                gevent.spawn_later(3, self.environment.runner.quit)


_finished: list[str] = []
user_records: list[dict] = []


@events.quitting.add_listener
def save_submissions(environment, **_):
    if RESULTS:
        with open(RESULTS, "w") as f:
            json.dump(submissions, f)
    if USERS_RESULTS:
        with open(USERS_RESULTS, "w") as f:
            json.dump(user_records, f)
