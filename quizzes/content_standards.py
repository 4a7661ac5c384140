"""Measure the course content against the editorial standards (quiz standards, sources, reading level).

Pure Python (no Django), like ``courses.content_files``. It reads the raw front matter of every content file, so
it can check fields the loader does not model (structured sources, ``draw`` and ``lesson`` in the final
assessment), and it keeps working whichever shape of ``sources`` the loader currently accepts.

    python -m quizzes.content_standards content/

prints the figures and exits 1 when the content breaks a standard. In code, ``check(root)`` returns
``(problems, report)``: a list of problem strings (empty means the content passes) and a dict of figures.

The standards (see the curriculum brief, "Quiz standards"):

* a lesson quiz has exactly 5 questions and a pass mark of 80;
* in single-answer questions (single, scenario) the keyed answer is the longest option in at most 35% of them
  (and, so that "never pick the longest" is no trick either, in at least 15% once there are 10 or more), and it
  is never much longer than the wrong options (at most 1.5 times their average length);
* true/false items are keyed "True" 40-60% of the time, and giveaway words are not kept for false statements;
* a select-all item has at least one right and at least two wrong options;
* no "all of the above" or "none of the above"; no negative stem unless the negative is in bold;
* most questions are scenarios: at least 3 of 5 in each lesson quiz, at least half of the final bank;
* the final assessment is a bank: ``draw`` questions per attempt, at least 2 bank questions for every lesson
  (each names its lesson with ``lesson: <slug>``), none identical or near-identical to a lesson-quiz question;
* every lesson lists sources as mappings with title, publisher, year and an https:// url; no vague sources;
* lessons have 400-900 words and a Flesch-Kincaid grade of 8 or below; question prompts and explanations
  average grade 8 or below;
* Spanish (``*.es.md`` beside an English file, content/README.md): a Spanish file that is there has the same
  structure as its English file (questions in the same number and order, same kind, same choice count and
  ``correct`` flags, same bank ``lesson`` tags, "Verdadero"/"Falso" for "True"/"False", a title, summary and body
  where the English has them) and a Spanish lesson scores at least 60 on Fernández-Huerta (target 70). Missing
  Spanish files are listed in the report but are not a problem yet.
"""

from __future__ import annotations

import datetime
import difflib
import re
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

from courses.content_files import ContentError, lesson_files, split_front_matter, translation_path

from .content_files import TRUE_FALSE_TRANSLATED, read_content, translation_problems

# --- Limits ---------------------------------------------------------------------------------------------------

QUESTIONS_PER_QUIZ = 5
PASS_MARK = 80
LONGEST_SHARE_MAX = 0.35
LONGEST_SHARE_MIN = 0.15  # the other cue: if the longest option is almost never right, "skip the longest" works
LONGEST_SHARE_MIN_COUNT = 10  # only judged on 10 or more single-answer questions
LONGEST_RATIO_MAX = 1.5
TRUE_SHARE_RANGE = (0.40, 0.60)
MIN_WRONG_IN_SELECT_ALL = 2
MIN_SCENARIOS_PER_QUIZ = 3
MIN_BANK_SCENARIO_SHARE = 0.5
MIN_BANK_PER_LESSON = 2
NEAR_IDENTICAL = 0.8
WORDS_RANGE = (400, 900)
MAX_GRADE = 8.0
SOURCE_FIELDS = ("title", "publisher", "year", "url")
VAGUE_SOURCE_WORDS = ("news report", "insurance guide", "secondary source", "unnamed", "various", "internet")
GIVEAWAY_WORDS = ("always", "never", "proven", "guaranteed", "completely", "all", "only", "every")
BANNED_CHOICES = ("all of the above", "none of the above", "both of the above")
NEGATIVE_STEM = re.compile(r"\b(not|except|least|never)\b", re.IGNORECASE)

PREFIX_RE = re.compile(r"^(\d+)-(.+)$")


# --- Reading level --------------------------------------------------------------------------------------------

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|etc|vs|Dr|Mr|Mrs|Ms|U\.S|St|No)\.", re.IGNORECASE)
_SYLLABLE_EXCEPTIONS = {
    "the": 1,
    "every": 2,
    "everyone": 3,
    "everything": 3,
    "someone": 2,
    "somewhere": 2,
    "anyone": 3,
    "business": 2,
    "people": 2,
    "being": 2,
    "idea": 3,
    "ideas": 3,
    "area": 3,
    "real": 1,
    "really": 2,
    "create": 2,
    "science": 2,
    "quiet": 2,
    "diet": 2,
    "poem": 2,
    "suicide": 3,
    "suicidal": 4,
    "experience": 4,
    "experiences": 5,
    "clinician": 3,
    "clinicians": 3,
    "behavior": 3,
    "behaviors": 3,
    "schedule": 2,
    "schedules": 2,
    "beautiful": 3,
    "realize": 3,
    "created": 3,
    "sometimes": 2,
    "caregiver": 3,
    "caregivers": 3,
    "caregiving": 4,
    "someone's": 2,
    "everyone's": 3,
    "lifeline": 2,
    "whenever": 3,
    "whatever": 3,
    "dissociation": 5,
    "dissociative": 5,
    "association": 5,
    "associated": 5,
    "ketamine": 3,
    "esketamine": 4,
    "spravato": 4,
    "nmda": 4,
    "fda": 3,
    "nimh": 4,
    "nami": 2,
    "samhsa": 3,
    "rems": 1,
    "iv": 2,
    "ptsd": 4,
    "ssri": 4,
    "ssris": 4,
    "maoi": 4,
    "maois": 4,
    "adhd": 4,
    "tms": 3,
    "ect": 3,
    "cit": 3,
    "fmla": 4,
}


