"""The truefalse type: a statement that is true or false."""

import random
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from quizapp.question_types import truefalse

BANK = Path(__file__).parents[1] / "fixtures" / "banks" / "truefalse.yaml"
QUESTIONS = {q["id"]: q for q in yaml.safe_load(BANK.read_text(encoding="utf-8"))["questions"]}
TRUE_STATEMENT = QUESTIONS["early-recognition"]
FALSE_STATEMENT = QUESTIONS["first-eu-leader-in-belarus"]


def test_every_fixture_question_is_a_valid_truefalse_spec():
    for question in QUESTIONS.values():
        truefalse.Spec.model_validate(question)


@pytest.mark.parametrize("response", [True, "true", "True", " TRUE \n"])
def test_true_is_right_for_a_true_statement(response):
    assert truefalse.TrueFalse.grade(TRUE_STATEMENT, response).fraction == 1.0


@pytest.mark.parametrize("response", [False, "false", "FALSE"])
def test_false_is_right_for_a_false_statement(response):
    assert truefalse.TrueFalse.grade(FALSE_STATEMENT, response).fraction == 1.0


def test_the_wrong_truth_value_scores_nothing_and_says_what_is_so():
    assert truefalse.TrueFalse.grade(FALSE_STATEMENT, True) == truefalse.Grade(
        0.0, "Not quite: the statement is false."
    )


@pytest.mark.parametrize("response", [1, 0, "yes", "t", "", None, [True], "true" * 1000])
def test_anything_but_true_or_false_scores_nothing_and_says_so(response):
    assert truefalse.TrueFalse.grade(TRUE_STATEMENT, response) == truefalse.Grade(
        0.0, "Please answer true or false."
    )


def test_the_answer_text_is_true_or_false():
    assert truefalse.TrueFalse.answer_text(TRUE_STATEMENT) == "True"
    assert truefalse.TrueFalse.answer_text(FALSE_STATEMENT) == "False"


def test_present_adds_nothing_to_the_prompt():
    assert truefalse.TrueFalse.present(TRUE_STATEMENT, random.Random(0)) == {}


@pytest.mark.parametrize("answer", ["true", 1, None])
def test_the_spec_wants_an_unquoted_true_or_false(answer):
    with pytest.raises(ValidationError, match="answer must be true or false"):
        truefalse.Spec.model_validate({**TRUE_STATEMENT, "answer": answer})


def test_feedback_for_a_right_and_a_wrong_answer_follows_the_verdict():
    question = {
        "id": "tomb",
        "type": "truefalse",
        "prompt": "Grant is buried in Grant's tomb.",
        "answer": False,
        "feedback": {"wrong": "No one is buried there.", "right": "Indeed."},
    }
    assert truefalse.TrueFalse.grade(question, False) == truefalse.Grade(1.0, "Correct. Indeed.")
    assert truefalse.TrueFalse.grade(question, "true").feedback.endswith(
        "false. No one is buried there."
    )
    with pytest.raises(ValidationError, match="Extra inputs"):
        truefalse.Spec.model_validate({**question, "feedback": {"maybe": "?"}})
