"""The number type: a typed number, read in its common forms, with tolerance and near misses."""

import random
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from quizapp.question_types import number

BANK = Path(__file__).parents[1] / "fixtures" / "banks" / "number.yaml"
QUESTIONS = {q["id"]: q for q in yaml.safe_load(BANK.read_text(encoding="utf-8"))["questions"]}
BORDER = QUESTIONS["common-border"]  # 680 km, tolerance 5%
PUSHED_BACK = QUESTIONS["pushed-back"]  # 13,000, tolerance 500, no unit
CIGARETTES = QUESTIONS["smuggled-cigarettes"]  # 93 %, no tolerance
FEE = QUESTIONS["migrant-travel-fee"]  # 15000 €


def test_every_fixture_question_is_a_valid_number_spec():
    for question in QUESTIONS.values():
        number.Spec.model_validate(question)


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("13,000", 13000),
        ("13 000", 13000),
        ("13\u202f000", 13000),  # narrow no-break space
        ("13\u00a0000", 13000),  # no-break space
        ("13000", 13000),
        ("13000.0", 13000),
        ("1,234,567.5", 1234567.5),
        ("680 km", 680),
        ("680km", 680),
        ("93%", 93),
        ("€15,000", 15000),
        ("-5", -5),
        ("−5", -5),  # a typographic minus
        (".5", 0.5),
        ("about 680", 680),
    ],
)
def test_common_ways_of_writing_a_number_are_read(written, value):
    assert number.read_number(written).value == value


@pytest.mark.parametrize("written", ["", "abc", "1,5", "13,00", "1e3", "12-14", "5 5 5", "--5"])
def test_text_that_is_not_one_number_is_not_read(written):
    assert number.read_number(written) is None


@pytest.mark.parametrize("response", ["13,000", "13 000", "13000", "13000.0", 13000, 13000.0])
def test_the_answer_written_any_common_way_scores_full_marks(response):
    assert number.Number.grade(PUSHED_BACK, response) == number.Grade(1.0, "Correct.")


@pytest.mark.parametrize("response", ["680", "680 km", "680 KM", "680 kilometres", "680kms"])
def test_the_questions_unit_is_welcome_in_any_spelling(response):
    assert number.Number.grade(BORDER, response).fraction == 1.0


@pytest.mark.parametrize(
    ("question", "response"),
    [(CIGARETTES, "93%"), (CIGARETTES, "93 percent"), (FEE, "€15,000"), (FEE, "15000 euros")],
)
def test_percent_and_currency_units_are_read(question, response):
    assert number.Number.grade(question, response).fraction == 1.0


def test_a_different_unit_scores_nothing_and_names_the_expected_unit():
    assert number.Number.grade(BORDER, "680 miles") == number.Grade(
        0.0, "The answer is expected in km, not miles."
    )
    assert "€" in number.Number.grade(FEE, "$15,000").feedback


def test_a_unit_on_a_question_without_one_scores_nothing():
    assert number.Number.grade(PUSHED_BACK, "13,000 people").fraction == 0.0


@pytest.mark.parametrize(
    ("question", "response", "fraction"),
    [
        (BORDER, "714", 1.0),  # 680 + 5%
        (BORDER, "646", 1.0),  # 680 − 5%
        (BORDER, "715", 0.5),
        (BORDER, "748", 0.5),  # 680 + 10%
        (BORDER, "749", 0.0),
        (PUSHED_BACK, "13,500", 1.0),  # tolerance 500
        (PUSHED_BACK, "12,499", 0.5),
        (PUSHED_BACK, "11,700", 0.5),  # 13,000 − 10%
        (PUSHED_BACK, "11,699", 0.0),
        (CIGARETTES, "93.0", 1.0),
        (CIGARETTES, "94", 0.5),  # no tolerance: only the exact value scores 1
        (CIGARETTES, "50", 0.0),
        (CIGARETTES, "-93", 0.0),
    ],
)
def test_within_tolerance_scores_1_and_within_ten_percent_scores_half(question, response, fraction):
    assert number.Number.grade(question, response).fraction == fraction


def test_a_near_miss_says_which_way_it_is_off():
    assert number.Number.grade(BORDER, "720").feedback == "Close, but a little high: half credit."
    assert number.Number.grade(BORDER, "100").feedback == "Not close: that is too low."


def test_floating_point_arithmetic_does_not_cost_a_point():
    question = {**CIGARETTES, "answer": 0.3, "unit": None}
    assert number.Number.grade(question, str(0.1 + 0.2)).fraction == 1.0


@pytest.mark.parametrize("response", ["thirteen thousand", "1,5", "", None, [13000], True])
def test_a_response_that_is_not_a_number_scores_nothing_with_a_reason(response):
    result = number.Number.grade(PUSHED_BACK, response)
    assert result.fraction == 0.0
    assert result.feedback


