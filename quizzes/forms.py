"""The quiz as a Django form: one field per question, choices shuffled per attempt token.

Only choice ids and texts reach the page: never which is correct, never an explanation.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass

from django import forms
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Question


def field_name(question: Question) -> str:
    return f"q{question.pk}"


def shuffled(items: list, token: uuid.UUID, salt: int) -> list:
    # Seeded by the attempt token: the same order when the page is shown again with an error.
    items = list(items)
    random.Random(token.int + salt).shuffle(items)
    return items


@dataclass(frozen=True)
class QuestionView:
    question: Question
    name: str
    dom_id: str
    error: str
    options_html: str  # the inputs and labels, escaped by format_html
    fieldset_html: str  # the whole question: legend, error and options


# Only the choice's text comes from an editor and is escaped; the rest are ids and fixed words. One escape per
# option rather than format_html's eight: the final assessment writes about 80 options per page view.
OPTION_HTML = (
    '<div class="form-check"><input type="{type}" name="{name}" value="{value}" class="form-check-input" id="{id}"'
    '{required}{checked}><label class="form-check-label" for="{id}">{label}</label></div>'
)
FIELDSET_HTML = (
    '<fieldset class="question{}"{}>\n<legend id="{}_legend" tabindex="-1">'
    '<span class="d-block small text-muted-strong">{}</span>\n{}{}</legend>\n{}{}\n</fieldset>'
)
SCENARIO_HTML = '<span class="d-block fw-normal fst-italic mb-2">{}</span>\n'
ERROR_HTML = '<p class="text-danger fw-semibold" id="{}_error">{}</p>\n'


ERROR_MESSAGES = {
    "required": gettext_lazy("Please choose an answer to this question."),
    "invalid_choice": gettext_lazy("That answer is not one of this question's choices. Please choose again."),
    "invalid_list": gettext_lazy("Please choose one or more of the listed answers."),
}


class QuizForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, questions: list[Question], token: uuid.UUID, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.fields["token"].initial = token
        self.options: dict[str, list[tuple[str, str]]] = {}  # each question's (value, text), in this attempt's order
        for question in questions:
            choices = [(str(c.pk), c.text) for c in shuffled(question.choices.all(), token, question.pk)]
            self.options[field_name(question)] = choices
            if not self.is_bound:
                continue  # a page to answer: question_views writes it from self.options; fields only validate
            if question.allows_many:
                field = forms.MultipleChoiceField(
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                    error_messages=ERROR_MESSAGES,
                    label=question.prompt,
                )
            else:
                field = forms.ChoiceField(
                    choices=choices,
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                    error_messages=ERROR_MESSAGES,
                    label=question.prompt,
                )
            field.question = question
            self.fields[field_name(question)] = field

    def question_views(self) -> list[QuestionView]:
        """What the page draws for each question. The questions are written here rather than through Django's
        widget templates and template loops: the final assessment's 20 questions and their options made it the
        slowest page, and the busiest on exam day."""
        views = []
        total = len(self.questions)
        for number, question in enumerate(self.questions, start=1):
            name = field_name(question)
            chosen = self[name].value() if self.is_bound else None
            chosen = {str(v) for v in chosen} if isinstance(chosen, list) else {str(chosen)} if chosen else set()
            errors = self.errors.get(name) if self.is_bound else None
            dom_id = f"id_{name}"
            input_type = "checkbox" if question.allows_many else "radio"
            required = "" if question.allows_many else " required"  # as Django renders them: radios only
            options_html = mark_safe(  # the texts are escaped; everything else is ids and fixed words
                "\n".join(
                    OPTION_HTML.format(
                        type=input_type,
                        name=name,
                        value=value,
                        id=f"{dom_id}_{i}",
                        required=required,
                        checked=" checked" if value in chosen else "",
                        label=escape(label),
                    )
                    for i, (value, label) in enumerate(self.options[name])
                )
            )
            error = errors[0] if errors else ""
            if question.allows_many:
                label = _("Question %(number)s of %(total)s · select all that apply")
            else:
                label = _("Question %(number)s of %(total)s")
            fieldset_html = format_html(
                FIELDSET_HTML,
                " border-danger" if error else "",
                format_html(' aria-describedby="{}_error"', dom_id) if error else "",
                dom_id,
                label % {"number": number, "total": total},
                format_html(SCENARIO_HTML, question.scenario) if question.scenario else "",
                question.prompt,
                format_html(ERROR_HTML, dom_id, error) if error else "",
                options_html,
            )
            views.append(
                QuestionView(
                    question=question,
                    name=name,
                    dom_id=dom_id,
                    error=error,
                    options_html=options_html,
                    fieldset_html=fieldset_html,
                )
            )
        return views

    def selected_choice_ids(self) -> dict[int, set[int]]:
        selected = {}
        for question in self.questions:
            value = self.cleaned_data[field_name(question)]
            values = value if isinstance(value, list) else [value]
            selected[question.pk] = {int(v) for v in values}
        return selected
