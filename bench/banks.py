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
        questions = copy.deepcopy(rng.sample(pool, SMALL_BANK_SIZE))
        for index, question in enumerate(questions, start=1):
            # Two bundled banks may use one id: a number in front keeps ids unique.
            question["id"] = f"q{index:02d}-{question['id']}"
        banks.append((slug, bank_yaml(slug, f"Benchmark quiz {number:02d}", questions)))
    return banks


def big_bank(size: int = BIG_BANK_SIZE) -> str:
    """Return the YAML of one bank of `size` questions: the bundled ones again and again."""
    pool = bundled_questions()
    questions = []
    for index in range(size):
        # A copy each time: YAML would write a shared list as an anchor, which banks refuse.
        question = copy.deepcopy(pool[index % len(pool)])
        question["id"] = f"q{index + 1:04d}-{question['id']}"
        questions.append(question)
    return bank_yaml(BIG_BANK, f"Every question, {size:,} times over", questions)
