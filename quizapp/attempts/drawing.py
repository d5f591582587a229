"""Drawing an attempt's questions: the quizzes on offer, their pools, the draw, and the
attempt made of what was drawn, shown once for good."""

from __future__ import annotations

import datetime as dt
import random
import weakref
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import insert

from quizapp.banks.families import KIN_COLUMNS, Apart, Kin, kin_of_row
from quizapp.extensions import db
from quizapp.models import (
    Attempt,
    AttemptItem,
    Bank,
    DrawnFrom,
    Question,
    QuestionVersion,
    QuizKind,
    utcnow,
)
from quizapp.question_types import TYPES

MODES = ("practice", "test")
MIXED = "mixed"


@dataclass(frozen=True)
class Quiz:
    """A quiz on offer: which banks its questions come from.

    `key` names it in the start form ("bank:<slug>", "mixed"); `drawn_from` is what its
    attempts record. `version` changes whenever the questions of its banks do (the
    latest of the banks' updated_at, which every sync that changes a question moves on).
    """

    key: str
    title: str
    drawn_from: DrawnFrom
    bank_ids: tuple[int, ...]
    version: dt.datetime | None = None


def available_quizzes() -> list[Quiz]:
    """Return a quiz per bundled bank, then the mixed quiz over all of them."""
    banks = db.session.execute(
        db.select(Bank.id, Bank.slug, Bank.title, Bank.updated_at)
        .where(Bank.owner_id.is_(None))
        .order_by(Bank.title)
    ).all()
    quizzes = [
        Quiz(f"bank:{b.slug}", b.title, DrawnFrom.bank(b.id), (b.id,), b.updated_at) for b in banks
    ]
    if len(banks) > 1:
        latest = max(b.updated_at for b in banks)
        every_bank = tuple(b.id for b in banks)
        mixed = DrawnFrom(QuizKind.MIXED)
        quizzes.append(Quiz(MIXED, "Mixed quiz", mixed, every_bank, latest))
    return quizzes


def find_quiz(key: str) -> Quiz | None:
    return next((q for q in available_quizzes() if q.key == key), None)


class PoolEntry(NamedTuple):
    """A question a quiz may draw: its current version, its type, and what keeps it apart."""

    version_id: int
    type: str
    kin: Kin | None = None
    question_id: int | None = None


def draw(pool: Sequence[tuple], count: int, rng: random.Random) -> list[int]:
    """Pick `count` version ids from pool entries (`PoolEntry`, or (id, type) pairs) with a
    spread of types, never two that are kept apart (see `quizapp.banks.families`).

    Types take turns, in random order, so that a ten-question quiz mixes kinds of
    question instead of reflecting whichever type the bank has most of.
    """
    by_type: dict[str, list[tuple]] = defaultdict(list)
    for entry in pool:
        by_type[entry[1]].append(entry)
    # A random sample of twice `count` per type, in random order, is what popping from
    # a whole shuffled queue would give while no question is kept out, at a fraction of
    # the cost for a large bank (5,000 questions: a shuffle each start was most of its time).
    queues = [rng.sample(queue, min(2 * count, len(queue))) for queue in by_type.values()]
    rng.shuffle(queues)
    apart = Apart()
    picked: list[int] = []

    def pick_from(queue: list[tuple]) -> None:
        while queue:
            entry = queue.pop()
            kin = entry[2] if len(entry) > 2 else None
            if apart.admits(kin):
                apart.take(kin)
                picked.append(entry[0])
                return

    while len(picked) < count and any(queues):
        for queue in queues:
            if len(picked) < count:
                pick_from(queue)
    if len(picked) < count and len(pool) > len(picked):
        # The samples ran out of questions that may join: try the rest of the pool.
        taken = set(picked)
        rest = [entry for entry in pool if entry[0] not in taken]
        rng.shuffle(rest)
        while rest and len(picked) < count:
            pick_from(rest)
    rng.shuffle(picked)
    return picked