def count_syllables(word: str) -> int:
    """Estimate the syllables in one English word (a small rule-based counter, good enough for averages)."""
    word = word.lower().strip("'")
    if not word:
        return 0
    if word.isdigit():
        return min(max(len(word), 1), 4)
    word = re.sub(r"[^a-z]", "", word)
    if not word:
        return 1
    if word in _SYLLABLE_EXCEPTIONS:
        return _SYLLABLE_EXCEPTIONS[word]
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) <= 3:
        return 1
    count = len(_VOWEL_GROUPS.findall(word))
    # Silent endings: "make", "caregivers", "stopped" (but not "table", "needed", "wanted").
    silent_e = word.endswith("e") and not word.endswith(("le", "ee", "ie", "ye"))
    silent_es = word.endswith("es") and not word.endswith(("ses", "zes", "ches", "shes", "ges", "ces", "xes", "ies"))
    silent_ed = word.endswith("ed") and not word.endswith(("ted", "ded"))
    if silent_e or silent_es or silent_ed:
        count -= 1
    # Vowel pairs that are usually two syllables: "create", "period", "being", "react", "ion" endings.
    count += len(re.findall(r"(?:[^aeioucst]ia|io(?![ur])|eo|ua|uo|[^aeiou]ea[^dlrstvkmnpch])", word))
    if word.endswith("ion") or word.endswith("ions"):
        count -= 1
    # "going", "trying", "seeing": the -ing after a vowel is its own syllable.
    if re.search(r"[aeiouy]ing$", word):
        count += 1
    # A silent e inside a word before a suffix: "hopeless", "safely", "statement", "careful".
    count -= len(re.findall(r"[^aeiou]e(?:less|ly|ment|ful|ness)", word))
    return max(count, 1)


def plain_text_sentences(markdown: str, abbreviations: re.Pattern = _ABBREVIATIONS) -> list[str]:
    """Split Markdown into sentences: headings and list items end a sentence even without a full stop.

    ``abbreviations`` matches the abbreviations whose full stops do not end a sentence (group 1 without the
    final stop); the Spanish check passes its own list (``no.`` ends a Spanish sentence)."""
    text = re.sub(r"`[^`]*`", " ", markdown)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"https?://\S+", "link", text)
    units: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        current: list[str] = []
        for raw in block.splitlines():
            line = raw.strip()
            if not line:
                continue
            starts_unit = re.match(r"^(#+\s|[-*+]\s|\d+[.)]\s|>\s?)", line)
            if starts_unit and current:
                units.append(" ".join(current))
                current = []
            line = re.sub(r"^(#+\s*|[-*+]\s+|\d+[.)]\s+|>\s?)", "", line)
            if line.startswith(("#", ">")):
                line = line.lstrip("#> ")
            current.append(line)
            if starts_unit and starts_unit.group(1).startswith("#"):
                units.append(" ".join(current))
                current = []
        if current:
            units.append(" ".join(current))
    sentences: list[str] = []
    for unit in units:
        unit = abbreviations.sub(
            lambda m: m.group(1).replace(". ", "").replace(".", ""), unit.replace("*", "").replace("_", " ")
        )
        for sentence in re.split(r"(?<=[.!?:;])[\"')\]]*\s+", unit):
            if re.search(r"[A-Za-z0-9]", sentence):
                sentences.append(sentence)
    return sentences


