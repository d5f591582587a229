"""The bundled banks in questions/: valid, quoting seeds/ word for word, and big enough.

Loading them checks every quote against its source document, so no bundled question
can state a fact the source does not.
"""

from __future__ import annotations

from collections import Counter

import pytest

from quizapp.banks import BankError, dump_bank, load_bank, load_bank_files
from quizapp.config import PROJECT_ROOT
from quizapp.question_types import TYPES

QUESTIONS = PROJECT_ROOT / "questions"
SEEDS = PROJECT_ROOT / "seeds"
BANKS = ("dates", "events", "people")


@pytest.fixture(scope="module")
def banks():
    try:
        return {bank.slug: bank for bank in load_bank_files([QUESTIONS], sources_dir=SEEDS)}
    except BankError as exc:
        pytest.fail(f"the bundled banks do not load:\n{exc}", pytrace=False)


def test_every_bundled_bank_loads_and_quotes_its_source(banks):
    assert sorted(banks) == sorted(BANKS)
    assert all(bank.source for bank in banks.values())


def test_there_are_at_least_150_questions(banks):
    assert sum(len(bank.questions) for bank in banks.values()) >= 150


@pytest.mark.parametrize("slug", BANKS)
def test_each_bank_has_at_least_40_questions(banks, slug):
    assert len(banks[slug].questions) >= 40


@pytest.mark.parametrize("type_name", sorted(TYPES))
def test_every_type_is_used_at_least_5_times(banks, type_name):
    used = Counter(q["type"] for bank in banks.values() for q in bank.questions)
    assert used[type_name] >= 5


@pytest.mark.parametrize("slug", BANKS)
def test_each_bank_written_back_as_yaml_loads_as_the_same_bank(banks, slug):
    again = load_bank(dump_bank(banks[slug]).encode(), f"{slug}.yaml", sources_dir=SEEDS)
    assert again == banks[slug]
