"""Any input to the bank loader and the GIFT parser ends in a bank or their own error."""

from __future__ import annotations

import contextlib
import json

import yaml
from fuzz.strategies import YAML_SPECIAL, json_values, syntax_text
from hypothesis import example, given
from hypothesis import strategies as st

from quizapp.banks.gift import GiftError, GiftImport, parse_gift
from quizapp.banks.loader import BankError, LoadedBank, load_bank

VALID = {
    "bank": "fuzz",
    "title": "Fuzz",
    "questions": [
        {"id": "q1", "type": "choice", "prompt": "Which?", "options": ["A", "B"], "answer": "A"},
        {"id": "q2", "type": "number", "prompt": "How many?", "answer": 680, "tolerance": "5%"},
        {"id": "q3", "type": "match", "prompt": "Match.", "pairs": {"a": "b", "c": "d"}},
        {"id": "q4", "type": "date", "prompt": "When?", "answer": "1991-10-24"},
    ],
}


def loads(data: bytes, name: str = "fuzz.yaml") -> LoadedBank | None:
    """Load data; a BankError is an answer too (None), any other exception fails the test."""
    try:
        bank = load_bank(data, name, sources_dir=None)
    except BankError as exc:
        assert exc.issues, "a BankError names at least one issue"
        assert all(str(issue) for issue in exc.issues)
        return None
    assert isinstance(bank, LoadedBank)
    return bank


@given(syntax_text)
def test_any_text_gives_a_bank_or_a_bank_error(text):
    loads(text.encode("utf-8", "surrogatepass"))


@given(st.binary(max_size=600))
def test_any_bytes_give_a_bank_or_a_bank_error(data):
    loads(data)
    loads(data, "fuzz.json")


@given(json_values)
def test_any_document_shape_gives_a_bank_or_a_bank_error(value):
    loads(yaml.safe_dump(value, allow_unicode=True).encode())
    loads(json.dumps(value).encode(), "fuzz.json")


def _replace(document, path: list, value):
    """A copy of document with the value at path (indices taken modulo length) replaced."""
    if not path or not isinstance(document, (dict, list)) or not document:
        return value
    step, rest = path[0], path[1:]
    if isinstance(document, dict):
        key = sorted(document, key=str)[step % len(document)]
        return {**document, key: _replace(document[key], rest, value)}
    index = step % len(document)
    return [*document[:index], _replace(document[index], rest, value), *document[index + 1 :]]


@given(st.lists(st.integers(0, 10), max_size=4), json_values)
@example(path=[1, 0, 1], value=[])  # an id that is a list: found by a random run
def test_a_valid_bank_with_any_one_value_replaced_gives_a_bank_or_a_bank_error(path, value):
    loads(yaml.safe_dump(_replace(VALID, path, value), allow_unicode=True).encode())


@given(st.lists(st.sampled_from(YAML_SPECIAL), min_size=1, max_size=8))
def test_yaml_special_words_as_question_text_give_a_bank_or_a_bank_error(words):
    document = yaml.safe_dump(VALID, allow_unicode=True)
    for word in words:
        document = document.replace("Which?", word, 1).replace("A\n", f"{word}\n", 1)
    loads(document.encode())


@given(syntax_text)
def test_any_text_given_to_the_gift_parser_gives_questions_or_a_gift_error(text):
    try:
        result = parse_gift(
            text.encode("utf-8", "surrogatepass"), "fuzz.gift", bank="fuzz", title="Fuzz"
        )
    except GiftError as exc:
        assert exc.issues
        return
    assert isinstance(result, GiftImport)


@given(st.binary(max_size=400))
def test_any_bytes_given_to_the_gift_parser_give_questions_or_a_gift_error(data):
    with contextlib.suppress(GiftError):
        parse_gift(data, "fuzz.gift", bank="fuzz", title="Fuzz")
