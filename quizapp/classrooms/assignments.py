"""Assignments: where their questions come from, when they are open, and starting one.

Times are naive UTC, as every column stores them: a learner's local time is unknown,
so pages take and show UTC and say so.
"""

from __future__ import annotations

import datetime as dt
import random
import weakref
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError

from quizapp.attempts import drawing
from quizapp.attempts.visibility import held_questions
from quizapp.banks.families import KIN_COLUMNS, kin_of_row
from quizapp.classrooms.extra_time import time_limit_for
from quizapp.classrooms.outcomes import outcomes
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Attempt,
    Bank,
    Classroom,
    DrawnFrom,
    Membership,
    Question,
    QuestionVersion,
    utcnow,
)

UPCOMING, OPEN, CLOSED = "upcoming", "open", "closed"


class StartRefused(Exception):
    """The learner may not start this assignment now; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Started:
    """The attempt a start led to: a new one, or the one already in progress."""

    attempt: Attempt
    resumed: bool


def format_utc(moment: dt.datetime) -> str:
    """Write a stored UTC time as "29 Nov 2026 14:05 UTC"."""
    return f"{moment.day} {moment:%b %Y %H:%M} UTC"


def status(assignment: Assignment, now: dt.datetime | None = None) -> str:
    """Return UPCOMING before it opens, CLOSED from its closing time, OPEN in between."""
    now = now or utcnow()
    if assignment.opens_at is not None and now < assignment.opens_at:
        return UPCOMING
    if assignment.closes_at is not None and now >= assignment.closes_at:
        return CLOSED
    return OPEN


def allowed_banks(owner_id: int) -> list[Bank]:
    """Return the banks a teacher may assign: the bundled ones, then their own sets."""
    return list(
        db.session.scalars(
            db.select(Bank)
            .where(or_(Bank.owner_id.is_(None), Bank.owner_id == owner_id))
            .order_by(Bank.owner_id.is_not(None), Bank.title)
        )
    )


#: Pools read in this process, per database (engine) and (teacher, bank ids): (the
#: banks' version, the pool). The version is every bank's id and updated_at, which each
#: sync that changes a question moves on: a pool is never used after a change, in any
#: worker, and a bank added or deleted makes a new version too.
_POOLS: weakref.WeakKeyDictionary[Any, dict[tuple, tuple]] = weakref.WeakKeyDictionary()
_POOLS_KEPT = 256


def _banks_version(owner_id: int, bank_ids: list[int]) -> tuple:
    """Return the version of the banks a pool is read from: their ids and updated_at."""
    query = db.select(Bank.id, Bank.updated_at).where(
        or_(Bank.owner_id.is_(None), Bank.owner_id == owner_id)
    )
    if bank_ids:
        query = query.where(Bank.id.in_(bank_ids))
    return tuple(sorted(tuple(row) for row in db.session.execute(query)))


def _live_versions(owner_id: int, bank_ids: list[int]) -> list[tuple[drawing.PoolEntry, list[str]]]:
    """Return `_read_live_versions`, read once per version of the banks (a list to read,
    not to change): a class starting an assignment on a 5,000-question pool would
    otherwise read all of it for each learner."""
    version = _banks_version(owner_id, bank_ids)
    pools = _POOLS.setdefault(db.engine, {})
    key = (owner_id, tuple(sorted(bank_ids)))
    cached = pools.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    entries = _read_live_versions(owner_id, bank_ids)
    if len(pools) >= _POOLS_KEPT:
        pools.pop(next(iter(pools)))
    pools[key] = (version, entries)
    return entries


def _read_live_versions(
    owner_id: int, bank_ids: list[int]
) -> list[tuple[drawing.PoolEntry, list[str]]]:
    """Return the pool entry and tags of the live questions of these banks (all if none).

    Only banks the teacher may assign count, whatever ids were stored.
    """
    allowed = or_(Bank.owner_id.is_(None), Bank.owner_id == owner_id)
    # The tags alone, read out of the spec by the database: decoding every spec of a
    # 5,000-question pool cost most of a start.
    query = (
        db.select(
            QuestionVersion.id,
            QuestionVersion.type,
            QuestionVersion.spec["tags"].label("tags"),
            Question.id.label("qid"),
            *KIN_COLUMNS,
        )
        .join(Question, Question.current_version_id == QuestionVersion.id)
        .join(Bank, Bank.id == Question.bank_id)
        .where(allowed, Question.retired_at.is_(None))
        .order_by(QuestionVersion.id)
    )
    if bank_ids:
        query = query.where(Bank.id.in_(bank_ids))
    rows = db.session.execute(query)
    return [
        (
            drawing.PoolEntry(row.id, row.type, kin_of_row(row), row.qid),
            list(row.tags or []) if isinstance(row.tags, list) else [],
        )
        for row in rows
    ]


def pool(owner_id: int, bank_ids: list[int], tags: list[str]) -> list[drawing.PoolEntry]:
    """Return the questions an assignment draws from.

    The chosen banks (every bank the teacher may assign when none is chosen), narrowed
    to the questions with any of the chosen tags when tags are chosen.
    """
    wanted = set(tags)
    return [
        entry
        for entry, question_tags in _live_versions(owner_id, bank_ids)
        if not wanted or wanted.intersection(question_tags)
    ]


def assignment_pool(assignment: Assignment) -> list[drawing.PoolEntry]:
    return pool(assignment.classroom.owner_id, assignment.bank_ids or [], assignment.tags or [])


def tag_counts(owner_id: int) -> dict[str, int]:
    """Return every tag of the banks a teacher may assign, with its number of questions."""
    counts: Counter[str] = Counter()
    for _, tags in _live_versions(owner_id, []):
        counts.update(set(tags))
    return dict(sorted(counts.items()))


def attempts_of(assignment: Assignment, user_id: int) -> list[Attempt]:
    """Return a learner's attempts at an assignment, first to last."""
    return list(
        db.session.scalars(
            db.select(Attempt)
            .where(Attempt.assignment_id == assignment.id, Attempt.user_id == user_id)
            .order_by(Attempt.number, Attempt.id)
        )
    )


