"""Where a test database stands among the migrations, and how it differs from the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from quizapp.extensions import db
from quizapp.throttle import TABLE_NAME as RATE_LIMITS


def script(app) -> ScriptDirectory:
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config)


def current_revision(app) -> str | None:
    with app.app_context(), db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def differences(app) -> list:
    """What autogenerate would write if run now: nothing, when models and migrations agree."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_name": lambda name, kind, _: not (kind == "table" and name == RATE_LIMITS),
            },
        )
        return compare_metadata(context, db.metadata)
