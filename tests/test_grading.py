"""grading.grade: one pure entry point that delegates to the type and never raises."""

import logging
import random
from collections import OrderedDict
from pathlib import Path

import pytest
import yaml
from pydantic import TypeAdapter

from quizapp import grading
from quizapp.question_types import TYPES, QuestionUnion
from quizapp.question_types.base import Grade

BANKS = Path(__file__).parent / "fixtures" / "banks"
SOURCE = Path(__file__).parents[1] / "seeds" / "belarus-lithuania-relations.txt"
ALL_TYPES = [
    "choice", "multi", "truefalse", "text", "number", "date", "order", "match", "cloze",
]  # fmt: skip


def load_bank(kind):
    return yaml.safe_load((BANKS / f"{kind}.yaml").read_text(encoding="utf-8"))


QUESTIONS = [
    pytest.param(question, id=f"{kind}/{question['id']}")
    for kind in ALL_TYPES
    for question in load_bank(kind)["questions"]
]


class Unprintable:
    def __str__(self):
        raise RuntimeError("no text here")

    __repr__ = __str__


HOSTILE_RESPONSES = [
    pytest.param(response, id=name)
    for name, response in {
        "none": None,
        "true": True,
        "false": False,
        "zero": 0,
        "negative": -1,
        "huge int": 10**400,
        "unprintable int": 10**5000,
        "float": 1.5,
        "nan": float("nan"),
        "infinity": float("inf"),
        "bytes": b"Vilnius",
        "bytearray": bytearray(b"1991"),
        "empty string": "",
        "spaces": "   \t\n",
        "nul": "\x00",
        "lone surrogate": "\ud800",
        "emoji": "🇱🇹🇧🇾",
        "arabic digits": "١٩٩١",
        "timezone": "24 October 1991 10:00 EST",
        "huge digits": "9" * 5000,
        "megabyte": "Vilnius " * 131_072,
        "empty list": [],
        "list of none": [None, None],
        "nested list": [["Vilnius"], {"a": 1}],
        "long list": list(range(10_000)),
        "long list of strings": ["Vilnius"] * 100_000,
        "empty dict": {},
        "dict of junk": {None: None, 1: [], "x": {}},
        "ordered dict": OrderedDict(a="b"),
        "set": {"Vilnius"},
        "tuple": ("Minsk", "Kaunas"),
        "object": object(),
        "unprintable": Unprintable(),
        "type": str,
        "function": print,
    }.items()
]


@pytest.mark.parametrize("response", HOSTILE_RESPONSES)
@pytest.mark.parametrize("question", QUESTIONS)
def test_grading_never_raises_and_keeps_the_fraction_between_0_and_1(question, response, caplog):
    with caplog.at_level(logging.ERROR):
        result = grading.grade(question, response)
    assert not caplog.records, "the type's own grader raised"
    assert isinstance(result, Grade)
    assert 0.0 <= result.fraction <= 1.0
    assert isinstance(result.feedback, str) and result.feedback


@pytest.mark.parametrize(
    ("kind", "question_id", "response"),
    [
        ("choice", "government-in-exile", "Kaunas"),
        ("multi", "belarusian-missions-in-lithuania", ["Vilnius", "Klaipėda"]),
        ("truefalse", "early-recognition", "true"),
        ("text", "not-legitimate", "Nauseda"),
        ("number", "common-border", "680 km"),
        ("date", "diplomatic-relations", "24.10.1991"),
        ("order", "mutual-recognition", [
            "Lithuania recognizes the independence of Belarus",
            "Belarus recognizes the independence of Lithuania",
        ]),
        ("match", "who-was-who", {
            "Sviatlana Tsikhanouskaya": "Belarusian opposition candidate",
            "Ales Bialiatski": "Belarusian human-rights activist",
            "Vladimir Uskhopchik": "Coup-leader",
        }),
    ],
)  # fmt: skip
def test_grading_delegates_to_the_questions_type(kind, question_id, response):
    question = next(q for q in load_bank(kind)["questions"] if q["id"] == question_id)
    assert grading.grade(question, response).fraction == 1.0


@pytest.mark.parametrize("question", [{"id": "x", "type": "essay"}, {"id": "x"}, None, [], "q"])
def test_a_question_of_unknown_type_scores_nothing_and_is_logged(question, caplog):
    with caplog.at_level(logging.ERROR, logger="quizapp.grading"):
        result = grading.grade(question, "anything")
    assert result.fraction == 0.0
    assert "cannot be graded" in result.feedback
    assert "unknown type" in caplog.text


def test_a_defect_in_a_grader_scores_nothing_and_logs_the_exception(monkeypatch, caplog):
    def broken(question, response):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(TYPES["text"], "grade", broken)
    with caplog.at_level(logging.ERROR, logger="quizapp.grading"):
        result = grading.grade({"id": "q", "type": "text"}, "Vilnius")
    assert result.fraction == 0.0
    assert "went wrong" in result.feedback
    assert "ZeroDivisionError" in caplog.text


def test_a_question_that_breaks_its_spec_scores_nothing_and_is_logged(caplog):
    broken = {"id": "q", "type": "choice", "prompt": "?", "options": ["a"], "answer": "b"}
    with caplog.at_level(logging.ERROR, logger="quizapp.grading"):
        assert grading.grade(broken, "a").fraction == 0.0
    assert "ValidationError" in caplog.text


@pytest.mark.parametrize(("given", "clamped"), [(1.5, 1.0), (-0.2, 0.0), (float("nan"), 0.0)])
def test_a_fraction_out_of_range_is_clamped(monkeypatch, given, clamped):
    odd = classmethod(lambda cls, question, response: Grade(given, "odd"))
    monkeypatch.setattr(TYPES["text"], "grade", odd)
    assert grading.grade({"id": "q", "type": "text"}, "x").fraction == clamped


def test_the_registry_holds_the_nine_types_of_the_contract():
    assert sorted(TYPES) == sorted(ALL_TYPES)


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_fixture_question_loads_through_the_union_as_its_own_type(question):
    spec = TypeAdapter(QuestionUnion).validate_python(question)
    assert spec.type == question["type"]
    assert isinstance(spec, TYPES[question["type"]].Spec)


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_fixture_question_has_an_answer_text_and_a_public_view(question):
    module = TYPES[question["type"]]
    assert module.answer_text(question).strip()
    assert isinstance(module.present(question, random.Random(0)), dict)


@pytest.mark.parametrize("kind", ALL_TYPES)
def test_every_fixture_bank_quotes_the_source_verbatim(kind):
    bank = load_bank(kind)
    assert bank["bank"] == f"fixture-{kind}"
    assert bank["source"] == "belarus-lithuania-relations"
    source = " ".join(SOURCE.read_text(encoding="utf-8").split())
    for question in bank["questions"]:
        spec = TYPES[kind].Spec.model_validate(question)
        for quote in spec.quotes():
            assert " ".join(quote.split()) in source, f"{question['id']}: {quote}"
