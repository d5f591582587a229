"""Every bundled question can be answered right, and wrong, through its page's input."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from drive import right_form, wrong_form
from werkzeug.datastructures import MultiDict

from quizapp.banks.loader import load_bank_files
from quizapp.grading import grade
from quizapp.question_types import TYPES

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = [
    question
    for bank in load_bank_files([ROOT / "questions"], sources_dir=ROOT / "seeds")
    for question in bank.questions
]


def submit(question: dict, form: dict, seed: int) -> float:
    view = TYPES[question["type"]].present(question, random.Random(seed))
    fields = MultiDict()
    for name, value in form(question, view).items():
        for one in value if isinstance(value, list) else [value]:
            fields.add(name, one)
    value, error = TYPES[question["type"]].read_form(view, fields)
    assert error is None
    return grade(question, value).fraction


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q["id"])
def test_the_right_answer_typed_into_the_page_scores_full_credit(question):
    assert submit(question, right_form, seed=7) == 1.0


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q["id"])
def test_a_wrong_answer_typed_into_the_page_scores_no_credit(question):
    assert submit(question, wrong_form, seed=7) == 0.0
