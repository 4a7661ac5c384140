"""The quiz as a Django form: one field per question, choices shuffled per attempt token.

Only choice ids and texts reach the page: never which is correct, never an explanation.
"""

from __future__ import annotations

import random
import uuid

from django import forms

from .models import Question


def field_name(question: Question) -> str:
    return f"q{question.pk}"


def shuffled(items: list, token: uuid.UUID, salt: int) -> list:
    # Seeded by the attempt token: the same order when the page is shown again with an error.
    items = list(items)
    random.Random(token.int + salt).shuffle(items)
    return items


class QuizForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, questions: list[Question], token: uuid.UUID, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.fields["token"].initial = token
        for question in questions:
            choices = [(str(c.pk), c.text) for c in shuffled(question.choices.all(), token, question.pk)]
            messages = {
                "required": "Please choose an answer to this question.",
                "invalid_choice": "That answer is not one of this question's choices. Please choose again.",
                "invalid_list": "Please choose one or more of the listed answers.",
            }
            if question.allows_many:
                field = forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}), error_messages=messages, label=question.prompt
                )
            else:
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect(attrs={"class": "form-check-input"}), error_messages=messages, label=question.prompt)
            field.question = question
            self.fields[field_name(question)] = field

    def question_fields(self):
        for question in self.questions:
            yield question, self[field_name(question)]

    def selected_choice_ids(self) -> dict[int, set[int]]:
        selected = {}
        for question in self.questions:
            value = self.cleaned_data[field_name(question)]
            values = value if isinstance(value, list) else [value]
            selected[question.pk] = {int(v) for v in values}
        return selected
