"""One learner status, every surface: the learner's course page and dashboard, their data export, and what their
clinic sees (family list, member page, CSV, funnel) report the same numbers in every state a learner can be in.
The clinic's SQL twin (clinics.selectors.family_rows) agrees with the status it stands in for."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from clinics import selectors as clinic_selectors
from clinics.models import FamilyMember
from clinics.services import leave_clinic
from courses import services
from courses.models import Lesson, Module
from courses.selectors import learner_status

STATES = [
    # name, (lessons done, lessons total, quiz average %, course completed)
    ("not_started", (0, 4, None, False)),
    ("mid_course", (2, 4, 100, False)),
    ("quiz_failed", (0, 4, 50, False)),
    ("all_lessons_but_final", (4, 4, 88, False)),  # lesson quiz 100%, final 75%: 87.5 shown as 88
    ("complete", (4, 4, 100, True)),
    ("complete_then_a_lesson_added", (4, 5, 100, True)),
    ("left_the_clinic", (2, 4, 100, False)),
]


@pytest.fixture
def staff_client(client, clinic_staff, staff_login):
    staff_login(client, clinic_staff)
    return client


@pytest.fixture
def learner_in(clinic, quiz_course, make_caregiver, take_quiz, django_capture_on_commit_callbacks):
    """learner_in(state): a family member of `clinic` brought to that state through the real services."""

    def make(state: str):
        user = make_caregiver(f"{state.replace('_', '-')}@example.com", name=state.replace("_", " ").title())
        FamilyMember.objects.create(clinic=clinic, user=user, consented_at=timezone.now())
        services.enroll(user=user, course=quiz_course, source="clinic")
        lessons = list(Lesson.objects.published().in_course(quiz_course).in_reading_order())
        if state in ("mid_course", "left_the_clinic"):
            for lesson in lessons[:2]:
                services.mark_lesson_read(user=user, lesson=lesson)
            take_quiz(user, lessons[0].quiz)
        if state == "quiz_failed":
            services.mark_lesson_read(user=user, lesson=lessons[0])
            take_quiz(user, lessons[0].quiz, wrong=2)
        if state in ("all_lessons_but_final", "complete", "complete_then_a_lesson_added"):
            for lesson in lessons:
                services.mark_lesson_read(user=user, lesson=lesson)
            take_quiz(user, lessons[0].quiz)
            take_quiz(user, quiz_course.final_assessment, wrong=0 if state != "all_lessons_but_final" else 1)
        if state == "complete_then_a_lesson_added":
            module = Module.objects.filter(course=quiz_course).order_by("order").last()
            with django_capture_on_commit_callbacks(execute=True):
                Lesson.objects.create(module=module, slug="added-later", title="Added later", summary="S.", body="B.")
        if state == "left_the_clinic":
            with django_capture_on_commit_callbacks(execute=True):
                leave_clinic(user=user, clinic=clinic)
        return user

    return make


def figures_in(text: str) -> tuple[int, int, int | None]:
    """(done, total, quiz %) as a person reads them on a page: "2 of 4 lessons" and "Quiz average: 100%"."""
    done, total = map(int, re.search(r"(\d+) of (\d+) lessons", text).groups())
    quiz = re.search(r"Quiz average:?\s*</?d?[td]?>?\s*(?:<dd[^>]*>\s*)?(\d+)%", text)
    return done, total, int(quiz.group(1)) if quiz else None


def row_of(html: str, email: str) -> str:
    rows = [row for row in re.findall(r"<tr>.*?</tr>", html, re.S) if email in row]
    assert len(rows) == 1, f"{email}: {len(rows)} rows"
    return rows[0]


@pytest.mark.parametrize("state, expected", STATES, ids=[s[0] for s in STATES])
def test_every_surface_reports_the_same_numbers(state, expected, learner_in, client, staff_client, clinic, quiz_course):
    done, total, quiz, completed = expected
    user = learner_in(state)
    status = learner_status(user, quiz_course)
    assert (status.progress.completed, status.progress.total, status.quiz_scores.percent, status.completed) == expected

    learner = client.__class__()
    learner.force_login(user)
    dashboard = learner.get(reverse("dashboard")).content.decode()
    course_page = learner.get(quiz_course.get_absolute_url()).content.decode()
    for page in (dashboard, course_page):
        assert f"{done} of {total} lessons complete" in page
        assert (f"Quiz average: {quiz}%" in page) == (quiz is not None)
        assert ("Course complete" in page) == completed
    export = json.loads(learner.get(reverse("accounts:export")).content)["enrollments"][0]
    assert (export["lessons_completed"], export["lessons_in_course"], export["quiz_average_percent"]) == (
        done,
        total,
        quiz,
    )
    assert export["course_completed"] == completed

    family_list = staff_client.get(reverse("clinics:dashboard", args=[clinic.slug])).content.decode()
    export_csv = staff_client.get(reverse("clinics:export", args=[clinic.slug]))
    csv_rows = {r[1]: r for r in csv.reader(io.StringIO(b"".join(export_csv.streaming_content).decode("utf-8-sig")))}
    member_page = staff_client.get(reverse("clinics:member", args=[clinic.slug, user.pk]))
    if state == "left_the_clinic":
        assert user.email not in family_list and user.email not in csv_rows and member_page.status_code == 404
        return
    row = row_of(family_list, user.email)
    assert f"{done} of {total} lessons" in row
    assert (f"{quiz}%" in row) == (quiz is not None)
    assert ("✓" in row) == completed
    member = member_page.content.decode()
    assert figures_in(member) == (done, total, quiz)
    assert ("Yes, certificate" in member) == completed
    cells = csv_rows[user.email]
    assert (int(cells[4]), int(cells[5]), int(cells[7]) if cells[7] else None) == (done, total, quiz)
    assert bool(cells[8]) == completed


def test_the_sql_twin_agrees_with_the_learner_status(learner_in, clinic, quiz_course):
    for state, _ in STATES:
        learner_in(state)
    scope = clinic_selectors.ClinicScope.of(clinic)
    rows = list(clinic_selectors.family_rows(clinic, scope))
    progress = clinic_selectors.family_progress([r.user_id for r in rows], scope)
    assert len(rows) == len(STATES) - 1  # the one who left is not listed
    for row in rows:
        family = progress[row.user_id]
        sql_quiz = None if row.quiz_average is None else int(row.quiz_average + 0.5)
        assert (row.completed_lessons, sql_quiz) == (family.lessons_done, family.quiz_percent), row.user.email
        assert (row.completed_on is not None) == family.completed, row.user.email
        assert row.completed_on == family.completed_on
        assert row.last_activity == family.last_activity
    completed = {r.user.email for r in clinic_selectors.family_rows(clinic, scope, status="completed")}
    assert completed == {r.user.email for r in rows if progress[r.user_id].completed}


def test_an_unpublished_module_counts_nowhere(
    learner_in, client, staff_client, clinic, quiz_course, django_capture_on_commit_callbacks
):
    """The publication cascade: the learner page, dashboard row, funnel, member page and CSV all count 2 lessons."""
    user = learner_in("mid_course")
    hidden = Module.objects.filter(course=quiz_course).order_by("order").last()
    with django_capture_on_commit_callbacks(execute=True):
        Module.objects.filter(pk=hidden.pk).update(published=False)
    learner = client.__class__()
    learner.force_login(user)
    assert "2 of 2 lessons complete" in learner.get(quiz_course.get_absolute_url()).content.decode()
    assert "2 of 2 lessons complete" in learner.get(reverse("dashboard")).content.decode()
    dashboard = staff_client.get(reverse("clinics:dashboard", args=[clinic.slug]))
    assert "2 of 2 lessons" in row_of(dashboard.content.decode(), user.email)
    assert [step["title"] for step in dashboard.context["funnel"]] == ["Lesson 1.1", "Lesson 1.2"]
    member = staff_client.get(reverse("clinics:member", args=[clinic.slug, user.pk])).content.decode()
    assert figures_in(member)[:2] == (2, 2)
    export = staff_client.get(reverse("clinics:export", args=[clinic.slug]))
    [cells] = [
        r for r in csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))) if r[1] == user.email
    ]
    assert (cells[4], cells[5]) == ("2", "2")


def test_an_unpublished_course_leaves_every_clinic_figure(
    learner_in, staff_client, clinic, quiz_course, django_capture_on_commit_callbacks
):
    user = learner_in("mid_course")
    with django_capture_on_commit_callbacks(execute=True):
        quiz_course.published = False
        quiz_course.save()
    scope = clinic_selectors.ClinicScope.of(clinic)
    assert scope.courses == [] and clinic_selectors.family_progress([user.pk], scope)[user.pk].lessons_total == 0
    member = staff_client.get(reverse("clinics:member", args=[clinic.slug, user.pk])).content.decode()
    assert "has no course assigned that families can see" in member and "member-lessons" not in member
    assert clinic_selectors.clinic_report(clinic, scope)["funnel"] == []
