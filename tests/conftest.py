"""Shared fixtures. Factories are fixtures that return a function (`make_caregiver(...)`, `make_clinic(...)`), in
the style of django-allauth's tests: a test asks for what it builds, and nothing is imported from here."""

from __future__ import annotations

import io
import itertools
import time
import uuid

import pytest
from django.conf import settings

from courses.models import Course, Lesson, Module
from quizzes.loader import load_content

_counter = itertools.count(1)
PASSWORD = "correct horse battery"


# --- Courses and quizzes --------------------------------------------------------------------------------------


@pytest.fixture
def make_course(db):
    """make_course(modules=2, lessons_per_module=3, published=True): a course of plain lessons."""

    def make(*, modules: int = 2, lessons_per_module: int = 3, published: bool = True) -> Course:
        n = next(_counter)
        course = Course.objects.create(
            slug=f"course-{n}", title=f"Course {n}", summary="A test course.", published=published
        )
        for m in range(1, modules + 1):
            module = Module.objects.create(course=course, slug=f"module-{m}", title=f"Module {m}", order=m)
            for i in range(1, lessons_per_module + 1):
                Lesson.objects.create(
                    module=module,
                    slug=f"lesson-{m}-{i}",
                    title=f"Lesson {m}.{i}",
                    summary="Summary.",
                    body=f"## Part {i}\n\nBody of lesson {m}.{i}.",
                    minutes=5,
                    order=i,
                )
        return course

    return make


@pytest.fixture
def add_quiz(db):
    """add_quiz(lesson=… or course=…): a quiz with one question of every kind; choice texts say which is right."""
    from quizzes.models import Choice, Question, Quiz

    def add(*, lesson=None, course=None, pass_mark: int = 80) -> Quiz:
        quiz = Quiz.objects.create(lesson=lesson, course=course, title="Check yourself", pass_mark=pass_mark)
        spec = [
            ("single", "", "Pick the right one", [("right", True), ("wrong A", False), ("wrong B", False)]),
            ("multiple", "", "Pick all right ones", [("right 1", True), ("right 2", True), ("wrong", False)]),
            ("true_false", "", "Is it true?", [("True", True), ("False", False)]),
            ("scenario", "Your friend calls you.", "What do you do?", [("listen", True), ("lecture", False)]),
        ]
        for order, (kind, scenario, prompt, choices) in enumerate(spec):
            question = Question.objects.create(quiz=quiz, kind=kind, scenario=scenario, prompt=prompt, order=order)
            for n, (text, correct) in enumerate(choices):
                Choice.objects.create(
                    question=question, text=text, is_correct=correct, explanation=f"Because {text}.", order=n
                )
        return quiz

    return add


def _choice_ids(quiz, wrong: int) -> dict[int, set[int]]:
    picked = {}
    for i, question in enumerate(quiz.questions.prefetch_related("choices")):
        pick = [c.pk for c in question.choices.all() if c.is_correct != (i < wrong)]
        picked[question.pk] = set(pick if question.allows_many else pick[:1])
    return picked


@pytest.fixture
def answers_for():
    """answers_for(quiz, wrong=0): the quiz form's POST data, every answer right except the first `wrong`."""

    def answers(quiz, *, wrong: int = 0) -> dict[str, list[str]]:
        return {f"q{qid}": [str(c) for c in sorted(ids)] for qid, ids in _choice_ids(quiz, wrong).items()}

    return answers


@pytest.fixture
def take_quiz():
    """take_quiz(user, quiz, wrong=0): submit an attempt through the grading service, as the quiz page does."""
    from quizzes.services import submit_attempt

    def take(user, quiz, *, wrong: int = 0):
        questions = list(quiz.questions.prefetch_related("choices"))
        return submit_attempt(
            user=user, quiz=quiz, questions=questions, token=uuid.uuid4(), answers=_choice_ids(quiz, wrong)
        )

    return take


@pytest.fixture
def small_course(make_course) -> Course:
    return make_course()


@pytest.fixture
def real_course(db) -> Course:
    """The whole caregiver course, loaded from content/ exactly as `make run` loads it."""
    load_content(settings.CONTENT_DIR)
    return Course.objects.get(slug="supporting-ketamine-therapy")


@pytest.fixture
def quiz_course(make_course, add_quiz):
    """Two modules × two lessons; the first lesson has a quiz; the course has a final assessment."""
    course = make_course(modules=2, lessons_per_module=2)
    first = Lesson.objects.in_course(course).in_reading_order().first()
    add_quiz(lesson=first)
    add_quiz(course=course)
    return course