#: Pools of recent quizzes in this process, per database (engine) and bank ids:
#: (quiz version, pool).
_POOLS: weakref.WeakKeyDictionary[Any, dict[tuple[int, ...], tuple]] = weakref.WeakKeyDictionary()
_POOLS_KEPT = 256


def quiz_pool(quiz: Quiz) -> list[PoolEntry]:
    """Return `live_pool(quiz.bank_ids)`, read once per version of the quiz's banks.

    An exam starts the same quiz for a whole year group: reading 5,000 questions for
    each start would cost more than everything else the start does.
    """
    if quiz.version is None:
        return live_pool(quiz.bank_ids)
    pools = _POOLS.setdefault(db.engine, {})
    cached = pools.get(quiz.bank_ids)
    if cached is not None and cached[0] == quiz.version:
        return cached[1]
    pool = live_pool(quiz.bank_ids)
    if len(pools) >= _POOLS_KEPT:
        pools.pop(next(iter(pools)))
    pools[quiz.bank_ids] = (quiz.version, pool)
    return pool


def live_pool(bank_ids: tuple[int, ...]) -> list[PoolEntry]:
    """Return the current version of every live question of these banks."""
    rows = db.session.execute(
        db.select(QuestionVersion.id, QuestionVersion.type, Question.id.label("qid"), *KIN_COLUMNS)
        .join(Question, Question.current_version_id == QuestionVersion.id)
        .join(Bank, Bank.id == Question.bank_id)
        .where(Question.bank_id.in_(bank_ids), Question.retired_at.is_(None))
        .order_by(QuestionVersion.id)
    )
    return [PoolEntry(row.id, row.type, kin_of_row(row), row.qid) for row in rows]


def start_attempt(
    quiz: Quiz,
    mode: str,
    *,
    length: int = 10,
    rng: random.Random | None = None,
    held: frozenset[int] = frozenset(),
    **details,
) -> Attempt:
    """Draw a quiz's questions and create the attempt (see `create_attempt`), leaving out
    the questions `held` back from the learner (see attempts.visibility)."""
    rng = rng or random.SystemRandom()
    pool = quiz_pool(quiz)
    if held:
        pool = [entry for entry in pool if entry.question_id not in held]
    version_ids = draw(pool, length, rng)
    return create_attempt(quiz.drawn_from, quiz.title, version_ids, mode, rng=rng, **details)


def create_attempt(
    drawn_from: DrawnFrom,
    title: str,
    version_ids: list[int],
    mode: str,
    *,
    user_id: int | None,
    guest_key: str | None = None,
    time_limit: int | None = None,
    number: int | None = None,
    rng: random.Random | None = None,
    now: dt.datetime | None = None,
) -> Attempt:
    """Create an attempt of these question versions, in this order, shown once for good,
    recording what it drew from (a bank, an assignment, the review...).

    Options and items are shuffled here and stored with the attempt, so a reload or
    a return shows the very same page.
    """
    rng = rng or random.SystemRandom()
    now = now or utcnow()
    versions = {
        v.id: v
        for v in db.session.scalars(
            db.select(QuestionVersion).where(QuestionVersion.id.in_(version_ids))
        )
    }
    attempt = Attempt(
        user_id=user_id,
        guest_key=None if user_id else guest_key,
        drawn_from=drawn_from,
        title=title,
        mode=mode,
        time_limit=time_limit,
        started_at=now,
        deadline=now + dt.timedelta(seconds=time_limit) if time_limit else None,
        max_score=len(version_ids),
        number=number,
    )
    db.session.add(attempt)
    db.session.flush()
    # The items in one executemany: the unit of work would insert them one by one.
    items = []
    for position, version_id in enumerate(version_ids, start=1):
        version = versions[version_id]
        view = TYPES[version.type].present(version.spec, rng)
        items.append(
            {
                "attempt_id": attempt.id,
                "position": position,
                "question_version_id": version.id,
                "view": view,
            }
        )
    if items:
        db.session.execute(insert(AttemptItem), items)
    return attempt