def words_of(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*", text)


def grade_level(text: str) -> float:
    """Flesch-Kincaid grade level of a Markdown text (0.0 for empty text)."""
    sentences = plain_text_sentences(text)
    words = [w for s in sentences for w in words_of(s)]
    if not words:
        return 0.0
    syllables = sum(count_syllables(w) for w in words)
    return round(0.39 * len(words) / len(sentences) + 11.8 * syllables / len(words) - 15.59, 2)


def word_count(markdown: str) -> int:
    """Words in a Markdown body, leaving out Markdown markers such as '##' and '-'."""
    return sum(1 for token in markdown.split() if re.search(r"[A-Za-z0-9]", token))


# --- Spanish reading level (Fernández-Huerta) ----------------------------------------------------------------
#
# Fernández-Huerta (1959), as the curriculum brief states it:
#     206.84 - 0.60 * (syllables per 100 words) - 1.02 * (words per sentence)
# 70 or more reads at about grade 8 or below (the target); below 60 is "somewhat difficult" and fails the check.
#
# Syllables are counted with the ordinary rules of Spanish syllabification, simplified (an approximation that is
# right for nearly every everyday word and good enough for averages over a lesson):
#
# * every group of adjacent vowels is one syllable (a diphthong or triphthong: "agua", "ciudad", "buey") ...
# * ... except that two strong vowels (a, e, o) side by side are in hiatus, two syllables ("le-er", "a-e-ro-sol"),
#   and an accented i or u counts as strong, so it breaks the group too ("dí-a", "pa-ís", "re-ír");
# * the u of "que, qui, gue, gui" is silent ("que" = 1) but the u of "güe, güi" is sounded ("pin-güi-no");
# * h is silent and does not separate vowels ("a-ho-ra" = 3, "al-co-hol" = 3, "prohi-bir" = 2);
# * y is a vowel on its own ("y") and at the end of a word after a vowel ("hoy", "muy", "ley"); a consonant
#   elsewhere ("yo", "leyes");
# * a number is read digit by digit ("988" = nue-ve o-cho o-cho = 6), at most 6 syllables;
# * a short all-capitals abbreviation (2-4 letters) is spelled out by letter names ("FDA" = e-fe-de-a = 4,
#   "IV" = i-ve = 2, Latin American letter names) unless it is said as a word (_ES_SYLLABLE_EXCEPTIONS);
#   longer capitals ("AYUDA") are read as words.
#
# Not handled (rare in this course): vowels split across a prefix ("su-bra-yar" is fine, but "re-u-nir" is
# counted as "reu-nir") and English loanwords, which are counted as if Spanish.

_ES_LETTERS = "A-Za-zÁÉÍÓÚÜÑáéíóúüñ"
_ES_WORD = re.compile(rf"[{_ES_LETTERS}0-9]+")
_ES_VOWEL_GROUPS = re.compile(r"[aeiouáéíóúü]+")
_ES_STRONG = set("aeoáéóíú")  # an accented i or u is in hiatus with the vowel beside it
_ES_ABBREVIATIONS = re.compile(r"\b(p\. ?ej|EE\. ?UU|etc|Dr|Dra|Sr|Sra|Srta|Ud|Uds|núm|pág|aprox|tel)\.", re.IGNORECASE)
_ES_DIGIT_SYLLABLES = dict(zip("0123456789", (2, 2, 1, 1, 2, 2, 1, 2, 2, 2), strict=True))  # cero, uno, dos, tres ...
_ES_LETTER_SYLLABLES = {  # letter names: efe, hache, jota, ele, eme, ene, erre, ese, equis, zeta; doble ve; ve = 1
    **dict.fromkeys("fhjlmnrsxz", 2),
    "w": 3,
}
_ES_SYLLABLE_EXCEPTIONS = {
    "eeuu": 6,  # Estados Unidos
    "pej": 4,  # por ejemplo
    "rems": 1,
    "nami": 2,
    "samhsa": 2,
    "ok": 2,
}


def count_syllables_es(word: str) -> int:
    """Estimate the syllables in one Spanish word (rules above)."""
    letters = "".join(_ES_WORD.findall(word))
    if not letters:
        return 0
    if letters.isdigit():
        return min(sum(_ES_DIGIT_SYLLABLES[d] for d in letters), 6)
    lower = letters.lower()
    if lower in _ES_SYLLABLE_EXCEPTIONS:
        return _ES_SYLLABLE_EXCEPTIONS[lower]
    if letters.isupper() and 2 <= len(letters) <= 4 and not re.search(r"\d", letters):
        return sum(_ES_LETTER_SYLLABLES.get(c, 1) for c in lower)
    if lower == "y":
        return 1
    w = re.sub(r"\d", "", lower)
    w = w.replace("qu", "q")
    w = re.sub(r"gu(?=[eéií])", "g", w)
    w = w.replace("h", "")
    w = re.sub(r"(?<=[aeiouáéíóú])y$", "i", w)
    count = 0
    for group in _ES_VOWEL_GROUPS.findall(w):
        count += 1 + sum(1 for a, b in zip(group, group[1:], strict=False) if a in _ES_STRONG and b in _ES_STRONG)
    return max(count, 1)


def words_of_es(text: str) -> list[str]:
    return _ES_WORD.findall(text)


def fernandez_huerta(text: str) -> float | None:
    """Fernández-Huerta readability of a Spanish Markdown text (higher is easier; None for empty text)."""
    sentences = plain_text_sentences(text, _ES_ABBREVIATIONS)
    words = [w for s in sentences for w in words_of_es(s)]
    if not words:
        return None
    syllables = sum(count_syllables_es(w) for w in words)
    return round(206.84 - 0.60 * 100 * syllables / len(words) - 1.02 * len(words) / len(sentences), 1)


# --- Reading the content --------------------------------------------------------------------------------------


@dataclass
class Question:
    where: str
    kind: str
    prompt: str
    scenario: str
    choices: list[dict]
    lesson: str = ""

    @property
    def correct(self) -> list[dict]:
        return [c for c in self.choices if c.get("correct") is True]

    @property
    def wrong(self) -> list[dict]:
        return [c for c in self.choices if c.get("correct") is not True]

    @property
    def stem(self) -> str:
        return f"{self.scenario} {self.prompt}".strip()


@dataclass
class Lesson:
    path: Path
    slug: str
    module: str
    meta: dict
    body: str
    questions: list[Question] = field(default_factory=list)


@dataclass
class Content:
    lessons: list[Lesson] = field(default_factory=list)
    final_path: Path | None = None
    final_meta: dict = field(default_factory=dict)
    bank: list[Question] = field(default_factory=list)


def _slug(path_name: str, meta: dict) -> str:
    match = PREFIX_RE.match(path_name)
    return str(meta.get("slug") or (match.group(2) if match else path_name)).strip()


def _questions(raw: object, where: str) -> list[Question]:
    questions = []
    for n, item in enumerate(raw if isinstance(raw, list) else [], start=1):
        if not isinstance(item, dict):
            continue
        choices = [c for c in item.get("choices") or [] if isinstance(c, dict)]
        questions.append(
            Question(
                where=f"{where} question {n}",
                kind=str(item.get("kind", "")),
                prompt=str(item.get("prompt") or "").strip(),
                scenario=str(item.get("scenario") or "").strip(),
                choices=choices,
                lesson=str(item.get("lesson") or "").strip(),
            )
        )
    return questions


def read(root: Path) -> Content:
    """Read every lesson and the final assessment of every course folder below root (raw front matter)."""
    root = Path(root)
    if not root.is_dir():
        raise ContentError(root, "content folder not found")
    content = Content()
    for course in sorted(d for d in root.iterdir() if (d / "course.md").is_file()):
        for module in sorted(d for d in course.iterdir() if d.is_dir()):
            for path in lesson_files(module):  # English lessons; translations sit beside them
                meta, body = split_front_matter(path)
                lesson = Lesson(path=path, slug=_slug(path.stem, meta), module=module.name, meta=meta, body=body)
                quiz = meta.get("quiz") if isinstance(meta.get("quiz"), dict) else {}
                lesson.questions = _questions(quiz.get("questions"), f"{path.relative_to(root)}:")
                content.lessons.append(lesson)
        final = course / "final-assessment.md"
        if final.is_file():
            meta, _body = split_front_matter(final)
            content.final_path = final
            content.final_meta = meta
            content.bank = _questions(meta.get("questions"), f"{final.relative_to(root)}:")
    if not content.lessons:
        raise ContentError(root, "no lessons found")
    return content


# --- Measures -------------------------------------------------------------------------------------------------

_SCENARIO_PEOPLE = re.compile(
    r"\b(your|you)\b.*\b(partner|wife|husband|son|daughter|sister|brother|mother|mom|father|dad|friend|cousin|"
    r"aunt|uncle|grandmother|grandfather|niece|nephew|roommate|neighbor|colleague|loved one|child|children|"
    r"teen|kids|boss|family)\b",
    re.IGNORECASE | re.DOTALL,
)


def is_scenario(question: Question) -> bool:
    """A scenario question, or a prompt that sets up a short situation before asking (two sentences or more)."""
    if question.kind == "scenario":
        return True
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", question.prompt) if s.strip()]
    return len(sentences) >= 2 and bool(_SCENARIO_PEOPLE.search(" ".join(sentences[:-1])))


def keyed_is_longest(question: Question) -> bool:
    """The keyed answer is at least as long as every wrong option (ties count: a tie still gives no hint
    only if the learner cannot tell which of the long ones is right, so we count it against the quiz)."""
    [right] = question.correct
    return all(len(right["text"]) >= len(str(c.get("text", ""))) for c in question.wrong)


def keyed_length_ratio(question: Question) -> float:
    [right] = question.correct
    wrong = [len(str(c.get("text", ""))) for c in question.wrong]
    return len(right["text"]) / (sum(wrong) / len(wrong)) if wrong else 1.0


def _structure_problems(question: Question) -> list[str]:
    problems = []
    where = question.where
    if question.kind not in ("single", "multiple", "true_false", "scenario"):
        return [f"{where}: unknown kind '{question.kind}'"]
    if not question.prompt:
        problems.append(f"{where}: no prompt")
    if question.kind == "scenario" and not question.scenario:
        problems.append(f"{where}: a scenario question needs a scenario story")
    for n, choice in enumerate(question.choices, start=1):
        if not str(choice.get("text", "")).strip():
            problems.append(f"{where} choice {n}: no text")
        if not str(choice.get("explanation", "")).strip():
            problems.append(f"{where} choice {n}: no explanation")
        if not isinstance(choice.get("correct", False), bool):
            problems.append(f"{where} choice {n}: 'correct' must be true or false")
        text = str(choice.get("text", "")).lower()
        if any(banned in text for banned in BANNED_CHOICES):
            problems.append(f"{where} choice {n}: 'all/none of the above' options are not allowed")
    right = len(question.correct)
    if question.kind in ("single", "scenario", "true_false") and right != 1:
        problems.append(f"{where}: needs exactly one correct choice, has {right}")
    if question.kind == "true_false":
        texts = sorted(str(c.get("text", "")).strip() for c in question.choices)
        if texts != ["False", "True"]:
            problems.append(f"{where}: a true_false question has exactly the choices 'True' and 'False'")
    if question.kind in ("single", "scenario") and len(question.choices) < 3:
        problems.append(f"{where}: a single-answer question needs at least 3 options")
    if question.kind == "multiple":
        if right < 1:
            problems.append(f"{where}: a select-all question needs at least one correct choice")
        if len(question.wrong) < MIN_WRONG_IN_SELECT_ALL:
            problems.append(
                f"{where}: a select-all question needs at least {MIN_WRONG_IN_SELECT_ALL} plausible wrong options, "
                f"has {len(question.wrong)}"
            )
    stem = question.prompt
    for match in NEGATIVE_STEM.finditer(stem):
        before = stem[: match.start()]
        if before.count("**") % 2 == 0:
            # A negative word outside bold. Allowed only in scenario prompts that are not the question itself
            # ("she has not slept") - so judge just the final question sentence of the prompt.
            last = re.split(r"(?<=[.!?])\s+", stem.strip())[-1]
            if match.start() >= len(stem) - len(last) and last.rstrip().endswith("?"):
                problems.append(f"{where}: negatively worded question; put the negative in bold (**not**)")
                break
    return problems


def _similarity(a: str, b: str) -> float:
    norm = lambda s: " ".join(re.findall(r"[a-z0-9]+", s.lower()))  # noqa: E731
    return difflib.SequenceMatcher(None, norm(a), norm(b)).ratio()


def _question_text(question: Question) -> str:
    return " ".join([question.stem, *(str(c.get("text", "")) for c in question.choices)])


def _quiz_text_grade(questions: list[Question]) -> tuple[float, float]:
    """Reading grade of the question text (stories, prompts, options) and of the explanations."""
    asked, explained = [], []
    for q in questions:
        asked.extend([q.scenario, q.prompt])
        asked.extend(_as_sentence(str(c.get("text", ""))) for c in q.choices if c.get("text") not in ("True", "False"))
        explained.extend(_as_sentence(str(c.get("explanation", ""))) for c in q.choices)
    return grade_level("\n\n".join(a for a in asked if a)), grade_level("\n\n".join(explained))


def _as_sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def _source_problems(lesson: Lesson, rel: str) -> list[str]:
    sources = lesson.meta.get("sources")
    if not isinstance(sources, list) or not sources:
        return [f"{rel}: lists no sources"]
    problems = []
    this_year = datetime.date.today().year
    for n, source in enumerate(sources, start=1):
        where = f"{rel}: source {n}"
        if not isinstance(source, dict):
            problems.append(f"{where} is plain text; give title, publisher, year and url")
            continue
        missing = [key for key in SOURCE_FIELDS if source.get(key) in (None, "")]
        if missing:
            problems.append(f"{where} lacks {', '.join(missing)}")
        year = source.get("year")
        if year not in (None, "") and (
            not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= this_year + 1
        ):
            problems.append(f"{where}: year must be a four-digit year, not {year!r}")
        url = str(source.get("url") or "")
        if url and not re.match(r"^https://[^\s/]+\.[^\s/]+(/\S*)?$", url):
            problems.append(f"{where}: url must be an https:// link (a DOI as https://doi.org/...), not {url!r}")
        label = f"{source.get('title', '')} {source.get('publisher', '')}".lower()
        if any(word in label for word in VAGUE_SOURCE_WORDS):
            problems.append(f"{where}: vague or unnamed source ({source.get('title')!r})")
    return problems


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def loader_problem(root: Path) -> str | None:
    """What the project's own content parser says about the folder: None when it reads it, else its error."""
    try:
        read_content(root)
    except ContentError as error:
        return f"the content parser rejects it: {error}"
    return None


def check(root: Path | str) -> tuple[list[str], dict]:
    """Measure the content folder. Returns (problems, report); no problems means it meets every standard."""
    root = Path(root)
    content = read(root)
    problems: list[str] = []
    report: dict = {"lessons": {}}
    parser_error = loader_problem(root)
    report["parser"] = parser_error or "reads the folder"
    if parser_error:
        problems.append(parser_error)
    lesson_slugs = [lesson.slug for lesson in content.lessons]

    all_lesson_questions: list[Question] = []
    grades, prompt_grades, explanation_grades = [], [], []
    for lesson in content.lessons:
        rel = str(lesson.path.relative_to(root))
        words = word_count(lesson.body)
        grade = grade_level(lesson.body)
        grades.append(grade)
        quiz = lesson.meta.get("quiz") if isinstance(lesson.meta.get("quiz"), dict) else None
        questions = lesson.questions
        scenarios = sum(is_scenario(q) for q in questions)
        q_grade, e_grade = _quiz_text_grade(questions) if questions else (0.0, 0.0)
        if questions:
            prompt_grades.append(q_grade)
            explanation_grades.append(e_grade)
        report["lessons"][lesson.slug] = {
            "module": lesson.module,
            "words": words,
            "grade": grade,
            "questions": len(questions),
            "scenarios": scenarios,
            "question_grade": q_grade,
            "explanation_grade": e_grade,
        }
        if not WORDS_RANGE[0] <= words <= WORDS_RANGE[1]:
            problems.append(f"{rel}: {words} words; a lesson has {WORDS_RANGE[0]}-{WORDS_RANGE[1]}")
        if grade > MAX_GRADE:
            problems.append(f"{rel}: reading grade {grade}; lessons are grade {MAX_GRADE:g} or below")
        problems.extend(_source_problems(lesson, rel))
        if quiz is None:
            problems.append(f"{rel}: has no quiz")
            continue
        if len(questions) != QUESTIONS_PER_QUIZ:
            problems.append(f"{rel}: quiz has {len(questions)} questions; a lesson quiz has {QUESTIONS_PER_QUIZ}")
        if quiz.get("pass_mark", 80) != PASS_MARK:
            problems.append(f"{rel}: pass mark {quiz.get('pass_mark')}; lesson quizzes pass at {PASS_MARK}")
        if scenarios < MIN_SCENARIOS_PER_QUIZ:
            problems.append(
                f"{rel}: {scenarios} scenario questions; a lesson quiz has at least {MIN_SCENARIOS_PER_QUIZ}"
            )
        if q_grade > MAX_GRADE:
            problems.append(f"{rel}: quiz questions read at grade {q_grade}; limit {MAX_GRADE:g}")
        if e_grade > MAX_GRADE:
            problems.append(f"{rel}: quiz explanations read at grade {e_grade}; limit {MAX_GRADE:g}")
        for q in questions:
            problems.extend(_structure_problems(q))
        all_lesson_questions.extend(questions)

    groups = {"lesson_quizzes": all_lesson_questions, "final_bank": content.bank}
    for name, questions in groups.items():
        figures = _group_figures(questions)
        report[name] = figures
        if not questions:
            continue
        label = "lesson quizzes" if name == "lesson_quizzes" else "final assessment"
        share = figures["keyed_longest_share"]
        if share is not None and share > LONGEST_SHARE_MAX:
            problems.append(
                f"{label}: the keyed answer is the longest option in {figures['keyed_longest']} of "
                f"{figures['single_answer']} single-answer questions ({share:.0%}); limit {LONGEST_SHARE_MAX:.0%}"
            )
        if share is not None and figures["single_answer"] >= LONGEST_SHARE_MIN_COUNT and share < LONGEST_SHARE_MIN:
            problems.append(
                f"{label}: the keyed answer is the longest option in only {figures['keyed_longest']} of "
                f"{figures['single_answer']} single-answer questions ({share:.0%}); below {LONGEST_SHARE_MIN:.0%} "
                f"the longest option is a giveaway the other way"
            )
        for where in figures["keyed_much_longer"]:
            problems.append(f"{where}: the keyed answer is much longer than the wrong options")
        tf_share = figures["true_false_true_share"]
        if figures["true_false"] >= 4 and not TRUE_SHARE_RANGE[0] <= tf_share <= TRUE_SHARE_RANGE[1]:
            problems.append(
                f"{label}: {figures['true_false_true']} of {figures['true_false']} true/false items are keyed "
                f"True ({tf_share:.0%}); keep it within {TRUE_SHARE_RANGE[0]:.0%}-{TRUE_SHARE_RANGE[1]:.0%}"
            )
        if figures["giveaway_false"] > figures["giveaway_true"] + 1:
            problems.append(
                f"{label}: giveaway words (always, never, proven...) appear in {figures['giveaway_false']} false "
                f"statements but only {figures['giveaway_true']} true ones"
            )
        for where in figures["select_all_short_of_wrong"]:
            problems.append(f"{where}: select-all question with fewer than {MIN_WRONG_IN_SELECT_ALL} wrong options")

    problems.extend(_bank_problems(content, lesson_slugs, all_lesson_questions, report, root))
    problems.extend(spanish_problems(root, report))
    report["all_quizzes"] = _group_figures(all_lesson_questions + content.bank)

    report["grades"] = {
        "lesson_min": min(grades),
        "lesson_median": round(statistics.median(grades), 2),
        "lesson_max": max(grades),
        "question_text_mean": round(statistics.mean(prompt_grades), 2) if prompt_grades else None,
        "explanation_mean": round(statistics.mean(explanation_grades), 2) if explanation_grades else None,
    }
    if prompt_grades and statistics.mean(prompt_grades) > MAX_GRADE:
        problems.append(f"question prompts average grade {report['grades']['question_text_mean']}; limit {MAX_GRADE:g}")
    words = [v["words"] for v in report["lessons"].values()]
    report["totals"] = {
        "lessons": len(content.lessons),
        "words": sum(words),
        "quizzes_without_5_questions": sum(
            1 for v in report["lessons"].values() if v["questions"] != QUESTIONS_PER_QUIZ
        ),
        "lesson_questions": len(all_lesson_questions),
        "sources_problems": sum(1 for p in problems if ": source " in p or "lists no sources" in p),
        "problems": len(problems),
    }
    return problems, report


def _group_figures(questions: list[Question]) -> dict:
    single = [q for q in questions if q.kind in ("single", "scenario") and len(q.correct) == 1 and q.wrong]
    longest = [q for q in single if keyed_is_longest(q)]
    much_longer = [q.where for q in single if keyed_length_ratio(q) > LONGEST_RATIO_MAX]
    tf = [q for q in questions if q.kind == "true_false" and len(q.correct) == 1]
    tf_true = [q for q in tf if str(q.correct[0].get("text", "")).strip() == "True"]
    giveaway = re.compile(r"\b(" + "|".join(GIVEAWAY_WORDS) + r")\b", re.IGNORECASE)
    give_true = sum(1 for q in tf_true if giveaway.search(q.stem))
    give_false = sum(1 for q in tf if q not in tf_true and giveaway.search(q.stem))
    multiple = [q for q in questions if q.kind == "multiple"]
    return {
        "questions": len(questions),
        "single_answer": len(single),
        "keyed_longest": len(longest),
        "keyed_longest_share": _share(len(longest), len(single)),
        "keyed_much_longer": much_longer,
        "true_false": len(tf),
        "true_false_true": len(tf_true),
        "true_false_true_share": _share(len(tf_true), len(tf)),
        "giveaway_true": give_true,
        "giveaway_false": give_false,
        "select_all": len(multiple),
        "select_all_short_of_wrong": [q.where for q in multiple if len(q.wrong) < MIN_WRONG_IN_SELECT_ALL],
        "scenario_share": _share(sum(is_scenario(q) for q in questions), len(questions)),
    }


def _bank_problems(content: Content, slugs: list[str], lesson_questions: list[Question], report: dict, root: Path):
    problems: list[str] = []
    if content.final_path is None:
        return ["no final-assessment.md found"]
    rel = str(content.final_path.relative_to(root))
    meta, bank = content.final_meta, content.bank
    per_lesson = dict.fromkeys(slugs, 0)
    for q in bank:
        problems.extend(_structure_problems(q))
        if not q.lesson:
            problems.append(f"{q.where}: names no lesson (add 'lesson: <lesson-slug>')")
        elif q.lesson not in per_lesson:
            problems.append(f"{q.where}: names unknown lesson '{q.lesson}'")
        else:
            per_lesson[q.lesson] += 1
    draw = meta.get("draw")
    if not isinstance(draw, int) or isinstance(draw, bool) or draw < 1:
        problems.append(f"{rel}: 'draw' (questions drawn per attempt) must be a whole number")
    elif draw > len(bank):
        problems.append(f"{rel}: draws {draw} questions from a bank of {len(bank)}")
    if meta.get("pass_mark", 80) != PASS_MARK:
        problems.append(f"{rel}: pass mark {meta.get('pass_mark')}; the final assessment passes at {PASS_MARK}")
    short = [slug for slug, n in per_lesson.items() if n < MIN_BANK_PER_LESSON]
    for slug in short:
        problems.append(f"{rel}: lesson '{slug}' has {per_lesson[slug]} bank questions; at least {MIN_BANK_PER_LESSON}")
    copies = []
    for q in bank:
        for lq in lesson_questions:
            if (
                _similarity(q.stem, lq.stem) >= NEAR_IDENTICAL
                or _similarity(_question_text(q), _question_text(lq)) >= NEAR_IDENTICAL
            ):
                copies.append(q.where)
                problems.append(f"{q.where}: near-identical to lesson quiz {lq.where} ('{lq.prompt[:60]}')")
                break
    for i, q in enumerate(bank):
        for other in bank[i + 1 :]:
            if (
                _similarity(q.stem, other.stem) >= NEAR_IDENTICAL
                and _similarity(_question_text(q), _question_text(other)) >= NEAR_IDENTICAL
            ):
                problems.append(f"{other.where}: repeats {q.where} in the bank")
    scen = report["final_bank"]["scenario_share"]
    if scen is not None and scen < MIN_BANK_SCENARIO_SHARE:
        problems.append(f"{rel}: {scen:.0%} of bank questions are scenarios; at least {MIN_BANK_SCENARIO_SHARE:.0%}")
    q_grade, e_grade = _quiz_text_grade(bank) if bank else (0.0, 0.0)
    if q_grade > MAX_GRADE:
        problems.append(f"{rel}: bank questions read at grade {q_grade}; limit {MAX_GRADE:g}")
    if e_grade > MAX_GRADE:
        problems.append(f"{rel}: bank explanations read at grade {e_grade}; limit {MAX_GRADE:g}")
    report["final_bank"].update(
        {
            "draw": draw,
            "bank_size": len(bank),
            "per_lesson_min": min(per_lesson.values()) if per_lesson else 0,
            "lessons_under_minimum": short,
            "near_copies_of_lesson_questions": len(copies),
            "question_grade": q_grade,
            "explanation_grade": e_grade,
        }
    )
    return problems


# --- Spanish translations -------------------------------------------------------------------------------------
#
# content/README.md, "Spanish": every English file may have a Spanish file beside it (`01-lesson.es.md`,
# `module.es.md`, `course.es.md`, `final-assessment.es.md`) with the same structure. A missing Spanish file is
# reported but is not (yet) a problem; a Spanish file that is there must match its English file.

MIN_FERNANDEZ_HUERTA = 60.0  # a Spanish lesson below this fails; the target is 70 or more
TARGET_FERNANDEZ_HUERTA = 70.0
SPANISH_TRUE_FALSE = TRUE_FALSE_TRANSLATED["es"]


def spanish_path(path: Path) -> Path:
    """`01-lesson.md` -> `01-lesson.es.md` (the file beside it)."""
    return translation_path(path, "es")


def _english_files(root: Path) -> list[Path]:
    files = []
    for course in sorted(d for d in root.iterdir() if (d / "course.md").is_file()):
        files.append(course / "course.md")
        for module in sorted(d for d in course.iterdir() if d.is_dir()):
            if (module / "module.md").is_file():
                files.append(module / "module.md")
            files.extend(lesson_files(module))
        if (course / "final-assessment.md").is_file():
            files.append(course / "final-assessment.md")
    return files


def _raw_questions(meta: dict, key_path: tuple[str, ...]) -> list:
    value: object = meta
    for key in key_path:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, list) else []


