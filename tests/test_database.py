"""SQLite serves many learners at once: WAL, busy timeout, foreign keys, IMMEDIATE writes."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from quizapp.extensions import db
from quizapp.models import Membership


@pytest.fixture
def sqlite_only(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite pragmas")


def pragma(name: str):
    return db.session.execute(text(f"PRAGMA {name}")).scalar()


def test_every_connection_uses_wal_a_busy_timeout_and_foreign_keys(app, sqlite_only):
    with app.app_context():
        for _ in range(2):
            with db.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_row_pointing_at_nothing_is_refused(app):
    with app.app_context():
        db.session.add(Membership(classroom_id=12345, user_id=67890))
        with pytest.raises(IntegrityError):
            db.session.commit()


def test_concurrent_read_then_write_transactions_never_meet_a_locked_database(app, sqlite_only):
    """Each writer reads, pauses, then writes: deferred transactions would fail here."""
    with app.app_context():
        db.session.execute(text("CREATE TABLE counter (n INTEGER)"))
        db.session.execute(text("INSERT INTO counter VALUES (0)"))
        db.session.commit()
    errors: list[Exception] = []
    barrier = threading.Barrier(8)

    def bump():
        with app.test_request_context(method="POST"), app.app_context():
            try:
                barrier.wait()
                for _ in range(10):
                    n = db.session.execute(text("SELECT n FROM counter")).scalar()
                    db.session.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})
                    db.session.commit()
            except Exception as exc:  # collected and asserted below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=bump) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        assert db.session.execute(text("SELECT n FROM counter")).scalar() == 80


def test_sqlite_built_without_math_functions_gets_power_for_mastery(app, sqlite_only, monkeypatch):
    """Mastery works out FSRS's recall with power(), which some SQLite builds lack."""
    from quizapp import database

    with app.app_context():
        builtin = db.session.execute(text("SELECT power(1.5, -0.1542)")).scalar()
        db.session.remove()
        db.engine.dispose()
        monkeypatch.setattr(database, "_sqlite_has_power", lambda: False)
        calls: list[tuple] = []
        original = database._power

        def counted(*args):
            calls.append(args)
            return original(*args)

        monkeypatch.setattr(database, "_power", counted)
        with db.engine.connect() as connection:
            registered = connection.exec_driver_sql("SELECT power(1.5, -0.1542)").scalar()
            assert connection.exec_driver_sql("SELECT power(NULL, 2)").scalar() is None
        db.engine.dispose()
    assert registered == builtin == 1.5**-0.1542
    assert calls == [(1.5, -0.1542), (None, 2)], "the registered function answered"
