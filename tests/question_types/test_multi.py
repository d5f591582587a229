"""The multi type: several right options, partial credit for right picks minus wrong ones."""

import random
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from quizapp.question_types import multi

BANK = Path(__file__).parents[1] / "fixtures" / "banks" / "multi.yaml"
QUESTIONS = {q["id"]: q for q in yaml.safe_load(BANK.read_text(encoding="utf-8"))["questions"]}
MISSIONS = QUESTIONS["belarusian-missions-in-lithuania"]  # answers: Vilnius, Klaipėda
TOWNS = QUESTIONS["towns-transferred-in-1940"]  # answers: Švenčionys, Dieveniškės, Druskininkai


def test_every_fixture_question_is_a_valid_multi_spec():
    for question in QUESTIONS.values():
        multi.Spec.model_validate(question)


@pytest.mark.parametrize(
    ("response", "fraction"),
    [
        (["Vilnius", "Klaipėda"], 1.0),
        (("Klaipėda", "Vilnius"), 1.0),
        (["Vilnius"], 0.5),
        (["Vilnius", "Klaipėda", "Kaunas"], 0.5),
        (["Vilnius", "Kaunas"], 0.0),
        (["Kaunas", "Šiauliai"], 0.0),
        ([], 0.0),
    ],
)
def test_the_score_is_right_picks_minus_wrong_picks_over_the_answers(response, fraction):
    assert multi.Multi.grade(MISSIONS, response).fraction == fraction


@pytest.mark.parametrize(
    ("response", "fraction"),
    [
        (["Švenčionys", "Dieveniškės", "Druskininkai"], 1.0),
        (["Švenčionys", "Dieveniškės"], 2 / 3),
        (["Švenčionys", "Dieveniškės", "Grodno"], 1 / 3),
        (["Švenčionys", "Grodno", "Minsk"], 0.0),
    ],
)
def test_partial_credit_is_proportional_to_the_number_of_answers(response, fraction):
    assert multi.Multi.grade(TOWNS, response).fraction == pytest.approx(fraction)


def test_picking_every_option_earns_nothing_when_wrong_picks_cancel_right_ones():
    assert (
        multi.Multi.grade(MISSIONS, ["Vilnius", "Klaipėda", "Kaunas", "Šiauliai"]).fraction == 0.0
    )


def test_a_single_string_counts_as_a_one_item_list():
    assert multi.Multi.grade(MISSIONS, "Vilnius").fraction == 0.5


def test_a_repeated_pick_counts_once():
    assert multi.Multi.grade(MISSIONS, ["Vilnius", "Vilnius", " Vilnius "]).fraction == 0.5


def test_texts_that_are_not_options_are_ignored():
    assert multi.Multi.grade(MISSIONS, ["Vilnius", "Klaipėda", "Warsaw", 7, None]).fraction == 1.0


@pytest.mark.parametrize("response", [None, 3, {"Vilnius": True}, b"Vilnius"])
def test_a_response_that_is_not_a_list_scores_nothing_and_says_so(response):
    result = multi.Multi.grade(MISSIONS, response)
    assert result.fraction == 0.0
    assert "list" in result.feedback


def test_feedback_counts_right_and_wrong_picks():
    assert multi.Multi.grade(MISSIONS, ["Vilnius", "Kaunas"]).feedback.startswith(
        "1 of 2 right picks, 1 wrong pick"
    )


def test_the_answer_text_lists_the_right_options():
    assert multi.Multi.answer_text(MISSIONS) == "Vilnius, Klaipėda"


def test_present_shows_only_the_options_shuffled():
    shown = multi.Multi.present(TOWNS, random.Random(3))
    assert list(shown) == ["options"]
    assert sorted(shown["options"]) == sorted(TOWNS["options"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"answers": ["Warsaw"]}, "answer 'Warsaw' is not one of the options"),
        ({"answers": []}, "at least 1"),
        ({"answers": ["Vilnius", "Vilnius"]}, "answer 'Vilnius' is listed twice"),
        ({"options": ["Vilnius", "Vilnius"]}, "option 'Vilnius' is listed twice"),
        ({"options": ["Vilnius"], "answers": ["Vilnius"]}, "at least 2"),
    ],
)
def test_the_spec_refuses_an_inconsistent_question(change, message):
    with pytest.raises(ValidationError, match=message):
        multi.Spec.model_validate({**MISSIONS, **change})


def test_the_scoring_rule_explains_partial_credit():
    assert "wrong" in multi.SCORING_RULE


# Optional fields for questions such as Moodle's: weights and feedback per option.

ENTOMBED = {
    "id": "entombed",
    "type": "multi",
    "prompt": "What two people are entombed in Grant's tomb?",
    "options": ["No one", "Grant", "Grant's wife", "Grant's father"],
    "answers": ["Grant", "Grant's wife"],
    "weights": {"Grant": 0.5, "Grant's wife": 0.5, "No one": -1.0},
    "feedback": {"No one": "Grant is there.", "Grant": "Yes."},
}


@pytest.mark.parametrize(
    ("response", "fraction"),
    [
        (["Grant", "Grant's wife"], 1.0),
        (["Grant"], 0.5),
        (["Grant", "Grant's father"], 0.5),  # weight 0: neither helps nor hurts
        (["Grant", "Grant's wife", "Grant's father"], 1.0),
        (["Grant", "No one"], 0.0),  # never below 0
        ([], 0.0),
    ],
)
def test_weights_score_each_pick_by_its_weight(response, fraction):
    assert multi.Multi.grade(ENTOMBED, response).fraction == fraction


def test_weights_that_add_up_to_a_hair_under_one_are_full_marks():
    thirds = {
        **ENTOMBED,
        "answers": ["No one", "Grant", "Grant's wife"],
        "weights": dict.fromkeys(["No one", "Grant", "Grant's wife"], 0.3333333),
        "feedback": None,
    }
    result = multi.Multi.grade(thirds, ["No one", "Grant", "Grant's wife"])
    assert result == multi.Grade(1.0, "Correct: you found every right option.")


def test_the_feedback_of_every_picked_option_is_shown():
    result = multi.Multi.grade(ENTOMBED, ["Grant", "No one"])
    assert result.feedback.endswith("Grant is there. Yes.")


def test_without_weights_the_default_rule_still_applies_with_feedback():
    plain = {**ENTOMBED, "weights": None}
    assert multi.Multi.grade(plain, ["Grant", "Grant's father"]).fraction == 0.0
    assert multi.Multi.grade(plain, ["Grant"]).feedback.endswith("Yes.")
    assert multi.Multi.scoring_rule(plain) == multi.SCORING_RULE
    assert "share" in multi.Multi.scoring_rule(ENTOMBED)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"weights": {"Rome": 0.5}}, "weight for 'Rome', which is not one of the options"),
        ({"weights": {"Grant": 1.0}}, "answer 'Grant's wife' needs a positive weight"),
        (
            {"weights": {"Grant": 0.5, "Grant's wife": 0.5, "No one": 0.1}},
            "'No one' earns marks but is not an answer",
        ),
        ({"weights": {"Grant": 2.0, "Grant's wife": 0.5}}, "less than or equal to 1"),
        ({"feedback": {"Rome": "No."}}, "feedback for 'Rome', which is not one of the options"),
    ],
)
def test_weights_must_agree_with_the_answers(change, message):
    with pytest.raises(ValidationError, match=message):
        multi.Spec.model_validate({**ENTOMBED, **change})
