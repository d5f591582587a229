"""quiz_stats kept by triggers on attempts, and filled from the attempts already there

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 17:05:00

The per-learner, per-quiz figures of the progress page (quizapp/progress/stats.py)
follow every insert, update and delete of an attempt through triggers, which
autogenerate cannot see: this revision creates them (SQLite or PostgreSQL) and counts
the attempts finished before they existed. It groups attempts by their text key,
`attempts.quiz`, as the schema then had it (revision 0008 groups them by what they drew
from).
"""

from alembic import op

from quizapp.models import quiz_stats as stats

# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    stats.install_triggers(op.get_bind(), stats.BY_TEXT_KEY)


def downgrade():
    stats.drop_triggers(op.get_bind())
