"""Small, named rules about quizzes: the one place for question kinds and valid choices, used by the content
file reader (quizzes.content_files), admin (quizzes.admin) and grading (quizzes.services). Pure Python: Django
is only asked to translate the messages once it is set up (the content checks run without it, in English)."""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    """Marks a message for translation (makemessages finds it); quizzes.models translates the kinds' labels."""
    return message


def _(message: str) -> str:
    """The message in the active language when Django is set up (admin, the site); as written otherwise."""
    from django.conf import settings

    if not settings.configured:
        return message
    from django.utils.translation import gettext

    return gettext(message)


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


def question_problem(kind: str, *, scenario: str, total: int, correct: int) -> str | None:
    """Why a question is invalid (its kind, story or choices), or None when it is fine."""
    if kind not in QUESTION_KINDS:
        return _("The kind must be one of %(kinds)s.") % {"kinds": ", ".join(QUESTION_KINDS)}
    if kind == SCENARIO and not scenario.strip():
        return _("A scenario question needs its short story.")
    return correct_choice_problem(kind, total=total, correct=correct)


def correct_choice_problem(kind: str, *, total: int, correct: int) -> str | None:
    """Why a question's choices are invalid for its kind, or None when they are fine."""
    if total < 2:
        return _("A question needs at least two choices.")
    if kind in SINGLE_ANSWER_KINDS and correct != 1:
        return _("This kind of question needs exactly one correct choice (it has %(correct)d).") % {"correct": correct}
    if kind == TRUE_FALSE and total != 2:
        return _("A true/false question has exactly two choices.")
    if kind == MULTIPLE and correct < 1:
        return _("A select-all-that-apply question needs at least one correct choice.")
    return None


def score_percent(correct: int, total: int) -> int:
    """Whole-number percentage, rounded down so that 79.9% never shows as a pass at 80%."""
    return (100 * correct) // total if total else 0


def has_passed(score: int, pass_mark: int) -> bool:
    return score >= pass_mark
