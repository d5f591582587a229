"""The choice type: one right option among 2–8."""

import random
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from quizapp.question_types import choice

BANK = Path(__file__).parents[1] / "fixtures" / "banks" / "choice.yaml"
QUESTIONS = {q["id"]: q for q in yaml.safe_load(BANK.read_text(encoding="utf-8"))["questions"]}
HEAD_OF_STATE = QUESTIONS["first-head-of-state-in-minsk"]
VOIVODESHIPS = QUESTIONS["ethnically-lithuanian-voivodeships"]


def test_every_fixture_question_is_a_valid_choice_spec():
    for question in QUESTIONS.values():
        choice.Spec.model_validate(question)


@pytest.mark.parametrize("response", ["Dalia Grybauskaitė", "  Dalia Grybauskaitė\n"])
def test_the_right_option_scores_full_marks(response):
    assert choice.Choice.grade(HEAD_OF_STATE, response).fraction == 1.0


def test_another_option_scores_nothing():
    result = choice.Choice.grade(HEAD_OF_STATE, "Rolandas Paksas")
    assert result.fraction == 0.0
    assert result.feedback


@pytest.mark.parametrize("response", ["Valdas Adamkus", "dalia grybauskaitė", "Grybauskaitė"])
def test_a_text_that_is_not_an_option_scores_nothing_and_says_so(response):
    result = choice.Choice.grade(HEAD_OF_STATE, response)
    assert result == choice.Grade(0.0, "That is not one of the options.")


@pytest.mark.parametrize("response", [None, ["Dalia Grybauskaitė"], {"a": 1}, b"Kaunas", ""])
def test_a_response_that_is_not_an_option_text_scores_nothing(response):
    assert choice.Choice.grade(HEAD_OF_STATE, response).fraction == 0.0


@pytest.mark.parametrize("response", ["3", 3])
def test_numeric_options_are_compared_as_text(response):
    assert choice.Choice.grade(VOIVODESHIPS, response).fraction == 1.0


def test_the_answer_text_is_the_right_option():
    assert choice.Choice.answer_text(VOIVODESHIPS) == "3"
    assert choice.Choice.answer_text(HEAD_OF_STATE) == "Dalia Grybauskaitė"


def test_present_shows_only_the_options_shuffled():
    shown = choice.Choice.present(QUESTIONS["government-in-exile"], random.Random(1))
    assert list(shown) == ["options"]
    assert sorted(shown["options"]) == ["Grodno", "Kaunas", "Klaipėda", "Vilnius"]


def test_present_does_not_always_put_the_answer_first():
    firsts = {
        choice.Choice.present(HEAD_OF_STATE, random.Random(seed))["options"][0]
        for seed in range(50)
    }
    assert len(firsts) == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"answer": "Valdas Adamkus"}, "answer 'Valdas Adamkus' is not one of the options"),
        ({"options": ["Kaunas"], "answer": "Kaunas"}, "at least 2"),
        ({"options": [str(n) for n in range(9)], "answer": "1"}, "at most 8"),
        ({"options": ["Kaunas", "kaunas"], "answer": "Kaunas"}, "option 'kaunas' is listed twice"),
        ({"options": ["Kaunas", True], "answer": "Kaunas"}, "reads as a boolean"),
        ({"anwser": "Kaunas"}, "Extra inputs are not permitted"),
    ],
)
def test_the_spec_refuses_an_inconsistent_question(change, message):
    with pytest.raises(ValidationError, match=message):
        choice.Spec.model_validate({**QUESTIONS["government-in-exile"], **change})


def test_the_scoring_rule_is_stated_for_the_learner():
    assert "1" in choice.SCORING_RULE and "0" in choice.SCORING_RULE


# Optional fields for questions such as Moodle's: credit and feedback per option.

HOMETOWN = {
    "id": "hometown",
    "type": "choice",
    "prompt": "Jesus Christ was from _____.",
    "options": ["Jerusalem", "Bethlehem", "Galilee", "Nazareth"],
    "answer": "Nazareth",
    "credit": {"Bethlehem": 0.25, "Galilee": 0.5},
    "feedback": {"Galilee": "You need to be more specific.", "Nazareth": "Yes!"},
}


@pytest.mark.parametrize(
    ("response", "fraction"),
    [("Nazareth", 1.0), ("Galilee", 0.5), ("Bethlehem", 0.25), ("Jerusalem", 0.0)],
)
def test_credit_gives_other_options_part_of_the_marks(response, fraction):
    assert choice.Choice.grade(HOMETOWN, response).fraction == fraction


def test_an_options_feedback_follows_the_verdict():
    assert choice.Choice.grade(HOMETOWN, "Galilee").feedback == (
        "Partly right: 50% of the marks. You need to be more specific."
    )
    assert choice.Choice.grade(HOMETOWN, "Nazareth").feedback == "Correct. Yes!"
    assert choice.Choice.grade(HOMETOWN, "Jerusalem").feedback == "Not this one."


def test_full_credit_on_another_option_makes_it_right_too():
    seasons = {**HOMETOWN, "credit": {"Galilee": 1.0}, "feedback": None}
    assert choice.Choice.grade(seasons, "Galilee") == choice.Grade(1.0, "Correct.")


def test_a_question_without_the_new_fields_dumps_without_them():
    dumped = choice.Spec.model_validate(HEAD_OF_STATE).model_dump(exclude_none=True)
    assert "credit" not in dumped and "feedback" not in dumped


def test_the_scoring_rule_mentions_part_marks_only_when_there_are_some():
    assert choice.Choice.scoring_rule(HEAD_OF_STATE) == choice.SCORING_RULE
    assert "part of the marks" in choice.Choice.scoring_rule(HOMETOWN)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"credit": {"Rome": 0.5}}, "credit for 'Rome', which is not one of the options"),
        ({"credit": {"Nazareth": 0.5}}, "credit for the answer 'Nazareth'"),
        ({"credit": {"Galilee": 1.5}}, "less than or equal to 1"),
        ({"credit": {"Galilee": -0.5}}, "greater than or equal to 0"),
        ({"feedback": {"Rome": "No."}}, "feedback for 'Rome', which is not one of the options"),
    ],
)
def test_credit_and_feedback_must_name_options(change, message):
    with pytest.raises(ValidationError, match=message):
        choice.Spec.model_validate({**HOMETOWN, **change})
