"""Attempts point at what they drew from by foreign keys, not by a text key

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 08:00:00

`attempts.quiz` was a text key ("bank:dates", "assignment:7", "mixed", "review", ...)
that pages joined by concatenating strings. It becomes `attempts.kind` (bank, mixed,
assignment, review, mistakes, weakest-topics, reader, timeline) with `attempts.bank_id`
(a foreign key to banks) for a bank's quiz and the existing `attempts.assignment_id` for
an assignment's, and a CHECK that the right one is set for the kind. Neither key has an
ON DELETE: a bank or an assignment that attempts drew from cannot be deleted, as before
(a bank's questions were never deleted, and the teachers' pages refuse to delete an
assignment that learners have started).

Existing attempts are carried over key by key: "bank:<slug>" to the bank of that slug,
"assignment:<id>" to that assignment (an attempt's own assignment_id, when set, decides),
the other keys to the kind of the same name. An attempt whose key names no bank or
assignment in the database, or a key the app never wrote, has nothing to point at: the
upgrade then stops before changing anything and names those keys, so that the operator
can restore the bank or delete those attempts and run it again. Nothing is guessed and
nothing is dropped.

quiz_stats (figures kept by triggers, revision 0003) is derived from the attempts: it is
built again in its new shape, keyed by the quiz key `DrawnFrom.quiz_key` gives
("bank:3"), with the kind, bank and assignment beside it, and counted again from the
attempts. The downgrade writes the text keys back from the same columns.
"""

import sqlalchemy as sa
from alembic import op
from alembic.util import CommandError

from quizapp.models import quiz_stats as stats

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

#: The kinds of this revision, as the app wrote their text keys before it.
BANK, ASSIGNMENT = "bank", "assignment"
KINDS_BY_NAME = ("mixed", "review", "mistakes", "weakest-topics", "reader", "timeline")
#: The CHECK of this revision (quizapp.models.attempts.drawn_from_check, as it was).
DRAWN_FROM_CHECK = (
    "kind IN ('bank', 'mixed', 'assignment', 'review', 'mistakes', 'weakest-topics', "
    "'reader', 'timeline') "
    "AND ((kind = 'bank' AND bank_id IS NOT NULL) OR (kind <> 'bank' AND bank_id IS NULL)) "
    "AND ((kind = 'assignment' AND assignment_id IS NOT NULL) "
    "OR (kind <> 'assignment' AND assignment_id IS NULL))"
)


def upgrade():
    connection = op.get_bind()
    carried = _carry_over(connection)
    stats.drop_triggers(connection)
    op.drop_table("quiz_stats")
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("bank_id", sa.Integer(), nullable=True))
    connection.execute(
        sa.text("UPDATE attempts SET kind = :kind WHERE assignment_id IS NOT NULL"),
        {"kind": ASSIGNMENT},
    )
    if carried:
        connection.execute(
            sa.text(
                "UPDATE attempts SET kind = :kind, bank_id = :bank_id,"
                " assignment_id = :assignment_id"
                " WHERE quiz = :key AND assignment_id IS NULL"
            ),
            [
                {"key": key, "kind": kind, "bank_id": bank_id, "assignment_id": assignment_id}
                for key, (kind, bank_id, assignment_id) in carried.items()
            ],
        )
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.alter_column("kind", existing_type=sa.String(length=16), nullable=False)
        batch_op.create_index(batch_op.f("ix_attempts_bank_id"), ["bank_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_attempts_bank_id_banks"), "banks", ["bank_id"], ["id"]
        )
        batch_op.create_check_constraint(batch_op.f("ck_attempts_drawn_from"), DRAWN_FROM_CHECK)
        batch_op.drop_column("quiz")
    _create_quiz_stats()
    stats.install_triggers(connection, stats.BY_DRAWN_FROM)


