"""What a learner may see of a question: the one rule every page and quiz builder asks.

While a question is in a test the learner has open, or in a finished test whose
answers are still held back (a test assignment before it closes, or before the teacher
releases its answers when it has no closing time), no page shows its answer, credit,
grader feedback, explanation or quote, and no quiz that would show them (practice,
review, retakes, weakest topics, the reader's and the timeline's) offers it. Such a
question is *held back* from that learner. No other test asks it either (its score
would tell something), but the next attempt at the same assignment may.

A test's own results, while held back, show the score and which questions were
answered: nothing per question that tells right from wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, union_all

from quizapp.extensions import db
from quizapp.models import (
    DEADLINE_GRACE,
    Assignment,
    Attempt,
    AttemptItem,
    QuestionVersion,
    utcnow,
)


def owned_by(user_id: int | None, guest_key: str | None = None) -> ColumnElement[bool]:
    """Return the clause matching a learner's attempts (or a visitor's, by key)."""
    if user_id is not None:
        return Attempt.user_id == user_id
    if guest_key:
        return and_(Attempt.user_id.is_(None), Attempt.guest_key == guest_key)
    return false()


def held_question_ids(
    owner: ColumnElement[bool], now: Any, ended_before: Any = None, *, apart_from: Any = None
) -> Select:
    """Return the query of the ids of the questions held back from the owner of the
    attempts `owner` matches, at `now` (a subquery for any other query; `now` and
    `ended_before`, the moment a timed attempt's grace ran out, may be bound parameters).

    Two parts, each easy on an index: the tests still open (not finished, time not up),
    and the tests of an assignment whose answers are held (not released, and not closed
    or without a closing time). `apart_from` leaves out the attempts of one assignment:
    its own next attempt may ask what an earlier one holds, its answers coming as late.
    """
    if ended_before is None:
        ended_before = now - DEADLINE_GRACE
    open_tests = (
        db.select(AttemptItem.question_version_id.label("version_id"))
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(
            owner,
            Attempt.mode == "test",
            Attempt.finished_at.is_(None),
            or_(Attempt.deadline.is_(None), Attempt.deadline >= ended_before),
        )
    )
    held_tests = (
        db.select(AttemptItem.question_version_id.label("version_id"))
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        .where(
            owner,
            # Said, though the join says it too: an index on (user, assignment) then
            # skips a learner's many attempts outside assignments.
            Attempt.assignment_id.is_not(None),
            Attempt.mode == "test",
            Assignment.answers_released_at.is_(None),
            or_(Assignment.closes_at.is_(None), Assignment.closes_at > now),
        )
    )
    if apart_from is not None:
        others = or_(Attempt.assignment_id.is_(None), Attempt.assignment_id != apart_from)
        open_tests, held_tests = open_tests.where(others), held_tests.where(others)
    versions = union_all(open_tests, held_tests).subquery("held_versions")
    return db.select(QuestionVersion.question_id).where(
        QuestionVersion.id.in_(db.select(versions.c.version_id))
    )


def held_questions(
    user_id: int | None,
    guest_key: str | None = None,
    now: dt.datetime | None = None,
    *,
    apart_from: int | None = None,
) -> frozenset[int]:
    """Return the ids of the questions held back from a learner (or visitor) now."""
    owner = owned_by(user_id, guest_key)
    query = held_question_ids(owner, now or utcnow(), apart_from=apart_from)
    return frozenset(db.session.scalars(query.distinct()))


@dataclass(frozen=True)
class HeldResults:
    """Why a test's own results hide their answers, and until when."""

    until: dt.datetime | None  # the closing time; None: until the teacher releases them

    @property
    def by_teacher(self) -> bool:
        return self.until is None


def results_held(attempt: Attempt, now: dt.datetime | None = None) -> HeldResults | None:
    """Return why an over attempt's results hide their answers, or None when they show."""
    if attempt.mode != "test" or attempt.assignment_id is None:
        return None
    assignment = attempt.assignment
    if assignment is None or not assignment.answers_held(now):
        return None
    return HeldResults(assignment.closes_at)
