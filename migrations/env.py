"""Alembic's environment for quizapp, run inside the app by Flask-Migrate.

It takes the engine and the metadata (with its naming convention) from the app, and
leaves logging alone: `fileConfig` would replace the handlers of the running app (and
of the test runner). The rate-limit counters' table belongs to quizapp.throttle, which
makes it itself, so migrations neither create nor drop it.

On SQLite, foreign keys are enforced by each statement only outside the migrations: a
revision that rebuilds a table (batch mode: copy, drop the old, rename the new) would
otherwise fail on the rows that point at it. SQLite's own procedure for altering tables
is followed instead: enforcement off, and `PRAGMA foreign_key_check` before each
revision commits, so a revision that leaves a dangling key is rolled back.
"""

from alembic import context
from alembic.util import CommandError
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


def check_foreign_keys(ctx, step, **_) -> None:
    """Refuse to commit a revision that left a row pointing at no row (SQLite)."""
    dangling = ctx.connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if dangling:
        found = ", ".join(
            f"{table} row {rowid} -> {parent}" for table, rowid, parent, _ in dangling
        )
        raise CommandError(f"{step}: foreign keys point at no row: {found}")


def run_migrations_online() -> None:
    options = {"process_revision_directives": skip_empty_revisions, **extension.configure_args}
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Outside any transaction (none has begun on this connection): inside one,
            # SQLite ignores it.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
            options["on_version_apply"] = check_foreign_keys
        try:
            context.configure(
                connection=connection,
                target_metadata=metadata,
                include_name=include_name,
                **options,  # Flask-Migrate's: compare_type, render_as_batch
            )
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if sqlite:
                _enforce_foreign_keys_again(connection)


def _enforce_foreign_keys_again(connection) -> None:
    """Turn enforcement back on before the connection goes back to the pool; if SQLite
    does not take it, drop the connection (a new one turns it on)."""
    connection.rollback()  # each revision committed its own work: end what a read began
    driver = connection.connection.driver_connection
    driver.execute("PRAGMA foreign_keys=ON")
    if driver.execute("PRAGMA foreign_keys").fetchone()[0] != 1:  # pragma: no cover
        connection.invalidate()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