def attempts_word(count: int | None) -> str:
    if count is None:
        return "unlimited attempts"
    return f"{count} attempt" + ("" if count == 1 else "s")


def start(
    assignment: Assignment,
    user_id: int,
    *,
    now: dt.datetime | None = None,
    rng: random.Random | None = None,
) -> Started:
    """Start the learner's next attempt, or return the one they have in progress.

    Raises StartRefused when the assignment is not open, the learner has used their
    attempts, or no question is left to draw. Parallel starts make one attempt: the
    unique (assignment, learner, number) constraint lets one insert win, and the others
    return the attempt it created.
    """
    now = now or utcnow()
    state = status(assignment, now)
    if state == UPCOMING:
        raise StartRefused(f"This assignment opens on {format_utc(assignment.opens_at)}.")
    if state == CLOSED:
        raise StartRefused(f"This assignment closed on {format_utc(assignment.closes_at)}.")
    attempts = attempts_of(assignment, user_id)
    for attempt in attempts:
        if attempt.is_finished:
            continue
        if attempt.is_overdue(now):
            attempt.finish(attempt.deadline)
        else:
            return Started(attempt, resumed=True)
    _check_attempts_left(assignment, len(attempts))
    # What another test holds back stays out (its answers or score would tell it).
    held = held_questions(user_id, now=now, apart_from=assignment.id)
    available = [e for e in assignment_pool(assignment) if e.question_id not in held]
    version_ids = drawing.draw(available, assignment.question_count, rng or random.SystemRandom())
    if not version_ids:
        raise StartRefused("This assignment has no questions left to draw: tell your teacher.")
    number = max((a.number or 0 for a in attempts), default=0) + 1
    try:
        with db.session.begin_nested():
            attempt = drawing.create_attempt(
                DrawnFrom.assignment(assignment.id),
                assignment.title,
                version_ids,
                assignment.mode,
                user_id=user_id,
                time_limit=time_limit_for(assignment, user_id),
                number=number,
                rng=rng,
                now=now,
            )
            attempt.deadline = deadline(attempt, assignment.closes_at)
            db.session.flush()
    except IntegrityError:
        # Another request started this very attempt first: go on with that one.
        attempts = attempts_of(assignment, user_id)
        for existing in attempts:
            if not existing.is_finished:
                return Started(existing, resumed=True)
        _check_attempts_left(assignment, len(attempts))
        raise StartRefused("This attempt could not be started: please try again.") from None
    return Started(attempt, resumed=False)