@pytest.mark.parametrize(
    ("question", "shown"),
    [(BORDER, "680 km"), (PUSHED_BACK, "13,000"), (CIGARETTES, "93%"), (FEE, "€15,000")],
)
def test_the_answer_text_shows_the_number_with_its_unit(question, shown):
    assert number.Number.answer_text(question) == shown


@pytest.mark.parametrize(("value", "shown"), [(1995, "1995"), (2603, "2603"), (1.5, "1.5")])
def test_numbers_under_ten_thousand_are_written_without_a_comma(value, shown):
    assert number.format_number(value) == shown


def test_present_shows_only_the_unit():
    assert number.Number.present(BORDER, random.Random(0)) == {"unit": "km"}
    assert number.Number.present(PUSHED_BACK, random.Random(0)) == {"unit": None}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"tolerance": -1}, "tolerance must not be negative"),
        ({"tolerance": "five"}, "percentage such as '5%'"),
        ({"tolerance": "-5%"}, "percentage such as '5%'"),
        ({"tolerance": True}, "non-negative number"),
        ({"answer": "680 km"}, "put the unit in `unit`"),
        ({"answer": "many"}, "answer 'many' is not a number"),
        ({"answer": False}, "answer must be a number"),
        ({"answer": float("nan")}, "finite"),
    ],
)
def test_the_spec_refuses_an_inconsistent_question(change, message):
    with pytest.raises(ValidationError, match=message):
        number.Spec.model_validate({**BORDER, **change})


def test_the_spec_reads_an_answer_written_with_thousands_separators():
    assert number.Spec.model_validate(PUSHED_BACK).answer == 13000


def test_the_scoring_rule_documents_the_near_miss_rule():
    assert "10%" in number.SCORING_RULE


# Optional fields for questions such as Moodle's numerical ones.

GRANT = {
    "id": "grant",
    "type": "number",
    "prompt": "When was Ulysses S. Grant born?",
    "answer": 1822,
    "ranges": [{"answer": 1822, "tolerance": 2, "fraction": 0.5, "feedback": "Close."}],
    "feedback": {"right": "Full credit.", "wrong": "He was born in 1822."},
}


@pytest.mark.parametrize(
    ("response", "fraction", "feedback"),
    [
        ("1822", 1.0, "Correct. Full credit."),
        ("1824", 0.5, "Partly right: 50% of the marks. Close."),
        ("1825", 0.0, "Not right: that is too high. He was born in 1822."),
        ("1700", 0.0, "Not right: that is too low. He was born in 1822."),
    ],
)
def test_ranges_replace_the_built_in_half_credit(response, fraction, feedback):
    assert number.Number.grade(GRANT, response) == number.Grade(fraction, feedback)


def test_empty_ranges_give_no_half_credit_at_all():
    exact = {"id": "grant", "type": "number", "prompt": "Born?", "answer": 1822, "ranges": []}
    assert number.Number.grade(exact, "1830").fraction == 0.0
    assert number.Number.grade({**exact, "ranges": None}, "1830").fraction == 0.5


def test_the_best_matching_range_wins_and_a_zero_range_gives_its_feedback():
    grasp = {
        "id": "grasp",
        "type": "number",
        "prompt": "How many GRASP principles are there?",
        "answer": 9,
        "ranges": [
            {"answer": 5, "fraction": 0.0, "feedback": "Only the first five."},
            {"answer": 8, "tolerance": "25%", "fraction": 0.5},
            {"answer": 8, "tolerance": 1, "fraction": 0.25},
        ],
    }
    assert number.Number.grade(grasp, "5") == number.Grade(
        0.0, "Not right: that is too low. Only the first five."
    )
    assert number.Number.grade(grasp, "7").fraction == 0.5  # within 25 % of 8 and 1 of 8: the best
    assert number.Number.grade(grasp, "9").fraction == 1.0


def test_the_wrong_feedback_also_follows_the_built_in_rule():
    question = {**GRANT, "ranges": None}
    assert number.Number.grade(question, "1900").feedback.endswith("He was born in 1822.")
    assert number.Number.scoring_rule(question) == number.SCORING_RULE
    assert "part of the marks" in number.Number.scoring_rule(GRANT)


@pytest.mark.parametrize(
    ("ranges", "message"),
    [
        ([{"answer": 1822}], "missing"),
        ([{"answer": 1822, "fraction": 2}], "less than or equal to 1"),
        ([{"answer": "1822 AD", "fraction": 1}], "is not a number"),
        ([{"answer": 1822, "fraction": 1, "tolerance": -1}], "must not be negative"),
        ([{"answer": 1822, "fraction": 1, "weight": 1}], "Extra inputs"),
    ],
)
def test_a_range_is_checked_like_the_answer(ranges, message):
    with pytest.raises(ValidationError, match=message):
        number.Spec.model_validate({**GRANT, "ranges": ranges})
