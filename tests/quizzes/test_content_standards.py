"""The content-standards check (quizzes.content_standards): the real course passes, and every rule can fail.

Each synthetic course below starts from one small folder that meets every standard; each test breaks one rule and
expects the matching problem, so a rule that could never fire would show up here.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from quizzes import content_standards as standards

CONTENT = Path(__file__).resolve().parents[2] / "content"

BODY = (
    "Your friend may feel tired after a session. Let them rest at home today. Keep the room calm and quiet. "
    "Offer water and a light snack. Sit with them if they want company. Call the clinic if you have a question. "
    "Call 911 if there is an emergency. Write down what you notice so the team can see it later.\n\n"
) * 8


def choice(text: str, correct: bool = False, why: str = "This is why.") -> dict:
    return {"text": text, "correct": correct, "explanation": why}


def scenario(story: str, right: str = "Call the clinic", wrong: tuple[str, ...] = ()) -> dict:
    wrong = wrong or ("Wait a week and see what happens", "Drive them home yourself now", "Ask a friend online")
    return {
        "kind": "scenario",
        "scenario": story,
        "prompt": "What should you do?",
        "choices": [choice(right, True), *(choice(w) for w in wrong)],
    }


def true_false(prompt: str, answer: bool) -> dict:
    return {"kind": "true_false", "prompt": prompt, "choices": [choice("True", answer), choice("False", not answer)]}


def select_all(prompt: str, wrong: int = 2) -> dict:
    choices = [choice("Rest at home", True), choice("Drink water", True)]
    choices += [choice(text) for text in ("Drive to work", "Drink some wine", "Skip every meal")[:wrong]]
    return {"kind": "multiple", "prompt": prompt, "choices": choices}


SOURCE = {
    "title": "Depression",
    "publisher": "National Institute of Mental Health",
    "year": 2026,
    "url": "https://www.nimh.nih.gov/health/topics/depression",
}


def good_course() -> dict:
    """The parts of a small course that meets every standard, as plain data the tests can change."""
    lesson = {
        "title": "Resting after a session",
        "summary": "What to do on the afternoon after treatment.",
        "minutes": 5,
        "sources": [dict(SOURCE)],
        "quiz": {
            "pass_mark": 80,
            "questions": [
                scenario("Your sister feels dizzy an hour after her session at home."),
                scenario("Your father wants to drive to the store the evening after his dose."),
                scenario("Your partner cannot sleep the night after a session and feels worried."),
                true_false("Rest is a good plan for the afternoon after a session.", True),
                select_all("Which of these fit the afternoon after a session? (Select all that apply.)"),
            ],
        },
    }
    bank = {
        "title": "Final assessment",
        "pass_mark": 80,
        "draw": 2,
        "questions": [
            {**scenario("Your uncle seems very sleepy on the drive home from the clinic."), "lesson": "resting"},
            {**true_false("A glass of wine helps a person rest on treatment day.", False), "lesson": "resting"},
        ],
    }
    return {"lesson": lesson, "bank": bank, "body": BODY}


def write(root: Path, parts: dict) -> Path:
    course = root / "01-test-course"
    module = course / "01-first-module"
    module.mkdir(parents=True)
    (course / "course.md").write_text("---\ntitle: Test course\nsummary: For tests.\n---\nAbout it.\n")
    (module / "module.md").write_text("---\ntitle: First module\n---\n")
    front = yaml.safe_dump(parts["lesson"], sort_keys=False, allow_unicode=True)
    (module / "01-resting.md").write_text(f"---\n{front}---\n{parts['body']}")
    bank = yaml.safe_dump(parts["bank"], sort_keys=False, allow_unicode=True)
    (course / "final-assessment.md").write_text(f"---\n{bank}---\nThe final assessment.\n")
    return root


def problems_for(tmp_path: Path, change=None) -> list[str]:
    parts = copy.deepcopy(good_course())
    if change:
        change(parts)
    problems, _report = standards.check(write(tmp_path, parts))
    return problems


def assert_one_problem_says(problems: list[str], *words: str) -> None:
    assert any(all(word in problem for word in words) for problem in problems), problems


def lesson_questions(parts: dict) -> list[dict]:
    return parts["lesson"]["quiz"]["questions"]


# --- The real course and the baseline -----------------------------------------------------------------------


def test_the_real_course_meets_every_standard():
    problems, report = standards.check(CONTENT)
    assert problems == []
    assert report["totals"]["lessons"] >= 25
    assert all(lesson["questions"] == 5 for lesson in report["lessons"].values())
    assert report["final_bank"]["per_lesson_min"] >= 2
    assert report["final_bank"]["near_copies_of_lesson_questions"] == 0
    assert report["all_quizzes"]["keyed_longest_share"] <= standards.LONGEST_SHARE_MAX
    assert 0.4 <= report["all_quizzes"]["true_false_true_share"] <= 0.6
    assert report["grades"]["lesson_max"] <= standards.MAX_GRADE


def test_the_synthetic_baseline_passes(tmp_path):
    assert problems_for(tmp_path) == []


def test_command_line_prints_figures_and_exits_by_result(tmp_path, capsys):
    assert standards.main(["content_standards", str(CONTENT)]) == 0
    out = capsys.readouterr().out
    assert "keyed answer longest in" in out and "meets the content standards" in out

    parts = good_course()
    parts["lesson"]["quiz"]["questions"].pop()
    assert standards.main(["content_standards", str(write(tmp_path, parts))]) == 1
    assert "PROBLEM" in capsys.readouterr().out


# --- Quiz shape --------------------------------------------------------------------------------------------


def test_a_lesson_quiz_needs_five_questions(tmp_path):
    problems = problems_for(tmp_path, lambda p: lesson_questions(p).pop())
    assert_one_problem_says(problems, "quiz has 4 questions")


def test_a_lesson_quiz_passes_at_80(tmp_path):
    problems = problems_for(tmp_path, lambda p: p["lesson"]["quiz"].update(pass_mark=60))
    assert_one_problem_says(problems, "pass mark 60")


def test_most_lesson_questions_are_scenarios(tmp_path):
    def plain(parts):
        for question in lesson_questions(parts)[:2]:
            question.update(kind="single", scenario="", prompt="What is the rule?")

    assert_one_problem_says(problems_for(tmp_path, plain), "1 scenario questions")


def test_a_prompt_that_tells_a_story_counts_as_a_scenario(tmp_path):
    def storytelling(parts):
        question = lesson_questions(parts)[0]
        question.update(kind="single", scenario="", prompt="Your brother feels sick after a dose. What helps?")

    assert problems_for(tmp_path, storytelling) == []


def test_no_all_or_none_of_the_above(tmp_path):
    def lazy(parts):
        lesson_questions(parts)[0]["choices"][-1]["text"] = "None of the above"

    assert_one_problem_says(problems_for(tmp_path, lazy), "all/none of the above")


def test_a_negative_question_needs_the_negative_in_bold(tmp_path):
    def negative(parts):
        lesson_questions(parts)[0]["prompt"] = "Which of these should you not do?"

    assert_one_problem_says(problems_for(tmp_path, negative), "negatively worded")

    def bold(parts):
        lesson_questions(parts)[0]["prompt"] = "Which of these should you **not** do?"

    assert problems_for(tmp_path / "bold", bold) == []


# --- Longest option, true/false balance, select-all --------------------------------------------------------


def test_the_keyed_answer_is_not_usually_the_longest(tmp_path):
    def longest(parts):
        for question in lesson_questions(parts)[:3]:
            question["choices"][0]["text"] = "Call the clinic and tell the nurse"

    assert_one_problem_says(problems_for(tmp_path, longest), "longest option in 3 of 3")


def test_the_keyed_answer_is_not_much_longer_than_the_others(tmp_path):
    def padded(parts):
        lesson_questions(parts)[0]["choices"][0]["text"] = "Call the clinic now, explain everything you have seen today"

    assert_one_problem_says(problems_for(tmp_path, padded), "question 1", "much longer")


def test_the_longest_option_is_not_always_wrong_either(tmp_path):
    def never_longest(parts):
        parts["bank"]["questions"] = [
            {**scenario(f"Your friend number {n} feels unwell after a session at home."), "lesson": "resting"}
            for n in range(10)
        ]
        parts["bank"]["draw"] = 10

    assert_one_problem_says(problems_for(tmp_path, never_longest), "only 0 of 10", "giveaway the other way")


def test_true_false_items_are_balanced(tmp_path):
    def all_false(parts):
        parts["bank"]["questions"] = [
            {**true_false(f"Statement number {n} about resting is right.", False), "lesson": "resting"}
            for n in range(4)
        ] + [{**scenario("Your aunt feels sick after her dose."), "lesson": "resting"}] * 4
        parts["bank"]["draw"] = 8

    assert_one_problem_says(problems_for(tmp_path, all_false), "0 of 4 true/false items are keyed True")


def test_giveaway_words_are_not_kept_for_false_statements(tmp_path):
    def giveaways(parts):
        parts["bank"]["questions"] = [
            {**true_false("Ketamine is always safe for everyone.", False), "lesson": "resting"},
            {**true_false("Rest is never needed after a dose.", False), "lesson": "resting"},
            {**true_false("Rest helps after a dose.", True), "lesson": "resting"},
            {**true_false("A ride home is needed after a dose.", True), "lesson": "resting"},
        ] + [{**scenario("Your aunt feels sick after her dose."), "lesson": "resting"}] * 4
        parts["bank"]["draw"] = 8

    assert_one_problem_says(problems_for(tmp_path, giveaways), "giveaway words")


def test_select_all_needs_two_plausible_wrong_options(tmp_path):
    def one_wrong(parts):
        lesson_questions(parts)[4] = select_all("Which of these fit the afternoon? (Select all that apply.)", wrong=1)

    assert_one_problem_says(problems_for(tmp_path, one_wrong), "select-all", "has 1")


# --- The final assessment bank -----------------------------------------------------------------------------


def test_every_lesson_has_two_bank_questions(tmp_path):
    problems = problems_for(tmp_path, lambda p: p["bank"]["questions"].pop())
    assert_one_problem_says(problems, "lesson 'resting' has 1 bank questions")


def test_bank_questions_name_their_lesson(tmp_path):
    problems = problems_for(tmp_path, lambda p: p["bank"]["questions"][0].pop("lesson"))
    assert_one_problem_says(problems, "names no lesson")


def test_the_bank_says_how_many_questions_to_draw(tmp_path):
    problems = problems_for(tmp_path, lambda p: p["bank"].pop("draw"))
    assert_one_problem_says(problems, "'draw'")


def test_bank_questions_are_not_copied_from_lesson_quizzes(tmp_path):
    def copied(parts):
        parts["bank"]["questions"][0] = {**copy.deepcopy(lesson_questions(parts)[0]), "lesson": "resting"}

    assert_one_problem_says(problems_for(tmp_path, copied), "near-identical to lesson quiz")


def test_most_bank_questions_are_scenarios(tmp_path):
    def recall(parts):
        parts["bank"]["questions"][0] = {**true_false("Rest helps on treatment day.", True), "lesson": "resting"}

    assert_one_problem_says(problems_for(tmp_path, recall), "bank questions are scenarios")


# --- Sources -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("NIMH depression page", ("plain text",)),
        ({**SOURCE, "year": None}, ("lacks year",)),
        ({**SOURCE, "url": "http://www.nimh.nih.gov/health/topics/depression"}, ("https://",)),
        ({**SOURCE, "year": "recent"}, ("four-digit year",)),
        ({**SOURCE, "title": "News reports", "publisher": "Various"}, ("vague or unnamed",)),
    ],
)
def test_sources_are_complete_real_references(tmp_path, source, words):
    # The project's parser rejects some of these too; the standards check names the problem either way.
    problems = problems_for(tmp_path, lambda p: p["lesson"].update(sources=[source]))
    assert_one_problem_says(problems, *words)


def test_a_lesson_lists_sources(tmp_path):
    assert_one_problem_says(problems_for(tmp_path, lambda p: p["lesson"].update(sources=[])), "lists no sources")


# --- Length and reading level ------------------------------------------------------------------------------


def test_a_lesson_has_400_to_900_words(tmp_path):
    assert_one_problem_says(problems_for(tmp_path, lambda p: p.update(body=BODY[:600])), "words; a lesson has 400-900")
    assert_one_problem_says(problems_for(tmp_path / "long", lambda p: p.update(body=BODY * 3)), "words; a lesson")


HARD = (
    "Pharmacological administration of intravenous racemic ketamine necessitates comprehensive cardiovascular "
    "monitoring, considering documented hemodynamic instability, psychotomimetic emergence phenomena and "
    "potentially clinically significant respiratory depression in vulnerable populations.\n\n"
) * 20


def test_lessons_read_at_grade_8_or_below(tmp_path):
    assert_one_problem_says(problems_for(tmp_path, lambda p: p.update(body=HARD)), "reading grade")


def test_questions_and_explanations_read_at_grade_8_or_below(tmp_path):
    hard_sentence = HARD.split("\n")[0]

    def jargon(parts):
        for question in lesson_questions(parts):
            question["prompt"] = hard_sentence
            for item in question["choices"]:
                item["explanation"] = hard_sentence

    problems = problems_for(tmp_path, jargon)
    assert_one_problem_says(problems, "quiz questions read at grade")
    assert_one_problem_says(problems, "quiz explanations read at grade")


def test_the_syllable_counter():
    counts = {
        "the": 1,
        "cat": 1,
        "water": 2,
        "table": 2,
        "make": 1,
        "stopped": 1,
        "wanted": 2,
        "going": 2,
        "hopeless": 2,
        "medicine": 3,
        "depression": 3,
        "dissociation": 5,
        "respiratory": 5,
        "988": 3,
    }
    assert {word: standards.count_syllables(word) for word in counts} == counts


def test_grade_level_tells_plain_from_dense_text():
    assert standards.grade_level("The cat sat on the mat. It was a sunny day.") < 2
    assert standards.grade_level(HARD) > 14
    assert standards.grade_level("") == 0.0


def test_markdown_markers_are_not_words():
    assert standards.word_count("## Key points\n\n- One two three\n- Four **five**") == 7


# --- The project's own parser -------------------------------------------------------------------------------


def test_the_project_parser_must_read_the_folder(tmp_path):
    problems = problems_for(tmp_path, lambda p: p["lesson"].pop("minutes"))
    assert_one_problem_says(problems, "the content parser rejects it", "minutes")


# --- Spanish: reading level and structure -------------------------------------------------------------------

BODY_ES = (
    "Su amiga puede sentirse cansada después de una sesión. Déjela descansar en casa hoy. Mantenga el cuarto "
    "tranquilo. Ofrézcale agua y algo ligero de comer. Quédese con ella si quiere compañía. Llame a la clínica si "
    "tiene una duda. Llame al 911 si hay una emergencia. Anote lo que note para que el equipo lo vea después.\n\n"
) * 8

HARD_ES = (
    "La administración farmacológica intravenosa de ketamina racémica requiere una monitorización cardiovascular "
    "exhaustiva, considerando la inestabilidad hemodinámica documentada, los fenómenos psicotomiméticos emergentes "
    "y la depresión respiratoria potencialmente significativa en poblaciones especialmente vulnerables.\n\n"
) * 20


def spanish_of(english: dict) -> dict:
    """A Spanish version of a lesson's or bank's front matter: same structure, texts in Spanish."""
    spanish = {"title": "Descansar después de una sesión", "summary": "Qué hacer la tarde después del tratamiento."}
    questions = english["quiz"]["questions"] if "quiz" in english else english["questions"]
    translated = []
    for question in questions:
        item = {key: question[key] for key in ("lesson", "kind") if key in question}
        if question["kind"] == "scenario":
            item["scenario"] = "Su hermana se siente mareada una hora después de la sesión."
        item["prompt"] = "¿Qué debe hacer?"
        item["choices"] = [
            {
                "text": {"True": "Verdadero", "False": "Falso"}.get(c["text"], f"Opción número {n}"),
                "correct": c["correct"],
                "explanation": "Esta es la razón.",
            }
            for n, c in enumerate(question["choices"], start=1)
        ]
        translated.append(item)
    if "quiz" in english:
        spanish["quiz"] = {"questions": translated}
    else:
        spanish = {"title": "Evaluación final", "questions": translated}
    return spanish


def write_spanish(root: Path, parts: dict, change=None) -> Path:
    """Write the good course with a Spanish file beside the lesson and the bank; change(es) may break one."""
    write(root, parts)
    es = {"lesson": spanish_of(parts["lesson"]), "bank": spanish_of(parts["bank"]), "body": BODY_ES}
    if change:
        change(es)
    course = root / "01-test-course"
    front = yaml.safe_dump(es["lesson"], sort_keys=False, allow_unicode=True)
    (course / "01-first-module" / "01-resting.es.md").write_text(f"---\n{front}---\n{es['body']}", encoding="utf-8")
    bank = yaml.safe_dump(es["bank"], sort_keys=False, allow_unicode=True)
    (course / "final-assessment.es.md").write_text(f"---\n{bank}---\nLa evaluación final.\n", encoding="utf-8")
    return root


def spanish_problems_for(tmp_path: Path, change=None) -> tuple[list[str], dict]:
    return standards.check(write_spanish(tmp_path, copy.deepcopy(good_course()), change))


def es_questions(es: dict) -> list[dict]:
    return es["lesson"]["quiz"]["questions"]


def test_a_matching_spanish_translation_passes_and_is_reported(tmp_path):
    problems, report = spanish_problems_for(tmp_path)
    assert problems == []
    spanish = report["spanish"]
    assert len(spanish["present"]) == 2  # the lesson and the bank
    assert spanish["lesson_fh_min"] >= standards.TARGET_FERNANDEZ_HUERTA
    assert spanish["lessons"]["resting"]["quiz_fernandez_huerta"] is not None
    text = standards.format_report(problems, report)
    assert "spanish: 2 of 4 files present, 2 missing" in text
    assert "Fernández-Huerta lessons min" in text


def test_missing_spanish_files_are_reported_not_problems(tmp_path):
    problems, report = standards.check(write(tmp_path, copy.deepcopy(good_course())))
    assert problems == []
    assert report["spanish"]["present"] == []
    assert "01-test-course/01-first-module/01-resting.es.md" in report["spanish"]["missing"]
    assert report["spanish"]["lesson_fh_min"] is None
    assert "spanish missing (not yet a problem)" in standards.format_report(problems, report)


def test_a_spanish_lesson_scores_60_or_more_on_fernandez_huerta(tmp_path):
    problems, report = spanish_problems_for(tmp_path, lambda es: es.update(body=HARD_ES))
    assert_one_problem_says(problems, "01-resting.es.md", "Fernández-Huerta")
    assert report["spanish"]["lesson_fh_max"] < standards.MIN_FERNANDEZ_HUERTA


def test_spanish_quiz_has_as_many_questions_as_the_english(tmp_path):
    problems, _ = spanish_problems_for(tmp_path, lambda es: es_questions(es).pop())
    assert_one_problem_says(problems, "01-resting.es.md", "4 questions; the English file has 5")


def test_spanish_question_keeps_the_english_kind(tmp_path):
    problems, _ = spanish_problems_for(tmp_path, lambda es: es_questions(es)[0].update(kind="single"))
    assert_one_problem_says(problems, "question 1", "kind 'single'", "'scenario'")


def test_spanish_question_keeps_the_correct_flags(tmp_path):
    def swapped(es):
        choices = es_questions(es)[1]["choices"]
        choices[0]["correct"], choices[1]["correct"] = False, True

    problems, _ = spanish_problems_for(tmp_path, swapped)
    assert_one_problem_says(problems, "question 2", "correct flags")


def test_spanish_question_keeps_the_choice_count(tmp_path):
    problems, _ = spanish_problems_for(tmp_path, lambda es: es_questions(es)[2]["choices"].pop())
    assert_one_problem_says(problems, "question 3", "3 choices; the English question has 4")


def test_spanish_true_false_choices_are_verdadero_and_falso_in_order(tmp_path):
    def english_words(es):
        es_questions(es)[3]["choices"][0]["text"] = "True"

    problems, _ = spanish_problems_for(tmp_path, english_words)
    assert_one_problem_says(problems, "question 4 choice 1", "'Verdadero'")


def test_spanish_choices_have_explanations_and_scenarios_have_stories(tmp_path):
    def thin(es):
        es_questions(es)[0].pop("scenario")
        es_questions(es)[4]["choices"][2]["explanation"] = ""

    problems, _ = spanish_problems_for(tmp_path, thin)
    assert_one_problem_says(problems, "question 1", "scenario story")
    assert_one_problem_says(problems, "question 5 choice 3", "no explanation")


def test_spanish_bank_keeps_the_lesson_tags_and_count(tmp_path):
    problems, _ = spanish_problems_for(tmp_path, lambda es: es["bank"]["questions"][1].update(lesson="other"))
    assert_one_problem_says(problems, "final-assessment.es.md question 2", "lesson 'other'")

    problems, _ = spanish_problems_for(tmp_path / "short", lambda es: es["bank"]["questions"].pop())
    assert_one_problem_says(problems, "final-assessment.es.md", "1 questions; the English file has 2")


def test_spanish_lesson_has_title_summary_and_body(tmp_path):
    def empty(es):
        es["lesson"].pop("summary")
        es["body"] = "\n"

    problems, _ = spanish_problems_for(tmp_path, empty)
    assert_one_problem_says(problems, "01-resting.es.md", "no summary")
    assert_one_problem_says(problems, "01-resting.es.md", "no body")


def test_spanish_sources_when_given_are_complete(tmp_path):
    def plain_source(es):
        es["lesson"]["sources"] = [{**SOURCE, "url": "http://www.nimh.nih.gov/health/topics/depression"}]

    problems, _ = spanish_problems_for(tmp_path, plain_source)
    assert_one_problem_says(problems, "01-resting.es.md: source 1", "https://")


def test_a_spanish_file_needs_an_english_file_beside_it(tmp_path):
    root = write_spanish(tmp_path, copy.deepcopy(good_course()))
    stray = root / "01-test-course" / "01-first-module" / "01-restin.es.md"
    stray.write_text((stray.parent / "01-resting.es.md").read_text(encoding="utf-8"), encoding="utf-8")
    problems, _ = standards.check(root)
    assert_one_problem_says(problems, "01-restin.es.md", "no English file beside it")


def test_the_spanish_syllable_counter():
    counts = {
        "casa": 2,
        "agua": 2,  # diphthong
        "ciudad": 2,  # two weak vowels: one syllable
        "buey": 1,  # triphthong, final y a vowel
        "día": 2,  # accented weak vowel: hiatus
        "país": 2,
        "leer": 2,  # two strong vowels: hiatus
        "aerosol": 4,
        "línea": 3,
        "que": 1,  # silent u
        "guerra": 2,
        "pingüino": 3,  # sounded ü
        "ahora": 3,  # silent h
        "alcohol": 3,
        "hoy": 1,
        "y": 1,
        "leyes": 2,  # y as a consonant
        "suicidio": 3,
        "esketamina": 5,
        "tratamiento": 4,
        "FDA": 4,  # e-fe-de-a
        "IV": 2,
        "AYUDA": 3,  # a word, not letters
        "988": 6,  # nue-ve o-cho o-cho
    }
    assert {word: standards.count_syllables_es(word) for word in counts} == counts


def test_fernandez_huerta_tells_plain_from_dense_spanish():
    assert standards.fernandez_huerta("El gato está en la casa. Hoy es un buen día.") > 100
    assert standards.fernandez_huerta(HARD_ES) < 30
    assert standards.fernandez_huerta("") is None


def test_spanish_sentences_end_at_no_but_not_at_abbreviations():
    split = standards.plain_text_sentences("Puede decir que no. Eso está bien.", standards._ES_ABBREVIATIONS)
    assert len(split) == 2
    split = standards.plain_text_sentences(
        "Hay ayuda en EE. UU., p. ej. el 988. Llame hoy.", standards._ES_ABBREVIATIONS
    )
    assert len(split) == 2
