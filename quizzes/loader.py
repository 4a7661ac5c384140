"""Load lesson quizzes and final assessments from course files (see courses.loader for the rules)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from courses.loader import LoadReport, sync_course
from courses.models import checksum

from .content_files import QuizSpec, read_content
from .models import Choice, Question, Quiz


def spec_checksum(spec: QuizSpec, lesson_ids: dict[str, int]) -> str:
    """What Quiz.content_checksum() gives once `spec` is loaded (bank questions name lessons by id there)."""
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


def sync_quiz(
    spec: QuizSpec, owner: dict, *, lesson_ids: dict[str, int], force: bool, report: LoadReport, label: str
) -> Quiz:
    quiz = Quiz.objects.filter(**owner).first()
    new_checksum = spec_checksum(spec, lesson_ids)
    if quiz is not None:
        current = quiz.content_checksum()
        if quiz.source_checksum and current != quiz.source_checksum and not force:
            report.kept.append(label)
            return quiz
        if current == quiz.source_checksum == new_checksum:
            report.unchanged.append(label)
            return quiz
        report.updated.append(label)
    else:
        quiz = Quiz(**owner)
        report.created.append(label)
    quiz.title, quiz.intro, quiz.pass_mark, quiz.draw = spec.title, spec.intro, spec.pass_mark, spec.draw
    quiz.source_checksum = new_checksum
    quiz.save()
    _sync_questions(quiz, spec, lesson_ids)
    return quiz


def _sync_questions(quiz: Quiz, spec: QuizSpec, lesson_ids: dict[str, int]) -> None:
    # Update questions in place, matched by position, so their answer statistics survive a reworded prompt.
    existing = list(quiz.questions.order_by("order", "pk"))
    for order, question_spec in enumerate(spec.questions):
        question = existing[order] if order < len(existing) else Question(quiz=quiz)
        question.kind, question.prompt = question_spec.kind, question_spec.prompt
        question.scenario, question.order = question_spec.scenario, order
        question.covers_lesson_id = lesson_ids.get(question_spec.lesson)
        question.save()
        choices = list(question.choices.order_by("order", "pk"))
        for n, choice_spec in enumerate(question_spec.choices):
            choice = choices[n] if n < len(choices) else Choice(question=question)
            choice.text, choice.is_correct = choice_spec.text, choice_spec.correct
            choice.explanation, choice.order = choice_spec.explanation, n
            choice.save()
        Choice.objects.filter(pk__in=[c.pk for c in choices[len(question_spec.choices) :]]).delete()
    Question.objects.filter(pk__in=[q.pk for q in existing[len(spec.questions) :]]).delete()


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
                        lesson_ids=lesson_ids,
                        force=force,
                        report=report,
                        label=f"quiz {lesson_spec.slug}",
                    )
        if course_spec.final_assessment:
            sync_quiz(
                course_spec.final_assessment,
                {"course": course},
                lesson_ids=lesson_ids,
                force=force,
                report=report,
                label=f"final assessment {course_spec.slug}",
            )
    return report
