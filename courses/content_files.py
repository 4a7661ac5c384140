"""Read courses, modules and lessons from Markdown files with YAML front matter.

Pure Python (no Django), so that writers can validate content before the loader runs with
``python -m quizzes.content_files check content/``. The quiz blocks inside these files belong to quizzes: the
caller passes the function that parses them (quizzes.content_files.parse_quiz), so courses never imports quizzes.

Layout::

    content/<NN>-<course-slug>/course.md
    content/<NN>-<course-slug>/final-assessment.md        (optional)
    content/<NN>-<course-slug>/<NN>-<module-slug>/module.md
    content/<NN>-<course-slug>/<NN>-<module-slug>/<NN>-<lesson-slug>.md

Each file may have a translation beside it (`module.es.md`, `01-lesson.es.md`; content/README.md "Spanish"): the
same text in another language, on the English file's structure. It is read into the spec's `translations`; a
missing one is simply absent (the English is shown).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PREFIX_RE = re.compile(r"^(\d+)-(.+)$")


class ContentError(Exception):
    """A content file is malformed; the message names the file and the problem."""

    def __init__(self, path: Path | str, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


# parse_quiz(data, path, where, default_title, intro="", bank=False, english=None) -> a quiz spec, or raises
# ContentError. `bank` is True for a course's final assessment (its questions may name the lesson they test).
# `english` is the English file's quiz data when `data` is its translation: the two must have the same structure.
QuizParser = Callable[..., object]

TRANSLATIONS = ("es",)  # the languages a content file may be translated into, beside it as `<name>.<code>.md`
# The quiz titles a file may leave out, per language: (a lesson quiz's, a final assessment's).
DEFAULT_QUIZ_TITLES = {
    "en": ("Check your understanding: {title}", "Final assessment: {title}"),
    "es": ("Compruebe lo que aprendió: {title}", "Evaluación final: {title}"),
}


@dataclass
class Translation:
    """One content file in another language: its text only (the English file gives slugs, order, minutes, kinds,
    correct answers, pass mark and draw)."""

    path: Path
    title: str
    summary: str = ""
    body: str = ""  # a lesson's body, a course's description
    sources: list[str] | None = None  # a lesson's own sources in this language; None: the English ones are shown
    quiz: object | None = None  # a lesson's quiz in this language


@dataclass(frozen=True)
class SourceSpec:
    """A reference shown under a lesson: what it is, who published it, when, and where to read it."""

    title: str
    publisher: str
    year: int
    url: str

    def as_line(self) -> str:
        """The Markdown line stored on the lesson (admins edit sources as these lines)."""
        return f"{self.publisher} ({self.year}). [{self.title}]({self.url})"


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
    quiz: object | None  # what the quiz parser returned
    translations: dict[str, Translation] = field(default_factory=dict)


@dataclass
class ModuleSpec:
    path: Path
    slug: str
    title: str
    order: int
    summary: str
    published: bool
    lessons: list[LessonSpec] = field(default_factory=list)
    translations: dict[str, Translation] = field(default_factory=dict)


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
    final_assessment: object | None = None  # what the quiz parser returned
    translations: dict[str, Translation] = field(default_factory=dict)
    final_assessment_translations: dict[str, object] = field(default_factory=dict)  # language -> quiz spec


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


def parse_sources(raw: object, path: Path) -> list[str]:
    """Each source is a mapping (title, publisher, year, https url), stored as one Markdown line; a plain line of
    text is accepted as it is (what admins type)."""
    if not isinstance(raw, list):
        raise ContentError(path, "'sources' must be a list")
    lines = []
    for n, item in enumerate(raw, start=1):
        if isinstance(item, str) and item.strip():
            lines.append(item.strip())
            continue
        if not isinstance(item, dict):
            raise ContentError(path, f"source {n} must be a mapping with title, publisher, year and url")
        missing = [key for key in ("title", "publisher", "year", "url") if not str(item.get(key) or "").strip()]
        if missing:
            raise ContentError(path, f"source {n} needs {', '.join(missing)}")
        year, url = item["year"], str(item["url"]).strip()
        if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2100:
            raise ContentError(path, f"source {n}: 'year' must be a year such as 2024")
        if not url.startswith("https://") or any(c.isspace() for c in url) or ")" in url:
            raise ContentError(path, f"source {n}: 'url' must be one https:// address (a DOI as https://doi.org/…)")
        title, publisher = str(item["title"]).strip(), str(item["publisher"]).strip()
        lines.append(SourceSpec(title, publisher, year, url).as_line())
    return lines


def parse_lesson(path: Path, parse_quiz: QuizParser) -> LessonSpec:
    meta, body = split_front_matter(path)
    slug, order = _slug_and_order(path, meta, path.stem)
    title = _require(meta, "title", str, path)
    minutes = _require(meta, "minutes", int, path)
    if not 1 <= minutes <= 120:
        raise ContentError(path, "'minutes' must be from 1 to 120")
    sources = parse_sources(meta.get("sources", []), path)
    if not body.strip():
        raise ContentError(path, "the lesson body (after the front matter) is empty")
    quiz = None
    if meta.get("quiz") is not None:
        quiz = parse_quiz(meta["quiz"], path, "quiz", default_title=_quiz_title("en", final=False, title=title))
    return LessonSpec(
        path=path,
        slug=slug,
        title=title,
        order=order,
        minutes=minutes,
        summary=_require(meta, "summary", str, path),
        body=body,
        sources=sources,
        published=_published(meta, path),
        quiz=quiz,
        translations={
            language: _lesson_translation(found, language, meta.get("quiz"), parse_quiz)
            for language, found in translation_files(path).items()
        },
    )


def translation_path(path: Path, language: str) -> Path:
    """`01-lesson.md` -> `01-lesson.es.md`, the file beside it."""
    return path.with_name(f"{path.stem}.{language}.md")


def translation_files(path: Path) -> dict[str, Path]:
    """The translations of the file at `path` that exist, by language."""
    return {language: found for language in TRANSLATIONS if (found := translation_path(path, language)).is_file()}


def _quiz_title(language: str, *, final: bool, title: str) -> str:
    return DEFAULT_QUIZ_TITLES[language][final].format(title=title)


def _lesson_translation(path: Path, language: str, english_quiz: object, parse_quiz: QuizParser) -> Translation:
    meta, body = split_front_matter(path)
    title = _require(meta, "title", str, path)
    if not body.strip():
        raise ContentError(path, "the lesson body (after the front matter) is empty")
    quiz = None
    if english_quiz is not None:
        default_title = _quiz_title(language, final=False, title=title)
        quiz = parse_quiz(meta.get("quiz"), path, "quiz", default_title=default_title, english=english_quiz)
    elif meta.get("quiz") is not None:
        raise ContentError(path, "a quiz, but the English lesson has none")
    return Translation(
        path=path,
        title=title,
        summary=_require(meta, "summary", str, path),
        body=body,
        sources=parse_sources(meta["sources"], path) if meta.get("sources") is not None else None,
        quiz=quiz,
    )


TRANSLATION_RE = re.compile(r"\.[a-z]{2}\.md$")  # `01-lesson.es.md`: a translation beside `01-lesson.md`


def lesson_files(directory: Path) -> list[Path]:
    """A module folder's lesson files, in order: not module.md, not translations (content/README.md)."""
    return [p for p in sorted(directory.glob("*.md")) if p.name != "module.md" and not TRANSLATION_RE.search(p.name)]