# --- People -----------------------------------------------------------------------------------------------------


@pytest.fixture
def make_caregiver(db, django_user_model):
    """make_caregiver(email=None, name="Casey", verified=False): a person with an account."""

    def make(email: str | None = None, *, name: str = "Casey", verified: bool = False, **fields):
        email = email or f"carer{next(_counter)}@example.com"
        user = django_user_model.objects.create_user(email=email, password=PASSWORD, display_name=name, **fields)
        if verified:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    return make


@pytest.fixture
def caregiver(make_caregiver):
    return make_caregiver("carer@example.com", name="Casey")


@pytest.fixture
def other_caregiver(make_caregiver):
    return make_caregiver("other@example.com", name="Olive")


@pytest.fixture
def caregiver_client(client, caregiver):
    client.force_login(caregiver)
    return client


@pytest.fixture
def turn_on_two_factor():
    """turn_on_two_factor(user): a TOTP authenticator, as if the QR code had been scanned. Returns the secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    def turn_on(user) -> str:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        return secret

    return turn_on


@pytest.fixture
def totp_code():
    """totp_code(secret): the six digits an authenticator app shows right now."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return lambda secret: format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def admin_user_with_2fa(db, django_user_model, turn_on_two_factor):
    user = django_user_model.objects.create_superuser(
        email="admin@example.com", password="admin password 123", display_name="Ada"
    )
    turn_on_two_factor(user)
    return user


# --- Clinics ------------------------------------------------------------------------------------------------------


@pytest.fixture
def make_clinic(db):
    """make_clinic(name, slug, courses=(), **fields): a clinic assigned these courses."""
    from clinics.models import Clinic

    def make(name: str, slug: str, *, courses=(), **fields):
        clinic = Clinic.objects.create(name=name, slug=slug, **fields)
        clinic.courses.add(*courses)
        return clinic

    return make


@pytest.fixture
def make_staff(make_caregiver, turn_on_two_factor):
    """make_staff(email, clinic, role="staff", two_factor=True): a verified staff member of `clinic`."""
    from clinics.models import StaffMembership

    def make(email: str, clinic, role: str = "staff", *, two_factor: bool = True):
        user = make_caregiver(email, name=email.split("@")[0].title(), verified=True)
        user.set_password("staff password 123")
        user.save(update_fields=["password"])
        StaffMembership.objects.create(clinic=clinic, user=user, role=role)
        if two_factor:
            turn_on_two_factor(user)
        return user

    return make


@pytest.fixture
def clinic(make_clinic, quiz_course):
    return make_clinic(
        "Calm Waters Clinic",
        "calm-waters",
        courses=[quiz_course],
        contact_phone="555-0100",
        after_hours_phone="555-0199",
    )


@pytest.fixture
def other_clinic(make_clinic, quiz_course):
    return make_clinic("Hilltop Clinic", "hilltop", courses=[quiz_course])


@pytest.fixture
def manager(make_staff, clinic):
    return make_staff("manager@calm.example", clinic, role="manager")


@pytest.fixture
def clinic_staff(make_staff, clinic):
    return make_staff("staff@calm.example", clinic)


@pytest.fixture
def other_staff(make_staff, other_clinic):
    return make_staff("staff@hilltop.example", other_clinic, role="manager")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and MFA live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff_login():
    """staff_login(client, user): `client.force_login(user)`, and, if the person has an authenticator app, its code
    step recorded as after a real sign-in (clinic pages and admin ask whether this session passed two-factor)."""
    from tests.two_factor import force_login_with_two_factor

    def login(client, user):
        force_login_with_two_factor(client, user)
        return client

    return login


@pytest.fixture(autouse=True, scope="session")
def _compiled_translations():
    """The Spanish catalogue as Django reads it (.mo), built from the committed .po when it is missing or older:
    `make test` does this too; this keeps a bare `pytest` run honest."""
    from pathlib import Path

    from django.core.management import call_command
    from django.utils import translation

    stale = [
        po
        for locale_dir in map(Path, settings.LOCALE_PATHS)
        for po in locale_dir.glob("*/LC_MESSAGES/*.po")
        if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        call_command("compile_translations", stdout=io.StringIO())
        translation.trans_real._translations.clear()  # forget catalogues loaded before the compile
    yield


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A /es/ request leaves Spanish active in the thread (LocaleMiddleware activates, nothing deactivates):
    every test starts and ends in English."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
