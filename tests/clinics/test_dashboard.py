"""Dashboard figures checked against values computed by hand for a small clinic."""

import csv
import io
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from clinics.models import AuditEvent, FamilyMember, Invitation
from config.caches import FAMILY_LIST_SECONDS
from courses import services
from courses.models import Enrollment, Lesson


def family(clinic, email, name):
    user = User.objects.create_user(email=email, password="x" * 12, display_name=name)
    FamilyMember.objects.create(clinic=clinic, user=user, consented_at=timezone.now())
    for course in clinic.courses.all():
        services.enroll(user=user, course=course, source="clinic")
    return user


@pytest.fixture
def populated(clinic, quiz_course, other_clinic, take_quiz):
    """A: joined, not started. B: 2 of 4 lessons, quiz 50% then 100%. C: completed. D: 1 lesson, inactive 20 days."""
    lessons = list(Lesson.objects.published().in_course(quiz_course).in_reading_order())
    a = family(clinic, "a@example.com", "Ann")
    b = family(clinic, "b@example.com", "Ben")
    c = family(clinic, "c@example.com", "Cat")
    d = family(clinic, "d@example.com", "Dev")
    outsider = family(other_clinic, "o@example.com", "Oz")  # another clinic's family: never counted here
    take_quiz(b, lessons[0].quiz, wrong=2)
    take_quiz(b, lessons[0].quiz)
    for lesson in lessons[:2]:
        services.mark_lesson_read(user=b, lesson=lesson)
    for lesson in lessons:
        services.mark_lesson_read(user=c, lesson=lesson)
    take_quiz(c, lessons[0].quiz)
    take_quiz(c, quiz_course.final_assessment, wrong=0)
    services.mark_lesson_read(user=d, lesson=lessons[1])
    Enrollment.objects.filter(user=d).update(last_activity_at=timezone.now() - timedelta(days=20))
    FamilyMember.objects.filter(user=d).update(joined_at=timezone.now() - timedelta(days=30))
    for lesson in lessons:
        services.mark_lesson_read(user=outsider, lesson=lesson)
    Invitation.objects.create(clinic=clinic, email="waiting@example.com", expires_at=timezone.now() + timedelta(days=5))
    Invitation.objects.create(clinic=clinic, email="a@example.com", status="accepted", expires_at=timezone.now())
    return {"a": a, "b": b, "c": c, "d": d, "lessons": lessons}


@pytest.fixture
def staff_client(client, clinic_staff, staff_login):
    staff_login(client, clinic_staff)
    return client


def dashboard(client, clinic, **params):
    return client.get(reverse("clinics:dashboard", args=[clinic.slug]), params)


def test_summary_tiles_match_hand_computed_values(staff_client, clinic, populated):
    summary = dashboard(staff_client, clinic).context["summary"]
    # invited: 2 invitations; joined: A B C D; started: B C D; completed: C → 1 of 4 = 25%
    assert (summary.invited, summary.joined, summary.started, summary.completed) == (2, 4, 3, 1)
    assert summary.completion_rate == 25


def test_rows_show_progress_activity_quiz_average_and_completion(staff_client, clinic, populated):
    rows = {m.user.email: m for m in dashboard(staff_client, clinic).context["page"]}
    assert set(rows) == {"a@example.com", "b@example.com", "c@example.com", "d@example.com"}
    # What the page shows (the learner status) ...
    assert [rows[e].progress.lessons_done for e in sorted(rows)] == [0, 2, 4, 1]
    assert rows["b@example.com"].progress.quiz_percent == 75  # (50 + 100) / 2
    assert rows["c@example.com"].progress.quiz_percent == 100 and rows["c@example.com"].progress.completed
    assert rows["a@example.com"].progress.quiz_percent is None and not rows["a@example.com"].progress.completed
    # ... and the SQL it was sorted and filtered by.
    assert [rows[e].completed_lessons for e in sorted(rows)] == [0, 2, 4, 1]
    assert rows["b@example.com"].quiz_average == 75
    assert rows["c@example.com"].completed_on is not None and rows["a@example.com"].completed_on is None
    html = dashboard(staff_client, clinic).content.decode()
    ben = next(row for row in html.split("<tr>") if "b@example.com" in row)
    assert "2 of 4 lessons" in ben and "75%" in ben and "✓" not in ben


