"""A learner's running figures per quiz, kept by the database itself with triggers.

The figures per quiz (attempts, best, average, latest) live in a small table,
`quiz_stats`, one row per learner and quiz, that the database keeps up to date with
triggers on `attempts`: whatever finishes, moves, edits or deletes an attempt (the quiz
pages, a visitor's attempts claimed at sign-up, a teacher's tools, a test's fixture), the
row follows in the same transaction. The progress page then reads a handful of rows
however many attempts a learner has finished: 100 or 100,000 cost the same.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DDL, Connection, ForeignKey, String, event, text
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db


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
