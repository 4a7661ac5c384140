"""Which course fields are stored once per language (django-modeltranslation: `title` becomes `title_en` and
`title_es`, and reading `title` gives the active language's, or the English when that one is empty).

The rendered HTML is stored per language too (rendered on save, courses/models.py), and so is the loader's
`source_checksum`: an admin's edit in one language is kept without freezing the other (courses/loader.py).
"""

from modeltranslation.translator import TranslationOptions, register

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
