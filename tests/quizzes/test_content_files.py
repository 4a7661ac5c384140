"""The course files: sources, banks, and question rules that are the same ones admin applies (quizzes.rules)."""

from pathlib import Path

import pytest
from django.urls import reverse

from courses.content_files import ContentError
from courses.models import Lesson
from quizzes.content_files import read_content
from quizzes.loader import load_content
from quizzes.models import Question

SOURCE = """  - title: "Suicide Prevention"
    publisher: "National Institute of Mental Health"
    year: 2024
    url: "https://www.nimh.nih.gov/health/topics/suicide-prevention"
"""


def lesson_file(*, sources: str = SOURCE, question: str | None = None) -> str:
    question = (
        question
        or """    - kind: single
      prompt: Which?
      choices:
        - {text: This one, correct: true, explanation: Right.}
        - {text: That one, correct: false, explanation: Wrong.}
"""
    )
    return (
        f"---\ntitle: A lesson\nsummary: S.\nminutes: 4\nsources:\n{sources}quiz:\n  questions:\n{question}---\nBody.\n"
    )


def write(root: Path, lesson: str, final: str | None = None) -> Path:
    course = root / "01-course"
    module = course / "01-module"
    module.mkdir(parents=True)
    (course / "course.md").write_text("---\ntitle: Course\nsummary: S.\n---\nAbout.\n")
    (module / "module.md").write_text("---\ntitle: Module\n---\n")
    (module / "01-a-lesson.md").write_text(lesson)
    if final:
        (course / "final-assessment.md").write_text(final)
    return root


def bank(draw: int, lesson: str = "a-lesson") -> str:
    questions = "".join(
        f"""  - kind: true_false
    lesson: {lesson}
    prompt: Statement {n}?
    choices:
      - {{text: "True", correct: true, explanation: Yes.}}
      - {{text: "False", correct: false, explanation: No.}}
"""
        for n in range(3)
    )
    return f"---\ndraw: {draw}\nquestions:\n{questions}---\nIntro.\n"


def test_structured_sources_become_links_under_the_lesson(tmp_path, client, db):
    load_content(write(tmp_path, lesson_file()))
    lesson = Lesson.objects.get(slug="a-lesson")
    assert lesson.sources == (
        "National Institute of Mental Health (2024). "
        "[Suicide Prevention](https://www.nimh.nih.gov/health/topics/suicide-prevention)"
    )
    html = client.get(lesson.get_absolute_url()).content.decode()
    assert (
        '<a href="https://www.nimh.nih.gov/health/topics/suicide-prevention" rel="noopener noreferrer">'
        "Suicide Prevention</a>"
    ) in html


@pytest.mark.parametrize(
    "sources, problem",
    [
        ('  - title: "T"\n    publisher: "P"\n    url: "https://x.org"\n', "source 1 needs year"),
        ('  - {title: T, publisher: P, year: 2024, url: "http://x.org"}\n', "must be one https:// address"),
        ("  - {title: T, publisher: P, year: twenty, url: 'https://x.org'}\n", "'year' must be a year"),
        ("  - 42\n", "source 1 must be a mapping"),
    ],
)
def test_incomplete_sources_are_refused_by_name(tmp_path, sources, problem):
    with pytest.raises(ContentError, match=problem):
        read_content(write(tmp_path, lesson_file(sources=sources)))


@pytest.mark.parametrize(
    "final, problem",
    [
        (bank(draw=4), "'draw' must be a whole number from 1 to 3"),
        (bank(draw=2, lesson="no-such-lesson"), "no lesson 'no-such-lesson'"),
    ],
)
def test_a_bad_bank_is_refused(tmp_path, final, problem):
    with pytest.raises(ContentError, match=problem):
        read_content(write(tmp_path, lesson_file(), final))


def test_only_a_final_assessment_draws_or_names_lessons(tmp_path):
    question = """    - kind: single
      lesson: a-lesson
      prompt: Which?
      choices:
        - {text: A, correct: true, explanation: R.}
        - {text: B, correct: false, explanation: W.}
"""
    with pytest.raises(ContentError, match="only final-assessment questions name a 'lesson'"):
        read_content(write(tmp_path, lesson_file(question=question)))


TWO_RIGHT = """    - kind: single
      prompt: Which?
      choices:
        - {text: A, correct: true, explanation: R.}
        - {text: B, correct: true, explanation: R.}
"""


SCENARIO_WITHOUT_STORY = """    - kind: scenario
      prompt: Which?
      choices:
        - {text: A, correct: true, explanation: R.}
        - {text: B, correct: false, explanation: W.}
"""


@pytest.mark.parametrize(
    "question, kind, both_right, problem",
    [
        (TWO_RIGHT, "single", True, "needs exactly one correct choice (it has 2)"),
        (SCENARIO_WITHOUT_STORY, "scenario", False, "A scenario question needs its short story."),
    ],
    ids=["two right answers", "scenario without a story"],
)
def test_files_and_admin_refuse_the_same_question_with_the_same_words(
    tmp_path, client, staff_login, admin_user_with_2fa, question, kind, both_right, problem
):
    with pytest.raises(ContentError) as refused:
        read_content(write(tmp_path / "files", lesson_file(question=question)))
    assert problem in str(refused.value)

    load_content(write(tmp_path / "good", lesson_file()))
    saved = Question.objects.get(prompt="Which?")
    staff_login(client, admin_user_with_2fa)
    data = {
        "quiz": saved.quiz_id,
        "kind": kind,
        "prompt": "Which?",
        "scenario": "",
        "order": 0,
        "choices-TOTAL_FORMS": 2,
        "choices-INITIAL_FORMS": 2,
        "choices-MIN_NUM_FORMS": 2,
        "choices-MAX_NUM_FORMS": 1000,
    }
    for n, choice in enumerate(saved.choices.order_by("order")):
        data.update(
            {
                f"choices-{n}-id": choice.pk,
                f"choices-{n}-question": saved.pk,
                f"choices-{n}-order": n,
                f"choices-{n}-text": choice.text,
                f"choices-{n}-explanation": "E.",
            }
        )
        if both_right or n == 0:
            data[f"choices-{n}-is_correct"] = "on"
    response = client.post(reverse("admin:quizzes_question_change", args=[saved.pk]), data)
    assert problem in response.content.decode()
    saved.refresh_from_db()
    assert saved.kind == "single" and saved.choices.filter(is_correct=True).count() == 1


def test_the_database_column_offers_exactly_the_kinds_the_rules_know():
    from quizzes import rules

    assert dict(Question.Kind.choices) == rules.QUESTION_KINDS
    assert Question(kind=rules.MULTIPLE).allows_many and not Question(kind=rules.SCENARIO).allows_many


def test_translations_beside_the_english_files_are_not_read_as_lessons(tmp_path):
    root = write(tmp_path, lesson_file())
    module = root / "01-course" / "01-module"
    spanish = """---
title: Una lección
summary: R.
quiz:
  questions:
    - kind: single
      prompt: ¿Cuál?
      choices:
        - {text: Esta, correct: true, explanation: Bien.}
        - {text: Esa, correct: false, explanation: Mal.}
---
Texto.
"""
    (module / "01-a-lesson.es.md").write_text(spanish)
    (module / "module.es.md").write_text("---\ntitle: Módulo\n---\n")
    [course] = read_content(root)
    assert [lesson.slug for m in course.modules for lesson in m.lessons] == ["a-lesson"]
    assert course.modules[0].lessons[0].translations["es"].title == "Una lección"
