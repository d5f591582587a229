"""Question banks for the benchmark, made from the bundled ones: same content, more of it.

Every generated question is a bundled question under a new id, so every quote is
still in the source and the banks load through the real loader, checks and all.
"""

from __future__ import annotations

import copy
import functools
import random
from typing import Any

import yaml

from quizapp.banks.loader import load_bank_files
from quizapp.config import Defaults

SOURCE = "belarus-lithuania-relations"
#: The small banks: one quiz each.
SMALL_BANKS = 50
SMALL_BANK_SIZE = 20
BIG_BANK = "big"
BIG_BANK_SIZE = 5_000


@functools.cache
def bundled_questions() -> tuple[dict[str, Any], ...]:
    """Return every question of the bundled banks, in file order, without `excludes`: it
    names questions by their bundled ids, which the benchmark's banks change."""
    banks = load_bank_files([Defaults.QUESTIONS_DIR], sources_dir=Defaults.SEEDS_DIR)
    return tuple(
        {field: value for field, value in question.items() if field != "excludes"}
        for bank in banks
        for question in bank.questions
    )


def renamed(question: dict[str, Any], new_id: str) -> dict[str, Any]:
    """Return a copy of a bundled question under a new id.

    Its `excludes` name other questions by their bundled ids, which the copies do not
    keep: they are left out (a family, a name of its own, still keeps its kin apart).
    """
    copied = copy.deepcopy(question)
    copied["id"] = new_id
    copied.pop("excludes", None)
    return copied


def bank_yaml(slug: str, title: str, questions: list[dict[str, Any]]) -> str:
    """Write a bank file as a teacher would keep it: YAML, in the documented shape."""
    bank = {
        "bank": slug,
        "title": title,
        "description": f"Benchmark bank {slug}: {len(questions)} questions.",
        "source": SOURCE,
        "questions": questions,
    }
    return yaml.safe_dump(bank, allow_unicode=True, sort_keys=False, width=100)


def small_bank_slug(number: int) -> str:
    return f"quiz-{number:02d}"


def small_banks(seed: str) -> list[tuple[str, str]]:
    """Return (slug, YAML) of the 50 small banks: 20 bundled questions each, drawn at random."""
    rng = random.Random(f"{seed}-small-banks")
    pool = list(bundled_questions())
    banks = []
    for number in range(1, SMALL_BANKS + 1):
        slug = small_bank_slug(number)
        # Two bundled banks may use one id: a number in front keeps ids unique.
        questions = [
            renamed(question, f"q{index:02d}-{question['id']}")
            for index, question in enumerate(rng.sample(pool, SMALL_BANK_SIZE), start=1)
        ]
        banks.append((slug, bank_yaml(slug, f"Benchmark quiz {number:02d}", questions)))
    return banks


def big_bank(size: int = BIG_BANK_SIZE) -> str:
    """Return the YAML of one bank of `size` questions: the bundled ones again and again."""
    pool = bundled_questions()
    questions = []
    for index in range(size):
        # A copy each time: YAML would write a shared list as an anchor, which banks refuse.
        question = pool[index % len(pool)]
        questions.append(renamed(question, f"q{index + 1:04d}-{question['id']}"))
    return bank_yaml(BIG_BANK, f"Every question, {size:,} times over", questions)


#: The bank of the 50-question pool an assignment start is compared on.
POOL_BANK = "pool-50"
POOL_BANK_SIZE = 50


def pool_bank(seed: str) -> tuple[str, str]:
    """Return (slug, YAML) of a bank of 50 bundled questions, drawn at random."""
    rng = random.Random(f"{seed}-pool-bank")
    questions = [
        renamed(question, f"p{index:02d}-{question['id']}")
        for index, question in enumerate(
            rng.sample(list(bundled_questions()), POOL_BANK_SIZE), start=1
        )
    ]
    return POOL_BANK, bank_yaml(POOL_BANK, "A pool of 50 questions", questions)
