"""flask --app quizapp users ...: accounts from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from quizapp.accounts import (
    PASSWORD_MAX,
    PASSWORD_MIN,
    UsernameTaken,
    create_user,
    find_user,
    normalise_username,
    username_problem,
    weak_password_reason,
)
from quizapp.extensions import db

users_cli = AppGroup("users", help="Manage learner and teacher accounts.")


def password_problem(password: str, username: str) -> str | None:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        return f"A password has {PASSWORD_MIN} to {PASSWORD_MAX:,} characters."
    if reason := weak_password_reason(password, username):
        return f"Choose a stronger password. {reason}"
    return None


def prompt_password(username: str) -> str:
    while True:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        if problem := password_problem(password, username):
            click.echo(f"Error: {problem}", err=True)
            continue
        return password


@users_cli.command("create")
@click.argument("username")
@click.option("--teacher", is_flag=True, help="Create a teacher instead of a learner.")
@click.option("--display-name", help="The name others see; asked for when not given.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input, for scripts.",
)
def create_command(
    username: str, teacher: bool, display_name: str | None, password_stdin: bool
) -> None:
    """Create an account named USERNAME, asking for its password."""
    normalised = normalise_username(username)
    if problem := username_problem(normalised):
        raise click.ClickException(f"{username!r}: {problem}")
    if find_user(normalised) is not None:
        raise click.ClickException(f"A user named {normalised!r} already exists.")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if problem := password_problem(password, normalised):
            raise click.ClickException(problem)
        display_name = display_name or normalised
    else:
        if display_name is None:
            display_name = click.prompt("Display name", default=normalised)
        password = prompt_password(normalised)
    display_name = display_name.strip() or normalised
    if len(display_name) > 80:
        raise click.ClickException("A display name has at most 80 characters.")
    role = "teacher" if teacher else "learner"
    try:
        user = create_user(normalised, display_name, password, role=role)
    except UsernameTaken:
        raise click.ClickException(f"A user named {normalised!r} already exists.") from None
    db.session.commit()
    click.echo(f"Created {role} {user.username!r} ({user.display_name}).")