def parse_module(directory: Path, parse_quiz: QuizParser) -> ModuleSpec:
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
    for language, found in translation_files(path).items():
        es_meta, _es_body = split_front_matter(found)
        module.translations[language] = Translation(
            path=found, title=_require(es_meta, "title", str, found), summary=str(es_meta.get("summary", "")).strip()
        )
    module.lessons = [parse_lesson(p, parse_quiz) for p in lesson_files(directory)]
    _check_unique([lesson.slug for lesson in module.lessons], directory, "lesson slug")
    return module


def parse_course(directory: Path, parse_quiz: QuizParser) -> CourseSpec:
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
    for language, found in translation_files(path).items():
        es_meta, es_body = split_front_matter(found)
        course.translations[language] = Translation(
            path=found,
            title=_require(es_meta, "title", str, found),
            summary=_require(es_meta, "summary", str, found),
            body=es_body,
        )
    course.modules = [parse_module(d, parse_quiz) for d in sorted(directory.iterdir()) if d.is_dir()]
    _check_unique([m.slug for m in course.modules], directory, "module slug")
    _check_unique([lesson.slug for m in course.modules for lesson in m.lessons], directory, "lesson slug")
    final = directory / "final-assessment.md"
    if final.exists():
        fmeta, fbody = split_front_matter(final)
        course.final_assessment = parse_quiz(
            fmeta,
            final,
            "final assessment",
            default_title=_quiz_title("en", final=True, title=course.title),
            intro=fbody.strip(),
            bank=True,
        )
        for language, found in translation_files(final).items():
            es_meta, es_body = split_front_matter(found)
            translated = course.translations.get(language)
            course.final_assessment_translations[language] = parse_quiz(
                es_meta,
                found,
                "final assessment",
                default_title=_quiz_title(language, final=True, title=translated.title if translated else course.title),
                intro=es_body.strip(),
                bank=True,
                english=fmeta,
            )
    return course


def read_courses(root: Path, *, parse_quiz: QuizParser) -> list[CourseSpec]:
    """Parse every course below root, or raise ContentError for the first bad file."""
    root = Path(root)
    if not root.is_dir():
        raise ContentError(root, "content folder not found")
    courses = [parse_course(d, parse_quiz) for d in sorted(root.iterdir()) if (d / "course.md").exists()]
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
