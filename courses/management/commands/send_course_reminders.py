from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.utils import timezone

from courses.models import Enrollment
from courses.selectors import learner_statuses


class Command(BaseCommand):
    help = "Email a gentle reminder to learners with an unfinished course (run daily from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-days", type=int, default=7, help="days without activity before a reminder")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, quiet_days, dry_run, **options):
        now = timezone.now()
        due = Enrollment.objects.due_a_reminder(now=now, quiet_days=quiet_days).select_related("user", "course")
        sent = 0
        for enrollment in due.iterator(chunk_size=500):
            status = learner_statuses(user_ids=[enrollment.user_id], courses=[enrollment.course], details=False)
            learner = status[(enrollment.user_id, enrollment.course_id)]
            context = {
                "user": enrollment.user,
                "course": enrollment.course,
                "site_url": settings.SITE_URL,
                "next_url": settings.SITE_URL + learner.next_step.url,
                "next_lesson": learner.resume,
            }
            if not dry_run:
                send_mail(
                    subject=f"Pick up where you left off: {enrollment.course.title}",
                    message=render_to_string("courses/email/reminder.txt", context),
                    from_email=None,
                    recipient_list=[enrollment.user.email],
                )
                # Set per row after sending, so a crash part-way never sends anyone a second reminder.
                Enrollment.objects.filter(pk=enrollment.pk).update(reminded_at=now)
            sent += 1
        self.stdout.write(f"{'Would send' if dry_run else 'Sent'} {sent} reminder(s).")
