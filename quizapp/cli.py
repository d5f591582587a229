"""Command-line entry points: flask --app quizapp ..."""

from __future__ import annotations

import click
import flask_migrate
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import inspect, text

from quizapp.extensions import db

#: The first migration: the schema of databases made before migrations existed.
FIRST_REVISION = "0001"
VERSION_TABLE = "alembic_version"


def create_schema() -> None:
    """Bring the database to the current schema by running the migrations (Alembic).

    A new database is built revision by revision and records its version, so a later
    `flask --app quizapp db upgrade` knows where it stands. A database made by the
    create_all of earlier versions (tables but no version) is taken to be at the
    first revision, then upgraded; one without any of the app's tables is empty,
    whatever version it claims.
    """
    tables = set(inspect(db.engine).get_table_names())
    if not tables & set(db.metadata.tables):
        if VERSION_TABLE in tables:
            with db.engine.begin() as connection:
                connection.execute(text(f"DROP TABLE {VERSION_TABLE}"))
    elif VERSION_TABLE not in tables:
        flask_migrate.stamp(revision=FIRST_REVISION)
    flask_migrate.upgrade()


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the database tables, or bring them to the current schema."""
    create_schema()
    click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")


def init_app(app: Flask) -> None:
    """Add the database's commands (the domains add their own: banks, users, attempts)."""
    from quizapp.backup import backup_command

    app.cli.add_command(init_db_command)
    app.cli.add_command(backup_command)
