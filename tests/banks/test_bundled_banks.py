"""The bundled banks in questions/: valid, quoting seeds/ word for word, and big enough.

Loading them checks every quote against its source document, so no bundled question
can state a fact the source does not.
"""

from __future__ import annotations

from collections import Counter

import pytest
from banks.editorial import read_source

from quizapp.banks import BankError, dump_bank, load_bank, load_bank_files
from quizapp.banks.giveaways import find_giveaways
from quizapp.config import PROJECT_ROOT
from quizapp.question_types import TYPES

QUESTIONS = PROJECT_ROOT / "questions"
SEEDS = PROJECT_ROOT / "seeds"
BANKS = ("dates", "events", "people")
#: Most questions that may quote one sentence of the source.
MAX_PER_SENTENCE = 4


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


# ------------------------------------------------------------- editorial rules


def all_questions(banks) -> list[tuple[str, dict]]:
    return [(bank.slug, q) for bank in banks.values() for q in bank.questions]


def quotes(question: dict) -> list[str]:
    quote = question["quote"]
    return [quote] if isinstance(quote, str) else list(quote)


@pytest.fixture(scope="module")
def source():
    return read_source((SEEDS / "belarus-lithuania-relations.txt").read_text(encoding="utf-8"))


def test_no_question_of_one_bank_gives_away_another_questions_answer_undeclared(banks):
    assert [str(g) for g in find_giveaways(list(banks.values()))] == []


def test_question_ids_are_unique_across_the_bundled_banks(banks):
    ids = Counter(q["id"] for _, q in all_questions(banks))
    assert [qid for qid, count in ids.items() if count > 1] == []


def test_no_sentence_of_the_source_feeds_more_than_four_questions(banks, source):
    per_sentence: Counter[str] = Counter()
    for _, question in all_questions(banks):
        sentences = {s.start: s for quote in quotes(question) for s in source.sentences_of(quote)}
        per_sentence.update(s.text for s in sentences.values())
    assert [(text[:60], n) for text, n in per_sentence.most_common() if n > MAX_PER_SENTENCE] == []


def _weights(banks, source, key) -> Counter:
    """Each question's weight (1) spread over the paragraphs (or sections) it quotes."""
    weights: Counter = Counter()
    for _, question in all_questions(banks):
        places = {key(s) for quote in quotes(question) for s in source.sentences_of(quote)}
        for place in places:
            weights[place] += 1 / len(places)
    return weights


def test_no_paragraph_carries_far_more_questions_than_its_share_of_the_text(banks, source):
    asked = _weights(banks, source, lambda s: s.paragraph)
    total_words = sum(source.paragraph_words.values())
    total = sum(asked.values())
    crowded = {
        paragraph: round(asked[paragraph], 1)
        for paragraph, words in source.paragraph_words.items()
        if asked[paragraph] > max(4, 2 * total * words / total_words)
    }
    assert crowded == {}


def test_no_section_carries_far_more_questions_than_its_share_of_the_text(banks, source):
    asked = _weights(banks, source, lambda s: s.section)
    words = source.section_words()
    total, total_words = sum(asked.values()), sum(words.values())
    crowded = {
        section: (round(asked[section], 1), round(total * count / total_words, 1))
        for section, count in words.items()
        if asked[section] > max(4, 1.5 * total * count / total_words)
    }
    assert crowded == {}