def _spanish_quiz_fh(questions: list) -> tuple[float | None, float | None]:
    """Fernández-Huerta of the Spanish question text (stories, prompts, options) and of the explanations."""
    asked, explained = [], []
    for q in questions:
        if not isinstance(q, dict):
            continue
        asked.extend(str(q.get(key) or "") for key in ("scenario", "prompt"))
        for c in q.get("choices") or []:
            if isinstance(c, dict):
                if c.get("text") not in SPANISH_TRUE_FALSE.values():
                    asked.append(_as_sentence(str(c.get("text") or "")))
                explained.append(_as_sentence(str(c.get("explanation") or "")))
    return fernandez_huerta("\n\n".join(a for a in asked if a)), fernandez_huerta("\n\n".join(explained))


def _spanish_single_answer(questions: list) -> tuple[int, int]:
    """(single-answer questions, of which the keyed answer is the longest option) in Spanish quiz data."""
    parsed = [q for q in _questions(questions, "") if q.kind in ("single", "scenario") and len(q.correct) == 1]
    parsed = [q for q in parsed if q.wrong]
    return len(parsed), sum(keyed_is_longest(q) for q in parsed)


def spanish_problems(root: Path, report: dict) -> list[str]:
    """Check every Spanish file beside an English one; fill report["spanish"]; return the problems."""
    root = Path(root)
    problems: list[str] = []
    english_files = _english_files(root)
    present, missing = [], []
    lessons: dict[str, dict] = {}
    quiz_scores, explanation_scores = [], []
    single_answer = keyed_longest = 0
    for path in english_files:
        es_path = spanish_path(path)
        rel = str(es_path.relative_to(root))
        if not es_path.is_file():
            missing.append(rel)
            continue
        present.append(rel)
        try:
            en_meta, en_body = split_front_matter(path)
            es_meta, es_body = split_front_matter(es_path)
        except ContentError as error:
            problems.append(f"{rel}: cannot be read: {error}")
            continue
        is_lesson = path.name not in ("course.md", "module.md", "final-assessment.md")
        needed = ("title",) if path.name == "final-assessment.md" else ("title", "summary")
        for key in needed:
            if en_meta.get(key) and not str(es_meta.get(key) or "").strip():
                problems.append(f"{rel}: no {key}; the English file has one")
        if en_body.strip() and not es_body.strip():
            problems.append(f"{rel}: no body; the English file has one")
        if "sources" in es_meta:
            fake = Lesson(path=es_path, slug="", module="", meta=es_meta, body=es_body)
            problems.extend(_source_problems(fake, rel))
        if path.name == "final-assessment.md":
            en_q, es_q = _raw_questions(en_meta, ("questions",)), _raw_questions(es_meta, ("questions",))
            problems.extend(translation_problems(en_q, es_q, rel, with_lesson=True))
        elif is_lesson:
            en_q, es_q = _raw_questions(en_meta, ("quiz", "questions")), _raw_questions(es_meta, ("quiz", "questions"))
            problems.extend(translation_problems(en_q, es_q, rel, with_lesson=False))
            score = fernandez_huerta(es_body)
            quiz_fh, explanation_fh = _spanish_quiz_fh(es_q)
            lessons[_slug(path.stem, en_meta)] = {
                "module": path.parent.name,
                "words": word_count(es_body),
                "fernandez_huerta": score,
                "quiz_fernandez_huerta": quiz_fh,
                "explanation_fernandez_huerta": explanation_fh,
            }
            if score is not None and score < MIN_FERNANDEZ_HUERTA:
                problems.append(
                    f"{rel}: Fernández-Huerta {score}; a Spanish lesson scores {MIN_FERNANDEZ_HUERTA:g} or more "
                    f"(target {TARGET_FERNANDEZ_HUERTA:g})"
                )
            if quiz_fh is not None:
                quiz_scores.append(quiz_fh)
            if explanation_fh is not None:
                explanation_scores.append(explanation_fh)
            counts = _spanish_single_answer(es_q)
            single_answer += counts[0]
            keyed_longest += counts[1]
    english = {spanish_path(p) for p in english_files}
    for es_path in sorted(root.glob("*/**/*.es.md")):
        if es_path not in english:
            problems.append(f"{es_path.relative_to(root)}: a Spanish file with no English file beside it")
    scores = [v["fernandez_huerta"] for v in lessons.values() if v["fernandez_huerta"] is not None]
    report["spanish"] = {
        "files": len(english_files),
        "present": present,
        "missing": missing,
        "lessons": lessons,
        "lesson_fh_min": min(scores) if scores else None,
        "lesson_fh_median": round(statistics.median(scores), 1) if scores else None,
        "lesson_fh_max": max(scores) if scores else None,
        "quiz_fh_mean": round(statistics.mean(quiz_scores), 1) if quiz_scores else None,
        "explanation_fh_mean": round(statistics.mean(explanation_scores), 1) if explanation_scores else None,
        "single_answer": single_answer,
        "keyed_longest": keyed_longest,
        "keyed_longest_share": _share(keyed_longest, single_answer),
        "problems": len(problems),
    }
    return problems