def downgrade():
    connection = op.get_bind()
    stats.drop_triggers(connection)
    op.drop_table("quiz_stats")
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quiz", sa.String(length=80), nullable=True))
    connection.execute(
        sa.text(
            "UPDATE attempts SET quiz = :prefix || (SELECT banks.slug FROM banks"
            " WHERE banks.id = attempts.bank_id) WHERE kind = :kind"
        ),
        {"prefix": f"{BANK}:", "kind": BANK},
    )
    connection.execute(
        sa.text(
            "UPDATE attempts SET quiz = :prefix || CAST(assignment_id AS VARCHAR)"
            " WHERE kind = :kind"
        ),
        {"prefix": f"{ASSIGNMENT}:", "kind": ASSIGNMENT},
    )
    connection.execute(sa.text("UPDATE attempts SET quiz = kind WHERE quiz IS NULL"))
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.alter_column("quiz", existing_type=sa.String(length=80), nullable=False)
        batch_op.drop_constraint(batch_op.f("ck_attempts_drawn_from"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_attempts_bank_id_banks"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_attempts_bank_id"))
        batch_op.drop_column("bank_id")
        batch_op.drop_column("kind")
    _create_old_quiz_stats()
    stats.install_triggers(connection, stats.BY_TEXT_KEY)


def _carry_over(connection) -> dict[str, tuple[str, int | None, int | None]]:
    """Read each text key of the attempts outside assignments as (kind, bank_id,
    assignment_id); stop, changing nothing, if any names nothing that exists."""
    banks = dict(connection.execute(sa.text("SELECT slug, id FROM banks")).all())
    assignments = set(connection.scalars(sa.text("SELECT id FROM assignments")))
    counts = connection.execute(
        sa.text(
            "SELECT quiz, COUNT(*) FROM attempts WHERE assignment_id IS NULL"
            " GROUP BY quiz ORDER BY quiz"
        )
    ).all()
    carried, lost = {}, []
    for key, count in counts:
        drawn_from = _read_key(key, banks, assignments)
        if drawn_from is None:
            lost.append(f"{count} with the key {key!r}")
        else:
            carried[key] = drawn_from
    if lost:
        raise CommandError(
            "Revision 0008 cannot carry these attempts over, as their quiz names no bank "
            f"or assignment in this database: {'; '.join(lost)}. Nothing was changed. "
            "Restore the bank (or assignment), or delete those attempts, then upgrade again."
        )
    return carried


def _read_key(
    key: str, banks: dict[str, int], assignments: set[int]
) -> tuple[str, int | None, int | None] | None:
    kind, _, rest = key.partition(":")
    if kind == BANK and rest in banks:
        return (BANK, banks[rest], None)
    if kind == ASSIGNMENT and rest.isdecimal() and int(rest) in assignments:
        return (ASSIGNMENT, None, int(rest))
    if key in KINDS_BY_NAME:
        return (key, None, None)
    return None


def _create_quiz_stats() -> None:
    op.create_table(
        "quiz_stats",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("quiz_key", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("bank_id", sa.Integer(), nullable=True),
        sa.Column("assignment_id", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("scored", sa.Integer(), nullable=False),
        sa.Column("percent_sum", sa.Double(), nullable=False),
        sa.Column("best_percent", sa.Double(), nullable=True),
        sa.Column("last_finished_at", sa.DateTime(), nullable=False),
        sa.Column("last_attempt_id", sa.Integer(), nullable=False),
        sa.Column("latest_title", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignments.id"],
            name=op.f("fk_quiz_stats_assignment_id_assignments"),
        ),
        sa.ForeignKeyConstraint(
            ["bank_id"], ["banks.id"], name=op.f("fk_quiz_stats_bank_id_banks")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_quiz_stats_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", "quiz_key", name=op.f("pk_quiz_stats")),
    )
    with op.batch_alter_table("quiz_stats", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_quiz_stats_assignment_id"), ["assignment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_quiz_stats_bank_id"), ["bank_id"], unique=False)


def _create_old_quiz_stats() -> None:
    """quiz_stats as revision 0002 made it."""
    op.create_table(
        "quiz_stats",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("quiz", sa.String(length=80), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("scored", sa.Integer(), nullable=False),
        sa.Column("percent_sum", sa.Double(), nullable=False),
        sa.Column("best_percent", sa.Double(), nullable=True),
        sa.Column("last_finished_at", sa.DateTime(), nullable=False),
        sa.Column("last_attempt_id", sa.Integer(), nullable=False),
        sa.Column("latest_title", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_quiz_stats_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", "quiz", name=op.f("pk_quiz_stats")),
    )
