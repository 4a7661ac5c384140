from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from courses import services
from courses.models import Enrollment


def test_reminders_respect_preference_quiet_period_and_completion(
    caregiver, other_caregiver, django_user_model, quiz_course
):
    quiet = timezone.now() - timedelta(days=10)
    services.enroll(user=caregiver, course=quiz_course)
    services.enroll(user=other_caregiver, course=quiz_course)
    opted_out = django_user_model.objects.create_user(email="no@example.com", password="x" * 12, course_reminders=False)
    done = django_user_model.objects.create_user(email="done@example.com", password="x" * 12)
    active = django_user_model.objects.create_user(email="active@example.com", password="x" * 12)
    for user in (opted_out, done, active):
        services.enroll(user=user, course=quiz_course)
    Enrollment.objects.update(last_activity_at=quiet)
    Enrollment.objects.filter(user=done).update(completed_at=timezone.now())
    Enrollment.objects.filter(user=active).update(last_activity_at=timezone.now())

    call_command("send_course_reminders", stdout=StringIO())
    assert sorted(m.to[0] for m in mail.outbox) == [caregiver.email, other_caregiver.email]
    assert "Lesson 1.1" in mail.outbox[0].body and "/accounts/profile/" in mail.outbox[0].body
    for message in mail.outbox:
        assert message.subject == f"Pick up where you left off: {quiz_course.title}"
        assert "Lesson 1.1" in message.body and quiz_course.title in message.body
    reminded = Enrollment.objects.filter(reminded_at__isnull=False).values_list("user__email", flat=True)
    assert sorted(reminded) == [caregiver.email, other_caregiver.email]

    call_command("send_course_reminders", stdout=StringIO())
    assert len(mail.outbox) == 2, "no second reminder within the quiet period"
