"""Shared fixtures: small courses built in code, the real course loaded from content/, and users."""

from __future__ import annotations

import itertools

import pytest
from django.conf import settings

from courses.models import Course, Lesson, Module
from quizzes.loader import load_content

_counter = itertools.count(1)


def make_course(*, modules: int = 2, lessons_per_module: int = 3, published: bool = True) -> Course:
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


@pytest.fixture
def course_factory(db):
    return make_course


@pytest.fixture
def small_course(db) -> Course:
    return make_course()


@pytest.fixture
def real_course(db) -> Course:
    """The whole caregiver course, loaded from content/ exactly as `make run` loads it."""
    load_content(settings.CONTENT_DIR)
    return Course.objects.get(slug="supporting-ketamine-therapy")


@pytest.fixture
def caregiver(db, django_user_model):
    return django_user_model.objects.create_user(
        email="carer@example.com", password="correct horse battery", display_name="Casey"
    )


@pytest.fixture
def other_caregiver(db, django_user_model):
    return django_user_model.objects.create_user(
        email="other@example.com", password="correct horse battery", display_name="Olive"
    )


def add_quiz(*, lesson=None, course=None, pass_mark=80):
    """A quiz with one question of every kind. Choice texts say which is right, for readable tests."""
    from quizzes.models import Choice, Question, Quiz

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


def answers_for(quiz, *, wrong: int = 0) -> dict:
    """POST data answering every question correctly, except the first `wrong` questions."""
    data = {}
    for i, question in enumerate(quiz.questions.prefetch_related("choices")):
        pick = [c for c in question.choices.all() if c.is_correct != (i < wrong)]
        if not question.allows_many:
            pick = pick[:1]
        data[f"q{question.pk}"] = [str(c.pk) for c in pick]
    return data


@pytest.fixture
def quiz_course(db):
    """Two modules × two lessons; the first lesson has a quiz; the course has a final assessment."""
    course = make_course(modules=2, lessons_per_module=2)
    first = Lesson.objects.in_course(course).in_reading_order().first()
    add_quiz(lesson=first)
    add_quiz(course=course)
    return course


@pytest.fixture
def caregiver_client(client, caregiver):
    client.force_login(caregiver)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and MFA live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def turn_on_two_factor(user) -> str:
    """Give a user a TOTP authenticator, as if they had scanned the QR code. Returns the secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def current_totp_code(secret: str) -> str:
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def admin_user_with_2fa(db, django_user_model):
    user = django_user_model.objects.create_superuser(
        email="admin@example.com", password="admin password 123", display_name="Ada"
    )
    turn_on_two_factor(user)
    return user


def make_staff(email, clinic, role="staff", *, two_factor=True):
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from clinics.models import StaffMembership

    user = User.objects.create_user(
        email=email, password="staff password 123", display_name=email.split("@")[0].title()
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    StaffMembership.objects.create(clinic=clinic, user=user, role=role)
    if two_factor:
        turn_on_two_factor(user)
    return user


@pytest.fixture
def clinic(quiz_course):
    from clinics.models import Clinic

    clinic = Clinic.objects.create(
        name="Calm Waters Clinic", slug="calm-waters", contact_phone="555-0100", after_hours_phone="555-0199"
    )
    clinic.courses.add(quiz_course)
    return clinic


@pytest.fixture
def other_clinic(quiz_course):
    from clinics.models import Clinic

    other = Clinic.objects.create(name="Hilltop Clinic", slug="hilltop")
    other.courses.add(quiz_course)
    return other


@pytest.fixture
def manager(clinic):
    return make_staff("manager@calm.example", clinic, role="manager")


@pytest.fixture
def clinic_staff(clinic):
    return make_staff("staff@calm.example", clinic)


@pytest.fixture
def other_staff(other_clinic):
    return make_staff("staff@hilltop.example", other_clinic, role="manager")
