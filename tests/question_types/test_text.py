"""The text type: a typed name or phrase, forgiving case, accents, punctuation and one typo."""

import random
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from quizapp.question_types import text

BANK = Path(__file__).parents[1] / "fixtures" / "banks" / "text.yaml"
QUESTIONS = {q["id"]: q for q in yaml.safe_load(BANK.read_text(encoding="utf-8"))["questions"]}
GRYBAUSKAITE = QUESTIONS["first-head-of-state-in-minsk"]  # accept: [Grybauskaitė]


def test_every_fixture_question_is_a_valid_text_spec():
    for question in QUESTIONS.values():
        text.Spec.model_validate(question)


@pytest.mark.parametrize(
    "response",
    [
        "Dalia Grybauskaitė",
        "Grybauskaite",
        "grybauskaitė",
        "GRYBAUSKAITE ",
        "dalia grybauskaite",
        "Dalia  Grybauskaitė.",
        "DaliaGrybauskaite",
    ],
)
def test_case_diacritics_punctuation_and_spacing_do_not_matter(response):
    assert text.TypedText.grade(GRYBAUSKAITE, response) == text.Grade(1.0, "Correct.")


@pytest.mark.parametrize("response", ["Grybauskaitte", "Grybauskiate", "Dalia Grybauskate"])
def test_a_small_typo_is_forgiven_with_the_right_spelling_shown(response):
    result = text.TypedText.grade(GRYBAUSKAITE, response)
    assert result.fraction == 1.0
    assert "Dalia Grybauskaitė" in result.feedback


@pytest.mark.parametrize(
    ("question_id", "response"),
    [
        ("not-legitimate", "Paksas"),
        ("not-legitimate", "Lukashenko"),
        ("arrested-journalist", "Lukashenko"),
        ("arrested-journalist", "Sofia Sapega"),
        ("closest-eu-capital", "Kaunas"),
        ("closest-eu-capital", "Minsk"),
        ("agreement-signed-in", "Grodno"),
        ("agreement-signed-in", "Pinsk"),
        ("first-head-of-state-in-minsk", "Gitanas Nausėda"),
        ("first-head-of-state-in-minsk", "Dalia"),
    ],
)
def test_another_name_from_the_article_is_refused(question_id, response):
    assert text.TypedText.grade(QUESTIONS[question_id], response).fraction == 0.0


@pytest.mark.parametrize(
    ("question_id", "response"),
    [
        ("not-legitimate", "Nauseda"),
        ("not-legitimate", "gitanas nausėda"),
        ("arrested-journalist", "protasevich"),
        ("arrested-journalist", "Protasevitch"),
        ("closest-eu-capital", "Vilnuis"),
        ("agreement-signed-in", "MINSK"),
    ],
)
def test_the_answer_or_an_accepted_form_is_recognised(question_id, response):
    assert text.TypedText.grade(QUESTIONS[question_id], response).fraction == 1.0


@pytest.mark.parametrize(
    ("target", "slip", "forgiven"),
    [
        ("Minsk", "Misnk", True),  # a transposition is one typo
        ("Minsk", "Minskk", True),
        ("Vilnius", "Vilnjuss", False),  # two typos in a 7-letter name
        ("Tsikhanouskaya", "Tsikhanovskaya", True),
        ("Tsikhanouskaya", "Tsihanovskaya", True),  # two typos in 14 letters
        ("Tsikhanouskaya", "Tshikanovskaia", False),
        ("Riga", "Rija", False),  # short names must be exact
        ("Flight 4978", "Flight 4979", False),  # digits must agree
        ("Minsk", "Pinsk", False),  # so must the first letter
    ],
)
def test_typo_forgiveness_grows_with_length_but_never_changes_digits_or_first_letter(
    target, slip, forgiven
):
    question = {**QUESTIONS["agreement-signed-in"], "answer": target}
    assert (text.TypedText.grade(question, slip).fraction == 1.0) is forgiven


def test_an_exact_question_forgives_no_typo_but_still_folds_case_and_accents():
    exact = {**GRYBAUSKAITE, "exact": True}
    assert text.TypedText.grade(exact, "Grybauskaitte").fraction == 0.0
    assert text.TypedText.grade(exact, "GRYBAUSKAITE").fraction == 1.0


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("Nausėda", "nauseda"),
        ("Łódź", "lodz"),
        ("Ørsted", "orsted"),
        ("Straße", "strasse"),
        ("tête-à-tête", "teteatete"),
        ("Sviatlana  Tsikhanouskaya!", "sviatlanatsikhanouskaya"),
    ],
)
def test_folding_drops_case_diacritics_punctuation_and_spacing(written, folded):
    assert text.fold(written) == folded


@pytest.mark.parametrize("response", ["", "   ", "?!", None, 3.5, ["Minsk"], b"Minsk"])
def test_an_empty_or_untyped_response_scores_nothing(response):
    result = text.TypedText.grade(QUESTIONS["agreement-signed-in"], response)
    assert result.fraction == 0.0
    assert result.feedback


def test_a_megabyte_of_text_scores_nothing():
    assert text.TypedText.grade(GRYBAUSKAITE, "Grybauskaitė" * 100_000).fraction == 0.0


def test_the_answer_text_is_the_answer_as_written():
    assert text.TypedText.answer_text(GRYBAUSKAITE) == "Dalia Grybauskaitė"


