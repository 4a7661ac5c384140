from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        from accounts.personal_data import register_exporter

        from .personal_data import export_quiz_data

        register_exporter(export_quiz_data)

        from courses.content_cache import connect_content_signals

        from .models import Choice, Question, Quiz

        connect_content_signals(Quiz, Question, Choice)

        from courses.from_quizzes import provide_quiz_scores

        from .selectors import quiz_scores

        provide_quiz_scores(quiz_scores)
