"""Answering: each answer graded (by `quizapp.grading.grade`) and stored once.

The view records; the grader judges.
"""

from __future__ import annotations

import datetime as dt
import functools

from sqlalchemy import bindparam
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from quizapp.extensions import db
from quizapp.grading import grade
from quizapp.models import Attempt, AttemptItem, Response, utcnow
from quizapp.signals import answer_recorded


def record_answer(
    attempt: Attempt, item: AttemptItem, value: object, now: dt.datetime | None = None
) -> Response | None:
    """Grade and store one answer; return the stored response.

    In practice mode the first answer is final, so a resent form changes nothing.
    In test mode the learner may change an answer until they finish. Returns None
    when the attempt no longer takes answers (finished, or out of time).
    """
    now = now or utcnow()
    if attempt.is_over(now):
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


def next_unanswered(attempt: Attempt) -> int:
    """Return the position to resume at: the first question without an answer."""
    for item in attempt.items:
        if item.response is None:
            return item.position
    return attempt.items[-1].position if attempt.items else 1