# --- Command line ---------------------------------------------------------------------------------------------


def format_report(problems: list[str], report: dict) -> str:
    lines = [
        "lesson                                              module                         words grade  qs scn q-gr e-gr"
    ]
    for slug, v in report["lessons"].items():
        lines.append(
            f"{slug[:50]:<51} {v['module'][:30]:<30} {v['words']:>5} {v['grade']:>5} {v['questions']:>3} "
            f"{v['scenarios']:>3} {v['question_grade']:>4} {v['explanation_grade']:>4}"
        )
    for name in ("lesson_quizzes", "final_bank", "all_quizzes"):
        f = report[name]
        lines.append(
            f"{name}: {f['questions']} questions; keyed answer longest in {f['keyed_longest']} of {f['single_answer']} "
            f"single-answer ({_pct(f['keyed_longest_share'])}); much longer: {len(f['keyed_much_longer'])}; "
            f"true/false keyed True {f['true_false_true']} of {f['true_false']} ({_pct(f['true_false_true_share'])}); "
            f"select-all {f['select_all']}, with <{MIN_WRONG_IN_SELECT_ALL} wrong options "
            f"{len(f['select_all_short_of_wrong'])}; scenarios {_pct(f['scenario_share'])}"
        )
    bank = report["final_bank"]
    lines.append(
        f"final bank: {bank.get('bank_size')} questions, draw {bank.get('draw')}, fewest per lesson "
        f"{bank.get('per_lesson_min')}, near-copies of lesson questions {bank.get('near_copies_of_lesson_questions')}"
    )
    g = report["grades"]
    lines.append(
        f"reading grade: lessons min {g['lesson_min']} / median {g['lesson_median']} / max {g['lesson_max']}; "
        f"question text mean {g['question_text_mean']}; explanations mean {g['explanation_mean']}"
    )
    sp = report["spanish"]
    for slug, v in sp["lessons"].items():
        lines.append(
            f"es {slug[:47]:<48} {v['module'][:30]:<30} {v['words']:>5} FH {v['fernandez_huerta']} "
            f"quiz FH {v['quiz_fernandez_huerta']} explanations FH {v['explanation_fernandez_huerta']}"
        )
    lines.append(
        f"spanish: {len(sp['present'])} of {sp['files']} files present, {len(sp['missing'])} missing; "
        f"Fernández-Huerta lessons min {sp['lesson_fh_min']} / median {sp['lesson_fh_median']} / max "
        f"{sp['lesson_fh_max']} (below {MIN_FERNANDEZ_HUERTA:g} fails, target {TARGET_FERNANDEZ_HUERTA:g}); "
        f"quiz text mean {sp['quiz_fh_mean']}; explanations mean {sp['explanation_fh_mean']}; keyed answer "
        f"longest in {sp['keyed_longest']} of {sp['single_answer']} single-answer ({_pct(sp['keyed_longest_share'])}); "
        f"{sp['problems']} problems"
    )
    if sp["missing"]:
        lines.append(f"spanish missing (not yet a problem): {', '.join(sp['missing'])}")
    lines.append(f"content parser: {report['parser']}")
    t = report["totals"]
    lines.append(
        f"totals: {t['lessons']} lessons, {t['words']} words, {t['lesson_questions']} lesson questions, "
        f"{t['quizzes_without_5_questions']} quizzes without 5 questions, {t['sources_problems']} source problems"
    )
    lines.extend(f"PROBLEM {p}" for p in problems)
    lines.append("meets the content standards" if not problems else f"{len(problems)} problems")
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m quizzes.content_standards CONTENT_DIR")
        return 2
    try:
        problems, report = check(Path(argv[1]))
    except ContentError as error:
        print(f"error: {error}")
        return 1
    print(format_report(problems, report))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
