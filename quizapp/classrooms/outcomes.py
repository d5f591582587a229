"""What an attempt at an assignment counts for: done or not, its score, its last activity.

An attempt whose time ran out counts as done with the answers it had, exactly as
`quizapp.attempts.expiry` will score it when the row is finished. Reading pages never
write, so the gradebook computes that score instead of storing it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, Response
from quizapp.models.attempts import AttemptClock


@dataclass(frozen=True)
class AttemptRow(AttemptClock):
    """The columns of an attempt the gradebook reads, as plain values: a class's
    thousands of attempts read without building an ORM object each."""

    id: int
    user_id: int
    assignment_id: int
    started_at: dt.datetime
    deadline: dt.datetime | None
    finished_at: dt.datetime | None
    score: float | None
    max_score: int
    number: int | None


#: AttemptRow's fields, in order: the columns to select for one.
ATTEMPT_ROW_FIELDS = tuple(AttemptRow.__dataclass_fields__)


@dataclass(frozen=True)
class Outcome:
    """One attempt as the gradebook sees it."""

    attempt: Attempt | AttemptRow
    done: bool
    score: float | None
    last_activity: dt.datetime

    @property
    def percent(self) -> float | None:
        if self.score is None or not self.attempt.max_score:
            return None
        return 100.0 * self.score / self.attempt.max_score


def outcomes(attempts: Iterable[Attempt], now: dt.datetime) -> list[Outcome]:
    """Return the outcome of each attempt, in the order given."""
    attempts = list(attempts)
    if not attempts:
        return []
    totals = {
        row.attempt_id: (row.total, row.last_answer)
        for row in db.session.execute(
            db.select(
                AttemptItem.attempt_id,
                func.coalesce(func.sum(Response.fraction), 0.0).label("total"),
                func.max(Response.answered_at).label("last_answer"),
            )
            .join(Response, Response.item_id == AttemptItem.id)
            .where(AttemptItem.attempt_id.in_([a.id for a in attempts]))
            .group_by(AttemptItem.attempt_id)
        )
    }
    return [outcome_of(a, *totals.get(a.id, (0.0, None)), now) for a in attempts]


def outcome_of(
    attempt: Attempt | AttemptRow, total: float, last_answer: dt.datetime | None, now: dt.datetime
) -> Outcome:
    """Return an attempt's outcome from the credit of its answers and the last one's time."""
    if attempt.is_finished:
        done, score = True, attempt.score
    elif attempt.is_overdue(now):
        done, score = True, float(total)
    else:
        done, score = False, None
    moments = [m for m in (attempt.started_at, last_answer, attempt.finished_at) if m]
    return Outcome(attempt, done, score, max(moments))
