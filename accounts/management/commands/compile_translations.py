"""Compile every locale/*/LC_MESSAGES/*.po into its .mo with polib: no gettext tools needed on the machine.

The .mo files are build output (not committed); `make setup` and `make test` run this when a .po is newer.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile the project's translation catalogues (.po) into the files Django reads (.mo)."

    def handle(self, *args, **options):
        compiled = 0
        for locale_dir in map(Path, settings.LOCALE_PATHS):
            for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
                try:
                    catalogue = polib.pofile(str(po_path))
                except (OSError, ValueError) as error:
                    raise CommandError(f"{po_path}: {error}") from error
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                compiled += 1
                self.stdout.write(f"{po_path}: {catalogue.percent_translated()}% translated")
        self.stdout.write(f"Compiled {compiled} catalogue(s).")
