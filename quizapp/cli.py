"""Command-line entry points: flask --app quizapp ..."""

from __future__ import annotations

import click
from flask import Flask

from quizapp.extensions import db


def create_schema() -> None:
    """Create any missing tables."""
    db.create_all()


@click.command("init-db")
def init_db_command() -> None:
    """Create the database tables."""
    create_schema()
    click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")


def init_app(app: Flask) -> None:
    from quizapp.auth.cli import users_cli
    from quizapp.banks.cli import banks_cli

    app.cli.add_command(init_db_command)
    app.cli.add_command(banks_cli)
    app.cli.add_command(users_cli)
