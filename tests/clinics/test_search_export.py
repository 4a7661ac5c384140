"""Finding a person in the family list, and the CSV export honouring every filter and the search (issue 15: 6, 9)."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from clinics import services
from clinics.models import AuditEvent, FamilyMember, Invitation
from courses import services as course_services
from courses.models import Lesson


def family(clinic, email, name):
    user = User.objects.create_user(email=email, password="x" * 12, display_name=name)
    FamilyMember.objects.create(clinic=clinic, user=user, consented_at=timezone.now())
    for course in clinic.courses.all():
        course_services.enroll(user=user, course=course, source="clinic")
    return user


@pytest.fixture
def staff_client(client, clinic_staff, staff_login):
    return staff_login(client, clinic_staff)


@pytest.fixture
def families(clinic, other_clinic):
    family(clinic, "ann.smith@example.com", "Ann Smith")
    family(clinic, "bo@northwind.example", "Bo Jones")
    family(clinic, "cat@example.com", "Catherine Annely")
    family(other_clinic, "ann.other@example.com", "Ann Other")  # another clinic's: never found here
    soon = timezone.now() + timedelta(days=5)
    Invitation.objects.create(clinic=clinic, email="annie.waiting@example.com", name="Annie W", expires_at=soon)
    Invitation.objects.create(clinic=clinic, email="zed@example.com", expires_at=soon)
    Invitation.objects.create(clinic=clinic, email="ann.smith@example.com", status="accepted", expires_at=soon)


def listed(client, clinic, **params):
    return [m.user.email for m in client.get(reverse("clinics:dashboard", args=[clinic.slug]), params).context["page"]]


def exported(client, clinic, **params) -> list[list[str]]:
    response = client.get(reverse("clinics:export", args=[clinic.slug]), params)
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff"), "Excel needs the byte order mark to read UTF-8"
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


@pytest.mark.parametrize(
    "search, expected",
    [
        ("ann", ["ann.smith@example.com", "cat@example.com"]),  # first name, and "Annely"
        ("SMITH", ["ann.smith@example.com"]),  # any case
        ("northwind", ["bo@northwind.example"]),  # the address's domain
        ("ann smith", ["ann.smith@example.com"]),  # every word must match
        ("  bo   jones ", ["bo@northwind.example"]),
        ("nobody", []),
        ("%", []),  # a wildcard character is searched for literally
    ],
)
def test_search_by_name_or_email(staff_client, clinic, families, search, expected):
    assert listed(staff_client, clinic, q=search) == expected


def test_search_combines_with_filter_and_sort(staff_client, clinic, families):
    assert listed(staff_client, clinic, q="example.com", sort="name", order="desc") == [
        "cat@example.com",
        "ann.smith@example.com",
    ]
    assert listed(staff_client, clinic, q="ann", status="completed") == []


def test_search_in_pending_invitations(staff_client, clinic, families):
    page = staff_client.get(reverse("clinics:dashboard", args=[clinic.slug]), {"status": "not_joined", "q": "ann"})
    assert [i.email for i in page.context["page"]] == ["annie.waiting@example.com"]


def test_search_page_says_what_it_shows_and_how_to_clear_it(staff_client, clinic, families):
    html = staff_client.get(reverse("clinics:dashboard", args=[clinic.slug]), {"q": "zzz", "sort": "email"}).content
    html = html.decode()
    assert "Nobody who joined matches “zzz”" in html and 'href="?sort=email">Clear the search' in html
    assert 'name="q" value="zzz"' in html


def test_an_overlong_search_is_cut_not_refused(staff_client, clinic, families):
    assert listed(staff_client, clinic, q="a" * 5000, status="completed") == []  # the filter still applies


def test_search_gets_its_own_cached_family_list(staff_client, clinic, families):
    assert listed(staff_client, clinic, q="bo") == ["bo@northwind.example"]
    assert listed(staff_client, clinic, q="cat") == ["cat@example.com"]


def test_export_of_not_joined_lists_pending_invitations_only(staff_client, clinic, families):
    rows = exported(staff_client, clinic, status="not_joined")
    assert rows[0] == ["Email", "Name", "Invited", "Link expires", "Language"]
    assert sorted(r[0] for r in rows[1:]) == ["annie.waiting@example.com", "zed@example.com"]
    assert not any("ann.smith" in r[0] for r in rows[1:]), "a joined family is not an invitation waiting"


def test_export_honours_search_filter_and_sort(staff_client, clinic, families, clinic_staff):
    rows = exported(staff_client, clinic, q="example.com", sort="name", order="desc")
    assert [r[1] for r in rows[1:]] == ["cat@example.com", "ann.smith@example.com"]
    assert [r[0] for r in exported(staff_client, clinic, status="not_joined", q="zed")[1:]] == ["zed@example.com"]
    event = AuditEvent.objects.filter(action="export_csv", actor=clinic_staff).latest("pk")
    assert event.detail == {"filter": "not_joined", "searched": True}  # not the name typed


def test_export_keeps_accents_and_blocks_formulas(staff_client, clinic):
    family(clinic, "zoe@example.com", "Zoë Ñúñez")
    family(clinic, "x@example.com", "=cmd|' /C calc'!A0")
    rows = exported(staff_client, clinic)
    names = [r[0] for r in rows[1:]]
    assert "Zoë Ñúñez" in names and "'=cmd|' /C calc'!A0" in names


@pytest.mark.parametrize("filter_", ["", "not_started", "in_progress", "inactive", "completed"])
def test_every_filter_exports_what_the_page_lists(staff_client, clinic, families, filter_):
    lessons = list(Lesson.objects.published().in_course(clinic.courses.get()).in_reading_order())
    bo = User.objects.get(email="bo@northwind.example")
    course_services.mark_lesson_read(user=bo, lesson=lessons[1])
    on_page = set(listed(staff_client, clinic, status=filter_))
    in_file = {r[1] for r in exported(staff_client, clinic, status=filter_)[1:]}
    assert on_page == in_file


def test_overlong_email_addresses_are_refused(clinic, clinic_staff):
    long_address = "a" * 250 + "@example.com"  # 262 characters: passes Django's validator (320), not the column
    report = services.invite_families(
        clinic=clinic, actor=clinic_staff, rows=services.rows_from_text(f"{long_address}\nok@example.com")
    )
    assert [r.email for r in report.invited] == ["ok@example.com"]
    assert "Longer than 254 characters" in report.problems[0].result
    assert not Invitation.objects.filter(email=long_address).exists()


def test_long_names_and_addresses_wrap_inside_their_cells(staff_client, clinic):
    family(clinic, "b" * 200 + "@example.com", "N" * 100)
    html = staff_client.get(reverse("clinics:dashboard", args=[clinic.slug])).content.decode()
    assert '<table class="table table-sm align-middle families">' in html and "css/clinic.css" in html


def test_search_adds_no_queries_per_family(client, clinic, quiz_course, make_staff, staff_login):
    """Guards against a per-row query when a search narrows the list (5 and 40 families match)."""
    staff_login(client, make_staff("counter@calm.example", clinic))
    url = reverse("clinics:dashboard", args=[clinic.slug]) + "?q=family&sort=progress"
    counts = []
    for target in (5, 40):
        while FamilyMember.objects.filter(clinic=clinic).count() < target:
            n = FamilyMember.objects.filter(clinic=clinic).count()
            family(clinic, f"fam{n}@example.com", f"Family {n}")
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200 and len(response.context["page"].object_list) == min(target, 25)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
