"""Which course fields are stored once per language (django-modeltranslation: `title` becomes `title_en` and
`title_es`, and reading `title` gives the active language's, or the English when that one is empty).

The rendered HTML is stored per language too (rendered on save, courses/models.py), and so is the loader's
`source_checksum`: an admin's edit in one language is kept without freezing the other (courses/loader.py).
"""

from django.conf import settings
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation
from modeltranslation.translator import TranslationOptions, register
from modeltranslation.utils import build_localized_fieldname

from .models import Certificate, Course, Lesson, Module


@register(Course)
class CourseTranslation(TranslationOptions):
    fields = ("title", "summary", "description", "description_html", "source_checksum")


@register(Module)
class ModuleTranslation(TranslationOptions):
    fields = ("title", "summary", "source_checksum")


@register(Lesson)
class LessonTranslation(TranslationOptions):
    fields = ("title", "summary", "body", "body_html", "sources", "sources_html", "source_checksum")


@register(Certificate)
class CertificateTranslation(TranslationOptions):
    fields = ("course_title",)


def in_active_language(path: str):
    """A translated field read across a relation in a queryset (`"quiz__title"` from Attempt, say), in the active
    language with the English as fallback. modeltranslation rewrites lookups only in the translated model's own
    querysets: `Attempt.objects.values("quiz__title")` would read the English column on a Spanish page."""
    language = translation.get_language() or settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    english = F(build_localized_fieldname(path, settings.MODELTRANSLATION_DEFAULT_LANGUAGE))
    if language == settings.MODELTRANSLATION_DEFAULT_LANGUAGE:
        return english
    return Coalesce(NullIf(F(build_localized_fieldname(path, language)), Value("")), english, output_field=TextField())
