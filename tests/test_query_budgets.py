"""Query budgets for every page type, measured at two data sizes: the counts must not grow with data.

Guards against N+1 queries over courses, lessons, attempts, families and invitations on any page.
"""

import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from clinics.models import Clinic, FamilyMember, Invitation
from courses import services
from courses.models import Certificate, Lesson

# (first visit with nothing cached, second visit): the second is what a busy site mostly serves. A first visit
# builds the course structure (3 queries) and the header's clinic link (1) for later requests.
BUDGETS = {
    "home": (9, 4),  # a returning learner's greeting: their latest enrollment and its progress rows (2)
    "about": (3, 2),
    "course_list": (4, 2),
    "course_detail": (11, 7),
    "lesson_detail": (9, 4),
    "quiz": (7, 3),
    "attempt": (9, 5),
    "dashboard": (10, 6),
    "certificate": (4, 3),
    "verify": (4, 3),
    "profile": (3, 2),
    "your_data": (3, 2),
    "my_clinics": (4, 3),
    "clinic_dashboard": (24, 6),  # +2 on a first visit: the pictures' progress bands and weekly activity (cached)
    "clinic_invitations": (9, 8),  # + the delivery progress line (one grouped count)
    "clinic_member": (16, 12),  # includes writing the audit entry for the view; +1: quiz results per quiz
    "clinic_flyer": (6, 5),
    "clinic_staff": (6, 5),
    "clinic_settings": (7, 6),
}


@pytest.fixture
def build(make_course, add_quiz, make_staff, take_quiz):
    """build(size): a world whose every collection grows with `size`."""
    return lambda size: _build(size, make_course, add_quiz, make_staff, take_quiz)


def _build(size, make_course, add_quiz, make_staff, take_quiz):
    tag = uuid.uuid4().hex[:6]
    learner = User.objects.create_user(email=f"learner{tag}@example.com", password="x" * 12, display_name="L")
    courses = [make_course(modules=size, lessons_per_module=size * 2) for _ in range(size)]
    clinic = Clinic.objects.create(name=f"Clinic {tag}", slug=f"clinic-{tag}")
    clinic.courses.add(*courses)
    attempt = None
    for course in courses:
        lessons = list(Lesson.objects.in_course(course).in_reading_order())
        quiz = add_quiz(lesson=lessons[0])
        add_quiz(course=course)
        services.enroll(user=learner, course=course)
        for lesson in lessons[: len(lessons) // 2]:
            services.mark_lesson_read(user=learner, lesson=lesson)
        for _ in range(size * 3):
            attempt = take_quiz(learner, quiz)
        Certificate.objects.get_or_create(
            user=learner, course=course, defaults={"holder_name": "L", "course_title": course.title}
        )
    FamilyMember.objects.create(clinic=clinic, user=learner, consented_at=timezone.now())
    for n in range(size * 10):
        user = User.objects.create_user(email=f"fam{n}{tag}@example.com", password="x" * 12, display_name=f"F{n}")
        FamilyMember.objects.create(clinic=clinic, user=user, consented_at=timezone.now())
        Invitation.objects.create(clinic=clinic, email=f"inv{n}{tag}@example.com", expires_at=timezone.now())
    manager = make_staff(f"mgr{tag}@example.com", clinic, role="manager")
    for n in range(size * 3):
        make_staff(f"staff{n}{tag}@example.com", clinic)
    course = courses[0]
    lesson = Lesson.objects.in_course(course).in_reading_order()[0]  # already read at both sizes
    certificate = Certificate.objects.filter(user=learner).first()
    learner_pages = {
        "home": reverse("home"),
        "about": reverse("about"),
        "course_list": reverse("courses:course_list"),
        "course_detail": course.get_absolute_url(),
        "lesson_detail": lesson.get_absolute_url(),
        "quiz": reverse("quizzes:take", args=[attempt.quiz_id]),
        "attempt": reverse("quizzes:attempt", args=[attempt.pk]),
        "dashboard": reverse("dashboard"),
        "certificate": certificate.get_absolute_url(),
        "verify": reverse("certificate_verify", args=[certificate.code]),
        "profile": reverse("accounts:profile"),
        "your_data": reverse("accounts:data"),
        "my_clinics": reverse("clinics:mine"),
    }
    staff_pages = {
        "clinic_dashboard": reverse("clinics:dashboard", args=[clinic.slug]),
        "clinic_invitations": reverse("clinics:invitations", args=[clinic.slug]),
        "clinic_member": reverse("clinics:member", args=[clinic.slug, learner.pk]),
        "clinic_flyer": reverse("clinics:flyer", args=[clinic.slug]),
        "clinic_staff": reverse("clinics:staff", args=[clinic.slug]),
        "clinic_settings": reverse("clinics:settings", args=[clinic.slug]),
    }
    return learner, learner_pages, manager, staff_pages


def measure(client, user, pages, login) -> tuple[dict, dict]:
    """Queries per page on a first visit, and on a second visit (course content and reports cached)."""
    login(client, user)
    first, again = {}, {}
    for name, url in pages.items():
        cache.clear()  # the first visit finds nothing cached, whichever pages came before
        for counts in (first, again):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200, name
            counts[name] = len(ctx.captured_queries)
    return first, again


@pytest.mark.django_db
def test_every_page_type_has_a_fixed_query_budget(client, build, staff_login):
    results = []
    for size in (1, 3):
        cache.clear()
        learner, learner_pages, manager, staff_pages = build(size)
        first, again = measure(client, learner, learner_pages, staff_login)
        staff_first, staff_again = measure(client, manager, staff_pages, staff_login)
        results.append(({**first, **staff_first}, {**again, **staff_again}))
    (small, small_again), (large, large_again) = results
    print("query counts per page type, first visit:", large)
    print("query counts per page type, second visit:", large_again)
    grew = {name: (small[name], large[name]) for name in small if small[name] != large[name]}
    grew.update(
        {
            f"{name} (again)": (small_again[name], large_again[name])
            for name in small
            if small_again[name] != large_again[name]
        }
    )
    assert not grew, f"query counts grew with data: {grew}"
    measured = {name: (large[name], large_again[name]) for name in large}
    over = {
        name: ((cold, warm), BUDGETS[name])
        for name, (cold, warm) in measured.items()
        if cold > BUDGETS[name][0] or warm > BUDGETS[name][1]
    }
    assert not over, f"over budget ((first, second visit), budget): {over}"
    assert all(large_again[name] <= large[name] for name in large), (large, large_again)
