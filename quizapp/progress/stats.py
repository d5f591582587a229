"""What a learner's finished attempts add up to: queries, with no request in sight.

Every function takes the learner's id and filters on it, so that one learner's
figures can never include another's attempts. The figures per quiz come from
`quiz_stats` (see quizapp.models.quiz_stats), kept by the database as attempts finish.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import (
    Integer,
    Select,
    and_,
    bindparam,
    case,
    true,
)
from sqlalchemy.orm import aliased

from quizapp.extensions import db
from quizapp.models import Attempt, Bank, QuizKind, QuizStat, User
from quizapp.review import mastery
from quizapp.review.mastery import join_inputs

MIXED_LABEL = "Mixed quiz"
#: How many of the newest attempts the chart of scores over time shows.
HISTORY_SIZE = 50


@dataclass(frozen=True)
class QuizSummary:
    """How one quiz went for a learner across all their finished attempts."""

    #: The quiz's key (`DrawnFrom.quiz_key`).
    quiz: str
    label: str
    attempts: int
    best_percent: float | None
    #: The mean of the attempts' percentages: each attempt counts once, whatever its length.
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


def quiz_label(kind: str, bank_title: str | None, latest_title: str) -> str:
    """Name a quiz for people: its bank's title, "Mixed quiz", or its latest title."""
    if kind == QuizKind.BANK and bank_title:
        return bank_title
    if kind == QuizKind.MIXED:
        return MIXED_LABEL
    return latest_title


def _summary(stat: QuizStat, bank_title: str | None) -> QuizSummary:
    return QuizSummary(
        quiz=stat.quiz_key,
        label=quiz_label(stat.kind, bank_title, stat.latest_title),
        attempts=stat.attempts,
        best_percent=stat.best_percent,
        average_percent=stat.average_percent,
        last_finished_at=stat.last_finished_at,
    )


#: Part 1 of the learner's rows holds their per-quiz figures, the next parts their
#: mastery by bank and by tag: one statement reads them all without multiplying one by
#: another.
_QUIZ_PART = 1
_PARTS = mastery.parts(_QUIZ_PART, mastery.BANK_PART, mastery.TAG_PART)
_QUIZ_BANK = aliased(Bank, name="quiz_banks")

#: The learner, their figures and their mastery's inputs, built once: building it costs
#: half of running it.
_LEARNER = (
    join_inputs(
        db.select(User, QuizStat, _QUIZ_BANK.title, *mastery.INPUTS)
        .select_from(User)
        .join(_PARTS, true())
        .outerjoin(QuizStat, and_(_PARTS.c.part == _QUIZ_PART, QuizStat.user_id == User.id))
        .outerjoin(_QUIZ_BANK, QuizStat.bank_id == _QUIZ_BANK.id),
        _PARTS.c.part,
    )
    .where(User.id == bindparam("user_id"), mastery.SHOWN)
    .order_by(
        _PARTS.c.part,
        QuizStat.last_finished_at.desc(),
        QuizStat.quiz_key,
        Bank.title,
        Bank.id,
    )
)


class LearnerFigures(NamedTuple):
    """A learner's row, their figures per quiz, and their mastery report."""

    user: User | None
    summaries: list[QuizSummary]
    mastery: mastery.MasteryReport


def learner_figures(user_id: int, now: dt.datetime) -> LearnerFigures:
    """Return a learner's row, quiz summaries and mastery, read with one query.

    The progress page calls this before Flask-Login loads the signed-in user: the user
    row is then already in the session, and loading (and checking) it costs no query.
    """
    rows = db.session.execute(_LEARNER, mastery.mastery_parameters(user_id, now)).all()
    user = rows[0][0] if rows else None
    summaries = [_summary(stat, title) for _, stat, title, *_ in rows if stat is not None]
    report = mastery.report_from(row[3:] for row in rows)
    return LearnerFigures(user, summaries, report)


def score_history(user_id: int, limit: int = HISTORY_SIZE) -> list[Score]:
    """Return the newest `limit` scored attempts of a learner, oldest first."""
    rows = db.session.execute(
        db.select(Attempt.finished_at, _percent(Attempt), Attempt.title)
        .where(*_finished_by(Attempt, user_id), Attempt.score.is_not(None), Attempt.max_score > 0)
        .order_by(Attempt.finished_at.desc(), Attempt.id.desc())
        .limit(limit)
    )
    return [Score(finished_at, float(percent), title) for finished_at, percent, title in rows][::-1]


def history_from(newest: list[Attempt], user_id: int) -> list[Score]:
    """Return `score_history(user_id)` from the learner's newest finished attempts.

    `newest` is the newest HISTORY_SIZE finished attempts (all of them when there are
    fewer). When they hold HISTORY_SIZE scored attempts, or are all there is, the
    history is among them and needs no query of its own; otherwise it is asked for.
    """
    scored = [a for a in newest if a.score is not None and a.max_score > 0]
    if len(scored) < HISTORY_SIZE and len(newest) >= HISTORY_SIZE:
        return score_history(user_id)
    return [Score(a.finished_at, float(a.percent), a.title) for a in scored[:HISTORY_SIZE]][::-1]


_NEWEST = (
    finished_attempts(bindparam("user_id"))
    .limit(bindparam("limit", type_=Integer))
    .offset(bindparam("offset", type_=Integer))
)


class AttemptsPage(Pagination):
    """One page of a learner's finished attempts, newest first, counted from quiz_stats.

    On the first page `newest` holds the newest HISTORY_SIZE finished attempts, read
    by the page's own query, so that the chart needs no query either. Create it with
    `AttemptsPage(user_id=..., total=..., per_page=...)`.
    """

    newest: list[Attempt] | None = None

    def _query_items(self) -> list[Attempt]:
        offset = (self.page - 1) * self.per_page
        limit = max(self.per_page, HISTORY_SIZE) if offset == 0 else self.per_page
        parameters = {"user_id": self._query_args["user_id"], "limit": limit, "offset": offset}
        rows = list(db.session.scalars(_NEWEST, parameters))
        if offset == 0:
            self.newest = rows
        return rows[: self.per_page]

    def _query_count(self) -> int:
        return self._query_args["total"]
