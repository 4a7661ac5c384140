"""Course reminders (issue 13): opt-in, on the rhythm and weekdays the learner chose, at most one per period,
never after they stop them, with a one-click unsubscribe link and List-Unsubscribe header."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Reminder, User
from accounts.reminders import UNSUBSCRIBE_SALT, choose_rhythm, reminder_period, unsubscribe_url, user_from_token
from courses import services
from courses.models import Enrollment
from courses.tasks import schedule_reminders

MONDAY = date(2025, 3, 3)
Rhythm = User.ReminderRhythm


def learner(rhythm: str, days: str = "", start: date = MONDAY) -> User:
    return User(reminder_rhythm=rhythm, reminder_weekdays=days, reminders_started_on=start)


def reminder_days(user: User, weeks: int) -> list[date]:
    days = [MONDAY + timedelta(days=n) for n in range(weeks * 7)]
    periods = {}
    for day in days:
        period = reminder_period(user, day)
        if period is not None and period not in periods:
            periods[period] = day
    return list(periods.values())


def test_off_means_none():
    assert reminder_days(learner(Rhythm.OFF), 20) == []


def test_weekly_on_the_first_chosen_weekday():
    days = reminder_days(learner(Rhythm.WEEKLY, "24"), 4)  # Wednesday and Friday ticked: Wednesdays
    assert days == [MONDAY + timedelta(days=2 + 7 * n) for n in range(4)]
    # Nothing ticked: the weekday it was turned on.
    assert [d.weekday() for d in reminder_days(learner(Rhythm.WEEKLY), 3)] == [0, 0, 0]


def test_fortnightly_every_other_week():
    days = reminder_days(learner(Rhythm.FORTNIGHTLY, "1"), 8)
    assert days == [MONDAY + timedelta(days=1 + 14 * n) for n in range(4)]


@pytest.mark.parametrize("then, after", [(Rhythm.TREATMENT_WEEKLY, 4), (Rhythm.TREATMENT_FORTNIGHTLY, 2)])
def test_treatment_rhythm_twice_a_week_then_weekly_then_the_choice(then, after):
    user = learner(then, "03")  # Monday and Thursday
    days = reminder_days(user, 12)
    weeks = [sum(1 for d in days if (d - MONDAY).days // 7 == w) for w in range(12)]
    assert weeks[:4] == [2, 2, 2, 2], "twice a week in weeks 1-4"
    assert weeks[4:8] == [1, 1, 1, 1], "weekly in weeks 5-8"
    assert sum(weeks[8:]) == after, "then weekly or every two weeks"
    assert {d.weekday() for d in days[:8]} == {0, 3}
    # One day ticked: twice a week uses it and three days later.
    assert {d.weekday() for d in reminder_days(learner(then, "1"), 4)} == {1, 4}


def test_reminders_are_off_until_chosen(client, django_user_model):
    user = django_user_model.objects.create_user(email="new@example.com", password="x" * 12)
    assert user.reminder_rhythm == Rhythm.OFF
    html = client.get(reverse("account_signup")).content.decode()
    assert 'name="reminders"' in html and "checked" not in html.split('name="reminders"')[1].split(">")[0]


@pytest.mark.django_db
def test_signing_up_with_the_box_ticked_chooses_weekly(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "none"
    client.post(
        reverse("account_signup"),
        {
            "display_name": "Ana",
            "email": "ana@example.com",
            "password1": "pw long 1234",
            "password2": "pw long 1234",
            "reminders": "on",
        },
    )
    user = User.objects.get(email="ana@example.com")
    assert (user.reminder_rhythm, user.reminders_started_on) == (Rhythm.WEEKLY, timezone.localdate())


def test_the_profile_sets_rhythm_and_days(caregiver_client, caregiver):
    response = caregiver_client.post(
        reverse("accounts:profile"),
        {
            "display_name": "Casey",
            "relationship": "partner",
            "reminder_rhythm": Rhythm.TREATMENT_FORTNIGHTLY,
            "reminder_weekdays": ["3", "0"],
        },
    )
    assert response.status_code == 302
    caregiver.refresh_from_db()
    assert (caregiver.reminder_rhythm, caregiver.reminder_weekdays) == (Rhythm.TREATMENT_FORTNIGHTLY, "03")
    assert caregiver.reminders_started_on == timezone.localdate()
    html = caregiver_client.get(reverse("accounts:profile")).content.decode()
    assert "Treatment rhythm" in html and "Thursday" in html


@pytest.fixture
def enrolled(caregiver, quiz_course):
    services.enroll(user=caregiver, course=quiz_course)
    return caregiver


def test_one_reminder_per_period_and_only_on_chosen_days(enrolled, quiz_course):
    choose_rhythm(enrolled, Rhythm.WEEKLY, today=MONDAY)
    assert schedule_reminders.call(MONDAY.isoformat()) == 1
    assert schedule_reminders.call(MONDAY.isoformat()) == 0, "run twice: still one"
    assert schedule_reminders.call((MONDAY + timedelta(days=1)).isoformat()) == 0, "not their day"
    assert schedule_reminders.call((MONDAY + timedelta(days=7)).isoformat()) == 1, "next week"
    assert len(mail.outbox) == 2 and Reminder.objects.filter(sent_at__isnull=False).count() == 2
    message = mail.outbox[0]
    assert message.subject == f"Pick up where you left off: {quiz_course.title}"
    assert "Lesson 1.1" in message.body and "/accounts/profile/" in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe_url(enrolled)}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_url(enrolled) in message.body
    assert Enrollment.objects.get(user=enrolled).reminded_at is not None


def test_no_reminder_when_off_finished_or_inactive(enrolled, quiz_course, django_user_model):
    choose_rhythm(enrolled, Rhythm.WEEKLY, today=MONDAY)
    Enrollment.objects.filter(user=enrolled).update(completed_at=timezone.now())
    assert schedule_reminders.call(MONDAY.isoformat()) == 0
    Enrollment.objects.filter(user=enrolled).update(completed_at=None)
    choose_rhythm(enrolled, Rhythm.OFF)
    assert schedule_reminders.call(MONDAY.isoformat()) == 0
    assert mail.outbox == []


def test_never_after_they_turn_it_off(enrolled, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    choose_rhythm(enrolled, Rhythm.WEEKLY, today=MONDAY)
    assert schedule_reminders.call(MONDAY.isoformat()) == 1  # queued, not yet sent
    choose_rhythm(enrolled, Rhythm.OFF)
    from courses.tasks import send_course_reminder

    assert send_course_reminder.call(Reminder.objects.get().pk) == "turned off"
    assert mail.outbox == []


def test_the_command_queues_the_job(enrolled):
    choose_rhythm(enrolled, Rhythm.WEEKLY)
    out = StringIO()
    call_command("send_course_reminders", stdout=out)
    assert "Queued the reminder job" in out.getvalue() and len(mail.outbox) == 1


def test_one_click_unsubscribe(client, enrolled):
    choose_rhythm(enrolled, Rhythm.WEEKLY)
    url = unsubscribe_url(enrolled).removeprefix("https://testserver")
    path = url[url.index("/accounts/") :]
    page = client.get(path)
    assert page.status_code == 200 and "Stop reminders" in page.content.decode()
    assert enrolled.email not in page.content.decode(), "the page never says whose reminders they are"
    enrolled.refresh_from_db()
    assert enrolled.reminder_rhythm == Rhythm.WEEKLY, "a GET (a link scanner) changes nothing"
    # RFC 8058: the mail app posts without our CSRF token.
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "Reminders stopped" in response.content.decode()
    enrolled.refresh_from_db()
    assert enrolled.reminder_rhythm == Rhythm.OFF
    assert client.get(path.replace("/stop/", "/stop/x")).status_code == 404


def test_a_spanish_learners_reminder_is_in_spanish(enrolled, quiz_course):
    """Written by a worker (no request): the learner's language decides its words, the course title and links."""
    quiz_course.title_es = "Curso de prueba"
    quiz_course.save()
    enrolled.language = "es"
    enrolled.save()
    choose_rhythm(enrolled, Rhythm.WEEKLY, today=MONDAY)
    assert schedule_reminders.call(MONDAY.isoformat()) == 1
    message = mail.outbox[-1]
    assert message.subject == "Siga donde se quedó: Curso de prueba"
    assert "/es/accounts/profile/" in message.body and "/es/courses/" in message.body
    assert "Pick up where you left off" not in message.body


def test_unsubscribe_links_are_stable_and_old_ones_still_work(enrolled):
    assert unsubscribe_url(enrolled) == unsubscribe_url(enrolled)  # no timestamp: one link per person
    older = signing.dumps({"u": enrolled.pk}, salt=UNSUBSCRIBE_SALT, compress=True)  # timestamped, as sent before
    assert user_from_token(older) == enrolled
    assert user_from_token(older[:-2] + "xx") is None
