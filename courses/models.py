import hashlib
import json
import secrets

from django.conf import settings
from django.db import models
from django.db.models import ExpressionWrapper, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .content_cache import ContentQuerySet
from .markdown import render_markdown


def checksum(*values) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


# --- Languages: learner-visible text is stored once per language (courses/translation.py, modeltranslation) ---
# `title` reads the active language's `title_<code>`, falling back to English when that one is empty. Code that
# must not depend on the active language (the loader, checksums, rendering on save) names the column itself.

DEFAULT_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def render_html(markdown: str) -> str:
    """A text's HTML, rendered when saved; "" for an empty text (its language then shows the English HTML)."""
    return render_markdown(markdown) if markdown else ""


def text_in(obj: models.Model, name: str, language: str) -> str:
    """`obj`'s own text for field `name` in `language` ("" when it has none: no fallback)."""
    return getattr(obj, f"{name}_{language}") or ""


# --- Publication: the one rule for "may learners see this?" -------------------------------------------------
# A cascade: an unpublished course hides its modules and lessons, an unpublished module hides its lessons.
# `prefix` applies the rule across a relation (e.g. visible_lesson("modules__lessons__") from a course), so
# querysets, annotations and aggregate filters all use these three functions and nothing else.


def visible_course(prefix: str = "") -> Q:
    return Q(**{f"{prefix}published": True})


def visible_module(prefix: str = "") -> Q:
    return Q(**{f"{prefix}published": True}) & visible_course(f"{prefix}course__")


def visible_lesson(prefix: str = "") -> Q:
    return Q(**{f"{prefix}published": True}) & visible_module(f"{prefix}module__")


class CourseQuerySet(ContentQuerySet):
    def published(self):
        return self.filter(visible_course())


