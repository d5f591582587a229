"""flask --app quizapp backup PATH: a consistent copy of a SQLite database that is being written."""

from __future__ import annotations

import shutil
import threading

import pytest
from werkzeug.security import generate_password_hash

from quizapp import create_app
from quizapp.backup import BackupError, backup_sqlite
from quizapp.extensions import db
from quizapp.models import Classroom, User


@pytest.fixture
def sqlite_app(app, tmp_path):
    """The test app when it runs on SQLite; on a server database, one on a SQLite file."""
    with app.app_context():
        on_sqlite = db.engine.dialect.name == "sqlite"
    if on_sqlite:
        yield app
        return
    other = create_app(
        {"TESTING": True, "SECRET_KEY": "test",
         "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'backup-source.sqlite'}"}
    )  # fmt: skip
    assert other.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def add_teacher_with_class(number: int) -> None:
    """One transaction writing two rows that only make sense together."""
    teacher = User(
        username=f"teacher{number:05d}",
        display_name=f"Teacher {number}",
        password_hash=generate_password_hash("x", method="pbkdf2:sha256:1"),
        role="teacher",
    )
    db.session.add(teacher)
    db.session.flush()
    db.session.add(
        Classroom(name=f"Class {number}", owner_id=teacher.id, join_code=f"C{number:05d}")
    )
    db.session.commit()


def test_a_backup_taken_while_learners_write_restores_to_a_consistent_database(
    sqlite_app, runner, tmp_path
):
    app = sqlite_app
    assert app.test_cli_runner().invoke(args=["banks", "load"]).exit_code == 0
    with app.app_context():
        for number in range(50):
            add_teacher_with_class(number)
    stop = threading.Event()
    written: list[int] = []

    def keep_writing():
        with app.app_context():
            number = 50
            while not stop.is_set() or len(written) < 20:
                add_teacher_with_class(number)
                written.append(number)
                number += 1
            db.session.remove()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    copies = []
    try:
        while len(written) < 5:  # the writer is going
            threading.Event().wait(0.01)
        for i in range(3):  # several copies, each while rows keep arriving
            target = tmp_path / f"backup-{i}.sqlite"
            result = app.test_cli_runner().invoke(args=["backup", str(target)])
            assert result.exit_code == 0, result.output
            assert "Backed up" in result.output
            copies.append(target)
    finally:
        stop.set()
        writer.join(timeout=120)
    assert len(written) >= 20

    for copy in copies:
        assert not copy.with_name(copy.name + "-wal").exists()  # one self-contained file
        restored = tmp_path / f"restored-{copy.name}"
        shutil.copy(copy, restored)
        restored_app = create_app(
            {"TESTING": True, "SECRET_KEY": "test",
             "SQLALCHEMY_DATABASE_URI": f"sqlite:///{restored}"}
        )  # fmt: skip
        result = restored_app.test_cli_runner().invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        with restored_app.app_context():
            teachers = db.session.scalars(
                db.select(User.username).where(User.role == "teacher").order_by(User.username)
            ).all()
            classes = db.session.scalar(db.select(db.func.count(Classroom.id)))
            # Every transaction whole or absent: a teacher for each class, in an unbroken run.
            assert len(teachers) == classes >= 50
            assert teachers == [f"teacher{n:05d}" for n in range(len(teachers))]
            assert db.session.execute(db.text("PRAGMA integrity_check")).scalar() == "ok"
            db.session.remove()
            db.engine.dispose()
        assert restored_app.test_client().get("/").status_code == 200
        with restored_app.app_context():
            db.engine.dispose()


def test_backup_refuses_to_overwrite_a_file(sqlite_app, tmp_path):
    target = tmp_path / "taken.sqlite"
    target.write_text("keep me")
    result = sqlite_app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert target.read_text() == "keep me"


def test_backup_into_a_missing_folder_writes_nothing(tmp_path):
    with pytest.raises(BackupError, match="not a folder"):
        backup_sqlite(tmp_path / "x.sqlite", tmp_path / "missing" / "copy.sqlite")


def test_backup_copies_the_app_database_or_says_to_use_pg_dump_on_a_server(runner, app, tmp_path):
    target = tmp_path / "copy.sqlite"
    with app.app_context():
        on_sqlite = db.engine.dialect.name == "sqlite"
    result = runner.invoke(args=["backup", str(target)])
    if on_sqlite:
        assert result.exit_code == 0 and target.exists()
    else:
        assert result.exit_code == 1 and "pg_dump" in result.output and not target.exists()
