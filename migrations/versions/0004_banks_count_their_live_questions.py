"""Banks count their live questions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 19:10:00

`banks.live_questions` holds how many of a bank's questions are live, kept by the sync
that writes them (quizapp/banks/sync.py), so that the home page and the mastery section
of the progress page read a bank's size instead of counting its questions on every
request. This revision adds the column and counts the banks already there.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("banks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("live_questions", sa.Integer(), server_default="0", nullable=False)
        )
    op.execute(
        "UPDATE banks SET live_questions = (SELECT COUNT(*) FROM questions"
        " WHERE questions.bank_id = banks.id AND questions.retired_at IS NULL"
        " AND questions.current_version_id IS NOT NULL)"
    )


def downgrade():
    with op.batch_alter_table("banks", schema=None) as batch_op:
        batch_op.drop_column("live_questions")
