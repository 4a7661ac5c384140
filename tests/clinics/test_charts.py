"""The report's pictures: progress bands, weekly activity and the lesson funnel as server-drawn SVG (issue 15: 7)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from clinics import charts, selectors
from clinics.models import FamilyMember
from courses import services
from courses.models import Lesson, LessonProgress
from quizzes.models import Attempt


def family(clinic, email):
    user = User.objects.create_user(email=email, password="x" * 12, display_name=email.split("@")[0])
    FamilyMember.objects.create(clinic=clinic, user=user, consented_at=timezone.now())
    for course in clinic.courses.all():
        services.enroll(user=user, course=course, source="clinic")
    return user


@pytest.fixture
def lessons(quiz_course):
    return list(Lesson.objects.published().in_course(quiz_course).in_reading_order())


@pytest.fixture
def staff_client(client, clinic_staff, staff_login):
    return staff_login(client, clinic_staff)


def test_progress_bands_match_hand_counted_families(clinic, other_clinic, lessons):
    a, b, c, d = (family(clinic, f"{n}@example.com") for n in "abcd")
    family(clinic, "e@example.com")
    for lesson in lessons[1:3]:  # b: 2 of 4 (no quiz on lessons 2-4: read is complete)
        services.mark_lesson_read(user=b, lesson=lesson)
    for lesson in lessons[1:]:  # c: 3 of 4
        services.mark_lesson_read(user=c, lesson=lesson)
    services.mark_lesson_read(user=d, lesson=lessons[3])  # d: 1 of 4
    services.mark_lesson_read(user=family(other_clinic, "o@example.com"), lesson=lessons[3])  # not ours
    LessonProgress.objects.filter(user=a, lesson=lessons[1]).delete()
    scope = selectors.ClinicScope.of(clinic)
    bands = dict(selectors.progress_distribution(clinic, scope, joined=5))
    assert bands == {"None": 2, "1–24%": 0, "25–49%": 1, "50–74%": 1, "75–99%": 1, "All": 0}


def test_a_learner_who_completed_everything_is_in_all(clinic, lessons, take_quiz):
    user = family(clinic, "done@example.com")
    for lesson in lessons:
        services.mark_lesson_read(user=user, lesson=lesson)
    take_quiz(user, lessons[0].quiz)
    bands = dict(selectors.progress_distribution(clinic, selectors.ClinicScope.of(clinic), joined=1))
    assert bands["All"] == 1 and sum(bands.values()) == 1


def test_weekly_activity_counts_each_person_once_a_week(clinic, other_clinic, lessons, take_quiz):
    now = timezone.now()
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    ann, ben = family(clinic, "ann@example.com"), family(clinic, "ben@example.com")
    services.mark_lesson_read(user=ann, lesson=lessons[1])  # this week
    services.mark_lesson_read(user=ann, lesson=lessons[2])  # this week again: still one person
    services.mark_lesson_read(user=ben, lesson=lessons[1])
    attempt = take_quiz(ben, lessons[0].quiz)
    # Ben started his lessons five weeks ago and last read three weeks ago; his quiz was long ago (rows moved back).
    LessonProgress.objects.filter(user=ben).update(
        started_at=now - timedelta(weeks=5), updated_at=now - timedelta(weeks=3)
    )
    Attempt.objects.filter(pk=attempt.pk).update(submitted_at=now - timedelta(weeks=20))
    services.mark_lesson_read(user=family(other_clinic, "o@example.com"), lesson=lessons[1])  # not ours
    weeks = selectors.weekly_activity(clinic, selectors.ClinicScope.of(clinic))
    assert len(weeks) == 12 and weeks[-1][0] == monday and weeks[0][0] == monday - timedelta(weeks=11)
    counts = dict(weeks)
    assert counts[monday] == 1  # Ann (Ben's row was moved back)
    assert counts[monday - timedelta(weeks=3)] == 1 and counts[monday - timedelta(weeks=5)] == 1
    assert sum(counts.values()) == 3


def test_quiz_attempts_count_as_activity(clinic, lessons, take_quiz):
    take_quiz(family(clinic, "q@example.com"), lessons[0].quiz)
    assert selectors.weekly_activity(clinic, selectors.ClinicScope.of(clinic))[-1][1] == 1


def test_bar_geometry_scales_to_the_largest_value():
    chart = charts.vertical_bars("t", "T", [("a", 0), ("b", 5), ("c", 10)], columns=("x", "y"), summary="s")
    heights = [bar.height for bar in chart.bars]
    assert heights[0] == 0 and heights[2] == 2 * heights[1] > 0
    assert all(bar.x >= 0 and bar.x + bar.width <= chart.width for bar in chart.bars)
    funnel = charts.funnel_chart([{"title": "L" * 200, "completed": 3}, {"title": "Two", "completed": 0}], joined=4)
    assert funnel.bars[0].label.endswith("…") and len(funnel.bars[0].label) <= charts.LABEL_CHARS
    assert funnel.rows[0] == ("L" * 200, "3 (75%)")  # the table keeps the whole title
    assert funnel.bars[0].x + funnel.bars[0].width < charts.WIDTH


def test_charts_with_no_families_do_not_divide_by_zero():
    assert charts.funnel_chart([], joined=0).bars == []
    chart = charts.progress_chart([(band, 0) for band in selectors.PROGRESS_BANDS], 0)
    assert all(bar.height == 0 for bar in chart.bars)


def test_dashboard_draws_accessible_svg_without_script_or_style(staff_client, clinic, lessons):
    services.mark_lesson_read(user=family(clinic, "a@example.com"), lesson=lessons[1])
    html = staff_client.get(reverse("clinics:dashboard", args=[clinic.slug])).content.decode()
    svgs = re.findall(r"<svg\b[^>]*>", html)
    charts_drawn = [svg for svg in svgs if "chart-svg" in svg]
    assert len(charts_drawn) == 3
    for svg in charts_drawn:
        assert 'role="img"' in svg and "aria-labelledby=" in svg
        for label_id in re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split():
            assert f'id="{label_id}"' in html
    assert "style=" not in html and "<script>" not in html and "http://" not in html.split("<svg")[1]
    assert "How far families have come" in html and "Families active each week" in html
    assert html.count("<summary>The numbers</summary>") == 3
    assert '<th scope="row" class="fw-normal">Lesson 1.2</th>' in html


def test_report_pictures_are_part_of_the_cached_report(staff_client, clinic, lessons):
    url = reverse("clinics:dashboard", args=[clinic.slug])
    first = staff_client.get(url).context
    services.mark_lesson_read(user=family(clinic, "late@example.com"), lesson=lessons[1])
    again = staff_client.get(url).context
    # The same drawings, from the cache, like the tiles.
    assert again["report_pictures_html"] == first["report_pictures_html"]
