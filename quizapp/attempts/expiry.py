"""The end of a timed attempt's time: it counts as finished everywhere from its deadline.

Reading never writes: a page that meets an attempt whose time ran out reads it as
finished (`read_as_finished`: finished at its deadline, scored with the answers it
had). The row itself is finished by the next write request to the app, whoever sends
it, or by `flask --app quizapp attempts close-overdue` (for a cron job), always as of
its deadline: the score, the finish time and the review schedule are the same whenever
and however it happens.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm.attributes import set_committed_value

from quizapp.extensions import db
from quizapp.models import DEADLINE_GRACE, Attempt, utcnow

#: Most attempts one request finishes on its way: a backlog is worked off a slice at a time.
SWEEP_LIMIT = 20


def overdue(now: dt.datetime, limit: int | None = None) -> list[Attempt]:
    """Return the unfinished attempts whose time ran out before `now`, oldest first."""
    query = (
        db.select(Attempt)
        .where(Attempt.finished_at.is_(None), Attempt.deadline < now - DEADLINE_GRACE)
        .order_by(Attempt.deadline, Attempt.id)
        .limit(limit)
        # Two requests sweeping at once on PostgreSQL take different attempts.
        .with_for_update(skip_locked=True)
    )
    return list(db.session.scalars(query))


def close_overdue(now: dt.datetime | None = None, limit: int | None = SWEEP_LIMIT) -> int:
    """Finish attempts whose time ran out, each as of its deadline; return how many."""
    closed = 0
    for attempt in overdue(now or utcnow(), limit):
        closed += attempt.finish(attempt.deadline)
    return closed


def score_so_far(attempt: Attempt) -> float:
    """Return the credit of the answers an attempt holds (its items loaded)."""
    return float(sum(item.response.fraction for item in attempt.items if item.response))


def read_as_finished(attempt: Attempt, now: dt.datetime | None = None) -> bool:
    """Show an attempt whose time ran out as finished at its deadline, with the score its
    answers make, without writing anything; return whether it was one such."""
    if not attempt.is_overdue(now):
        return False
    # Set as if loaded from the database: nothing to flush, no write from a page view.
    set_committed_value(attempt, "finished_at", attempt.deadline)
    set_committed_value(attempt, "score", score_so_far(attempt))
    return True
