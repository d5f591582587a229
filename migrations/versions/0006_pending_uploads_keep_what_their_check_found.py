"""Pending uploads keep what their check found

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 10:00:00

`pending_uploads.checked` holds, as JSON, what reading and checking an uploaded file
found when it arrived (quizapp/teach/uploads.py): the bank as it will be imported, or
every problem, with what a GIFT file skipped or warned about. A preview and the
confirmation read it instead of parsing the file again. Uploads kept from before have
none: they are checked from their file when shown, as before.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("pending_uploads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checked", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("pending_uploads", schema=None) as batch_op:
        batch_op.drop_column("checked")
