"""Small, named rules about quizzes, shared by the loader, admin and grading."""

from __future__ import annotations

SINGLE_ANSWER_KINDS = ("single", "true_false", "scenario")


def correct_choice_problem(kind: str, *, total: int, correct: int) -> str | None:
    """Why a question's choices are invalid for its kind, or None when they are fine."""
    if total < 2:
        return "A question needs at least two choices."
    if kind in SINGLE_ANSWER_KINDS and correct != 1:
        return f"This kind of question needs exactly one correct choice (it has {correct})."
    if kind == "true_false" and total != 2:
        return "A true/false question has exactly two choices."
    if kind == "multiple" and correct < 1:
        return "A select-all-that-apply question needs at least one correct choice."
    return None


def score_percent(correct: int, total: int) -> int:
    """Whole-number percentage, rounded down so that 79.9% never shows as a pass at 80%."""
    return (100 * correct) // total if total else 0


def has_passed(score: int, pass_mark: int) -> bool:
    return score >= pass_mark
