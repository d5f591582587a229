"""What a learner's finished attempts add up to: queries, with no request in sight.

Every function takes the learner's id and filters on it, so that one learner's
figures can never include another's attempts.

The figures per quiz (attempts, best, average, latest) live in a small table,
`quiz_stats`, one row per learner and quiz, that the database keeps up to date with
triggers on `attempts`: whatever finishes, moves, edits or deletes an attempt (the
quiz engine, a visitor's attempts claimed at sign-up, a teacher's tools, a test's
fixture), the row follows in the same transaction. The progress page then reads a
handful of rows however many attempts a learner has finished: 100 or 100,000 cost
the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import (
    DDL,
    Connection,
    DateTime,
    ForeignKey,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    event,
    literal,
    literal_column,
    text,
    true,
    union_all,
)
from sqlalchemy.orm import Mapped, aliased, mapped_column

from quizapp.extensions import db
from quizapp.models import DEADLINE_GRACE, Attempt, Bank, User
from quizapp.review import mastery
from quizapp.review.mastery import join_inputs

BANK_PREFIX = "bank:"
MIXED_QUIZ = "mixed"
MIXED_LABEL = "Mixed quiz"
#: How many of the newest attempts the chart of scores over time shows.
HISTORY_SIZE = 50


class QuizStat(db.Model):
    """A learner's running figures for one quiz, kept by triggers on `attempts`."""

    __tablename__ = "quiz_stats"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    quiz: Mapped[str] = mapped_column(String(80), primary_key=True)
    #: Finished attempts.
    attempts: Mapped[int]
    #: Finished attempts that have a percentage (at least one question).
    scored: Mapped[int]
    percent_sum: Mapped[float]
    best_percent: Mapped[float | None]
    #: The latest finished attempt (by finish time, then id): when, which, its title.
    last_finished_at: Mapped[dt.datetime]
    last_attempt_id: Mapped[int]
    latest_title: Mapped[str] = mapped_column(String(200))

    @property
    def average_percent(self) -> float | None:
        return self.percent_sum / self.scored if self.scored else None


@dataclass(frozen=True)
class QuizSummary:
    """How one quiz went for a learner across all their finished attempts."""

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


def quiz_label(quiz: str, bank_title: str | None, latest_title: str) -> str:
    """Name a quiz key for people: its bank's title, "Mixed quiz", or its latest title."""
    if quiz.startswith(BANK_PREFIX) and bank_title:
        return bank_title
    if quiz == MIXED_QUIZ:
        return MIXED_LABEL
    return latest_title


def _summary(stat: QuizStat, bank_title: str | None) -> QuizSummary:
    return QuizSummary(
        quiz=stat.quiz,
        label=quiz_label(stat.quiz, bank_title, stat.latest_title),
        attempts=stat.attempts,
        best_percent=stat.best_percent,
        average_percent=stat.average_percent,
        last_finished_at=stat.last_finished_at,
    )


#: Part 1 of the learner's rows holds their per-quiz figures, part 2 their mastery's
#: inputs: one statement reads both without multiplying one by the other.
_PARTS = union_all(
    db.select(literal_column("1").label("part")), db.select(literal_column("2").label("part"))
).subquery("parts")
_QUIZ_BANK = aliased(Bank, name="quiz_banks")

