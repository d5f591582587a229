"""Quizzes: drawing questions, recording answers and finishing attempts.

The engine records; `quizapp.grading.grade` judges. Nothing here knows about
requests, so the rules can be tested and reused by every page.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import weakref
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, insert, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from quizapp.banks.families import KIN_COLUMNS, Apart, Kin, kin_of_row
from quizapp.extensions import db
from quizapp.grading import grade
from quizapp.models import (
    Assignment,
    Attempt,
    AttemptItem,
    Bank,
    Question,
    QuestionVersion,
    Response,
    utcnow,
)
from quizapp.question_types import TYPES
from quizapp.signals import answer_recorded, attempt_finished

MODES = ("practice", "test")
#: Answers that arrive this long after the deadline still count: the page's own
#: countdown submits at zero, and the request needs a moment to travel.
DEADLINE_GRACE = dt.timedelta(seconds=10)
MIXED = "mixed"


@dataclass(frozen=True)
class Quiz:
    """A quiz on offer: which banks its questions come from.

    `version` changes whenever the questions of its banks do (the latest of the
    banks' updated_at, which every sync that changes a question moves on).
    """

    key: str
    title: str
    bank_ids: tuple[int, ...]
    version: dt.datetime | None = None


def available_quizzes() -> list[Quiz]:
    """Return a quiz per bundled bank, then the mixed quiz over all of them."""
    banks = db.session.execute(
        db.select(Bank.id, Bank.slug, Bank.title, Bank.updated_at)
        .where(Bank.owner_id.is_(None))
        .order_by(Bank.title)
    ).all()
    quizzes = [Quiz(f"bank:{b.slug}", b.title, (b.id,), b.updated_at) for b in banks]
    if len(banks) > 1:
        latest = max(b.updated_at for b in banks)
        quizzes.append(Quiz(MIXED, "Mixed quiz", tuple(b.id for b in banks), latest))
    return quizzes


def find_quiz(key: str) -> Quiz | None:
    return next((q for q in available_quizzes() if q.key == key), None)


class PoolEntry(NamedTuple):
    """A question a quiz may draw: its current version, its type, and what keeps it apart."""

    version_id: int
    type: str
    kin: Kin | None = None


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
        db.select(QuestionVersion.id, QuestionVersion.type, *KIN_COLUMNS)
        .join(Question, Question.current_version_id == QuestionVersion.id)
        .join(Bank, Bank.id == Question.bank_id)
        .where(Question.bank_id.in_(bank_ids), Question.retired_at.is_(None))
        .order_by(QuestionVersion.id)
    )
    return [PoolEntry(row.id, row.type, kin_of_row(row)) for row in rows]


def start_attempt(
    quiz: Quiz,
    mode: str,
    *,
    length: int = 10,
    rng: random.Random | None = None,
    **details,
) -> Attempt:
    """Draw a quiz's questions and create the attempt (see `create_attempt`)."""
    rng = rng or random.SystemRandom()
    version_ids = draw(quiz_pool(quiz), length, rng)
    return create_attempt(quiz.key, quiz.title, version_ids, mode, rng=rng, **details)


def create_attempt(
    key: str,
    title: str,
    version_ids: list[int],
    mode: str,
    *,
    user_id: int | None,
    guest_key: str | None = None,
    time_limit: int | None = None,
    assignment_id: int | None = None,
    number: int | None = None,
    rng: random.Random | None = None,
    now: dt.datetime | None = None,
) -> Attempt:
    """Create an attempt of these question versions, in this order, shown once for good.

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
        quiz=key,
        title=title,
        mode=mode,
        time_limit=time_limit,
        started_at=now,
        deadline=now + dt.timedelta(seconds=time_limit) if time_limit else None,
        max_score=len(version_ids),
        assignment_id=assignment_id,
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


def is_overdue(attempt: Attempt, now: dt.datetime | None = None) -> bool:
    """Tell whether a timed attempt has run out of time (grace included)."""
    if attempt.deadline is None or attempt.is_finished:
        return False
    return (now or utcnow()) > attempt.deadline + DEADLINE_GRACE


def record_answer(
    attempt: Attempt, item: AttemptItem, value: object, now: dt.datetime | None = None
) -> Response | None:
    """Grade and store one answer; return the stored response.

    In practice mode the first answer is final, so a resent form changes nothing.
    In test mode the learner may change an answer until they finish. Returns None
    when the attempt no longer takes answers (finished, or out of time).
    """
    now = now or utcnow()
    if attempt.is_finished or is_overdue(attempt, now):
        return None
    existing = item.response
    if existing is not None and attempt.mode == "practice":
        return existing
    result = grade(item.version.spec, value)
    if existing is not None:
        existing.value, existing.fraction = value, result.fraction
        existing.feedback, existing.answered_at = result.feedback, now
        db.session.flush()
        answer_recorded.send(attempt, item=item, response=existing, now=now)
        return existing
    values = {
        "item_id": item.id,
        "value": value,
        "fraction": result.fraction,
        "feedback": result.feedback,
        "answered_at": now,
    }
    # One statement that stores the answer unless another request stored this item's
    # answer first (then that one counts): no savepoint, no unit-of-work flush.
    stored_id = db.session.execute(
        _insert_unless_answered(db.session.get_bind().dialect.name), values
    ).scalar()
    if stored_id is None:
        db.session.expire(item, ["response"])
        return item.response
    response = Response(id=stored_id, **values)
    make_transient_to_detached(response)  # as if just loaded: persistent, nothing to flush
    db.session.add(response)
    set_committed_value(item, "response", response)
    answer_recorded.send(attempt, item=item, response=response, now=now)
    return response


@functools.cache
def _insert_unless_answered(dialect: str):
    """Build once INSERT INTO responses … ON CONFLICT (item_id) DO NOTHING RETURNING id."""
    insert_for = postgresql_insert if dialect == "postgresql" else sqlite_insert
    columns = ("item_id", "value", "fraction", "feedback", "answered_at")
    return (
        insert_for(Response)
        .values({name: bindparam(name) for name in columns})
        .on_conflict_do_nothing(index_elements=[Response.item_id])
        .returning(Response.id)
    )


def finish_attempt(attempt: Attempt, now: dt.datetime | None = None) -> bool:
    """Finish and score an attempt once; return False if it was already finished.

    A single conditional UPDATE decides, so two "finish" requests racing each
    other (double click, two tabs, two workers) grade the attempt exactly once.
    """
    now = now or utcnow()
    total = (
        db.select(func.coalesce(func.sum(Response.fraction), 0.0))
        .join(AttemptItem, AttemptItem.id == Response.item_id)
        .where(AttemptItem.attempt_id == attempt.id)
        .scalar_subquery()
    )
    result = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.finished_at.is_(None))
        .values(finished_at=now, score=total)
        .execution_options(synchronize_session=False)
    )
    # Only what the UPDATE changed: the items the caller loaded stay loaded.
    db.session.refresh(attempt, ["finished_at", "score"])
    if result.rowcount != 1:
        return False
    attempt_finished.send(attempt, now=now)
    return True


def next_unanswered(attempt: Attempt) -> int:
    """Return the position to resume at: the first question without an answer."""
    for item in attempt.items:
        if item.response is None:
            return item.position
    return attempt.items[-1].position if attempt.items else 1


@dataclass(frozen=True)
class Explanation:
    """What a learner is shown once an answer is scored."""

    fraction: float
    feedback: str
    answer: str
    explanation: str | None
    note: str | None
    quotes: list[str]
    rule: str

    @property
    def verdict(self) -> str:
        if self.fraction >= 1:
            return "right"
        return "partial" if self.fraction > 0 else "wrong"


def explain(spec: dict, response: Response | None) -> Explanation:
    """Return the feedback for a stored response (or none) to a question version."""
    module = TYPES[spec["type"]]
    quote = spec.get("quote") or []
    return Explanation(
        fraction=response.fraction if response else 0.0,
        feedback=response.feedback if response else "Not answered.",
        answer=module.answer_text(spec),
        explanation=spec.get("explanation"),
        note=spec.get("note"),
        quotes=[quote] if isinstance(quote, str) else list(quote),
        # A question with its own partial credit (imported from GIFT) explains its own rule.
        rule=module.scoring_rule(spec) if hasattr(module, "scoring_rule") else module.SCORING_RULE,
    )


def format_response(value: object) -> str:
    """Write a stored response the way a learner reads it on a results page."""
    if value is None:
        return "(no answer)"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, list):
        return " → ".join(map(str, value)) if value else "(nothing chosen)"
    if isinstance(value, dict):
        return "; ".join(f"{left} → {right}" for left, right in value.items())
    return str(value)


def answers_hidden_until(attempt: Attempt, now: dt.datetime | None = None) -> dt.datetime | None:
    """Return when a finished test assignment may show its answers, if not yet.

    A learner who finishes early must not be able to pass the answers to classmates
    still taking the same test, so they wait until the assignment closes.
    """
    if attempt.assignment_id is None or attempt.mode != "test":
        return None
    closes = db.session.scalar(
        db.select(Assignment.closes_at).where(Assignment.id == attempt.assignment_id)
    )
    if closes is not None and (now or utcnow()) < closes:
        return closes
    return None
