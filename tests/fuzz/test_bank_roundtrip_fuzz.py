"""A bank dumped with `dump_bank` and loaded again is the same bank, whatever its text."""

from __future__ import annotations

import json
from functools import cache

import yaml
from fuzz.strategies import YAML_SPECIAL
from fuzz.test_grading_fuzz import FIXTURES
from hypothesis import assume, given
from hypothesis import strategies as st

from quizapp.banks.loader import BankError, LoadedBank, dump_bank, load_bank, load_bank_files
from quizapp.config import PROJECT_ROOT

SOURCES = PROJECT_ROOT / "seeds"


@cache
def banks() -> list[LoadedBank]:
    return load_bank_files([PROJECT_ROOT / "questions", FIXTURES], sources_dir=SOURCES)


def roundtrip(bank: LoadedBank) -> LoadedBank:
    return load_bank(dump_bank(bank).encode("utf-8"), "dumped.yaml", sources_dir=SOURCES)


def test_every_bundled_and_fixture_bank_survives_a_round_trip():
    for bank in banks():
        assert roundtrip(bank) == bank, bank.slug


#: Text a teacher might write: any printable characters and the words YAML reads oddly.
odd_text = st.one_of(
    st.sampled_from(YAML_SPECIAL),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30),
)

# Fields holding words the learner sees; ids, types, numbers, dates and quotes keep theirs.
TEXT_FIELDS = ("prompt", "explanation", "options", "answers", "accept", "items")
TYPED_ANSWERS = ("choice", "text")


def rewrite(question: dict, before: str, after: str) -> dict:
    """Wrap every learner-visible text of a question the same way, so answers still match."""

    def wrap(text: str) -> str:
        return f"{before}{text}{after}"

    changed = dict(question)
    for name in TEXT_FIELDS:
        value = question.get(name)
        if isinstance(value, str):
            changed[name] = wrap(value)
        elif isinstance(value, list):
            changed[name] = [wrap(v) for v in value]
    if question["type"] in TYPED_ANSWERS:
        changed["answer"] = wrap(question["answer"])
    if question["type"] == "match":
        changed["pairs"] = {wrap(k): wrap(v) for k, v in question["pairs"].items()}
    return changed


@given(
    st.integers(min_value=0),
    odd_text,
    odd_text,
    odd_text,
    st.sampled_from(["yaml", "json"]),
)
def test_a_bank_with_odd_text_loads_dumps_and_loads_as_the_same_bank(
    index, before, after, title, form
):
    base = banks()[index % len(banks())]
    document = {
        "bank": base.slug,
        "title": title,
        "source": base.source,
        "questions": [rewrite(q, before, after) for q in base.questions[:6]],
    }
    data = (
        yaml.safe_dump(document, allow_unicode=True)
        if form == "yaml"
        else json.dumps(document, ensure_ascii=False)
    )
    try:
        loaded = load_bank(data.encode("utf-8"), f"odd.{form}", sources_dir=SOURCES)
    except BankError:
        assume(False)  # text the schema refuses (too long, duplicates after folding)
    assert roundtrip(loaded) == loaded
    assert roundtrip(roundtrip(loaded)) == loaded
