from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.content_files import ContentError
from quizzes.loader import load_content


class Command(BaseCommand):
    # Lives in quizzes, the highest app the content reaches: lessons and their quizzes load in one transaction.
    help = "Load the course (modules, lessons, quizzes) from content files. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(settings.CONTENT_DIR), help="content folder")
        parser.add_argument("--force", action="store_true", help="overwrite content that an admin has edited")

    def handle(self, *args, path, force, **options):
        try:
            report = load_content(Path(path), force=force)
        except ContentError as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        for label in report.kept:
            self.stdout.write(self.style.WARNING(f"kept {label}: edited in admin (use --force to overwrite)"))
        for label in report.english_only:
            self.stdout.write(self.style.WARNING(f"English only: {label} has no Spanish file (.es.md); English shown"))
        self.stdout.write(self.style.SUCCESS(f"Content loaded: {report.summary()}."))
