"""Which language an invitation or a family member uses, as staff read and write it (the invite form, the CSV
column, the family list and its export)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Named in the staff member's own language ("Spanish" on an English page, "Español" on a Spanish one).
LANGUAGE_NAMES = {"en": _("English"), "es": _("Spanish")}
FLYER_LINKS = {"en": _("Flyer in English"), "es": _("Flyer in Spanish")}

# What a spreadsheet may hold in the `language` column, lower-cased and without accents: codes, and each
# language's name in English and in Spanish.
_ALIASES = {
    "en": "en",
    "eng": "en",
    "english": "en",
    "ingles": "en",
    "es": "es",
    "spa": "es",
    "spanish": "es",
    "espanol": "es",
    "castellano": "es",
}
_UNACCENT = str.maketrans("áéíóúñ", "aeioun")


def language_name(code: str) -> str:
    return str(LANGUAGE_NAMES.get(code, code))


def language_choices() -> list[tuple[str, str]]:
    return [(code, LANGUAGE_NAMES.get(code, name)) for code, name in settings.LANGUAGES]


def parse_language(value: str) -> str | None:
    """The language code a cell names ("es", "Spanish", "Español", "inglés", "en-US"…), or None if none."""
    word = value.strip().lower().translate(_UNACCENT)
    code = _ALIASES.get(word) or _ALIASES.get(word.replace("_", "-").split("-")[0])
    return code if code in {c for c, _name in settings.LANGUAGES} else None
