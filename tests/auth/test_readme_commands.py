"""The README's commands for making accounts work as written: typed at a terminal (the
answers on standard input) and in a script (the password piped in)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp import create_app
from quizapp.accounts import authenticate
from quizapp.extensions import db
from quizapp.models import User

README = Path(__file__).resolve().parents[2] / "README.md"
PASSWORD = "a long pass phrase for tess"


def readme_commands(marker: str) -> list[str]:
    """Return the README's shell lines (in ```sh blocks) that contain `marker`."""
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(), re.S)
    return [line for block in blocks for line in block.splitlines() if marker in line]


@pytest.fixture
def database(tmp_path) -> str:
    """A database file of its own, its schema made by the app's own command."""
    url = f"sqlite:///{tmp_path / 'quizapp.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "readme"})
    assert app.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
    return url


def run(command: str, database: str, stdin: str = "", **env) -> subprocess.CompletedProcess:
    """Run a README line in bash as written, with this interpreter's flask."""
    flask = f"{sys.executable} -m flask"
    command = command.replace(".venv/bin/flask", flask)
    environment = {**os.environ, "DATABASE_URL": database, "SECRET_KEY": "readme", **env}
    return subprocess.run(
        ["bash", "-c", command],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def account(database: str, username: str) -> tuple[str, str, bool]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database, "SECRET_KEY": "readme"})
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == username))
        assert user is not None, f"no account {username!r}"
        return user.role, user.display_name, authenticate(username, PASSWORD) is not None


def test_the_readme_documents_both_ways_of_making_a_teacher():
    assert readme_commands("users create --teacher USERNAME")
    assert readme_commands("--password-stdin")


def test_the_scripted_command_makes_the_teacher_with_the_piped_password(database):
    [command] = readme_commands("--password-stdin")
    result = run(command, database, TEACHER_PASSWORD=PASSWORD)
    assert result.returncode == 0, result.stderr
    assert "Aborted" not in result.stderr
    assert "Created teacher 'tess' (Tess Teacher)." in result.stdout
    assert account(database, "tess") == ("teacher", "Tess Teacher", True)


def test_the_interactive_command_asks_the_display_name_then_the_password_twice(database):
    [command] = readme_commands("users create --teacher USERNAME")
    answers = f"Tess Teacher\n{PASSWORD}\n{PASSWORD}\n"
    result = run(command.replace("USERNAME", "tess"), database, stdin=answers)
    assert result.returncode == 0, result.stderr
    assert PASSWORD not in result.stdout
    assert account(database, "tess") == ("teacher", "Tess Teacher", True)
