import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.personal_data import export_user_data


class Command(BaseCommand):
    help = "Print everything we hold about one person as JSON (for a support request)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account uses {email}.")
        self.stdout.write(json.dumps(export_user_data(user), indent=2, default=str))
