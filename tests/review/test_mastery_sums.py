"""The database sums mastery per bank and per tag: the figures are those of the formula
worked out card by card in Python, with FSRS's own recall, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from drive import make_user
from review.history import DAY, load_tiny_bank, practise, sit_test

from quizapp.attempts.visibility import held_questions
from quizapp.extensions import db
from quizapp.models import Question, ReviewCard
from quizapp.progress.stats import learner_figures
from quizapp.review.mastery import mastery_report, question_mastery
from quizapp.review.scheduling import SCHEDULER

NOW = dt.datetime(2026, 3, 11, 9, 0)
MICROSECOND = dt.timedelta(microseconds=1)


def card_by_card(user_id: int, now: dt.datetime) -> tuple[dict, dict, dict]:
    """Work out mastery directly: each card's recent score × FSRS's retrievability, then
    the mean per bank and per tag, leaving out what a test holds back and retired
    questions. Return (per question, per bank, per tag), a topic as (answered, mean)."""
    held = held_questions(user_id, now=now)
    questions: dict[int, float] = {}
    by_bank: dict[str, list[float]] = defaultdict(list)
    by_tag: dict[str, list[float]] = defaultdict(list)
    for card in db.session.scalars(db.select(ReviewCard).where(ReviewCard.user_id == user_id)):
        question = db.session.get(Question, card.question_id)
        if question.retired_at is not None or question.id in held:
            continue
        value = questions[question.id] = question_mastery(card, now)
        by_bank[question.bank.slug].append(value)
        for tag in dict.fromkeys(question.current_version.spec.get("tags") or []):
            by_tag[tag].append(value)

    def means(values: dict[str, list[float]]) -> dict[str, tuple[int, float]]:
        return {k: (len(v), pytest.approx(sum(v) / len(v), rel=1e-12)) for k, v in values.items()}

    return questions, means(by_bank), means(by_tag)


def shown(report) -> tuple[dict, dict, dict]:
    banks = {t.key: (t.answered, t.mastery) for t in report.banks if t.answered}
    tags = {t.key: (t.answered, t.mastery) for t in report.tags}
    return report.mastery, banks, tags


def varied_history(user_id: int) -> None:
    """Right, wrong and partly right answers, some repeated, over two months."""
    practise(user_id, {"a": 1, "b": 0, "c": 0.5, "d": 1, "e": 0}, NOW - 60 * DAY)
    practise(user_id, {"a": 1, "c": 1, "e": 0.5, "f": 1}, NOW - 31 * DAY - 5 * MICROSECOND)
    practise(user_id, {"a": 0, "g": 1, "h": 0.5}, NOW - 9 * DAY + dt.timedelta(hours=3))
    practise(user_id, {"a": 1, "b": 0.5, "i": 1}, NOW - 2 * DAY)
    practise(user_id, {"c": 0, "j": 1, "k": 0}, NOW - dt.timedelta(hours=20))


@pytest.mark.parametrize("days_later", [0, 1, 3, 30, 400])
def test_bank_and_tag_figures_equal_the_formula_worked_out_card_by_card(
    ctx, tiny, lena, days_later
):
    varied_history(lena)
    now = NOW + days_later * DAY
    expected = card_by_card(lena, now)
    questions, banks, tags = shown(mastery_report(lena, now))
    assert questions == pytest.approx(expected[0], rel=1e-12)
    assert (banks, tags) == expected[1:]
    page = learner_figures(lena, now).mastery
    assert shown(page)[1:] == expected[1:], "the progress page shows the same figures"


def test_a_question_a_test_holds_back_leaves_its_bank_and_tags(ctx, tiny, lena):
    varied_history(lena)
    before = card_by_card(lena, NOW)
    sit_test(lena, {"a": 1, "d": 1}, NOW - dt.timedelta(minutes=5), finish=False)
    assert held_questions(lena, now=NOW) == {tiny["a"], tiny["d"]}
    questions, banks, tags = shown(mastery_report(lena, NOW))
    assert tiny["a"] not in questions and tiny["d"] not in questions
    assert (banks, tags) == card_by_card(lena, NOW)[1:]
    assert banks["tiny"][0] == before[1]["tiny"][0] - 2
    assert tags["alpha"][0] == 1  # b alone: a is held back
    assert "beta" in tags and tags["beta"][0] == 1  # c alone: d is held back
    assert shown(learner_figures(lena, NOW).mastery)[1:] == (banks, tags)


def test_another_learners_cards_and_retired_questions_count_for_nothing(ctx, tiny, lena):
    varied_history(lena)
    practise(make_user("olek").id, {"a": 0, "b": 0, "l": 0}, NOW - DAY)
    retagged = {"a": "alpha", "b": "alpha", "c": "beta", "d": "beta"}
    load_tiny_bank(
        "bank: tiny\ntitle: Tiny dates\nquestions:\n"
        + "".join(
            f'  - {{id: {s}, type: date, prompt: "Year of {s.upper()}?", '
            f'answer: "{2000 + n}", tags: [{tag}]}}\n'
            for n, (s, tag) in enumerate(retagged.items(), 1)
        )
    )  # e to l retired; a to d with new tags
    questions, banks, tags = shown(mastery_report(lena, NOW))
    assert set(questions) == {tiny[s] for s in "abcd"}
    assert set(tags) == {"alpha", "beta"}
    assert (banks, tags) == card_by_card(lena, NOW)[1:]


@pytest.mark.parametrize(
    ("reviewed_before_now", "whole_days"),
    [
        (2 * DAY, 2),
        (2 * DAY - MICROSECOND, 1),  # a microsecond short of two days is one whole day
        (2 * DAY - dt.timedelta(microseconds=400), 1),  # finer than SQLite's julianday()
        (2 * DAY + MICROSECOND, 2),
        (DAY - MICROSECOND, 0),
        (-DAY, 0),  # an answer stamped after "now" (clocks of two workers): none
    ],
)
def test_recall_counts_whole_days_since_the_review_to_the_microsecond(
    ctx, tiny, lena, reviewed_before_now, whole_days
):
    practise(lena, {"a": 1}, NOW - reviewed_before_now)
    stability = SCHEDULER.parameters[2]  # a new question answered right
    decay = SCHEDULER.parameters[20]
    recall = (1 + (0.9 ** (-1 / decay) - 1) * whole_days / stability) ** -decay
    (bank,) = mastery_report(lena, NOW).banks
    assert bank.mastery == pytest.approx(recall, rel=1e-12)
    assert bank.mastery == pytest.approx(card_by_card(lena, NOW)[1]["tiny"][1])
