"""Tests hold their answers back; timed attempts are found by their deadline

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 10:00:00

`assignments.answers_released_at` records when a teacher released a test's answers (a
test with no closing time holds them until then). The index on attempts (finished_at,
deadline) finds the timed attempts whose time ran out and that nobody finished yet, so
that a write request or `flask attempts close-overdue` can finish them cheaply; the one on
(user_id, assignment_id) finds a learner's attempts at assignments, whose answers may be
held back, apart from their other attempts.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answers_released_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.create_index("ix_attempts_open_deadline", ["finished_at", "deadline"])
        batch_op.create_index("ix_attempts_user_assignment", ["user_id", "assignment_id"])


def downgrade():
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_attempts_user_assignment")
        batch_op.drop_index("ix_attempts_open_deadline")
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_column("answers_released_at")
