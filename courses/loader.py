"""Load course files into the database without trampling admins' edits.

Each object remembers, per language, the checksum of what the loader last wrote in that language
(`source_checksum_en`, `source_checksum_es`). When an object's text in a language no longer matches its checksum,
an admin has edited it there, and the loader keeps that language's edit unless forced; the other language still
loads. The English file gives the structure (order, minutes, published) and the English text; a translation
beside it (`*.es.md`) gives only its text, and without one the English is shown (content/README.md "Spanish").
Publication is set only when an object is created: after that it is the admins' switch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from modeltranslation.translator import translator

from .content_files import TRANSLATIONS, CourseSpec, Translation
from .models import DEFAULT_LANGUAGE, Course, Lesson, Module


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    english_only: list[str] = field(default_factory=list)  # no translation file: the English is shown

    def summary(self) -> str:
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.kept)} kept because an admin edited them, "
            f"{len(self.english_only)} without a Spanish file (shown in English)"
        )

    def record(self, outcome: str, label: str, language: str) -> None:
        """One language of one object: created, updated, unchanged or kept. Translations are labelled `(es)`."""
        getattr(self, outcome).append(label if language == DEFAULT_LANGUAGE else f"{label} ({language})")


def translated_fields(model: type[models.Model]) -> set[str]:
    return set(translator.get_options_for_model(model).get_field_names())


def set_text(obj: models.Model, language: str, values: dict) -> None:
    """Write `values` into `language`'s columns (never through the active language: the loader may run in any)."""
    translated = translated_fields(type(obj))
    for name, value in values.items():
        setattr(obj, f"{name}_{language}" if name in translated else name, value)


def language_outcome(obj: models.Model, language: str, values: dict, *, force: bool) -> str:
    """Apply one language's values to `obj` (not saved) unless an admin edited that language; say what happened."""
    recorded = getattr(obj, f"source_checksum_{language}")
    current = obj.content_checksum(language)
    if recorded and current != recorded and not force:
        return "kept"
    set_text(obj, language, values)
    new_checksum = obj.content_checksum(language)
    if new_checksum == current == recorded:
        return "unchanged"
    setattr(obj, f"source_checksum_{language}", new_checksum)
    return "updated"


def sync_object(
    model: type[models.Model],
    lookup: dict,
    fields: dict,
    translations: dict[str, dict | None],
    *,
    published: bool,
    force: bool,
    report: LoadReport,
    label: str,
) -> models.Model:
    """`fields`: the English file's values by field name. `translations`: per language, its file's values for
    the translated fields, or None when there is no file (that language's text is emptied: English is shown)."""
    by_language = {DEFAULT_LANGUAGE: fields}
    for language, values in translations.items():
        if values is None:
            report.english_only.append(label)
            values = dict.fromkeys(translated_fields(model) & fields.keys())
        by_language[language] = values
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, published=published)
        for language, values in by_language.items():
            set_text(obj, language, values)
            setattr(obj, f"source_checksum_{language}", obj.content_checksum(language))
        obj.save()
        for language in by_language:
            if language == DEFAULT_LANGUAGE or translations.get(language) is not None:
                report.record("created", label, language)
        return obj
    outcomes = {
        language: language_outcome(obj, language, values, force=force) for language, values in by_language.items()
    }
    if "updated" in outcomes.values():
        obj.save()
    for language, outcome in outcomes.items():
        report.record(outcome, label, language)
    return obj


def _translated(spec, language: str, text: Callable[[Translation], dict]) -> dict | None:
    """`text(translation)`: the values of `spec`'s file in `language`, or None when there is none."""
    found: Translation | None = spec.translations.get(language)
    return None if found is None else text(found)


def sync_course(spec: CourseSpec, *, force: bool, report: LoadReport) -> tuple[Course, dict[str, Lesson]]:
    """Create or update a course, its modules and lessons. Returns the course and its lessons by slug."""
    course = sync_object(
        Course,
        {"slug": spec.slug},
        {"title": spec.title, "summary": spec.summary, "description": spec.description, "order": spec.order},
        {
            language: _translated(
                spec, language, lambda t: {"title": t.title, "summary": t.summary, "description": t.body}
            )
            for language in TRANSLATIONS
        },
        published=spec.published,
        force=force,
        report=report,
        label=f"course {spec.slug}",
    )
    lessons = {}
    for module_spec in spec.modules:
        module = sync_object(
            Module,
            {"course": course, "slug": module_spec.slug},
            {"title": module_spec.title, "summary": module_spec.summary, "order": module_spec.order},
            {
                language: _translated(module_spec, language, lambda t: {"title": t.title, "summary": t.summary})
                for language in TRANSLATIONS
            },
            published=module_spec.published,
            force=force,
            report=report,
            label=f"module {module_spec.slug}",
        )
        for lesson_spec in module_spec.lessons:
            lessons[lesson_spec.slug] = sync_object(
                Lesson,
                {"module": module, "slug": lesson_spec.slug},
                {
                    "title": lesson_spec.title,
                    "summary": lesson_spec.summary,
                    "body": lesson_spec.body,
                    "minutes": lesson_spec.minutes,
                    "sources": "\n".join(lesson_spec.sources),
                    "order": lesson_spec.order,
                },
                {language: _translated(lesson_spec, language, _lesson_text) for language in TRANSLATIONS},
                published=lesson_spec.published,
                force=force,
                report=report,
                label=f"lesson {lesson_spec.slug}",
            )
    return course, lessons


def _lesson_text(translation: Translation) -> dict:
    # No sources in the translation: its column stays empty and the English sources are shown.
    sources = "\n".join(translation.sources) if translation.sources is not None else None
    return {"title": translation.title, "summary": translation.summary, "body": translation.body, "sources": sources}
