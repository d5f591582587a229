"""Database engine setup: SQLite made safe for many learners at once."""

from __future__ import annotations

import contextlib
import functools
import math
import sqlite3

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from quizapp.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_app(app: Flask) -> None:
    """Tune SQLite connections; PostgreSQL needs nothing here."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        _tune_sqlite(engine, busy_timeout_ms=app.config.get("SQLITE_BUSY_TIMEOUT_MS", 30_000))


def _tune_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the sqlite3 module, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        if not _sqlite_has_power():
            # Mastery works out FSRS's recall in SQL; PostgreSQL has power(), and
            # SQLite only when built with its math functions.
            dbapi_connection.create_function("power", 2, _power, deterministic=True)

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        # A deferred transaction that reads and then writes fails at once with
        # "database is locked" when another writer got there first; the busy timeout
        # only helps a transaction that asks for the write lock up front. Requests
        # that may write (every non-GET) and all work outside a request begin
        # IMMEDIATE; page views stay deferred so that readers never queue.
        read_only = has_request_context() and request.method in SAFE_METHODS
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


@functools.cache
def _sqlite_has_power() -> bool:
    """Say whether the SQLite library Python uses was built with power()."""
    with contextlib.closing(sqlite3.connect(":memory:")) as connection:
        try:
            connection.execute("SELECT power(2, 2)")
        except sqlite3.OperationalError:
            return False
    return True


def _power(base: float | None, exponent: float | None) -> float | None:
    """SQL's power(): NULL in, NULL out; the C library's pow(), as SQLite's own."""
    if base is None or exponent is None:
        return None
    return math.pow(base, exponent)