@pytest.mark.parametrize(
    "status, expected",
    [
        ("not_started", {"a@example.com"}),
        ("in_progress", {"b@example.com", "d@example.com"}),
        ("inactive", {"d@example.com"}),
        ("completed", {"c@example.com"}),
        ("", {"a@example.com", "b@example.com", "c@example.com", "d@example.com"}),
    ],
)
def test_filters(staff_client, clinic, populated, status, expected):
    page = dashboard(staff_client, clinic, status=status).context["page"]
    assert {m.user.email for m in page} == expected


def test_not_joined_filter_lists_pending_invitations(staff_client, clinic, populated):
    page = dashboard(staff_client, clinic, status="not_joined").context["page"]
    assert [i.email for i in page] == ["waiting@example.com"]


def test_sorting_by_any_column(staff_client, clinic, populated):
    by_progress = [m.user.email for m in dashboard(staff_client, clinic, sort="progress", order="desc").context["page"]]
    assert by_progress == ["c@example.com", "b@example.com", "d@example.com", "a@example.com"]
    by_name = [m.user.display_name for m in dashboard(staff_client, clinic, sort="name").context["page"]]
    assert by_name == ["Ann", "Ben", "Cat", "Dev"]
    for column in ("email", "joined", "invited", "activity", "quiz", "completed", "nonsense"):
        assert dashboard(staff_client, clinic, sort=column, order="desc").status_code == 200


def test_bad_filter_values_fall_back_instead_of_failing(staff_client, clinic, populated):
    response = dashboard(staff_client, clinic, status="<script>", sort="'; drop", order="sideways", page="999")
    assert response.status_code == 200 and len(response.context["page"].object_list) == 4


def test_funnel_and_most_missed_questions(staff_client, clinic, populated):
    context = dashboard(staff_client, clinic).context
    funnel = [step["completed"] for step in context["funnel"]]
    assert funnel == [2, 3, 1, 1]  # lesson 1: B C; lesson 2: B C D; lessons 3-4: C
    missed = context["missed"]
    assert missed and missed[0]["wrong"] == 1 and missed[0]["answered"] == 3


def test_csv_export_streams_the_filtered_view_and_is_audited(staff_client, clinic, clinic_staff, populated):
    response = staff_client.get(reverse("clinics:export", args=[clinic.slug]), {"status": "in_progress"})
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:2] == ["Name", "Email"]
    assert sorted(r[1] for r in rows[1:]) == ["b@example.com", "d@example.com"]
    ben = next(r for r in rows if r[1] == "b@example.com")
    assert ben[4:8] == ["2", "4", ben[6], "75"]
    assert AuditEvent.objects.filter(action="export_csv", actor=clinic_staff).exists()


def test_csv_cells_cannot_become_formulas(staff_client, clinic):
    family(clinic, "f@example.com", '=HYPERLINK("http://evil")')
    response = staff_client.get(reverse("clinics:export", args=[clinic.slug]))
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in body


def count_queries(client, url, stream=False):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200
        if stream:
            b"".join(response.streaming_content)
    return len(ctx.captured_queries)


def test_dashboard_and_export_queries_do_not_grow_with_families(client, clinic, quiz_course, make_staff, staff_login):
    """Guards against per-family queries (N+1) in rows, tiles, funnel and export; aggregation stays in SQL."""
    staff = make_staff("counter@calm.example", clinic)
    staff_login(client, staff)
    lessons = list(Lesson.objects.published().in_course(quiz_course).in_reading_order())
    measured = []
    for target in (5, 60):
        while FamilyMember.objects.filter(clinic=clinic).count() < target:
            n = FamilyMember.objects.filter(clinic=clinic).count()
            user = family(clinic, f"fam{n}@example.com", f"Family {n}")
            services.mark_lesson_read(user=user, lesson=lessons[n % 4])
        url = reverse("clinics:dashboard", args=[clinic.slug])
        cache.clear()  # measure the first, uncached load of the report figures
        measured.append(
            (
                count_queries(client, url),
                count_queries(client, url + "?status=in_progress&sort=progress&order=desc&page=2"),
                count_queries(client, reverse("clinics:export", args=[clinic.slug]), stream=True),
                count_queries(client, url + "?q=family+1&sort=activity"),  # a search narrows, adds no query
                count_queries(client, reverse("clinics:export", args=[clinic.slug]) + "?q=family", stream=True),
            )
        )
    assert measured[0] == measured[1], measured
    # Nothing cached: the course structure (3) is built too, and the pictures' progress bands and weeks (2).
    assert measured[1][0] <= 24, measured


