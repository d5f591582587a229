"""A learner's history written at fixed times through the quiz engine, for review tests.

The questions are date questions of a small bank, so that any credit can be given on
purpose: the answer itself (1), one year off (0.5), or 1066 (0).
"""

from __future__ import annotations

import datetime as dt

from drive import bank_quiz

from quizapp.attempts import answering, drawing
from quizapp.banks.loader import load_bank
from quizapp.banks.sync import sync_bank
from quizapp.extensions import db
from quizapp.models import Attempt, Question

DAY = dt.timedelta(days=1)
#: "Now" in these tests: a morning, so that "yesterday afternoon" is less than a day ago.
TODAY = dt.datetime(2026, 3, 11, 9, 0)
YESTERDAY = TODAY - DAY + dt.timedelta(hours=6)  # 10 March, 15:00 UTC

TINY_BANK = """\
bank: tiny
title: Tiny dates
questions:
  - {id: a, type: date, prompt: "Year of A?", answer: "2001", tags: [alpha, shared]}
  - {id: b, type: date, prompt: "Year of B?", answer: "2002", tags: [alpha]}
  - {id: c, type: date, prompt: "Year of C?", answer: "2003", tags: [beta, shared]}
  - {id: d, type: date, prompt: "Year of D?", answer: "2004", tags: [beta]}
  - {id: e, type: date, prompt: "Year of E?", answer: "2005", tags: [gamma]}
  - {id: f, type: date, prompt: "Year of F?", answer: "2006", tags: [gamma]}
  - {id: g, type: date, prompt: "Year of G?", answer: "2007", tags: [delta]}
  - {id: h, type: date, prompt: "Year of H?", answer: "2008", tags: [delta]}
  - {id: i, type: date, prompt: "Year of I?", answer: "2009", tags: [epsilon]}
  - {id: j, type: date, prompt: "Year of J?", answer: "2010", tags: [epsilon]}
  - {id: k, type: date, prompt: "Year of K?", answer: "2011", tags: [zeta]}
  - {id: l, type: date, prompt: "Year of L?", answer: "2012", tags: [zeta]}
"""


def load_tiny_bank(text: str = TINY_BANK) -> dict[str, int]:
    """Load (or update) the tiny bank; return its question ids by slug."""
    sync_bank(load_bank(text.encode(), "tiny.yaml", sources_dir=None))
    db.session.commit()
    return {q.slug: q.id for q in db.session.scalars(db.select(Question))}


def value_for(year: str, credit: float) -> str:
    """Return an answer to a year question that earns `credit` (1, 0.5 or 0)."""
    if credit == 1:
        return year
    if credit == 0.5:
        return str(int(year) + 1)
    assert credit == 0
    return "1066"


def _attempt(user_id, slugs, mode, when, guest_key=None) -> Attempt:
    questions = {q.slug: q for q in db.session.scalars(db.select(Question))}
    versions = [questions[slug].current_version_id for slug in slugs]
    return drawing.create_attempt(
        bank_quiz("tiny"),
        "Tiny dates",
        versions,
        mode,
        user_id=user_id,
        guest_key=guest_key,
        now=when,
    )


def practise(
    user_id: int | None, credits: dict[str, float], when: dt.datetime, guest_key=None
) -> Attempt:
    """Answer the questions in practice mode at `when`, each for the credit given."""
    attempt = _attempt(user_id, list(credits), "practice", when, guest_key)
    for item in attempt.items:
        year = item.version.spec["answer"]
        answering.record_answer(
            attempt, item, value_for(year, credits[item.version.question.slug]), when
        )
    attempt.finish(when)
    db.session.commit()
    return attempt


def sit_test(
    user_id: int | None,
    credits: dict[str, float | None],
    when: dt.datetime,
    *,
    finish: bool = True,
) -> Attempt:
    """Answer a test at `when` (None leaves a question unanswered) and finish it then."""
    attempt = _attempt(user_id, list(credits), "test", when)
    for item in attempt.items:
        credit = credits[item.version.question.slug]
        if credit is not None:
            year = item.version.spec["answer"]
            answering.record_answer(attempt, item, value_for(year, credit), when)
    if finish:
        attempt.finish(when)
    db.session.commit()
    return attempt
