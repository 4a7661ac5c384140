from django.contrib import admin

from .models import Certificate, Course, Enrollment, Lesson, LessonProgress, Module


class ModuleInline(admin.TabularInline):
    model = Module
    fields = ["order", "title", "slug", "published"]
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True
    extra = 0


class LessonInline(admin.TabularInline):
    model = Lesson
    fields = ["order", "title", "slug", "minutes", "published"]
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "order", "published", "updated_at"]
    list_editable = ["order", "published"]
    list_filter = ["published"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ModuleInline]


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "order", "published", "visible_to_learners"]
    list_editable = ["order", "published"]
    list_filter = ["course", "published"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["course"]
    inlines = [LessonInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_visibility()

    @admin.display(description="visible to learners", boolean=True, ordering="visible")
    def visible_to_learners(self, obj):
        return obj.visible

    def view_on_site(self, obj):
        return obj.course.get_absolute_url()


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
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
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["module__course"]
    fields = ["module", "title", "slug", "summary", "body", "minutes", "sources", "order", "published"]
    actions = ["publish", "unpublish"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_visibility()

    @admin.display(description="visible to learners", boolean=True, ordering="visible")
    def visible_to_learners(self, obj):
        # The publication rule (courses.models.visible_lesson): the lesson, its module and course are published.
        return obj.visible

    @admin.display(description="course", ordering="module__course__title")
    def course_title(self, obj):
        return obj.module.course.title

    @admin.action(description="Publish selected lessons")
    def publish(self, request, queryset):
        self.message_user(request, f"{queryset.update(published=True)} lesson(s) published.")

    @admin.action(description="Unpublish selected lessons")
    def unpublish(self, request, queryset):
        self.message_user(request, f"{queryset.update(published=False)} lesson(s) unpublished.")


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
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["code", "holder_name", "course_title", "issued_at"]
    search_fields = ["code", "holder_name", "user__email"]
    readonly_fields = ["code", "issued_at"]
    raw_id_fields = ["user"]
