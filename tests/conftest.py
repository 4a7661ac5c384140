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
    course = Course.objects.create(slug=f"course-{n}", title=f"Course {n}", summary="A test course.", published=published)
    for m in range(1, modules + 1):
        module = Module.objects.create(course=course, slug=f"module-{m}", title=f"Module {m}", order=m)
        for i in range(1, lessons_per_module + 1):
            Lesson.objects.create(
                module=module, slug=f"lesson-{m}-{i}", title=f"Lesson {m}.{i}", summary="Summary.",
                body=f"## Part {i}\n\nBody of lesson {m}.{i}.", minutes=5, order=i,
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
    return django_user_model.objects.create_user(email="carer@example.com", password="correct horse battery", display_name="Casey")


@pytest.fixture
def other_caregiver(db, django_user_model):
    return django_user_model.objects.create_user(email="other@example.com", password="correct horse battery", display_name="Olive")