def test_report_figures_are_cached_but_refresh_after_an_invitation(
    staff_client, clinic, clinic_staff, populated, django_capture_on_commit_callbacks
):
    from clinics import services

    first = dashboard(staff_client, clinic).context["summary"]
    Invitation.objects.create(clinic=clinic, email="quiet@example.com", expires_at=timezone.now())
    assert dashboard(staff_client, clinic).context["summary"].invited == first.invited  # cached
    with CaptureQueriesContext(connection) as cached:
        dashboard(staff_client, clinic)
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_families(clinic=clinic, actor=clinic_staff, rows=services.rows_from_text("new@example.com"))
    with CaptureQueriesContext(connection) as fresh:
        assert dashboard(staff_client, clinic).context["summary"].invited == first.invited + 2
    assert len(cached.captured_queries) < len(fresh.captured_queries)


def test_family_list_is_cached_for_a_minute_but_joins_and_leaves_show_at_once(
    staff_client, clinic, populated, monkeypatch, django_capture_on_commit_callbacks
):
    from clinics import services as clinic_services

    page = dashboard(staff_client, clinic).content.decode()
    assert "Ann" in page and "0 of 4 lessons" in page.split("Ann")[1].split("</tr>")[0]
    with CaptureQueriesContext(connection) as cached:
        dashboard(staff_client, clinic)
    services.mark_lesson_read(user=populated["a"], lesson=populated["lessons"][1])  # no quiz: complete
    page = dashboard(staff_client, clinic).content.decode()
    assert "0 of 4 lessons" in page.split("Ann")[1].split("</tr>")[0]  # still the cached list

    newcomer = User.objects.create_user(email="new@example.com", password="x" * 12, display_name="Nia")
    with django_capture_on_commit_callbacks(execute=True):
        clinic_services.join_clinic(user=newcomer, clinic=clinic)
    with CaptureQueriesContext(connection) as fresh:
        page = dashboard(staff_client, clinic).content.decode()
    assert "Nia" in page and "1 of 4 lessons" in page.split("Ann")[1].split("</tr>")[0]
    assert len(cached.captured_queries) < len(fresh.captured_queries)

    with django_capture_on_commit_callbacks(execute=True):
        clinic_services.leave_clinic(user=populated["b"], clinic=clinic)
    assert "Ben" not in dashboard(staff_client, clinic).content.decode()

    services.mark_lesson_read(user=populated["a"], lesson=populated["lessons"][2])
    later = time.time() + FAMILY_LIST_SECONDS + 1
    monkeypatch.setattr("django.core.cache.backends.locmem.time.time", lambda: later)  # a minute later
    assert "2 of 4 lessons" in dashboard(staff_client, clinic).content.decode().split("Ann")[1].split("</tr>")[0]


