"""Learners given extra time

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 08:00:00

`extra_time` holds a teacher's accommodation for one learner on one assignment (what
Moodle calls a user override): the time limit multiplied (`factor_percent`: 150, 200) or
lengthened (`extra_minutes`), exactly one of the two. quizapp/classrooms/extra_time.py
turns it into the learner's deadline.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "extra_time",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("factor_percent", sa.Integer(), nullable=True),
        sa.Column("extra_minutes", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(factor_percent IS NULL) <> (extra_minutes IS NULL)",
            name=op.f("ck_extra_time_one_kind_of_extra_time"),
        ),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignments.id"],
            name=op.f("fk_extra_time_assignment_id_assignments"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_extra_time_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extra_time")),
        sa.UniqueConstraint(
            "assignment_id", "user_id", name=op.f("uq_extra_time_assignment_id_user_id")
        ),
    )
    with op.batch_alter_table("extra_time", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_extra_time_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("extra_time", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_extra_time_user_id"))
    op.drop_table("extra_time")
