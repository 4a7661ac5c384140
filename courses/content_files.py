"""Read the curriculum from Markdown files with YAML front matter.

Pure Python (no Django) so that writers can validate content with
``python -m courses.content_files check content/`` before the loader runs.

Layout::

    content/<NN>-<course-slug>/course.md
    content/<NN>-<course-slug>/final-assessment.md        (optional)
    content/<NN>-<course-slug>/<NN>-<module-slug>/module.md
    content/<NN>-<course-slug>/<NN>-<module-slug>/<NN>-<lesson-slug>.md
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

QUESTION_KINDS = ("single", "multiple", "true_false", "scenario")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PREFIX_RE = re.compile(r"^(\d+)-(.+)$")


class ContentError(Exception):
    """A content file is malformed; the message names the file and the problem."""

    def __init__(self, path: Path | str, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


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


@dataclass
class QuizSpec:
    title: str
    pass_mark: int
    intro: str
    questions: list[QuestionSpec]


@dataclass
class LessonSpec:
    path: Path
    slug: str
    title: str
    order: int
    minutes: int
    summary: str
    body: str
    sources: list[str]
    published: bool
    quiz: QuizSpec | None


@dataclass
class ModuleSpec:
    path: Path
    slug: str
    title: str
    order: int
    summary: str
    published: bool
    lessons: list[LessonSpec] = field(default_factory=list)


@dataclass
class CourseSpec:
    path: Path
    slug: str
    title: str
    order: int
    summary: str
    description: str
    published: bool
    modules: list[ModuleSpec] = field(default_factory=list)
    final_assessment: QuizSpec | None = None


def split_front_matter(path: Path) -> tuple[dict, str]:
    """Return (metadata, markdown body) of a file that starts with a --- YAML block."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(path, f"cannot be read ({exc})") from exc
    if not text.startswith("---"):
        raise ContentError(path, "must start with a '---' front matter block")
    parts = text.split("\n---", 1)
    if len(parts) != 2:
        raise ContentError(path, "front matter is not closed by a '---' line")
    head, body = parts[0][3:], parts[1]
    body = body.split("\n", 1)[1] if "\n" in body else ""
    try:
        meta = yaml.safe_load(head) or {}
    except yaml.YAMLError as exc:
        raise ContentError(path, f"front matter is not valid YAML ({exc})") from exc
    if not isinstance(meta, dict):
        raise ContentError(path, "front matter must be a mapping of keys to values")
    return meta, body.strip() + "\n"


def _require(meta: dict, key: str, kind: type, path: Path):
    value = meta.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ContentError(path, f"'{key}' is required")
    if kind is int and isinstance(value, bool) or not isinstance(value, kind):
        raise ContentError(path, f"'{key}' must be {kind.__name__}, not {type(value).__name__}")
    return value.strip() if isinstance(value, str) else value


def _slug_and_order(path: Path, meta: dict, name: str) -> tuple[str, int]:
    match = PREFIX_RE.match(name)
    default_slug = match.group(2) if match else name
    default_order = int(match.group(1)) if match else 0
    slug = str(meta.get("slug", default_slug)).strip()
    if not SLUG_RE.match(slug):
        raise ContentError(path, f"slug '{slug}' may hold only lower-case letters, digits and hyphens")
    order = meta.get("order", default_order)
    if not isinstance(order, int) or isinstance(order, bool) or order < 0:
        raise ContentError(path, "'order' must be a whole number, 0 or more")
    return slug, order


def _published(meta: dict, path: Path) -> bool:
    value = meta.get("published", True)
    if not isinstance(value, bool):
        raise ContentError(path, "'published' must be true or false")
    return value


def parse_quiz(data: object, path: Path, where: str, default_title: str, intro: str = "") -> QuizSpec:
    if not isinstance(data, dict):
        raise ContentError(path, f"{where} must be a mapping with 'questions'")
    pass_mark = data.get("pass_mark", 80)
    if not isinstance(pass_mark, int) or isinstance(pass_mark, bool) or not 1 <= pass_mark <= 100:
        raise ContentError(path, f"{where}: 'pass_mark' must be a whole number from 1 to 100")
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        raise ContentError(path, f"{where}: 'questions' must be a non-empty list")
    questions = [parse_question(raw, path, f"{where} question {n}") for n, raw in enumerate(raw_questions, start=1)]
    title = str(data.get("title") or default_title).strip()
    return QuizSpec(title=title, pass_mark=pass_mark, intro=intro, questions=questions)


