"""Read quizzes and final-assessment banks from the course files, and check a content folder.

Pure Python (no Django). courses.content_files reads courses, modules and lessons and hands each quiz block to
`parse_quiz` here, which judges questions by the same rules as admin (quizzes.rules).

    python -m quizzes.content_files check content/
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from courses.content_files import ContentError, CourseSpec, read_courses

from .rules import QUESTION_KINDS, question_problem


@dataclass
class ChoiceSpec:
    text: str
    correct: bool
    explanation: str


@dataclass
class QuestionSpec:
    kind: str
    prompt: str
    scenario: str
    choices: list[ChoiceSpec]
    lesson: str = ""  # in a final-assessment bank: the slug of the lesson the question tests


@dataclass
class QuizSpec:
    title: str
    pass_mark: int
    intro: str
    questions: list[QuestionSpec]
    draw: int | None = None  # a bank: how many questions each attempt draws at random (None: all, in order)


def parse_quiz(
    data: object,
    path: Path,
    where: str,
    default_title: str,
    intro: str = "",
    bank: bool = False,
    english: dict | None = None,
) -> QuizSpec:
    """A quiz block. With `english` (the English file's quiz block) `data` is its translation: it must ask the same
    questions (count, order, kinds, lesson tags, choices, correct flags), and the pass mark and draw are English's."""
    if not isinstance(data, dict):
        raise ContentError(path, f"{where} must be a mapping with 'questions'")
    if english is not None:
        problems = translation_problems(english.get("questions") or [], data.get("questions") or [], where, bank)
        if problems:
            raise ContentError(path, f"does not match the English file: {'; '.join(problems)}")
        data = {**data, "pass_mark": english.get("pass_mark", 80), "draw": english.get("draw")}
    pass_mark = data.get("pass_mark", 80)
    if not isinstance(pass_mark, int) or isinstance(pass_mark, bool) or not 1 <= pass_mark <= 100:
        raise ContentError(path, f"{where}: 'pass_mark' must be a whole number from 1 to 100")
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        raise ContentError(path, f"{where}: 'questions' must be a non-empty list")
    questions = [
        parse_question(raw, path, f"{where} question {n}", bank=bank) for n, raw in enumerate(raw_questions, start=1)
    ]
    draw = data.get("draw")
    if draw is not None:
        if not bank:
            raise ContentError(path, f"{where}: only a final assessment draws questions ('draw')")
        if not isinstance(draw, int) or isinstance(draw, bool) or not 1 <= draw <= len(questions):
            raise ContentError(path, f"{where}: 'draw' must be a whole number from 1 to {len(questions)}")
    title = str(data.get("title") or default_title).strip()
    return QuizSpec(title=title, pass_mark=pass_mark, intro=intro, questions=questions, draw=draw)


def parse_question(raw: object, path: Path, where: str, *, bank: bool = False) -> QuestionSpec:
    if not isinstance(raw, dict):
        raise ContentError(path, f"{where} must be a mapping")
    kind = raw.get("kind")
    if kind not in QUESTION_KINDS:
        raise ContentError(path, f"{where}: 'kind' must be one of {', '.join(QUESTION_KINDS)}")
    prompt = raw.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise ContentError(path, f"{where}: 'prompt' is required")
    lesson = str(raw.get("lesson") or "").strip()
    if lesson and not bank:
        raise ContentError(path, f"{where}: only final-assessment questions name a 'lesson'")
    raw_choices = raw.get("choices")
    if not isinstance(raw_choices, list):
        raise ContentError(path, f"{where}: 'choices' must be a list")
    choices = []
    for n, choice in enumerate(raw_choices, start=1):
        if not isinstance(choice, dict) or not str(choice.get("text", "")).strip():
            raise ContentError(path, f"{where} choice {n}: 'text' is required")
        if not isinstance(choice.get("correct", False), bool):
            raise ContentError(path, f"{where} choice {n}: 'correct' must be true or false")
        explanation = str(choice.get("explanation", "")).strip()
        if not explanation:
            raise ContentError(path, f"{where} choice {n}: 'explanation' is required")
        choices.append(ChoiceSpec(str(choice["text"]).strip(), choice.get("correct", False), explanation))
    scenario = str(raw.get("scenario") or "").strip()
    problem = question_problem(kind, scenario=scenario, total=len(choices), correct=sum(c.correct for c in choices))
    if problem:
        raise ContentError(path, f"{where}: {problem}")
    return QuestionSpec(kind=kind, prompt=prompt.strip(), scenario=scenario, choices=choices, lesson=lesson)


# The true/false choices' text in each translation (content/README.md "Spanish").
TRUE_FALSE_TRANSLATED = {"es": {"True": "Verdadero", "False": "Falso"}}


def translation_problems(
    english: list, translated: list, rel: str, with_lesson: bool, language: str = "es"
) -> list[str]:
    """How translated questions differ from the English ones they translate: count, order, kind, lesson tag,
    choices and correct flags (and a true/false choice says the translation of "True"/"False"). Raw file data in,
    messages out; used by the loader (parse_quiz) and the editorial checks (quizzes.content_standards)."""
    problems = []
    if len(translated) != len(english):
        return [f"{rel}: {len(translated)} questions; the English file has {len(english)}"]
    true_false = TRUE_FALSE_TRANSLATED.get(language, {})
    for n, (en, es) in enumerate(zip(english, translated, strict=True), start=1):
        where = f"{rel} question {n}"
        if not isinstance(en, dict) or not isinstance(es, dict):
            problems.append(f"{where}: not a question (a mapping with kind, prompt and choices)")
            continue
        kind = en.get("kind")
        if es.get("kind") != kind:
            problems.append(f"{where}: kind '{es.get('kind')}'; the English question is '{kind}'")
        if with_lesson and es.get("lesson") != en.get("lesson"):
            problems.append(f"{where}: lesson '{es.get('lesson')}'; the English question is for '{en.get('lesson')}'")
        if not str(es.get("prompt") or "").strip():
            problems.append(f"{where}: no prompt")
        if kind == "scenario" and not str(es.get("scenario") or "").strip():
            problems.append(f"{where}: a scenario question needs its scenario story")
        en_choices = [c for c in en.get("choices") or [] if isinstance(c, dict)]
        es_choices = [c for c in es.get("choices") or [] if isinstance(c, dict)]
        if len(es_choices) != len(en_choices):
            problems.append(f"{where}: {len(es_choices)} choices; the English question has {len(en_choices)}")
            continue
        en_flags = [c.get("correct") is True for c in en_choices]
        es_flags = [c.get("correct") is True for c in es_choices]
        if es_flags != en_flags:
            problems.append(f"{where}: correct flags {es_flags}; the English choices are {en_flags}")
        for m, (en_choice, es_choice) in enumerate(zip(en_choices, es_choices, strict=True), start=1):
            text = str(es_choice.get("text") or "").strip()
            if not text:
                problems.append(f"{where} choice {m}: no text")
            if not str(es_choice.get("explanation") or "").strip():
                problems.append(f"{where} choice {m}: no explanation")
            expected = true_false.get(str(en_choice.get("text", "")).strip())
            if kind == "true_false" and expected and text != expected:
                problems.append(f"{where} choice {m}: '{text}'; a true/false choice here is '{expected}'")
    return problems


def read_content(root: Path) -> list[CourseSpec]:
    """Every course below root with its quizzes, or ContentError naming the first bad file and problem."""
    courses = read_courses(root, parse_quiz=parse_quiz)
    for course in courses:
        bank = course.final_assessment
        if bank is None:
            continue
        slugs = {lesson.slug for module in course.modules for lesson in module.lessons}
        for n, question in enumerate(bank.questions, start=1):
            if question.lesson and question.lesson not in slugs:
                raise ContentError(
                    course.path.parent / "final-assessment.md",
                    f"final assessment question {n}: no lesson '{question.lesson}' in this course",
                )
    return courses


def summarise(courses: list[CourseSpec]) -> str:
    lines = []
    for course in courses:
        lessons = [lesson for m in course.modules for lesson in m.lessons]
        words = sum(len(lesson.body.split()) for lesson in lessons)
        questions = sum(len(lesson.quiz.questions) for lesson in lessons if lesson.quiz)
        final = course.final_assessment
        bank = f"{len(final.questions)} final-assessment questions" if final else "no final assessment"
        if final and final.draw:
            bank += f" ({final.draw} drawn per attempt)"
        lines.append(
            f"{course.slug}: {len(course.modules)} modules, {len(lessons)} lessons, {words} words, "
            f"{questions} lesson questions, {bank}"
        )
        for lesson in lessons:
            n = len(lesson.quiz.questions) if lesson.quiz else 0
            lines.append(f"  {lesson.slug}: {len(lesson.body.split())} words, {n} questions")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "check":
        sys.exit("usage: python -m quizzes.content_files check CONTENT_DIR")
    try:
        print(summarise(read_content(Path(sys.argv[2]))))
    except ContentError as error:
        sys.exit(f"error: {error}")
