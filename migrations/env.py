"""Alembic's environment for quizapp, run inside the app by Flask-Migrate.

It takes the engine and the metadata (with its naming convention) from the app, and
leaves logging alone: `fileConfig` would replace the handlers of the running app (and
of the test runner). The rate-limit counters' table belongs to quizapp.throttle, which
makes it itself, so migrations neither create nor drop it.
"""

from alembic import context
from flask import current_app

from quizapp.throttle import TABLE_NAME as RATE_LIMITS_TABLE

config = context.config
extension = current_app.extensions["migrate"]
engine = extension.db.engine
metadata = extension.db.metadata
config.set_main_option(
    "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
)


def include_name(name, type_, parent_names) -> bool:
    return not (type_ == "table" and name == RATE_LIMITS_TABLE)


def skip_empty_revisions(context, revision, directives) -> None:
    """`flask db migrate` with no model change writes no empty revision."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
        include_name=include_name,
        **extension.configure_args,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    options = {"process_revision_directives": skip_empty_revisions, **extension.configure_args}
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            include_name=include_name,
            **options,  # Flask-Migrate's: compare_type, render_as_batch
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
