from adminsortable2.admin import (
    CustomInlineFormSetMixin,
    SortableAdminBase,
    SortableStackedInline,
)
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from .models import Attempt, Choice, Question, Quiz
from .rules import question_problem


class ChoiceFormSet(CustomInlineFormSetMixin, BaseInlineFormSet):
    """The question's choices, judged by the same rule as the content files (quizzes.rules.question_problem)."""

    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        question = self.instance  # already holds the kind and story submitted with the choices
        problem = question_problem(
            question.kind,
            scenario=question.scenario,
            total=len(kept),
            correct=sum(bool(f.cleaned_data.get("is_correct")) for f in kept),
            translate=_,
        )
        if problem:
            raise ValidationError(problem)


class ChoiceInline(SortableStackedInline, TranslationStackedInline):
    """The question's choices, edited on its page; drag to reorder. Stacked, so every field has its own label
    (a tabular inline labels its inputs only by column headers, which screen readers and axe reject). The text and
    explanation show in English and Spanish (quizzes/translation.py); the correct flag is one for both."""

    model = Choice
    ordering = ["order", "pk"]
    formset = ChoiceFormSet
    fields = ["order", "text", "is_correct", "explanation"]
    extra = 0
    min_num = 2


class QuestionInline(SortableStackedInline, TranslationStackedInline):
    """Drag to reorder the quiz's questions; each question's page edits its choices."""

    model = Question
    ordering = ["order", "pk"]
    fields = ["order", "kind", "scenario", "prompt", "edit_choices"]
    readonly_fields = ["edit_choices"]
    extra = 0
    show_change_link = True

    @admin.display(description=gettext_lazy("choices"))
    def edit_choices(self, obj):
        if not obj.pk:
            return _("Save first, then add choices.")
        url = reverse("admin:quizzes_question_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Edit choices and explanations"))


@admin.register(Quiz)
class QuizAdmin(SortableAdminBase, TranslationAdmin):
    list_display = ["title", "lesson", "course", "pass_mark", "question_count"]
    search_fields = ["title", "lesson__title", "course__title"]
    list_select_related = ["lesson", "course"]
    raw_id_fields = ["lesson"]
    inlines = [QuestionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_questions=Count("questions"))

    @admin.display(description=gettext_lazy("questions"), ordering="n_questions")
    def question_count(self, obj):
        return obj.n_questions


@admin.register(Question)
class QuestionAdmin(SortableAdminBase, TranslationAdmin):
    list_display = ["short_prompt", "quiz", "kind", "order", "times_answered", "percent_correct"]
    list_filter = ["kind", "quiz"]
    search_fields = ["prompt_en", "prompt_es", "scenario_en", "scenario_es", "quiz__title"]
    list_select_related = ["quiz"]
    inlines = [ChoiceInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_answers=Count("answers"), n_correct=Count("answers", filter=Q(answers__is_correct=True)))
        )

    @admin.display(description=gettext_lazy("question"))
    def short_prompt(self, obj):
        return obj.prompt[:90]

    @admin.display(description=gettext_lazy("attempts"), ordering="n_answers")
    def times_answered(self, obj):
        return obj.n_answers

    @admin.display(description=gettext_lazy("% answered correctly"))
    def percent_correct(self, obj):
        return f"{round(100 * obj.n_correct / obj.n_answers)}%" if obj.n_answers else "–"


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["user", "quiz", "score_percent", "passed", "language", "submitted_at"]
    list_filter = ["passed", "language", "quiz"]
    search_fields = ["user__email"]
    list_select_related = ["user", "quiz"]
    raw_id_fields = ["user"]
    readonly_fields = [f.name for f in Attempt._meta.fields]

    def has_add_permission(self, request):
        return False
