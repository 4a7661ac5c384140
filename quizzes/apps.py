from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"

    def ready(self):
        from accounts.personal_data import register_exporter

        from .personal_data import export_quiz_data

        register_exporter(export_quiz_data)