def deadline(attempt: Attempt, closes_at: dt.datetime | None) -> dt.datetime | None:
    """Return when an attempt of an assignment ends: at the end of its own time limit,
    or when the assignment closes if that comes first, whenever the attempt began."""
    own = (
        attempt.started_at + dt.timedelta(seconds=attempt.time_limit)
        if attempt.time_limit
        else None
    )
    ends = [moment for moment in (own, closes_at) if moment is not None]
    return min(ends) if ends else None


def follow_closing_time(assignment: Assignment) -> int:
    """Move the deadlines of the assignment's unfinished attempts to its closing time
    (a teacher who extends it gives those learners the time too); return how many moved."""
    moved = 0
    for attempt in db.session.scalars(
        db.select(Attempt).where(
            Attempt.assignment_id == assignment.id, Attempt.finished_at.is_(None)
        )
    ):
        ends = deadline(attempt, assignment.closes_at)
        if attempt.deadline != ends:
            attempt.deadline = ends
            moved += 1
    return moved


def follow_time_limit(assignment: Assignment, user_id: int) -> int:
    """Give the learner's unfinished timed attempts their time limit as it is now (after
    the teacher gave or took back extra time) and the deadline it makes; return how many
    moved."""
    limit = time_limit_for(assignment, user_id)
    moved = 0
    for attempt in db.session.scalars(
        db.select(Attempt).where(
            Attempt.assignment_id == assignment.id,
            Attempt.user_id == user_id,
            Attempt.finished_at.is_(None),
        )
    ):
        if attempt.time_limit is None or limit is None or attempt.time_limit == limit:
            continue
        if attempt.is_overdue():
            continue  # its time ran out: it counts as finished already
        attempt.time_limit = limit
        attempt.deadline = deadline(attempt, assignment.closes_at)
        moved += 1
    return moved


def _check_attempts_left(assignment: Assignment, used: int) -> None:
    allowed = assignment.attempts_allowed
    if allowed is not None and used >= allowed:
        raise StartRefused(
            f"You have used all your attempts at this assignment ({attempts_word(allowed)})."
        )


@dataclass(frozen=True)
class LearnerAssignment:
    """An assignment as a learner sees it on their home page."""

    assignment: Assignment
    classroom: Classroom
    status: str
    used: int
    best_percent: float | None
    in_progress: Attempt | None

    @property
    def allowed(self) -> int | None:
        return self.assignment.attempts_allowed

    @property
    def attempts_left(self) -> int | None:
        return None if self.allowed is None else max(0, self.allowed - self.used)

    @property
    def can_start(self) -> bool:
        if self.status != OPEN:
            return False
        return self.in_progress is not None or self.attempts_left != 0


def for_learner(user_id: int, now: dt.datetime | None = None) -> list[LearnerAssignment]:
    """Return the assignments of every class the learner is in: open, upcoming, closed.

    Open ones are ordered by closing time (soonest first, no closing time last),
    upcoming ones by opening time, closed ones most recently closed first.
    """
    now = now or utcnow()
    assignments = list(
        db.session.scalars(
            db.select(Assignment)
            .join(Membership, Membership.classroom_id == Assignment.classroom_id)
            .where(Membership.user_id == user_id)
            .order_by(Assignment.id)
        )
    )
    if not assignments:
        return []
    attempts = db.session.scalars(
        db.select(Attempt)
        .where(
            Attempt.user_id == user_id,
            Attempt.assignment_id.in_([a.id for a in assignments]),
        )
        .order_by(Attempt.number, Attempt.id)
    )
    by_assignment: dict[int, list] = {a.id: [] for a in assignments}
    for outcome in outcomes(attempts, now):
        by_assignment[outcome.attempt.assignment_id].append(outcome)
    rows = []
    for assignment in assignments:
        mine = by_assignment[assignment.id]
        percents = [o.percent for o in mine if o.done and o.percent is not None]
        rows.append(
            LearnerAssignment(
                assignment=assignment,
                classroom=assignment.classroom,
                status=status(assignment, now),
                used=len(mine),
                best_percent=max(percents, default=None),
                in_progress=next((o.attempt for o in mine if not o.done), None),
            )
        )
    return sorted(rows, key=_home_order)


def _home_order(row: LearnerAssignment) -> tuple:
    assignment = row.assignment
    if row.status == OPEN:
        return (0, assignment.closes_at is None, assignment.closes_at or _EPOCH, assignment.id)
    if row.status == UPCOMING:
        return (1, False, assignment.opens_at, assignment.id)
    return (2, False, _EPOCH - assignment.closes_at, assignment.id)


_EPOCH = dt.datetime(1970, 1, 1)
