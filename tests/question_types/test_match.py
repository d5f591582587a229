"""The match type: pair each left item with its right item; partial credit per pair."""

import random
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from quizapp.question_types import match

BANK = Path(__file__).parents[1] / "fixtures" / "banks" / "match.yaml"
QUESTIONS = {q["id"]: q for q in yaml.safe_load(BANK.read_text(encoding="utf-8"))["questions"]}
MISSIONS = QUESTIONS["diplomatic-missions"]
RIGHT = dict(MISSIONS["pairs"])


def test_every_fixture_question_is_a_valid_match_spec():
    for question in QUESTIONS.values():
        match.Spec.model_validate(question)


def test_every_pair_matched_scores_full_marks():
    assert match.Match.grade(MISSIONS, RIGHT) == match.Grade(1.0, "Correct: every pair matches.")


@pytest.mark.parametrize(
    ("changes", "fraction"),
    [
        ({"Embassy of Belarus": "Klaipėda", "Consulate-general of Belarus": "Vilnius"}, 0.5),
        ({"Embassy of Lithuania": "Grodno"}, 0.75),
        ({"Embassy of Lithuania": None}, 0.75),
        ({left: "Kaunas" for left in RIGHT}, 0.0),
    ],
)
def test_the_score_is_the_share_of_lefts_matched_to_their_right(changes, fraction):
    assert match.Match.grade(MISSIONS, {**RIGHT, **changes}).fraction == fraction


def test_an_unmatched_left_counts_as_wrong():
    partial = {"Embassy of Belarus": "Vilnius"}
    assert match.Match.grade(MISSIONS, partial) == match.Grade(0.25, "1 of 4 pairs match.")


def test_unknown_keys_are_ignored():
    assert (
        match.Match.grade(MISSIONS, {**RIGHT, "Embassy of Poland": "Minsk", 7: []}).fraction == 1.0
    )


def test_surrounding_spaces_in_a_chosen_right_do_not_matter():
    assert match.Match.grade(MISSIONS, {**RIGHT, "Embassy of Belarus": " Vilnius "}).fraction == 1.0


@pytest.mark.parametrize("response", [None, list(RIGHT.items()), "Vilnius", 4])
def test_a_response_that_is_not_a_dict_scores_nothing_and_says_so(response):
    result = match.Match.grade(MISSIONS, response)
    assert result.fraction == 0.0
    assert "match each item" in result.feedback


def test_the_answer_text_lists_the_pairs():
    assert match.Match.answer_text(QUESTIONS["who-was-who"]) == (
        "Sviatlana Tsikhanouskaya → Belarusian opposition candidate; "
        "Ales Bialiatski → Belarusian human-rights activist; "
        "Vladimir Uskhopchik → Coup-leader"
    )


def test_present_keeps_the_lefts_in_file_order_and_shuffles_the_rights():
    orders = set()
    for seed in range(30):
        shown = match.Match.present(MISSIONS, random.Random(seed))
        assert list(shown) == ["lefts", "rights"]
        assert shown["lefts"] == list(RIGHT)
        assert sorted(shown["rights"]) == sorted(RIGHT.values())
        orders.add(tuple(shown["rights"]))
    assert len(orders) > 1


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ({"Embassy of Belarus": "Vilnius"}, "at least 2"),
        ({str(n): f"right {n}" for n in range(9)}, "at most 8"),
        (
            {"Embassy": "Vilnius", "Consulate": "Vilnius"},
            "right item 'Vilnius' is the match of two",
        ),
        ({"Embassy": "Vilnius", "embassy": "Minsk"}, "left item 'embassy' appears twice"),
        ({"Embassy": "Vilnius", "Consulate": True}, "reads as a boolean"),
        (["Embassy", "Vilnius"], "valid dictionary"),
    ],
)
def test_the_spec_refuses_an_inconsistent_question(pairs, message):
    with pytest.raises(ValidationError, match=message):
        match.Spec.model_validate({**MISSIONS, "pairs": pairs})


def test_the_scoring_rule_explains_partial_credit():
    assert "share" in match.SCORING_RULE


CAPITALS = {
    "id": "capitals",
    "type": "match",
    "prompt": "Match each country to its capital.",
    "pairs": {"Canada": "Ottawa", "Italy": "Rome"},
    "distractors": ["Madrid", "Toronto"],
}


def test_distractors_are_shown_among_the_rights_and_match_nothing():
    shown = match.Match.present(CAPITALS, random.Random(1))
    assert shown["lefts"] == ["Canada", "Italy"]
    assert sorted(shown["rights"]) == ["Madrid", "Ottawa", "Rome", "Toronto"]
    assert match.Match.grade(CAPITALS, {"Canada": "Ottawa", "Italy": "Rome"}).fraction == 1.0
    assert match.Match.grade(CAPITALS, {"Canada": "Toronto", "Italy": "Rome"}).fraction == 0.5


def test_without_distractors_the_rights_are_shuffled_as_before():
    plain = {key: value for key, value in CAPITALS.items() if key != "distractors"}
    assert match.Match.present(plain, random.Random(7)) == {
        "lefts": ["Canada", "Italy"],
        "rights": random.Random(7).sample(["Ottawa", "Rome"], 2),
    }


@pytest.mark.parametrize("distractors", [["Rome"], ["Madrid", "madrid"]])
def test_a_distractor_is_neither_a_right_item_nor_listed_twice(distractors):
    with pytest.raises(ValidationError, match="is listed twice on the right"):
        match.Spec.model_validate({**CAPITALS, "distractors": distractors})
