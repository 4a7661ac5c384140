from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from courses.content_files import ContentError
from courses.models import Course, Lesson, Module
from quizzes.content_files import read_content
from quizzes.loader import load_content
from quizzes.models import Choice, Question, Quiz

GOOD_LESSON = """---
title: A good lesson
summary: Fine.
minutes: 4
quiz:
  questions:
    - kind: true_false
      prompt: Is this fine?
      choices:
        - {text: "True", correct: true, explanation: Yes.}
        - {text: "False", correct: false, explanation: No.}
---
Body text.
"""


def write_course(root: Path, lessons: dict[str, str]) -> Path:
    course = root / "01-test-course"
    module = course / "01-first-module"
    module.mkdir(parents=True)
    (course / "course.md").write_text("---\ntitle: Test course\nsummary: For tests.\n---\nAbout it.\n")
    (module / "module.md").write_text("---\ntitle: First module\n---\n")
    for name, text in lessons.items():
        (module / name).write_text(text)
    return root


def counts():
    return (
        Course.objects.count(),
        Module.objects.count(),
        Lesson.objects.count(),
        Quiz.objects.count(),
        Question.objects.count(),
        Choice.objects.count(),
    )


def test_real_content_has_every_module_and_lesson_of_the_second_edition():
    [course] = read_content(settings.CONTENT_DIR)
    lessons = [lesson for module in course.modules for lesson in module.lessons]
    assert len(course.modules) == 8
    assert len(lessons) == 25  # the 19 of the outline and the 6 of the brief's Part 4
    assert all(lesson.quiz and len(lesson.quiz.questions) == 5 for lesson in lessons)
    assert all(350 <= len(lesson.body.split()) <= 1000 for lesson in lessons)
    bank = course.final_assessment
    assert bank.draw and bank.draw < len(bank.questions)
    covered = [q.lesson for q in bank.questions]
    assert all(covered.count(lesson.slug) >= 2 for lesson in lessons)


def test_a_loaded_bank_keeps_its_draw_and_which_lesson_each_question_tests(db):
    load_content(settings.CONTENT_DIR)
    [course] = read_content(settings.CONTENT_DIR)
    final = Quiz.objects.get(course__slug=course.slug)
    assert final.draw == course.final_assessment.draw
    loaded = list(final.questions.order_by("order").values_list("covers_lesson__slug", flat=True))
    assert loaded == [q.lesson for q in course.final_assessment.questions]


def test_loading_twice_changes_nothing(db):
    first = load_content(settings.CONTENT_DIR)
    before = counts()
    lesson = Lesson.objects.first()
    second = load_content(settings.CONTENT_DIR)
    assert first.created and not first.updated
    assert not second.created and not second.updated and not second.kept
    assert counts() == before
    assert Lesson.objects.get(pk=lesson.pk).updated_at == lesson.updated_at


def test_admin_edits_are_kept_unless_forced(db):
    load_content(settings.CONTENT_DIR)
    lesson = Lesson.objects.get(slug="two-treatments-two-rulebooks")
    original_body = lesson.body
    lesson.body = "An admin rewrote this lesson."
    lesson.save()

    report = load_content(settings.CONTENT_DIR)
    assert "lesson two-treatments-two-rulebooks" in report.kept
    assert Lesson.objects.get(pk=lesson.pk).body == "An admin rewrote this lesson."

    load_content(settings.CONTENT_DIR, force=True)
    assert Lesson.objects.get(pk=lesson.pk).body == original_body


def test_admin_quiz_edit_is_kept(db):
    load_content(settings.CONTENT_DIR)
    question = Question.objects.filter(quiz__lesson__slug="two-treatments-two-rulebooks").first()
    question.prompt = "Reworded by an admin"
    question.save()
    report = load_content(settings.CONTENT_DIR)
    assert "quiz two-treatments-two-rulebooks" in report.kept
    assert Question.objects.get(pk=question.pk).prompt == "Reworded by an admin"


def test_changed_file_updates_unedited_lesson(db, tmp_path):
    root = write_course(tmp_path, {"01-good.md": GOOD_LESSON})
    load_content(root)
    (root / "01-test-course" / "01-first-module" / "01-good.md").write_text(
        GOOD_LESSON.replace("Body text.", "New body.")
    )
    report = load_content(root)
    assert report.updated == ["lesson good"]
    assert "New body." in Lesson.objects.get(slug="good").body_html


@pytest.mark.parametrize(
    "bad_text, problem",
    [
        ("no front matter at all", "must start with a '---' front matter block"),
        ("---\ntitle: [unclosed\n---\nBody\n", "front matter is not valid YAML"),
        ("---\nsummary: s\nminutes: 3\n---\nBody\n", "'title' is required"),
        ("---\ntitle: t\nsummary: s\nminutes: lots\n---\nBody\n", "'minutes' must be int"),
        (GOOD_LESSON.replace("correct: false", "correct: true"), "exactly one correct choice"),
        (GOOD_LESSON.replace("kind: true_false", "kind: essay"), "'kind' must be one of"),
    ],
)
def test_malformed_file_names_file_and_problem_and_loads_nothing(db, tmp_path, bad_text, problem):
    root = write_course(tmp_path, {"01-good.md": GOOD_LESSON, "02-bad.md": bad_text})
    with pytest.raises(CommandError) as excinfo:
        call_command("load_content", str(root))
    assert "02-bad.md" in str(excinfo.value)
    assert problem in str(excinfo.value)
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_duplicate_lesson_slug_in_course_is_rejected(tmp_path):
    root = write_course(
        tmp_path, {"01-good.md": GOOD_LESSON, "02-good.md": GOOD_LESSON.replace("title:", "slug: good\ntitle:")}
    )
    with pytest.raises(ContentError, match="lesson slug 'good' is used twice"):
        read_content(root)


def test_failure_midway_rolls_back(db, tmp_path, monkeypatch):
    """One transaction: an error while writing leaves nothing half-loaded."""
    root = write_course(tmp_path, {"01-good.md": GOOD_LESSON})
    import quizzes.loader as loader

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(loader, "_sync_questions", explode)
    with pytest.raises(RuntimeError):
        load_content(root)
    assert counts() == (0, 0, 0, 0, 0, 0)
