"""`manage.py create_admin`: an admin who can sign in at once.

Django's `createsuperuser` makes no allauth email address, and with mandatory email verification such an account
cannot sign in. This one is created with its address verified; on first opening /admin/ the site asks them to turn
on two-factor (accounts.permissions.AdminTwoFactorMiddleware), then admin opens.
"""

from __future__ import annotations

import getpass
import os

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

PASSWORD_ENV = "DJANGO_SUPERUSER_PASSWORD"  # Django's own name, for scripts


class Command(BaseCommand):
    help = "Create a superuser with a verified email address, ready to sign in (two-factor is set up on first visit)."

    def add_arguments(self, parser):
        parser.add_argument("--email", help="Their email address (asked for if missing).")
        parser.add_argument("--name", default="", help="The name shown in the site and admin.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Ask nothing: needs --email and the password in ${PASSWORD_ENV}.",
        )
        parser.add_argument(
            "--promote",
            action="store_true",
            help="If the account exists, make it an admin and verify its address (its password is kept).",
        )

    def handle(self, *args, email=None, name="", interactive=True, promote=False, **options):
        email = (email or (input("Email address: ") if interactive else "")).strip().lower()
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError("Give a valid email address (--email).") from exc
        User = get_user_model()
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None and not promote:
            raise CommandError(f"{email} already has an account. Add --promote to make it an admin.")
        password = None
        if existing is None:
            password = self._password(interactive, email)
        with transaction.atomic():
            if existing is None:
                user = User.objects.create_superuser(email=email, password=password, display_name=name)
            else:
                user = existing
                user.is_staff = user.is_superuser = user.is_active = True
                user.save(update_fields=["is_staff", "is_superuser", "is_active"])
            EmailAddress.objects.filter(user=user).exclude(email__iexact=email).update(primary=False)
            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin {email} is ready. Sign in at /admin/; the site then asks you to turn on two-factor "
                "(scan the QR code with any authenticator app), and admin opens."
            )
        )

    def _password(self, interactive: bool, email: str) -> str:
        if not interactive:
            password = os.environ.get(PASSWORD_ENV, "")
            if not password:
                raise CommandError(f"Set ${PASSWORD_ENV} (with --noinput nothing is asked).")
        else:
            while True:
                password = getpass.getpass("Password: ")
                if password != getpass.getpass("Password (again): "):
                    self.stderr.write("The two passwords differ. Try again.")
                    continue
                break
        user = get_user_model()(email=email)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        return password
