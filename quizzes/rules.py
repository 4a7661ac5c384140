"""Small, named rules about quizzes: the one place for question kinds and valid choices, used by the content
file reader (quizzes.content_files), admin (quizzes.admin) and grading (quizzes.services). Pure Python.

Messages are English unless the caller passes `translate` (admin passes Django's gettext): the content files'
errors are for the people who write them, whatever language a thread happens to have active."""

from __future__ import annotations

from collections.abc import Callable

Translate = Callable[[str], str]


def gettext_noop(message: str) -> str:
    """Marks a message for translation (makemessages finds it); it is translated where it is shown."""
    return message


def english(message: str) -> str:
    return message


SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"
SCENARIO = "scenario"
QUESTION_KINDS = {
    SINGLE: gettext_noop("Single choice"),
    MULTIPLE: gettext_noop("Multiple choice (select all that apply)"),
    TRUE_FALSE: gettext_noop("True or false"),
    SCENARIO: gettext_noop("Scenario (a short story, then single choice)"),
}
SINGLE_ANSWER_KINDS = (SINGLE, TRUE_FALSE, SCENARIO)


def question_problem(
    kind: str, *, scenario: str, total: int, correct: int, translate: Translate = english
) -> str | None:
    """Why a question is invalid (its kind, story or choices), or None when it is fine."""
    _ = translate
    if kind not in QUESTION_KINDS:
        return _(gettext_noop("The kind must be one of %(kinds)s.")) % {"kinds": ", ".join(QUESTION_KINDS)}
    if kind == SCENARIO and not scenario.strip():
        return _(gettext_noop("A scenario question needs its short story."))
    return correct_choice_problem(kind, total=total, correct=correct, translate=translate)


def correct_choice_problem(kind: str, *, total: int, correct: int, translate: Translate = english) -> str | None:
    """Why a question's choices are invalid for its kind, or None when they are fine."""
    _ = translate
    if total < 2:
        return _(gettext_noop("A question needs at least two choices."))
    if kind in SINGLE_ANSWER_KINDS and correct != 1:
        return _(gettext_noop("This kind of question needs exactly one correct choice (it has %(correct)d).")) % {
            "correct": correct
        }
    if kind == TRUE_FALSE and total != 2:
        return _(gettext_noop("A true/false question has exactly two choices."))
    if kind == MULTIPLE and correct < 1:
        return _(gettext_noop("A select-all-that-apply question needs at least one correct choice."))
    return None


def score_percent(correct: int, total: int) -> int:
    """Whole-number percentage, rounded down so that 79.9% never shows as a pass at 80%."""
    return (100 * correct) // total if total else 0


def has_passed(score: int, pass_mark: int) -> bool:
    return score >= pass_mark
