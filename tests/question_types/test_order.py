"""The order type: items to put in order, scored by the share of pairs in the right order."""

import math
import random
from collections import Counter
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from quizapp.question_types import order

BANK = Path(__file__).parents[1] / "fixtures" / "banks" / "order.yaml"
QUESTIONS = {q["id"]: q for q in yaml.safe_load(BANK.read_text(encoding="utf-8"))["questions"]}
STEPS = QUESTIONS["building-relations"]  # four items, six pairs
RECOGNITION = QUESTIONS["mutual-recognition"]  # two items
A, B, C, D = STEPS["items"]


def test_every_fixture_question_is_a_valid_order_spec():
    for question in QUESTIONS.values():
        order.Spec.model_validate(question)


@pytest.mark.parametrize(
    ("response", "fraction"),
    [
        ([A, B, C, D], 1.0),
        ([B, A, C, D], 5 / 6),  # one neighbouring swap breaks one pair of six
        ([A, B, D, C], 5 / 6),
        ([D, A, B, C], 3 / 6),  # the last item first breaks three pairs
        ([B, A, D, C], 4 / 6),
        ([D, C, B, A], 0.0),
    ],
)
def test_the_score_is_the_share_of_item_pairs_in_the_right_relative_order(response, fraction):
    assert order.Order.grade(STEPS, response).fraction == pytest.approx(fraction)


def test_feedback_counts_the_pairs_in_order():
    assert order.Order.grade(STEPS, [B, A, C, D]).feedback == "5 of 6 pairs are in the right order."


def test_surrounding_spaces_in_items_do_not_matter():
    assert order.Order.grade(STEPS, [f" {A}", B, C, f"{D}\n"]).fraction == 1.0


@pytest.mark.parametrize(
    "response",
    [
        [A, B, C],  # an item missing
        [A, B, C, D, D],  # an item twice
        [A, A, C, D],
        [A, B, C, "Border fence completed"],
        [A, B, C, None],
        [A, B, C, ["nested"]],
        (A + B + C + D),  # a string is not a list of items
        {A: 1, B: 2, C: 3, D: 4},
        None,
    ],
)
def test_anything_but_a_permutation_of_the_items_scores_nothing_and_says_so(response):
    assert order.Order.grade(STEPS, response) == order.Grade(
        0.0, "Please put every item in order, each once."
    )


def test_a_tuple_is_as_good_as_a_list():
    assert order.Order.grade(RECOGNITION, tuple(RECOGNITION["items"])).fraction == 1.0


def test_the_answer_text_joins_the_items_with_arrows():
    assert order.Order.answer_text(RECOGNITION) == (
        "Lithuania recognizes the independence of Belarus → "
        "Belarus recognizes the independence of Lithuania"
    )


@pytest.mark.parametrize("question", [STEPS, RECOGNITION], ids=["four items", "two items"])
def test_present_shows_every_item_once(question):
    for seed in range(100):
        shown = order.Order.present(question, random.Random(seed))
        assert list(shown) == ["items"]
        assert sorted(shown["items"]) == sorted(question["items"])


@pytest.mark.parametrize("size", [2, 3])
def test_a_short_order_cannot_be_solved_from_how_it_is_shown(size):
    """Every order is shown about as often, the correct one too: ruling it out would give
    a 2-item order away entirely, and a 3-item order in part."""
    question = {**STEPS, "items": STEPS["items"][:size]}
    seen = Counter(
        tuple(order.Order.present(question, random.Random(seed))["items"]) for seed in range(6000)
    )
    assert len(seen) == math.factorial(size)
    assert min(seen.values()) > 0.8 * 6000 / math.factorial(size)


def test_present_varies_the_shuffle():
    shown = {tuple(order.Order.present(STEPS, random.Random(seed))["items"]) for seed in range(100)}
    assert len(shown) > 5


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([A, B, A], f"order has a duplicate item '{A}'"),
        ([A], "at least 2"),
        ([str(n) for n in range(9)], "at most 8"),
    ],
)
def test_the_spec_refuses_an_inconsistent_question(items, message):
    with pytest.raises(ValidationError, match=message):
        order.Spec.model_validate({**STEPS, "items": items})


def test_the_scoring_rule_explains_partial_credit():
    assert "pairs" in order.SCORING_RULE