#: The learner, their figures and their mastery's inputs, built once: building it costs
#: half of running it.
_LEARNER = (
    join_inputs(
        db.select(User, QuizStat, _QUIZ_BANK.title, *mastery.INPUTS)
        .select_from(User)
        .join(_PARTS, true())
        .outerjoin(QuizStat, and_(_PARTS.c.part == 1, QuizStat.user_id == User.id))
        .outerjoin(_QUIZ_BANK, QuizStat.quiz == literal(BANK_PREFIX) + _QUIZ_BANK.slug),
        User.id,
        bindparam("user_id"),
        bindparam("now", type_=DateTime),
        bindparam("ended_before", type_=DateTime),
        when=_PARTS.c.part == 2,
    )
    .where(User.id == bindparam("user_id"), mastery.SHOWN)
    .order_by(
        _PARTS.c.part,
        QuizStat.last_finished_at.desc(),
        QuizStat.quiz,
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
    parameters = {"user_id": user_id, "now": now, "ended_before": now - DEADLINE_GRACE}
    rows = db.session.execute(_LEARNER, parameters).all()
    user = rows[0][0] if rows else None
    summaries = [_summary(stat, title) for _, stat, title, *_ in rows if stat is not None]
    report = mastery.report_from((row[3:] for row in rows), now)
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


# ------------------------------------------------------------ keeping quiz_stats


_COLUMNS = (
    "user_id, quiz, attempts, scored, percent_sum, best_percent, "
    "last_finished_at, last_attempt_id, latest_title"
)


def _percent_sql(row: str) -> str:
    return f"CASE WHEN {row}.max_score > 0 THEN 100.0 * {row}.score / {row}.max_score END"


def _add_sql(row: str) -> str:
    """SQL that counts one newly finished attempt (`row`: NEW) into its quiz's figures."""
    percent = _percent_sql(row)
    newer = (
        "(excluded.last_finished_at > quiz_stats.last_finished_at OR "
        "(excluded.last_finished_at = quiz_stats.last_finished_at AND "
        "excluded.last_attempt_id > quiz_stats.last_attempt_id))"
    )
    return f"""
INSERT INTO quiz_stats ({_COLUMNS})
VALUES ({row}.user_id, {row}.quiz, 1, CASE WHEN ({percent}) IS NULL THEN 0 ELSE 1 END,
        COALESCE({percent}, 0.0), {percent}, {row}.finished_at, {row}.id, {row}.title)
ON CONFLICT (user_id, quiz) DO UPDATE SET
  attempts = quiz_stats.attempts + 1,
  scored = quiz_stats.scored + excluded.scored,
  percent_sum = quiz_stats.percent_sum + excluded.percent_sum,
  best_percent = CASE
    WHEN excluded.best_percent IS NULL THEN quiz_stats.best_percent
    WHEN quiz_stats.best_percent IS NULL OR excluded.best_percent > quiz_stats.best_percent
      THEN excluded.best_percent
    ELSE quiz_stats.best_percent END,
  last_finished_at = CASE WHEN {newer} THEN excluded.last_finished_at
    ELSE quiz_stats.last_finished_at END,
  last_attempt_id = CASE WHEN {newer} THEN excluded.last_attempt_id
    ELSE quiz_stats.last_attempt_id END,
  latest_title = CASE WHEN {newer} THEN excluded.latest_title
    ELSE quiz_stats.latest_title END"""


def _aggregate_sql(where: str = "TRUE") -> str:
    """SQL that inserts the figures of every (learner, quiz) matching `where`, from scratch."""
    latest = (
        "SELECT {column} FROM attempts AS l WHERE l.user_id = a.user_id AND l.quiz = a.quiz "
        "AND l.finished_at IS NOT NULL ORDER BY l.finished_at DESC, l.id DESC LIMIT 1"
    )
    return f"""
INSERT INTO quiz_stats ({_COLUMNS})
SELECT a.user_id, a.quiz, COUNT(*), COUNT(a.percent), COALESCE(SUM(a.percent), 0.0),
       MAX(a.percent), MAX(a.finished_at), ({latest.format(column="l.id")}),
       ({latest.format(column="l.title")})
FROM (SELECT user_id, quiz, finished_at, {_percent_sql("attempts")} AS percent
      FROM attempts WHERE user_id IS NOT NULL AND finished_at IS NOT NULL AND ({where})) AS a
GROUP BY a.user_id, a.quiz"""


def _recount_sql(row: str, extra: str = "TRUE") -> list[str]:
    """SQL that counts `row`'s (learner, quiz) again from its attempts (rare: edits, deletes)."""
    match = f"user_id = {row}.user_id AND quiz = {row}.quiz AND ({extra})"
    return [f"DELETE FROM quiz_stats WHERE {match}", _aggregate_sql(match)]


# Which changes to an attempt can change its quiz's figures.
_WATCHED = "user_id, quiz, title, score, max_score, finished_at"
_COUNTED = "{row}.user_id IS NOT NULL AND {row}.finished_at IS NOT NULL"
_OTHER_QUIZ = "NEW.user_id IS NOT OLD.user_id OR NEW.quiz IS NOT OLD.quiz"


_SQLITE_TRIGGERS = (
    "quiz_stats_on_insert",
    "quiz_stats_on_finish",
    "quiz_stats_on_change",
    "quiz_stats_on_delete",
)


def _sqlite_triggers() -> list[str]:
    def trigger(name: str, when: str, condition: str, statements: list[str]) -> str:
        body = ";\n".join(statements)
        return (
            f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {when} ON attempts "
            f"FOR EACH ROW WHEN {condition}\nBEGIN\n{body};\nEND"
        )

    new, old = _COUNTED.format(row="NEW"), _COUNTED.format(row="OLD")
    return [
        # The usual case, a cheap upsert: an attempt finishes (or is inserted finished,
        # or a visitor's finished attempt becomes a learner's).
        trigger("quiz_stats_on_insert", "INSERT", new, [_add_sql("NEW")]),
        trigger(
            "quiz_stats_on_finish",
            f"UPDATE OF {_WATCHED}",
            f"{new} AND NOT ({old})",
            [_add_sql("NEW")],
        ),
        # An attempt already counted changed: count its quiz (and its new quiz) again.
        trigger(
            "quiz_stats_on_change",
            f"UPDATE OF {_WATCHED}",
            old,
            [*_recount_sql("OLD"), *_recount_sql("NEW", _OTHER_QUIZ)],
        ),
        trigger("quiz_stats_on_delete", "DELETE", old, _recount_sql("OLD")),
    ]


def _postgresql_triggers() -> list[str]:
    new, old = _COUNTED.format(row="NEW"), _COUNTED.format(row="OLD")
    recount_old = ";\n    ".join(_recount_sql("OLD"))
    recount_new = ";\n      ".join(_recount_sql("NEW"))
    other_quiz = "NEW.user_id IS DISTINCT FROM OLD.user_id OR NEW.quiz IS DISTINCT FROM OLD.quiz"
    add = _add_sql("NEW").strip().replace("\n", "\n      ")
    function = f"""
CREATE OR REPLACE FUNCTION quiz_stats_follow_attempts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF {new} THEN
      {add};
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    IF {old} THEN
      {recount_old};
    END IF;
  ELSIF {old} THEN
    {recount_old};
    IF {new} AND ({other_quiz}) THEN
      {recount_new};
    END IF;
  ELSIF {new} THEN
    {add};
  END IF;
  RETURN NULL;
END
$$"""
    trigger = (
        "CREATE OR REPLACE TRIGGER quiz_stats_follow_attempts "
        f"AFTER INSERT OR DELETE OR UPDATE OF {_WATCHED} ON attempts "
        "FOR EACH ROW EXECUTE FUNCTION quiz_stats_follow_attempts()"
    )
    return [function, trigger]


def install_triggers(connection: Connection) -> None:
    """Create the triggers that keep quiz_stats, and fill it if it is empty.

    Runs after every `create_all` (it is idempotent); a migration that creates the
    table calls it too. Filling an empty table counts the attempts finished before it
    existed.
    """
    dialect = connection.dialect.name
    if dialect == "sqlite":
        statements = _sqlite_triggers()
    elif dialect == "postgresql":
        statements = _postgresql_triggers()
    else:  # pragma: no cover - the app runs on SQLite and PostgreSQL only
        raise RuntimeError(f"quiz_stats has no triggers for {dialect}")
    for statement in statements:
        connection.execute(DDL(statement.replace("%", "%%")))
    if connection.execute(text("SELECT 1 FROM quiz_stats LIMIT 1")).first() is None:
        connection.execute(text(_aggregate_sql()))


def drop_triggers(connection: Connection) -> None:
    """Drop what install_triggers created (a migration's downgrade)."""
    if connection.dialect.name == "postgresql":
        statements = [
            "DROP TRIGGER IF EXISTS quiz_stats_follow_attempts ON attempts",
            "DROP FUNCTION IF EXISTS quiz_stats_follow_attempts()",
        ]
    else:
        statements = [f"DROP TRIGGER IF EXISTS {name}" for name in _SQLITE_TRIGGERS]
    for statement in statements:
        connection.execute(DDL(statement))


def rebuild(connection: Connection) -> None:
    """Count every learner's figures again from their attempts."""
    connection.execute(text("DELETE FROM quiz_stats"))
    connection.execute(text(_aggregate_sql()))


def _after_create(_metadata: Any, connection: Connection, **_: Any) -> None:
    if "quiz_stats" in _metadata.tables and "attempts" in _metadata.tables:
        install_triggers(connection)


event.listen(db.metadata, "after_create", _after_create)