def test_the_kept_filter_form_shows_what_each_request_asked(staff_client, clinic, populated):
    # The form's HTML is kept per process (config/caches.cached_fragment), keyed by what was asked and the language.
    url = reverse("clinics:dashboard", args=[clinic.slug])
    assert 'value="Ann"' in staff_client.get(url, {"q": "Ann"}).content.decode()
    page = staff_client.get(url, {"q": "Ben", "sort": "progress"}).content.decode()
    assert 'value="Ben"' in page and 'value="Ann"' not in page
    assert '<option value="progress" selected>' in page
    assert 'value="Ben"' not in staff_client.get(url).content.decode()
    spanish = staff_client.get("/es" + url, {"q": "Ben"}, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Buscar a una persona" in spanish and 'value="Ben"' in spanish  # not the English form kept above


def test_assigning_or_unassigning_a_course_shows_at_once(
    staff_client, clinic, other_clinic, populated, make_course, django_capture_on_commit_callbacks
):
    # The clinic's courses are cached (config/caches.cached_clinic_scope), from either side of the relation.
    from clinics.selectors import ClinicScope

    extra = make_course()
    dashboard(staff_client, clinic)
    assert extra not in ClinicScope.of(clinic).courses
    with django_capture_on_commit_callbacks(execute=True):
        clinic.courses.add(extra)
    assert extra in ClinicScope.of(clinic).courses
    assert extra.title in dashboard(staff_client, clinic).content.decode()  # the family list's course columns
    with django_capture_on_commit_callbacks(execute=True):
        extra.clinics.remove(clinic)
    assert extra not in ClinicScope.of(clinic).courses
    with django_capture_on_commit_callbacks(execute=True):
        extra.clinics.add(clinic, other_clinic)
    assert extra in ClinicScope.of(clinic).courses and extra in ClinicScope.of(other_clinic).courses
    with django_capture_on_commit_callbacks(execute=True):
        extra.clinics.clear()  # says nothing of which clinics it had
    assert extra not in ClinicScope.of(clinic).courses and extra not in ClinicScope.of(other_clinic).courses


def test_hiding_an_assigned_course_shows_at_once(clinic, quiz_course, django_capture_on_commit_callbacks):
    from clinics.selectors import ClinicScope
    from courses.models import Course

    assert ClinicScope.of(clinic).courses == [quiz_course]
    with django_capture_on_commit_callbacks(execute=True):
        Course.objects.filter(pk=quiz_course.pk).update(published=False)
    assert ClinicScope.of(clinic).courses == []


@pytest.mark.parametrize("who, sees_manager_tabs", [("manager", True), ("clinic_staff", False), ("admin", True)])
def test_manager_tabs_follow_the_role(client, clinic, staff_login, request, who, sees_manager_tabs):
    user = request.getfixturevalue("admin_user_with_2fa" if who == "admin" else who)
    staff_login(client, user)
    page = dashboard(client, clinic).content.decode()
    assert (reverse("clinics:staff", args=[clinic.slug]) in page) is sees_manager_tabs
    assert (reverse("clinics:settings", args=[clinic.slug]) in page) is sees_manager_tabs


def test_report_parts_are_kept_per_language(staff_client, clinic, populated):
    url = reverse("clinics:dashboard", args=[clinic.slug])
    english = staff_client.get(url).content.decode()
    spanish = staff_client.get("/es" + url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Completion rate" in english and "Questions most often answered wrong" in english
    assert "Completion rate" not in spanish and "Questions most often answered wrong" not in spanish


def test_most_missed_counts_only_this_clinics_families_and_courses(
    clinic, other_clinic, quiz_course, make_course, add_quiz, take_quiz
):
    from clinics.selectors import ClinicScope, most_missed_questions

    ann = family(clinic, "ann@example.com", "Ann")
    outsider = family(other_clinic, "oz@example.com", "Oz")
    lesson_quiz = Lesson.objects.published().in_course(quiz_course).in_reading_order().first().quiz
    unassigned = add_quiz(course=make_course())  # a course the clinic was not given
    hidden = add_quiz(course=make_course(published=False))
    take_quiz(ann, lesson_quiz, wrong=2)  # the first two questions wrong
    take_quiz(ann, lesson_quiz, wrong=1)
    for quiz in (unassigned, hidden):
        for _ in range(3):
            take_quiz(ann, quiz, wrong=4)  # more wrong answers than above, but not in the clinic's courses
    for _ in range(3):
        take_quiz(outsider, lesson_quiz, wrong=4)  # another clinic's family

    missed = most_missed_questions(clinic, ClinicScope.of(clinic))

    first, second = list(lesson_quiz.questions.order_by("order"))[:2]
    assert [(row["question_id"], row["wrong"], row["answered"]) for row in missed] == [
        (first.pk, 2, 2),
        (second.pk, 1, 2),
    ]
    assert missed[0]["prompt"] == first.prompt and missed[0]["quiz_title"] == lesson_quiz.title


@pytest.mark.parametrize("sort", ["name", "email", "joined", "progress", "activity", "quiz", "completed"])
@pytest.mark.parametrize("descending", [False, True])
def test_each_page_holds_the_rows_the_full_list_has_there(clinic, populated, sort, descending):
    # family_page picks a page's families by id first, then computes their figures: the same rows, in the same
    # order, with the same figures as slicing the full list.
    from clinics.selectors import ClinicScope, family_page, family_rows

    rows = family_rows(clinic, ClinicScope.of(clinic), sort=sort, descending=descending)
    everyone = [(m.pk, m.completed_lessons, m.quiz_average, m.last_activity) for m in rows]
    for number, start in ((1, 0), (2, 3)):
        page = family_page(rows, number, per_page=3)
        shown = [(m.pk, m.completed_lessons, m.quiz_average, m.last_activity) for m in page.object_list]
        assert shown == everyone[start : start + 3]
    assert family_page(rows, 99, per_page=3).number == 2  # past the end: the last page, as before
