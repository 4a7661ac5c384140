from django.core.management.base import BaseCommand

from courses.tasks import schedule_reminders


class Command(BaseCommand):
    help = (
        "Queue today's course reminders for the workers (at most one per learner and period of the rhythm they "
        "chose). `manage.py enqueue_periodic` does this and the other periodic jobs; this command is kept for "
        "existing cron lines."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to schedule for, YYYY-MM-DD (default: today)")

    def handle(self, *args, today=None, **options):
        result = schedule_reminders.enqueue(today)
        self.stdout.write(f"Queued the reminder job ({result.id}).")
