from adminsortable2.admin import SortableAdminBase, SortableTabularInline
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .markdown import render_markdown
from .models import Certificate, Course, Enrollment, Lesson, LessonProgress, Module

# Every learner-visible text field shows as a pair, English then Spanish (courses/translation.py): an empty Spanish
# field shows the English to learners. Side by side rather than modeltranslation's tabs, whose jQuery UI would come
# from a CDN that the Content-Security-Policy refuses.

PREVIEW_MAX_CHARS = 100_000


class ModuleInline(SortableTabularInline, TranslationTabularInline):
    """Drag the rows to reorder the course's modules (django-admin-sortable2 writes `order`)."""

    model = Module
    ordering = ["order", "pk"]
    fields = ["order", "title", "slug", "published"]
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True
    extra = 0


class LessonInline(SortableTabularInline, TranslationTabularInline):
    """Drag the rows to reorder the module's lessons."""

    model = Lesson
    ordering = ["order", "pk"]
    fields = ["order", "title", "slug", "minutes", "published"]
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True
    extra = 0


class LabelledListEditable:
    """The change list's editable cells have no <label>: each input is named for screen readers instead."""

    def get_changelist_form(self, request, **kwargs):
        base = super().get_changelist_form(request, **kwargs)

        class Labelled(base):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                for field in self.fields.values():
                    field.widget.attrs["aria-label"] = _("%(field)s of “%(object)s”") % {
                        "field": field.label,
                        "object": self.instance,
                    }

        return Labelled


@admin.register(Course)
class CourseAdmin(LabelledListEditable, SortableAdminBase, TranslationAdmin):
    list_display = ["title", "order", "published", "updated_at"]
    list_editable = ["order", "published"]
    list_filter = ["published"]
    search_fields = ["title_en", "title_es", "summary_en", "summary_es"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ModuleInline]


@admin.register(Module)
class ModuleAdmin(LabelledListEditable, SortableAdminBase, TranslationAdmin):
    list_display = ["title", "course", "order", "published", "visible_to_learners"]
    list_editable = ["order", "published"]
    list_filter = ["course", "published"]
    search_fields = ["title_en", "title_es", "summary_en", "summary_es"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["course"]
    inlines = [LessonInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_visibility()

    @admin.display(description=gettext_lazy("visible to learners"), boolean=True, ordering="visible")
    def visible_to_learners(self, obj):
        return obj.visible

    def view_on_site(self, obj):
        return obj.course.get_absolute_url()


@admin.register(Lesson)
class LessonAdmin(LabelledListEditable, TranslationAdmin):
    list_display = [
        "title",
        "module",
        "course_title",
        "order",
        "minutes",
        "published",
        "visible_to_learners",
        "updated_at",
    ]
    list_editable = ["order", "published"]
    list_filter = ["published", "module__course", "module"]
    search_fields = ["title_en", "title_es", "summary_en", "summary_es", "body_en", "body_es"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["module__course"]
    fields = ["module", "title", "slug", "summary", "body", "minutes", "sources", "order", "published"]
    actions = ["publish", "unpublish"]

    class Media:
        # The body's Markdown previewed beside it as the site will show it (our own static files: CSP-safe).
        css = {"all": ["css/admin.css"]}
        js = ["js/admin-preview.js"]

    def get_urls(self):
        preview = path(
            "preview-markdown/", self.admin_site.admin_view(self.preview_markdown), name="courses_lesson_preview"
        )
        return [preview, *super().get_urls()]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Set on `body`; modeltranslation copies the widget to body_en and body_es, so each has its preview.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body":
            field.widget.attrs.update(
                {"data-markdown-preview": reverse("admin:courses_lesson_preview"), "class": "markdown-source"}
            )
        return field

    def preview_markdown(self, request):
        """POST {body}: the HTML the lesson page would show (render_markdown, the same function as on save).
        Staff only, through admin_view (and the two-factor middleware); CSRF-protected like every admin POST."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request) and not self.has_add_permission(request):
            raise PermissionDenied
        body = request.POST.get("body", "")[:PREVIEW_MAX_CHARS]
        return JsonResponse({"html": render_markdown(body)})

    def get_queryset(self, request):
        return super().get_queryset(request).with_visibility()

    @admin.display(description=gettext_lazy("visible to learners"), boolean=True, ordering="visible")
    def visible_to_learners(self, obj):
        # The publication rule (courses.models.visible_lesson): the lesson, its module and course are published.
        return obj.visible

    @admin.display(description=gettext_lazy("course"), ordering="module__course__title")
    def course_title(self, obj):
        return obj.module.course.title

    @admin.action(description=gettext_lazy("Publish selected lessons"))
    def publish(self, request, queryset):
        count = queryset.update(published=True)
        # English keeps its one wording for any count; Spanish has a singular and a plural.
        message = ngettext("%(count)d lesson(s) published.", "%(count)d lesson(s) published.", count)
        self.message_user(request, message % {"count": count})

    @admin.action(description=gettext_lazy("Unpublish selected lessons"))
    def unpublish(self, request, queryset):
        count = queryset.update(published=False)
        message = ngettext("%(count)d lesson(s) unpublished.", "%(count)d lesson(s) unpublished.", count)
        self.message_user(request, message % {"count": count})


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["user", "course", "source", "enrolled_at", "last_activity_at", "completed_at"]
    list_filter = ["course", "source"]
    search_fields = ["user__email", "user__display_name"]
    list_select_related = ["user", "course"]
    raw_id_fields = ["user"]


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ["user", "lesson", "started_at", "reached_end_at", "completed_at"]
    search_fields = ["user__email"]
    list_select_related = ["user", "lesson"]
    raw_id_fields = ["user", "lesson"]


@admin.register(Certificate)
class CertificateAdmin(TranslationAdmin):
    list_display = ["code", "holder_name", "course_title", "issued_at"]
    search_fields = ["code", "holder_name", "user__email"]
    readonly_fields = ["code", "issued_at"]
    raw_id_fields = ["user"]
