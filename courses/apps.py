from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses and progress")

    def ready(self):
        from accounts.personal_data import register_exporter

        from .personal_data import export_course_data

        register_exporter(export_course_data)

        from .content_cache import connect_content_signals
        from .models import Course, Lesson, Module

        connect_content_signals(Course, Module, Lesson)
