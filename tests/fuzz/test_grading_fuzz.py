"""`grade` gives a fraction in [0, 1] for any response of any shape, to every question."""

from __future__ import annotations

import logging
import math
from functools import cache
from pathlib import Path

from fuzz.strategies import json_values
from hypothesis import given
from hypothesis import strategies as st

from quizapp.banks.loader import load_bank_files
from quizapp.config import PROJECT_ROOT
from quizapp.grading import grade
from quizapp.question_types import TYPES
from quizapp.question_types.base import Grade

FIXTURES = Path(__file__).parent.parent / "fixtures" / "banks"


@cache
def all_questions() -> list[dict]:
    """Every question of the bundled banks and of the per-type fixture banks."""
    banks = load_bank_files(
        [PROJECT_ROOT / "questions", FIXTURES], sources_dir=PROJECT_ROOT / "seeds"
    )
    return [question for bank in banks for question in bank.questions]


questions = st.integers(min_value=0).map(lambda i: all_questions()[i % len(all_questions())])


def answer_like(question: dict):
    """Responses near the right shape: options, items and pairs of this question, mixed up."""
    words = [
        *question.get("options", []),
        *question.get("items", []),
        *question.get("pairs", {}),
        *question.get("pairs", {}).values(),
        str(question.get("answer", "")),
    ]
    word = st.sampled_from(words) if words else st.text()
    return st.one_of(
        word,
        st.lists(word, max_size=8),
        st.dictionaries(word, word, max_size=6),
        st.booleans(),
    )


class GraderFailures(logging.Handler):
    """Collect what `grade` logs when a type's grader raises (it then scores 0)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def check(question: dict, response: object) -> None:
    failures = GraderFailures()
    logger = logging.getLogger("quizapp.grading")
    logger.addHandler(failures)
    try:
        result = grade(question, response)
    finally:
        logger.removeHandler(failures)
    assert isinstance(result, Grade)
    assert isinstance(result.fraction, float) and not math.isnan(result.fraction)
    assert 0.0 <= result.fraction <= 1.0
    assert isinstance(result.feedback, str)
    # `grade` turns a crashing grader into a 0; the graders themselves must not crash.
    assert failures.records == [], [r.getMessage() for r in failures.records]


@given(questions, json_values)
def test_any_response_of_any_shape_gets_a_fraction_between_0_and_1(question, response):
    check(question, response)


@given(questions.flatmap(lambda q: st.tuples(st.just(q), answer_like(q))))
def test_responses_made_of_the_questions_own_words_get_a_fraction_between_0_and_1(pair):
    check(*pair)


@given(st.sampled_from(sorted(TYPES)), json_values)
def test_a_malformed_question_never_breaks_grading(kind, spec):
    question = {"type": kind, **spec} if isinstance(spec, dict) else {"type": kind}
    result = grade(question, "anything")
    assert 0.0 <= result.fraction <= 1.0


def test_every_type_has_questions_in_the_fuzzed_set():
    assert {q["type"] for q in all_questions()} == set(TYPES)


def test_the_right_answer_still_gets_full_credit():
    """The fuzzed grader is the real one: each question's own answer scores 1."""
    for question in all_questions():
        right = TYPES[question["type"]].correct_response(question)
        assert grade(question, right).fraction == 1.0, question["id"]
