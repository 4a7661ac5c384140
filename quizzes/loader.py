"""Load lesson quizzes and final assessments from course files (see courses.loader for the rules).

The English file gives a quiz's structure and English text; its translation gives the same questions' text in
its language, checked to have the same structure when it is read (quizzes.content_files.parse_quiz)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from courses.content_files import TRANSLATIONS
from courses.loader import LoadReport, set_text, sync_course
from courses.models import DEFAULT_LANGUAGE, checksum

from .content_files import ChoiceSpec, QuestionSpec, QuizSpec, read_content
from .models import Choice, Question, Quiz


def spec_checksum(spec: QuizSpec, lesson_ids: dict[str, int], language: str = DEFAULT_LANGUAGE) -> str:
    """What Quiz.content_checksum(language) gives once `spec` is loaded (bank questions name lessons by id there)."""
    if language != DEFAULT_LANGUAGE:
        texts = [(q.scenario, q.prompt, [(c.text, c.explanation) for c in q.choices]) for q in spec.questions]
        return checksum(spec.title, spec.intro, texts)
    questions = [
        (
            q.kind,
            q.prompt,
            q.scenario,
            order,
            lesson_ids.get(q.lesson),
            [(c.text, c.correct, c.explanation, n) for n, c in enumerate(q.choices)],
        )
        for order, q in enumerate(spec.questions)
    ]
    return checksum(spec.title, spec.intro, spec.pass_mark, spec.draw, questions)


def untranslated(questions: list[Question]) -> QuizSpec:
    """A language without a file: its text left empty on the quiz's own questions (learners see the English)."""
    return QuizSpec(
        title="",
        pass_mark=0,
        intro="",
        questions=[
            QuestionSpec(q.kind, "", "", [ChoiceSpec("", c.is_correct, "") for c in q.choices.all()]) for q in questions
        ],
    )


def sync_quiz(
    spec: QuizSpec,
    owner: dict,
    *,
    translations: dict[str, QuizSpec | None],
    lesson_ids: dict[str, int],
    force: bool,
    report: LoadReport,
    label: str,
) -> Quiz:
    """Create or update the quiz in English, then each translation; `translations[language]` None: no file."""
    quiz = Quiz.objects.filter(**owner).first()
    new_checksum = spec_checksum(spec, lesson_ids)
    created = quiz is None
    if quiz is not None:
        current = quiz.content_checksum()
        if quiz.source_checksum_en and current != quiz.source_checksum_en and not force:
            report.kept.append(label)
        elif current == quiz.source_checksum_en == new_checksum:
            report.unchanged.append(label)
        else:
            report.updated.append(label)
            _write_english(quiz, spec, lesson_ids, new_checksum)
    else:
        quiz = Quiz(**owner)
        report.created.append(label)
        _write_english(quiz, spec, lesson_ids, new_checksum)
    for language, translated in translations.items():
        if translated is None:
            report.english_only.append(label)
        outcome = _sync_translation(quiz, translated, language, lesson_ids, force=force)
        if not (created and translated is None):  # a new quiz with no Spanish file: listed as English only
            report.record("created" if created else outcome, label, language)
    return quiz


def _write_english(quiz: Quiz, spec: QuizSpec, lesson_ids: dict[str, int], new_checksum: str) -> None:
    quiz.title_en, quiz.intro_en, quiz.pass_mark, quiz.draw = spec.title, spec.intro, spec.pass_mark, spec.draw
    quiz.source_checksum_en = new_checksum
    quiz.save()
    _sync_questions(quiz, spec, lesson_ids)


def _sync_questions(quiz: Quiz, spec: QuizSpec, lesson_ids: dict[str, int]) -> None:
    # Update questions in place, matched by position, so their answer statistics survive a reworded prompt.
    existing = list(quiz.questions.order_by("order", "pk"))
    for order, question_spec in enumerate(spec.questions):
        question = existing[order] if order < len(existing) else Question(quiz=quiz)
        question.kind, question.prompt_en = question_spec.kind, question_spec.prompt
        question.scenario_en, question.order = question_spec.scenario, order
        question.covers_lesson_id = lesson_ids.get(question_spec.lesson)
        question.save()
        choices = list(question.choices.order_by("order", "pk"))
        for n, choice_spec in enumerate(question_spec.choices):
            choice = choices[n] if n < len(choices) else Choice(question=question)
            choice.text_en, choice.is_correct = choice_spec.text, choice_spec.correct
            choice.explanation_en, choice.order = choice_spec.explanation, n
            choice.save()
        Choice.objects.filter(pk__in=[c.pk for c in choices[len(question_spec.choices) :]]).delete()
    Question.objects.filter(pk__in=[q.pk for q in existing[len(spec.questions) :]]).delete()


def _sync_translation(
    quiz: Quiz, spec: QuizSpec | None, language: str, lesson_ids: dict[str, int], *, force: bool
) -> str:
    """Write one language's text onto the quiz's questions and choices, matched by position like the English.
    Kept when an admin edited that language, or when the quiz's questions no longer match the file (an admin
    changed the English quiz's structure: its translation cannot be placed)."""
    recorded = getattr(quiz, f"source_checksum_{language}")
    current = quiz.content_checksum(language)
    if recorded and current != recorded and not force:
        return "kept"
    questions = list(quiz.questions.order_by("order", "pk").prefetch_related("choices"))
    spec = spec or untranslated(questions)
    if [len(q.choices.all()) for q in questions] != [len(q.choices) for q in spec.questions]:
        return "kept"
    new_checksum = spec_checksum(spec, lesson_ids, language)
    if new_checksum == current == recorded:
        return "unchanged"
    for question, question_spec in zip(questions, spec.questions, strict=True):
        set_text(
            question, language, {"scenario": question_spec.scenario or None, "prompt": question_spec.prompt or None}
        )
        question.save()
        for choice, choice_spec in zip(question.choices.all(), question_spec.choices, strict=True):
            set_text(
                choice, language, {"text": choice_spec.text or None, "explanation": choice_spec.explanation or None}
            )
            choice.save()
    set_text(
        quiz, language, {"title": spec.title or None, "intro": spec.intro or None, "source_checksum": new_checksum}
    )
    quiz.save()
    return "updated"


@transaction.atomic
def load_content(root: Path, *, force: bool = False) -> LoadReport:
    """Read every file first (a malformed one raises ContentError before any write), then load all in one transaction."""
    specs = read_content(root)
    report = LoadReport()
    for course_spec in specs:
        course, lessons = sync_course(course_spec, force=force, report=report)
        lesson_ids = {slug: lesson.pk for slug, lesson in lessons.items()}
        for module_spec in course_spec.modules:
            for lesson_spec in module_spec.lessons:
                if lesson_spec.quiz:
                    sync_quiz(
                        lesson_spec.quiz,
                        {"lesson": lessons[lesson_spec.slug]},
                        translations={
                            language: getattr(lesson_spec.translations.get(language), "quiz", None)
                            for language in TRANSLATIONS
                        },
                        lesson_ids=lesson_ids,
                        force=force,
                        report=report,
                        label=f"quiz {lesson_spec.slug}",
                    )
        if course_spec.final_assessment:
            sync_quiz(
                course_spec.final_assessment,
                {"course": course},
                translations={
                    language: course_spec.final_assessment_translations.get(language) for language in TRANSLATIONS
                },
                lesson_ids=lesson_ids,
                force=force,
                report=report,
                label=f"final assessment {course_spec.slug}",
            )
    return report
