from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.personal_data import delete_user


class Command(BaseCommand):
    help = "Delete one person's account and records (for a support request)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, email, yes, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account uses {email}.")
        if not yes and input(f"Delete {user.email} and all their records? Type 'delete' to confirm: ") != "delete":
            raise CommandError("Nothing was deleted.")
        delete_user(user)
        self.stdout.write(self.style.SUCCESS(f"Deleted {email} and their records."))