def test_present_reveals_nothing():
    assert text.TypedText.present(GRYBAUSKAITE, random.Random(0)) == {}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"accept": ["?"]}, "accepted form '\\?' has no letters or digits"),
        ({"answer": True}, "reads as a boolean"),
        ({"exact": "maybe"}, "exact"),
    ],
)
def test_the_spec_refuses_an_inconsistent_question(change, message):
    with pytest.raises(ValidationError, match=message):
        text.Spec.model_validate({**GRYBAUSKAITE, **change})


# Optional fields for questions such as Moodle's short answers.

HOMETOWN = {
    "id": "hometown",
    "type": "text",
    "prompt": "Jesus Christ was from _____.",
    "answer": "Nazareth",
    "credit": {"Nazereth": 0.75, "Bethlehem": 0.25},
    "feedback": {"Nazereth": "Right, but misspelled.", "Bethlehem": "Born, not raised, there."},
}
MOODLE = {**HOMETOWN, "compare": "moodle"}


@pytest.mark.parametrize(
    ("response", "fraction"),
    [("Nazareth", 1.0), ("nazereth", 0.75), ("Bethlehem", 0.25), ("Rome", 0.0)],
)
def test_credit_gives_other_forms_part_of_the_marks(response, fraction):
    assert text.TypedText.grade(HOMETOWN, response).fraction == fraction
    assert text.TypedText.grade(MOODLE, response).fraction == fraction


def test_a_credited_form_typed_exactly_beats_a_typo_of_the_answer():
    # "Nazereth" is one typo from "Nazareth", but the teacher gave it 75 %.
    result = text.TypedText.grade(HOMETOWN, "Nazereth")
    assert result == text.Grade(0.75, "Partly right: 75% of the marks. Right, but misspelled.")


def test_a_typo_of_a_credited_form_earns_its_credit():
    result = text.TypedText.grade(HOMETOWN, "Bethlehen")
    assert result.fraction == 0.25
    assert "Mind the spelling: Bethlehem." in result.feedback


def test_a_form_with_no_credit_is_a_known_wrong_answer_with_feedback():
    question = {**MOODLE, "credit": {"Rome": 0.0}, "feedback": {"Rome": "That is the capital."}}
    assert text.TypedText.grade(question, "rome") == text.Grade(
        0.0, "Not the answer we were looking for. That is the capital."
    )


@pytest.mark.parametrize(
    ("response", "right"),
    [
        ("Nazareth", True),
        ("NAZARETH", True),
        ("  nazareth ", True),
        ("Nazaret", False),  # no typo forgiven
        ("Nazareth.", False),  # punctuation counts
        ("Naza reth", False),  # and spacing
    ],
)
def test_moodle_comparison_ignores_case_only(response, right):
    assert (text.TypedText.grade(MOODLE, response).fraction == 1.0) is right


@pytest.mark.parametrize(
    ("pattern", "typed", "matches"),
    [
        ("*", "anything at all", True),
        ("Grant*", "Grant's tomb", True),
        ("*tomb", "Grant's TOMB", True),
        ("G*t", "Grant", True),
        ("G*t", "Grants", False),
        ("a*b*c", "abc", True),
        ("a*b*c", "acb", False),
        ("ab*ba", "aba", False),  # the two ends may not overlap
        ("2\\*3", "2*3", True),  # an escaped star is a star
        ("2\\*3", "243", False),
        ("*a*a*a*a*a*a*a*a*a*a*", "a" * 500 + "b", True),
        ("*a*a*a*a*a*a*a*a*a*a*b", "a" * 2000, False),  # stays fast: no backtracking
    ],
)
def test_wildcard_match_is_moodles_star(pattern, typed, matches):
    assert text.wildcard_match(pattern, typed) is matches


def test_moodle_comparison_takes_the_best_form_that_matches():
    question = {**MOODLE, "credit": {"*": 0.0}, "feedback": {"*": "Try again."}}
    assert text.TypedText.grade(question, "Nazareth").fraction == 1.0
    assert text.TypedText.grade(question, "Paris") == text.Grade(
        0.0, "Not the answer we were looking for. Try again."
    )


def test_moodle_comparison_accepts_forms_without_letters():
    question = {"id": "op", "type": "text", "prompt": "Python's power operator?", "answer": "**"}
    with pytest.raises(ValidationError, match="no letters or digits"):
        text.Spec.model_validate(question)
    literal = {**question, "answer": "\\*\\*", "compare": "moodle"}
    assert text.TypedText.grade(literal, "**").fraction == 1.0
    assert text.TypedText.grade(literal, "^").fraction == 0.0


def test_the_scoring_rule_says_how_the_question_compares():
    assert text.TypedText.scoring_rule(GRYBAUSKAITE) == text.SCORING_RULE
    assert "spelling, spaces and punctuation" in text.TypedText.scoring_rule(MOODLE)
    assert "part of the marks" in text.TypedText.scoring_rule(HOMETOWN)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"credit": {"nazareth": 0.5}}, "credit for 'nazareth', which is accepted in full"),
        ({"feedback": {"Rome": "No."}}, "feedback for 'Rome', which is not the answer"),
        ({"credit": {"Rome": 1.5}}, "less than or equal to 1"),
        ({"compare": "exactly"}, "'fold' or 'moodle'"),
    ],
)
def test_credit_and_feedback_must_name_forms(change, message):
    with pytest.raises(ValidationError, match=message):
        text.Spec.model_validate({**HOMETOWN, **change})