def parse_question(raw: object, path: Path, where: str) -> QuestionSpec:
    if not isinstance(raw, dict):
        raise ContentError(path, f"{where} must be a mapping")
    kind = raw.get("kind")
    if kind not in QUESTION_KINDS:
        raise ContentError(path, f"{where}: 'kind' must be one of {', '.join(QUESTION_KINDS)}")
    prompt = raw.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise ContentError(path, f"{where}: 'prompt' is required")
    scenario = raw.get("scenario") or ""
    if kind == "scenario" and not str(scenario).strip():
        raise ContentError(path, f"{where}: a scenario question needs a 'scenario' story")
    raw_choices = raw.get("choices")
    if not isinstance(raw_choices, list) or len(raw_choices) < 2:
        raise ContentError(path, f"{where}: 'choices' must list at least two choices")
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
    correct = sum(c.correct for c in choices)
    if kind in ("single", "true_false", "scenario") and correct != 1:
        raise ContentError(path, f"{where}: a {kind} question needs exactly one correct choice, not {correct}")
    if kind == "multiple" and correct < 1:
        raise ContentError(path, f"{where}: a multiple question needs at least one correct choice")
    if kind == "true_false" and len(choices) != 2:
        raise ContentError(path, f"{where}: a true_false question has exactly two choices")
    return QuestionSpec(kind=kind, prompt=prompt.strip(), scenario=str(scenario).strip(), choices=choices)


def parse_lesson(path: Path) -> LessonSpec:
    meta, body = split_front_matter(path)
    slug, order = _slug_and_order(path, meta, path.stem)
    title = _require(meta, "title", str, path)
    minutes = _require(meta, "minutes", int, path)
    if not 1 <= minutes <= 120:
        raise ContentError(path, "'minutes' must be from 1 to 120")
    sources = meta.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise ContentError(path, "'sources' must be a list of text lines")
    if not body.strip():
        raise ContentError(path, "the lesson body (after the front matter) is empty")
    quiz = None
    if meta.get("quiz") is not None:
        quiz = parse_quiz(meta["quiz"], path, "quiz", default_title=f"Check your understanding: {title}")
    return LessonSpec(
        path=path,
        slug=slug,
        title=title,
        order=order,
        minutes=minutes,
        summary=_require(meta, "summary", str, path),
        body=body,
        sources=[s.strip() for s in sources],
        published=_published(meta, path),
        quiz=quiz,
    )


def parse_module(directory: Path) -> ModuleSpec:
    path = directory / "module.md"
    if not path.exists():
        raise ContentError(path, "missing: every module folder needs a module.md")
    meta, _body = split_front_matter(path)
    slug, order = _slug_and_order(path, meta, directory.name)
    module = ModuleSpec(
        path=path,
        slug=slug,
        title=_require(meta, "title", str, path),
        order=order,
        summary=str(meta.get("summary", "")).strip(),
        published=_published(meta, path),
    )
    module.lessons = [parse_lesson(p) for p in sorted(directory.glob("*.md")) if p.name != "module.md"]
    _check_unique([lesson.slug for lesson in module.lessons], directory, "lesson slug")
    return module


def parse_course(directory: Path) -> CourseSpec:
    path = directory / "course.md"
    meta, body = split_front_matter(path)
    slug, order = _slug_and_order(path, meta, directory.name)
    course = CourseSpec(
        path=path,
        slug=slug,
        title=_require(meta, "title", str, path),
        order=order,
        summary=_require(meta, "summary", str, path),
        description=body,
        published=_published(meta, path),
    )
    course.modules = [parse_module(d) for d in sorted(directory.iterdir()) if d.is_dir()]
    _check_unique([m.slug for m in course.modules], directory, "module slug")
    _check_unique([lesson.slug for m in course.modules for lesson in m.lessons], directory, "lesson slug")
    final = directory / "final-assessment.md"
    if final.exists():
        fmeta, fbody = split_front_matter(final)
        course.final_assessment = parse_quiz(
            fmeta, final, "final assessment", default_title=f"Final assessment: {course.title}", intro=fbody.strip()
        )
    return course


def read_content(root: Path) -> list[CourseSpec]:
    """Parse every course below root, or raise ContentError for the first bad file."""
    root = Path(root)
    if not root.is_dir():
        raise ContentError(root, "content folder not found")
    courses = [parse_course(d) for d in sorted(root.iterdir()) if (d / "course.md").exists()]
    if not courses:
        raise ContentError(root, "no course folder (a folder with course.md) found")
    _check_unique([c.slug for c in courses], root, "course slug")
    return courses


def _check_unique(slugs: list[str], path: Path, what: str) -> None:
    seen = set()
    for slug in slugs:
        if slug in seen:
            raise ContentError(path, f"{what} '{slug}' is used twice")
        seen.add(slug)


def summarise(courses: list[CourseSpec]) -> str:
    lines = []
    for course in courses:
        lessons = [lesson for m in course.modules for lesson in m.lessons]
        words = sum(len(lesson.body.split()) for lesson in lessons)
        questions = sum(len(lesson.quiz.questions) for lesson in lessons if lesson.quiz)
        final = len(course.final_assessment.questions) if course.final_assessment else 0
        lines.append(
            f"{course.slug}: {len(course.modules)} modules, {len(lessons)} lessons, {words} words, "
            f"{questions} lesson questions, {final} final-assessment questions"
        )
        for lesson in lessons:
            n = len(lesson.quiz.questions) if lesson.quiz else 0
            lines.append(f"  {lesson.slug}: {len(lesson.body.split())} words, {n} questions")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "check":
        sys.exit("usage: python -m courses.content_files check CONTENT_DIR")
    try:
        print(summarise(read_content(Path(sys.argv[2]))))
    except ContentError as error:
        sys.exit(f"error: {error}")
