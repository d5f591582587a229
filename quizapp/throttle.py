"""Rate-limit counters kept in a SQL database, shared by every worker and machine.

Flask-Limiter (through the `limits` library) keeps its counters in a storage backend;
its in-memory one is per process, so four gunicorn workers would each allow the full
limit, and the other backends need a Redis, Memcached or MongoDB server we do not run.
This backend keeps fixed-window counters in one small table of a SQL database that every
worker can reach: beside a SQLite app database, a file of its own (so that counting a
failed login never waits for the write lock of the request being counted); with
PostgreSQL, the app's own database (a row lock is all a count takes there).

Its URIs are a SQLAlchemy URL behind `db+`: `db+sqlite:////srv/quizapp/limits.sqlite`,
`db+postgresql+psycopg://user:password@host/dbname`.
"""

from __future__ import annotations

import time

from limits.storage import Storage
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool
from sqlalchemy.schema import CreateIndex, CreateTable

from quizapp.models.rate_limits import TABLE_NAME, rate_limits

SCHEME_PREFIX = "db+"

# One statement, so two workers counting the same key at once both count: an expired
# window starts again at `amount`, a live one adds to it.
_INCREMENT = text(
    f"""
    INSERT INTO {TABLE_NAME} (name, hits, expires_at) VALUES (:name, :amount, :expires_at)
    ON CONFLICT (name) DO UPDATE SET
        hits = CASE WHEN {TABLE_NAME}.expires_at > :now
                    THEN {TABLE_NAME}.hits + excluded.hits ELSE excluded.hits END,
        expires_at = CASE WHEN {TABLE_NAME}.expires_at > :now
                          THEN {TABLE_NAME}.expires_at ELSE excluded.expires_at END
    RETURNING hits
    """
)


class DatabaseStorage(Storage):
    """A `limits` storage on any SQL database SQLAlchemy reaches (fixed windows only)."""

    STORAGE_SCHEME = [f"{SCHEME_PREFIX}sqlite", f"{SCHEME_PREFIX}postgresql"] + [
        f"{SCHEME_PREFIX}postgresql+{driver}" for driver in ("psycopg", "psycopg2", "pg8000")
    ]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        # No pool: a connection lives for one count, so nothing is left open between
        # requests (or tests), and a database dropped and made again is simply found.
        self.engine = create_engine(uri.removeprefix(SCHEME_PREFIX), poolclass=NullPool)
        if self.engine.dialect.name == "sqlite":
            _tune_sqlite(self.engine)
        self._table_ready = False

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def _ensure_table(self) -> None:
        # Made on first use, not at start-up: a test may empty the database in between.
        # Every worker may get here at once: IF NOT EXISTS, and PostgreSQL can still
        # report the loser of that race as an error, after which the table is there.
        if self._table_ready:
            return
        try:
            with self.engine.begin() as connection:
                connection.execute(CreateTable(rate_limits, if_not_exists=True))
                for index in rate_limits.indexes:
                    connection.execute(CreateIndex(index, if_not_exists=True))
        except SQLAlchemyError:
            if not inspect(self.engine).has_table(TABLE_NAME):
                raise
        self._table_ready = True

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        self._ensure_table()
        now = time.time()
        with self.engine.begin() as connection:
            connection.execute(rate_limits.delete().where(rate_limits.c.expires_at <= now))
            return connection.execute(
                _INCREMENT,
                {"name": key, "amount": amount, "expires_at": now + expiry, "now": now},
            ).scalar_one()

    def get(self, key: str) -> int:
        self._ensure_table()
        with self.engine.connect() as connection:
            hits = connection.scalar(
                rate_limits.select()
                .with_only_columns(rate_limits.c.hits)
                .where(rate_limits.c.name == key, rate_limits.c.expires_at > time.time())
            )
        return hits or 0

    def get_expiry(self, key: str) -> float:
        self._ensure_table()
        with self.engine.connect() as connection:
            expires_at = connection.scalar(
                rate_limits.select()
                .with_only_columns(rate_limits.c.expires_at)
                .where(rate_limits.c.name == key)
            )
        now = time.time()
        return expires_at if expires_at is not None and expires_at > now else now

    def check(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        self._ensure_table()
        with self.engine.begin() as connection:
            return connection.execute(rate_limits.delete()).rowcount

    def clear(self, key: str) -> None:
        self._ensure_table()
        with self.engine.begin() as connection:
            connection.execute(rate_limits.delete().where(rate_limits.c.name == key))


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()
