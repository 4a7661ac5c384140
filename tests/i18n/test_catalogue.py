"""The Spanish catalogue is complete: `makemessages` over the project finds no string without a Spanish
translation and leaves nothing fuzzy; every Spanish translation keeps its placeholders (a lost %(name)s would crash the page or drop a number)."""

import os
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
# What the project's makemessages leaves out: the virtualenv, the benchmark, tests and course files (the course's
# Spanish lives in content/*.es.md and the database, not in the catalogue).
IGNORED = [".venv/*", "bench/*", "tests/*", "content/*", "staticfiles/*", "node_modules/*"]


@pytest.fixture
def regenerated(settings, monkeypatch):
    """Run makemessages as a developer would and read the result. makemessages writes into the project's own
    locale folder whatever LOCALE_PATHS says, so the committed catalogue (bytes and time) is put back after."""
    original, times = CATALOGUE.read_bytes(), CATALOGUE.stat()
    monkeypatch.chdir(settings.BASE_DIR)
    try:
        call_command("makemessages", locale=["es"], ignore_patterns=IGNORED, no_location=True, verbosity=0)
        return polib.pofile(str(CATALOGUE))
    finally:
        CATALOGUE.write_bytes(original)
        os.utime(CATALOGUE, ns=(times.st_atime_ns, times.st_mtime_ns))


def test_makemessages_finds_nothing_untranslated_or_fuzzy(regenerated):
    untranslated = [entry.msgid for entry in regenerated.untranslated_entries()]
    fuzzy = [entry.msgid for entry in regenerated.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} strings have no Spanish: {untranslated[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries: {fuzzy[:20]}"


def test_the_committed_catalogue_is_what_makemessages_makes(regenerated):
    committed = {entry.msgid for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete}
    current = {entry.msgid for entry in regenerated if not entry.obsolete}
    assert committed == current, (
        f"run makemessages: new {sorted(current - committed)[:10]}, gone {sorted(committed - current)[:10]}"
    )


def test_translations_keep_their_placeholders():
    problems = []
    for entry in polib.pofile(str(CATALOGUE)):
        pairs = (
            [(entry.msgid, entry.msgstr)]
            if not entry.msgid_plural
            else [(entry.msgid_plural, text) for text in entry.msgstr_plural.values()]
        )
        for english, spanish in pairs:
            wanted = sorted(set(re.findall(r"%\(\w+\)[sd]", english)))
            got = sorted(set(re.findall(r"%\(\w+\)[sd]", spanish)))
            if english and spanish and wanted != got and not (entry.msgid_plural and set(got) < set(wanted)):
                problems.append(f"{english!r}: {wanted} vs {got}")
    assert not problems, "\n".join(problems[:20])