class Course(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, help_text=_("One or two sentences for the catalogue."))
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown. Shown on the course page."))
    description_html = models.TextField(blank=True, editable=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    published = models.BooleanField(_("published"), default=False)
    # Per language (source_checksum_en, _es): what the loader last wrote in that language (courses/loader.py).
    source_checksum = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        for language in LANGUAGE_CODES:
            setattr(self, f"description_html_{language}", render_html(text_in(self, "description", language)))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("courses:course_detail", args=[self.slug])

    def content_checksum(self, language: str = DEFAULT_LANGUAGE) -> str:
        """The text one language's file gives (the English file also gives the order)."""
        texts = [text_in(self, name, language) for name in ("title", "summary", "description")]
        return checksum(*texts, self.order) if language == DEFAULT_LANGUAGE else checksum(*texts)


class ModuleQuerySet(ContentQuerySet):
    def published(self):
        """Modules learners may see: the module and its course are published."""
        return self.filter(visible_module())

    def with_visibility(self):
        """Annotates `visible`: the same rule as published(), for admin lists that show every module."""
        return self.annotate(visible=ExpressionWrapper(visible_module(), output_field=models.BooleanField()))


class Module(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules", verbose_name=_("course"))
    slug = models.SlugField(_("slug"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    published = models.BooleanField(_("published"), default=True)
    source_checksum = models.CharField(max_length=64, blank=True, editable=False)

    objects = ModuleQuerySet.as_manager()

    class Meta:
        ordering = ["course", "order", "pk"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [models.UniqueConstraint(fields=["course", "slug"], name="module_slug_unique_in_course")]

    def __str__(self):
        return self.title

    def content_checksum(self, language: str = DEFAULT_LANGUAGE) -> str:
        texts = [text_in(self, name, language) for name in ("title", "summary")]
        return checksum(*texts, self.order) if language == DEFAULT_LANGUAGE else checksum(*texts)


class LessonQuerySet(ContentQuerySet):
    def published(self):
        """Lessons learners may see: the lesson, its module and its course are all published."""
        return self.filter(visible_lesson())

    def with_visibility(self):
        """Annotates `visible`: the same rule as published(), for admin lists that show every lesson."""
        return self.annotate(visible=ExpressionWrapper(visible_lesson(), output_field=models.BooleanField()))

    def in_course(self, course):
        return self.filter(module__course=course)

    def in_reading_order(self):
        return self.order_by("module__order", "module__pk", "order", "pk")


class Lesson(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("module"))
    slug = models.SlugField(_("slug"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, help_text=_("One sentence shown in the syllabus."))
    body = models.TextField(
        _("body"),
        help_text=_(
            "Markdown: ## Heading, **bold**, *italic*, - bullet list, 1. numbered list, "
            "[link text](https://…), > quote. HTML is removed."
        ),
    )
    body_html = models.TextField(blank=True, editable=False)
    minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=5)
    sources = models.TextField(
        _("sources"),
        blank=True,
        help_text=_("One source per line, shown under the lesson: Publisher (Year). [Title](https://…)"),
    )
    sources_html = models.TextField(blank=True, editable=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    published = models.BooleanField(_("published"), default=True)
    source_checksum = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["module", "order", "pk"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        constraints = [
            models.UniqueConstraint(fields=["module", "slug"], name="lesson_slug_unique_in_module"),
            models.CheckConstraint(condition=Q(minutes__gte=1), name="lesson_minutes_positive"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Rendered once per language; an empty Spanish one falls back to the English HTML when read.
        for language in LANGUAGE_CODES:
            setattr(self, f"body_html_{language}", render_html(text_in(self, "body", language)))
            lines = source_lines(text_in(self, "sources", language))
            sources_html = render_html("\n".join(f"- {line}" for line in lines))
            setattr(self, f"sources_html_{language}", sources_html)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("courses:lesson_detail", args=[self.module.course.slug, self.module.slug, self.slug])

    @property
    def sources_language(self) -> str:
        """The language of the sources shown now: the active language's own list, else the English one (fallback).
        A Spanish page says so when it shows English sources, and marks them lang="en" for screen readers."""
        language = translation.get_language() or DEFAULT_LANGUAGE
        return language if getattr(self, f"sources_html_{language}", "") else DEFAULT_LANGUAGE

    @property
    def source_list(self) -> list[str]:
        return source_lines(self.sources)

    def content_checksum(self, language: str = DEFAULT_LANGUAGE) -> str:
        """The text one language's file gives (the English file also gives minutes and order)."""
        title, summary, body, sources = (
            text_in(self, name, language) for name in ("title", "summary", "body", "sources")
        )
        if language == DEFAULT_LANGUAGE:
            return checksum(title, summary, body, self.minutes, sources, self.order)
        return checksum(title, summary, body, sources)


def source_lines(sources: str) -> list[str]:
    return [line.strip() for line in (sources or "").splitlines() if line.strip()]


class EnrollmentQuerySet(models.QuerySet):
    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def current(self):
        """Enrollments in courses learners can see, the most recently active first (dashboard, home greeting)."""
        return self.filter(visible_course("course__")).order_by("-last_activity_at", "-enrolled_at")

    def unfinished(self):
        """Courses still open to the learner and not finished: what a reminder is about."""
        return self.filter(visible_course("course__"), completed_at__isnull=True, user__is_active=True)


class Enrollment(models.Model):
    class Source(models.TextChoices):
        SELF = "self", _("Enrolled themselves")
        CLINIC = "clinic", _("Enrolled by a clinic")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.SELF)
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    last_activity_at = models.DateTimeField(_("last activity at"), null=True, blank=True)
    final_passed_at = models.DateTimeField(_("final passed at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True, editable=False)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="one_enrollment_per_course")]
        indexes = [models.Index(fields=["course", "completed_at"])]

    def __str__(self):
        return f"{self.user} in {self.course}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class LessonProgress(models.Model):
    """One learner's progress through one lesson. Complete = reached the end + passed its quiz, if any."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    reached_end_at = models.DateTimeField(_("reached end at"), null=True, blank=True)
    quiz_passed_at = models.DateTimeField(_("quiz passed at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="one_progress_per_lesson")]
        indexes = [models.Index(fields=["lesson", "completed_at"])]

    def __str__(self):
        return f"{self.user} · {self.lesson}"


def new_certificate_code() -> str:
    # 12 characters from an unambiguous alphabet: easy to read aloud, impossible to guess.
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class Certificate(models.Model):
    """Issued once when a course is completed; later course changes never revoke it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="certificates")
    code = models.CharField(_("code"), max_length=12, unique=True, default=new_certificate_code, editable=False)
    holder_name = models.CharField(_("holder name"), max_length=100)
    # Per language (course_title_en, _es), as the course was titled at issue; `course_title` reads the active
    # language's, so a page or PDF rendered in the holder's language (language_of) shows their title.
    course_title = models.CharField(_("course title"), max_length=200)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="one_certificate_per_course")]

    def __str__(self):
        return f"{self.code} · {self.holder_name}"

    def save(self, *args, **kwargs):
        # Issued with the title in the issuing request's language: every other language's title is copied from
        # the course now, so the certificate never changes when the course is renamed later.
        for language in LANGUAGE_CODES:
            if not text_in(self, "course_title", language):
                setattr(self, f"course_title_{language}", text_in(self.course, "title", language) or None)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("courses:certificate", args=[self.code])

    def course_title_in(self, language: str) -> str:
        """The course title in `language` (English when the course had no title in that language at issue)."""
        with translation.override(language):
            return self.course_title

    @property
    def formatted_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))
