"""flask --app quizapp backup PATH: a consistent copy of a live SQLite database.

SQLite's online backup API copies the database page by page through a connection of
its own. Done in one step it reads one snapshot: in WAL mode the app's writers go on
meanwhile, and the copy holds every transaction committed before the snapshot and
none after it, never half of one. The copy is written beside PATH, checked, switched
to a single-file journal and only then renamed into place.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import click
from flask.cli import with_appcontext

from quizapp.extensions import db


class BackupError(Exception):
    """The backup could not be made; nothing was written at the target."""


def backup_sqlite(database: str | os.PathLike, target: str | os.PathLike) -> None:
    """Copy the SQLite database file `database` to `target`, consistently, while it is in use."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} already exists: choose a new file name.")
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent} is not a folder.")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(database)
    copy = sqlite3.connect(partial)
    try:
        source.execute("PRAGMA busy_timeout = 30000")
        source.backup(copy)  # all pages in one step: one snapshot of the database
        # The copy is one self-contained file, not a WAL database with side files.
        copy.execute("PRAGMA journal_mode = DELETE")
        problems = copy.execute("PRAGMA integrity_check").fetchall()
        if problems != [("ok",)]:
            raise BackupError(f"the copy failed its integrity check: {problems[:3]}")
    except BaseException:
        copy.close()
        partial.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    copy.close()
    os.replace(partial, target)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write a consistent copy of the live SQLite database to PATH (a new file).

    Safe while the app is serving: learners go on answering during the copy. Restore
    by stopping the app and putting the copy in place of the database file. For
    PostgreSQL use pg_dump instead.
    """
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise click.ClickException(
            f"backup copies a SQLite database file; this one is {url.get_backend_name()}"
            " (for PostgreSQL, use pg_dump)."
        )
    try:
        backup_sqlite(url.database, path)
    except (BackupError, sqlite3.Error) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Backed up {url.database} to {path} ({path.stat().st_size:,} bytes).")
