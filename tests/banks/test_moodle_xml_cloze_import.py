"""Moodle's cloze questions (multianswer, gapselect, ddwtos) imported as quizapp's cloze
type: each gap read as a question of its kind is, and each question a gap cannot hold
skipped with its line and reason (tests/banks/moodle_xml/cloze-gaps.xml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.banks.gift import GiftImport
from quizapp.banks.moodle_xml import parse_moodle_xml
from quizapp.grading import grade

FILE = Path(__file__).parent / "moodle_xml" / "cloze-gaps.xml"


@pytest.fixture(scope="module")
def result() -> GiftImport:
    return parse_moodle_xml(FILE.read_bytes(), FILE.name, bank="cloze", title="Cloze")


@pytest.fixture(scope="module")
def questions(result) -> dict[str, dict]:
    return {question["id"]: question for question in result.bank.questions}


def test_the_clozes_that_map_are_imported_and_the_others_skipped(result, questions):
    assert list(questions) == ["lublin", "layouts-and-case", "capitals", "drag-the-words"]
    assert all(q["type"] == "cloze" for q in questions.values())
    assert [(s.line, s.kind) for s in result.skipped] == [
        (45, "unusable"), (55, "unusable"), (65, "unusable"), (75, "unusable"),
        (85, "unusable"), (160, "unusable"), (178, "unusable"), (196, "unusable"),
    ]  # fmt: skip


def test_every_kind_of_embedded_answer_becomes_a_gap_of_its_kind(questions):
    lublin = questions["lublin"]
    # The first paragraph, with no gap, is the prompt; HTML is read as text.
    assert lublin["prompt"] == "Read the passage."
    assert lublin["text"] == (
        "The Union of {1} was signed in {2}; it joined the Crown of {3} and the Grand Duchy of {4}."
    )
    assert lublin["explanation"] == "The Union of Lublin, 1569."
    assert lublin["tags"] == ["cloze"]  # the last part of its category
    text, number, choice, short_choice = lublin["gaps"]
    assert text == {
        "type": "text", "answer": "Lublin", "accept": [], "exact": False, "compare": "moodle",
        "credit": {"Lubin": 0.5, "*": 0.0},
        "feedback": {"Lublin": "Yes!", "Lubin": "Nearly.", "*": "No."},
    }  # fmt: skip
    assert number == {
        "type": "number", "answer": 1569.0, "tolerance": 0.0, "mark": 2,
        "ranges": [{"answer": 1569.0, "tolerance": 2.0, "fraction": 0.5, "feedback": "Close."}],
        "feedback": {"wrong": "Not that year."},
    }  # fmt: skip
    assert choice == {
        "type": "choice", "options": ["Sweden", "Poland", "Hungary"], "answer": "Poland",
        "credit": {"Hungary": 0.25}, "feedback": {"Sweden": "No", "Poland": "Yes"},
    }  # fmt: skip
    assert short_choice == {"type": "choice", "options": ["Lithuania", "Muscovy"],
                            "answer": "Lithuania", "mark": 2}  # fmt: skip


def test_an_imported_cloze_is_graded_gap_by_gap_weighted_by_marks_as_moodle_grades_it(
    questions,
):
    lublin = questions["lublin"]
    assert grade(lublin, ["lublin", "1569", "Poland", "Lithuania"]).fraction == 1.0
    # Gaps weigh 1, 2, 1, 2: a near year earns half of its 2 marks.
    assert grade(lublin, ["Lublin", "1570", "Poland", "Lithuania"]).fraction == pytest.approx(5 / 6)
    assert grade(lublin, ["Lubin", "1569", "Hungary", "Muscovy"]).fraction == pytest.approx(
        (0.5 + 2 + 0.25) / 6
    )
    # Moodle's * matches any other answer, for its feedback.
    assert "No." in grade(lublin, ["Riga", "1569", "Poland", "Lithuania"]).feedback


def test_a_text_without_a_first_paragraph_has_a_prompt_of_its_own(questions):
    layouts = questions["layouts-and-case"]
    assert layouts["prompt"] == "Fill in the gaps."
    assert layouts["text"] == "Vilnius is on the {1} and the {2}; its old name is {3}."


def test_vertical_and_horizontal_choices_become_drop_downs_and_case_is_warned_about(
    result, questions
):
    first, second, third = questions["layouts-and-case"]["gaps"]
    assert first == {"type": "choice", "options": ["Neris", "Nemunas"], "answer": "Neris"}
    assert second["answer"] == "Vilnia"
    assert third["compare"] == "moodle"
    assert "line 29: gap 3 (SHORTANSWER_C): Moodle compares this answer with case; quizapp " \
        "ignores case" in [str(w) for w in result.warnings]  # fmt: skip


def test_what_a_gap_cannot_hold_is_skipped_with_its_reason(result):
    reasons = {s.title: s.reason for s in result.skipped}
    assert reasons["Several answers"] == (
        "gap 1 (MULTIRESPONSE) takes several answers; a quizapp gap takes one"
    )
    assert reasons["Heavy gap"] == (
        "gap 1 (SHORTANSWER) weighs 11 marks; a quizapp gap weighs 1 to 10"
    )
    assert reasons["Eleven gaps"] == "it has 11 gaps; a quizapp cloze holds at most 10"
    assert reasons["Options alike"] == (
        "gap 1 (MULTICHOICE): options 'Neris' and 'neris' differ in case only, and quizapp "
        "tells options apart ignoring case"
    )
    assert reasons["Not closed"] == (
        "Moodle refuses it: the gap '{1:MULTICHOICE:=Neris~Nemunas' is never closed with }"
    )


def test_select_missing_words_become_drop_downs_of_their_group(questions):
    capitals = questions["capitals"]
    assert capitals["text"] == "{1} was the capital of the {2}; {3} of the Crown."
    assert capitals["explanation"] == "Vilnius and Kraków."
    assert capitals["gaps"] == [
        {"type": "choice", "options": ["Vilnius", "Kraków", "Riga"], "answer": "Vilnius"},
        {"type": "choice", "options": ["Grand Duchy", "Teutonic Order"], "answer": "Grand Duchy"},
        {"type": "choice", "options": ["Vilnius", "Kraków", "Riga"], "answer": "Kraków"},
    ]
    assert grade(capitals, ["Vilnius", "Grand Duchy", "Riga"]).fraction == pytest.approx(2 / 3)


def test_drag_and_drop_words_become_drop_downs_with_a_warning(result, questions):
    assert questions["drag-the-words"]["gaps"] == [
        {"type": "choice", "options": ["cat", "mat", "dog"], "answer": "cat"},
        {"type": "choice", "options": ["cat", "mat", "dog"], "answer": "mat"},
    ]
    assert (
        "line 133: Moodle lets each word be dropped once; quizapp's drop-downs let a word be "
        "chosen for several gaps"
    ) in [str(w) for w in result.warnings]


def test_gaps_that_name_no_option_or_offer_one_choice_are_skipped(result):
    reasons = {s.title: s.reason for s in result.skipped}
    assert reasons["A gap with no option"] == "gap 2 ([[4]]) names no <selectoption> with text"
    assert reasons["A group of one"] == "gap 1 ([[1]]) has one choice only (group 1)"
    assert reasons["No gaps"] == "it has no gaps such as [[1]]"
