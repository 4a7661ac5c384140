"""Queue the periodic jobs for the workers. Run it every few minutes (a systemd timer or cron in production,
`make run` in development), or once with `--every SECONDS` to keep running. Every job is safe to run twice."""

import time

from django.core.management.base import BaseCommand

from accounts.tasks import forget_old_task_results
from clinics.tasks import requeue_invitations
from courses.tasks import schedule_reminders

JOBS = [schedule_reminders, requeue_invitations, forget_old_task_results]


class Command(BaseCommand):
    help = "Queue the periodic jobs: course reminders, invitation retries, forgetting finished tasks."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, help="keep running, queueing the jobs every SECONDS")

    def handle(self, *args, every=None, **options):
        while True:
            for job in JOBS:
                job.enqueue()
            self.stdout.write(f"Queued {', '.join(job.name for job in JOBS)}.")
            if not every:
                return
            time.sleep(every)
