"""load_content fills the Spanish beside the English (content/README.md "Spanish"), keeps admins' edits per
language, falls back to English without a Spanish file, and refuses a Spanish file that asks different questions."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from courses.content_files import ContentError
from courses.models import Course, Lesson, Module
from quizzes.content_files import read_content
from quizzes.loader import load_content
from quizzes.models import Choice, Question, Quiz

LESSON = """---
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
English body.
"""

LECCION = """---
title: Una buena lección
summary: Bien.
quiz:
  questions:
    - kind: true_false
      prompt: ¿Está bien?
      choices:
        - {text: "Verdadero", correct: true, explanation: Sí.}
        - {text: "Falso", correct: false, explanation: No.}
---
Texto en español.
"""


def write_course(root: Path, *, spanish: str | None = LECCION) -> Path:
    course = root / "01-test-course"
    module = course / "01-first-module"
    module.mkdir(parents=True)
    (course / "course.md").write_text("---\ntitle: Test course\nsummary: For tests.\n---\nAbout it.\n")
    (course / "course.es.md").write_text("---\ntitle: Curso de prueba\nsummary: Para pruebas.\n---\nSobre él.\n")
    (module / "module.md").write_text("---\ntitle: First module\n---\n")
    (module / "module.es.md").write_text("---\ntitle: Primer módulo\n---\n")
    (module / "01-good.md").write_text(LESSON)
    if spanish is not None:
        (module / "01-good.es.md").write_text(spanish)
    return root


def test_the_whole_course_loads_in_spanish(db):
    [spec] = read_content(settings.CONTENT_DIR)
    spec_lessons = [lesson for module in spec.modules for lesson in module.lessons]
    assert all("es" in lesson.translations for lesson in spec_lessons)

    report = load_content(settings.CONTENT_DIR)

    assert report.english_only == []
    course = Course.objects.get(slug=spec.slug)
    assert course.title_es == spec.translations["es"].title != course.title_en
    assert Module.objects.filter(title_es__isnull=True).count() == 0
    lessons = Lesson.objects.all()
    assert len(lessons) == len(spec_lessons) == 25
    for lesson in lessons:
        assert lesson.title_es and lesson.body_es and lesson.body_html_es and lesson.title_es != lesson.title_en
    # Every question and choice of every quiz and of the final bank has its Spanish.
    assert Question.objects.count() == 125 + len(spec.final_assessment.questions)
    assert not Question.objects.filter(prompt_es__isnull=True).exists()
    assert not Choice.objects.filter(text_es__isnull=True).exists()
    assert not Choice.objects.filter(explanation_es__isnull=True).exists()
    scenarios = Question.objects.filter(kind="scenario")
    assert scenarios.exists() and not scenarios.filter(scenario_es__isnull=True).exists()
    assert Choice.objects.filter(text_en="True").count() == Choice.objects.filter(text_es="Verdadero").count() > 0
    final = Quiz.objects.get(course=course)
    assert final.title_es == "Evaluación final" and final.draw == spec.final_assessment.draw


def test_a_second_load_changes_nothing_in_either_language(db):
    load_content(settings.CONTENT_DIR)
    lesson = Lesson.objects.get(slug="two-treatments-two-rulebooks")

    second = load_content(settings.CONTENT_DIR)

    assert (second.created, second.updated, second.kept, second.english_only) == ([], [], [], [])
    assert "lesson two-treatments-two-rulebooks" in second.unchanged
    assert "lesson two-treatments-two-rulebooks (es)" in second.unchanged
    assert "final assessment supporting-ketamine-therapy (es)" in second.unchanged
    assert Lesson.objects.get(pk=lesson.pk).updated_at == lesson.updated_at


def test_an_admin_edit_in_spanish_is_kept_and_english_still_loads(db, tmp_path):
    root = write_course(tmp_path)
    load_content(root)
    lesson = Lesson.objects.get(slug="good")
    lesson.body_es = "Un administrador reescribió esto."
    lesson.save()
    lesson_file = root / "01-test-course" / "01-first-module" / "01-good.md"
    lesson_file.write_text(LESSON.replace("English body.", "New English body."))

    report = load_content(root)

    assert "lesson good (es)" in report.kept
    assert "lesson good" in report.updated
    lesson.refresh_from_db()
    assert lesson.body_es == "Un administrador reescribió esto." and "reescribió" in lesson.body_html_es
    assert lesson.body_en == "New English body.\n"

    load_content(root, force=True)
    lesson.refresh_from_db()
    assert lesson.body_es == "Texto en español.\n"


def test_an_admin_edit_of_a_spanish_question_in_admin_is_kept(db, tmp_path, client, admin_user_with_2fa, staff_login):
    root = write_course(tmp_path)
    load_content(root)
    question = Question.objects.get(quiz__lesson__slug="good")
    choices = list(question.choices.order_by("order"))
    data = {
        "quiz": question.quiz_id,
        "kind": question.kind,
        "prompt_en": question.prompt_en,
        "prompt_es": "¿Está todo bien? (editada)",
        "order": 0,
        "choices-TOTAL_FORMS": 2,
        "choices-INITIAL_FORMS": 2,
        "choices-MIN_NUM_FORMS": 2,
        "choices-MAX_NUM_FORMS": 1000,
    }
    for i, choice in enumerate(choices):
        data.update(
            {
                f"choices-{i}-id": choice.pk,
                f"choices-{i}-question": question.pk,
                f"choices-{i}-order": i,
                f"choices-{i}-text_en": choice.text_en,
                f"choices-{i}-text_es": choice.text_es,
                f"choices-{i}-explanation_en": choice.explanation_en,
                f"choices-{i}-explanation_es": choice.explanation_es,
                f"choices-{i}-is_correct": "on" if choice.is_correct else "",
            }
        )
    data = {key: value for key, value in data.items() if value != ""}
    staff_login(client, admin_user_with_2fa)
    response = client.post(reverse("admin:quizzes_question_change", args=[question.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]

    report = load_content(root)

    assert report.kept == ["quiz good (es)"]
    assert "quiz good" in report.unchanged  # saving the form left the English as the loader wrote it
    assert Question.objects.get(pk=question.pk).prompt_es == "¿Está todo bien? (editada)"


def test_without_a_spanish_file_the_english_is_shown_and_the_loader_says_so(db, tmp_path, client):
    root = write_course(tmp_path, spanish=None)
    out = io.StringIO()
    call_command("load_content", str(root), stdout=out)

    assert "English only: lesson good has no Spanish file" in out.getvalue()
    assert "English only: quiz good" in out.getvalue()
    lesson = Lesson.objects.get(slug="good")
    assert lesson.title_es is None and lesson.body_html_es == ""
    page = client.get("/es" + lesson.get_absolute_url()).content.decode()
    assert "A good lesson" in page and "English body." in page
    assert "Primer módulo" in page  # the module has its Spanish file

    second = load_content(root)
    assert second.english_only == ["lesson good", "quiz good"]
    assert not second.updated and not second.kept


def test_a_removed_spanish_file_falls_back_to_english(db, tmp_path):
    root = write_course(tmp_path)
    load_content(root)
    (root / "01-test-course" / "01-first-module" / "01-good.es.md").unlink()

    report = load_content(root)

    assert {"lesson good (es)", "quiz good (es)"} <= set(report.updated)
    question = Question.objects.get(quiz__lesson__slug="good")
    assert question.prompt_es is None and question.prompt_en == "Is this fine?"


@pytest.mark.parametrize(
    "change, problem",
    [
        (("correct: true", "correct: false"), "correct flags [False, False]; the English choices are [True, False]"),
        (("kind: true_false", "kind: single"), "kind 'single'; the English question is 'true_false'"),
        (
            (
                "    - kind: true_false",
                "    - kind: true_false\n      prompt: ¿Otra?\n      choices: []\n    - kind: true_false",
            ),
            "2 questions; the English file has 1",
        ),
    ],
)
def test_a_spanish_file_with_other_questions_is_refused(db, tmp_path, change, problem):
    root = write_course(tmp_path, spanish=LECCION.replace(*change, 1))
    with pytest.raises(CommandError) as refused:
        call_command("load_content", str(root))
    message = str(refused.value)
    assert "Nothing was loaded" in message and "01-good.es.md" in message
    assert "does not match the English file" in message and problem in message
    assert Lesson.objects.count() == 0


def test_file_errors_stay_english_and_admin_says_them_in_spanish(
    db, tmp_path, client, admin_user_with_2fa, staff_login
):
    root = write_course(tmp_path)
    bad = root / "01-test-course" / "01-first-module" / "01-good.md"
    bad.write_text(LESSON.replace("correct: false", "correct: true"))
    with translation.override("es"), pytest.raises(ContentError, match=r"exactly one correct choice \(it has 2\)"):
        read_content(root)  # for the people who write the files, whatever the active language

    bad.write_text(LESSON)
    load_content(root)
    question = Question.objects.get(quiz__lesson__slug="good")
    choices = list(question.choices.order_by("order"))
    data = {
        "quiz": question.quiz_id,
        "kind": question.kind,
        "prompt_en": question.prompt_en,
        "order": 0,
        "choices-TOTAL_FORMS": 2,
        "choices-INITIAL_FORMS": 2,
        "choices-MIN_NUM_FORMS": 2,
        "choices-MAX_NUM_FORMS": 1000,
    }
    for i, choice in enumerate(choices):
        data.update(
            {
                f"choices-{i}-id": choice.pk,
                f"choices-{i}-question": question.pk,
                f"choices-{i}-order": i,
                f"choices-{i}-text_en": choice.text_en,
                f"choices-{i}-explanation_en": choice.explanation_en,
                f"choices-{i}-is_correct": "on",
            }
        )
    staff_login(client, admin_user_with_2fa)
    page = client.post("/es" + reverse("admin:quizzes_question_change", args=[question.pk]), data)
    assert "necesita exactamente una opción correcta (tiene 2)" in page.content.decode()
