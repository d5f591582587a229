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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import DDL, Connection, ForeignKey, String, event, text
from sqlalchemy.orm import Mapped, composite, mapped_column

from quizapp.extensions import db
from quizapp.models.attempts import DrawnFrom


class QuizStat(db.Model):
    """A learner's running figures for one quiz, kept by triggers on `attempts`."""

    __tablename__ = "quiz_stats"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    #: The quiz's key (`DrawnFrom.quiz_key`): one column to group and find it by, where
    #: the bank or assignment below may be NULL.
    quiz_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    #: What the quiz drew from, as on its attempts.
    kind: Mapped[str] = mapped_column(String(16))
    bank_id: Mapped[int | None] = mapped_column(ForeignKey("banks.id"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"), index=True)
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

    drawn_from: Mapped[DrawnFrom] = composite("kind", "bank_id", "assignment_id")

    @property
    def average_percent(self) -> float | None:
        return self.percent_sum / self.scored if self.scored else None


# ------------------------------------------------------------ keeping quiz_stats


@dataclass(frozen=True)
class Grouping:
    """How the triggers group a learner's attempts into quizzes: the key column of
    quiz_stats, the SQL of an attempt row's key, the attempt columns that decide it,
    and those copied into quiz_stats beside the key."""

    key_column: str
    key_sql: Callable[[str], str]
    decided_by: tuple[str, ...]
    carried: tuple[str, ...] = ()


#: The schema of today: by what an attempt drew from.
BY_DRAWN_FROM = Grouping(
    "quiz_key",
    DrawnFrom.quiz_key_sql,
    decided_by=("kind", "bank_id", "assignment_id"),
    carried=("kind", "bank_id", "assignment_id"),
)
#: The schema of revisions 0003 to 0006 (their migrations build it): by `attempts.quiz`,
#: a text key such as "bank:dates".
BY_TEXT_KEY = Grouping("quiz", lambda row: f"{row}.quiz", decided_by=("quiz",))


def _columns(grouping: Grouping) -> str:
    return ", ".join(
        [
            "user_id",
            grouping.key_column,
            *grouping.carried,
            "attempts, scored, percent_sum, best_percent, "
            "last_finished_at, last_attempt_id, latest_title",
        ]
    )


def _percent_sql(row: str) -> str:
    return f"CASE WHEN {row}.max_score > 0 THEN 100.0 * {row}.score / {row}.max_score END"


def _add_sql(grouping: Grouping, row: str) -> str:
    """SQL that counts one newly finished attempt (`row`: NEW) into its quiz's figures."""
    percent = _percent_sql(row)
    newer = (
        "(excluded.last_finished_at > quiz_stats.last_finished_at OR "
        "(excluded.last_finished_at = quiz_stats.last_finished_at AND "
        "excluded.last_attempt_id > quiz_stats.last_attempt_id))"
    )
    key = ", ".join([grouping.key_sql(row), *(f"{row}.{c}" for c in grouping.carried)])
    return f"""
INSERT INTO quiz_stats ({_columns(grouping)})
VALUES ({row}.user_id, {key}, 1, CASE WHEN ({percent}) IS NULL THEN 0 ELSE 1 END,
        COALESCE({percent}, 0.0), {percent}, {row}.finished_at, {row}.id, {row}.title)
ON CONFLICT (user_id, {grouping.key_column}) DO UPDATE SET
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


def _aggregate_sql(grouping: Grouping, where: str = "TRUE") -> str:
    """SQL that inserts the figures of every (learner, quiz) of the attempts matching
    `where` (on `attempts`), from scratch."""
    key_column = grouping.key_column
    latest = (
        "SELECT {column} FROM attempts AS l WHERE l.user_id = a.user_id AND "
        f"{grouping.key_sql('l')} = a.{key_column} "
        "AND l.finished_at IS NOT NULL ORDER BY l.finished_at DESC, l.id DESC LIMIT 1"
    )
    group = ", ".join(["a.user_id", f"a.{key_column}", *(f"a.{c}" for c in grouping.carried)])
    carried = "".join(f"attempts.{c}, " for c in grouping.carried)
    return f"""
INSERT INTO quiz_stats ({_columns(grouping)})
SELECT {group}, COUNT(*), COUNT(a.percent), COALESCE(SUM(a.percent), 0.0),
       MAX(a.percent), MAX(a.finished_at), ({latest.format(column="l.id")}),
       ({latest.format(column="l.title")})
FROM (SELECT attempts.user_id, {grouping.key_sql("attempts")} AS {key_column}, {carried}
             attempts.finished_at, {_percent_sql("attempts")} AS percent
      FROM attempts
      WHERE attempts.user_id IS NOT NULL AND attempts.finished_at IS NOT NULL
        AND ({where})) AS a
GROUP BY {group}"""


def _recount_sql(grouping: Grouping, row: str, extra: str = "TRUE") -> list[str]:
    """SQL that counts `row`'s (learner, quiz) again from its attempts (rare: edits, deletes)."""
    key = grouping.key_sql(row)
    stat = f"user_id = {row}.user_id AND {grouping.key_column} = {key} AND ({extra})"
    attempts = (
        f"attempts.user_id = {row}.user_id AND {grouping.key_sql('attempts')} = {key} AND ({extra})"
    )
    return [f"DELETE FROM quiz_stats WHERE {stat}", _aggregate_sql(grouping, attempts)]


def _watched(grouping: Grouping) -> str:
    """Which columns of an attempt, when updated, can change its quiz's figures."""
    return ", ".join(
        ["user_id", *grouping.decided_by, "title", "score", "max_score", "finished_at"]
    )


_COUNTED = "{row}.user_id IS NOT NULL AND {row}.finished_at IS NOT NULL"


_SQLITE_TRIGGERS = (
    "quiz_stats_on_insert",
    "quiz_stats_on_finish",
    "quiz_stats_on_change",
    "quiz_stats_on_delete",
)


def _sqlite_triggers(grouping: Grouping) -> list[str]:
    def trigger(name: str, when: str, condition: str, statements: list[str]) -> str:
        body = ";\n".join(statements)
        return (
            f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {when} ON attempts "
            f"FOR EACH ROW WHEN {condition}\nBEGIN\n{body};\nEND"
        )

    new, old = _COUNTED.format(row="NEW"), _COUNTED.format(row="OLD")
    watched = _watched(grouping)
    key = grouping.key_sql
    other_quiz = f"NEW.user_id IS NOT OLD.user_id OR {key('NEW')} IS NOT {key('OLD')}"
    return [
        # The usual case, a cheap upsert: an attempt finishes (or is inserted finished,
        # or a visitor's finished attempt becomes a learner's).
        trigger("quiz_stats_on_insert", "INSERT", new, [_add_sql(grouping, "NEW")]),
        trigger(
            "quiz_stats_on_finish",
            f"UPDATE OF {watched}",
            f"{new} AND NOT ({old})",
            [_add_sql(grouping, "NEW")],
        ),
        # An attempt already counted changed: count its quiz (and its new quiz) again.
        trigger(
            "quiz_stats_on_change",
            f"UPDATE OF {watched}",
            old,
            [*_recount_sql(grouping, "OLD"), *_recount_sql(grouping, "NEW", other_quiz)],
        ),
        trigger("quiz_stats_on_delete", "DELETE", old, _recount_sql(grouping, "OLD")),
    ]


def _postgresql_triggers(grouping: Grouping) -> list[str]:
    new, old = _COUNTED.format(row="NEW"), _COUNTED.format(row="OLD")
    recount_old = ";\n    ".join(_recount_sql(grouping, "OLD"))
    recount_new = ";\n      ".join(_recount_sql(grouping, "NEW"))
    key = grouping.key_sql
    other_quiz = (
        f"NEW.user_id IS DISTINCT FROM OLD.user_id OR {key('NEW')} IS DISTINCT FROM {key('OLD')}"
    )
    add = _add_sql(grouping, "NEW").strip().replace("\n", "\n      ")
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
        f"AFTER INSERT OR DELETE OR UPDATE OF {_watched(grouping)} ON attempts "
        "FOR EACH ROW EXECUTE FUNCTION quiz_stats_follow_attempts()"
    )
    return [function, trigger]


def install_triggers(connection: Connection, grouping: Grouping = BY_DRAWN_FROM) -> None:
    """Create the triggers that keep quiz_stats, and fill it if it is empty.

    Runs after every `create_all` (it is idempotent); a migration that creates the
    table calls it too, with the grouping of its own schema. Filling an empty table
    counts the attempts finished before it existed.
    """
    dialect = connection.dialect.name
    if dialect == "sqlite":
        statements = _sqlite_triggers(grouping)
    elif dialect == "postgresql":
        statements = _postgresql_triggers(grouping)
    else:  # pragma: no cover - the app runs on SQLite and PostgreSQL only
        raise RuntimeError(f"quiz_stats has no triggers for {dialect}")
    for statement in statements:
        connection.execute(DDL(statement.replace("%", "%%")))
    if connection.execute(text("SELECT 1 FROM quiz_stats LIMIT 1")).first() is None:
        connection.execute(text(_aggregate_sql(grouping)))


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
    connection.execute(text(_aggregate_sql(BY_DRAWN_FROM)))


def _after_create(_metadata: Any, connection: Connection, **_: Any) -> None:
    if "quiz_stats" in _metadata.tables and "attempts" in _metadata.tables:
        install_triggers(connection)


event.listen(db.metadata, "after_create", _after_create)
