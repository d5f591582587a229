"""What a learner's finished attempts add up to: queries, with no request in sight.

Every function takes the learner's id and filters on it, so that one learner's
figures can never include another's attempts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Select, case, func, literal
from sqlalchemy.orm import aliased

from quizapp.extensions import db
from quizapp.models import Attempt, Bank

BANK_PREFIX = "bank:"
MIXED_QUIZ = "mixed"
MIXED_LABEL = "Mixed quiz"
#: How many of the newest attempts the chart of scores over time shows.
HISTORY_SIZE = 50


@dataclass(frozen=True)
class QuizSummary:
    """How one quiz went for a learner across all their finished attempts."""

    quiz: str
    label: str
    attempts: int
    best_percent: float | None
    average_percent: float | None
    last_finished_at: dt.datetime


class Score(NamedTuple):
    """One finished attempt as a point in time and a percentage."""

    finished_at: dt.datetime
    percent: float
    title: str


def _percent(attempt: Any) -> Any:
    """Return the SQL for an attempt's percentage; NULL when it has no questions."""
    return case((attempt.max_score > 0, 100.0 * attempt.score / attempt.max_score))


def _finished_by(attempt: Any, user_id: int) -> tuple[Any, ...]:
    return (attempt.user_id == user_id, attempt.finished_at.is_not(None))


def finished_attempts(user_id: int) -> Select[tuple[Attempt]]:
    """Return the query for a learner's finished attempts, newest first."""
    return (
        db.select(Attempt)
        .where(*_finished_by(Attempt, user_id))
        .order_by(Attempt.finished_at.desc(), Attempt.id.desc())
    )


def quiz_label(quiz: str, bank_title: str | None, latest_title: str) -> str:
    """Name a quiz key for people: its bank's title, "Mixed quiz", or its latest title."""
    if quiz.startswith(BANK_PREFIX) and bank_title:
        return bank_title
    if quiz == MIXED_QUIZ:
        return MIXED_LABEL
    return latest_title


def quiz_summaries(user_id: int) -> list[QuizSummary]:
    """Return attempts, best and average percent per quiz, the latest taken first.

    The average is the mean of the attempts' percentages, each attempt counting once
    whatever its length.
    """
    percent = _percent(Attempt)
    latest = aliased(Attempt)
    latest_title = (
        db.select(latest.title)
        .where(*_finished_by(latest, user_id), latest.quiz == Attempt.quiz)
        .order_by(latest.finished_at.desc(), latest.id.desc())
        .limit(1)
        .correlate(Attempt)
        .scalar_subquery()
    )
    last_finished = func.max(Attempt.finished_at)
    rows = db.session.execute(
        db.select(
            Attempt.quiz,
            Bank.title,
            latest_title,
            func.count(Attempt.id),
            func.max(percent),
            func.avg(percent),
            last_finished,
        )
        .outerjoin(Bank, Attempt.quiz == literal(BANK_PREFIX) + Bank.slug)
        .where(*_finished_by(Attempt, user_id))
        .group_by(Attempt.quiz, Bank.title)
        .order_by(last_finished.desc(), Attempt.quiz)
    )
    return [
        QuizSummary(
            quiz=quiz,
            label=quiz_label(quiz, bank_title, title),
            attempts=count,
            best_percent=None if best is None else float(best),
            average_percent=None if average is None else float(average),
            last_finished_at=last,
        )
        for quiz, bank_title, title, count, best, average, last in rows
    ]


def score_history(user_id: int, limit: int = HISTORY_SIZE) -> list[Score]:
    """Return the newest `limit` scored attempts of a learner, oldest first."""
    rows = db.session.execute(
        db.select(Attempt.finished_at, _percent(Attempt), Attempt.title)
        .where(*_finished_by(Attempt, user_id), Attempt.score.is_not(None), Attempt.max_score > 0)
        .order_by(Attempt.finished_at.desc(), Attempt.id.desc())
        .limit(limit)
    )
    return [Score(finished_at, float(percent), title) for finished_at, percent, title in rows][::-1]
