"""Configuration: defaults, then the instance folder, then the environment.

Any setting can come from the environment as QUIZAPP_<NAME> (a JSON value such as
`true` or `1` is read as one): QUIZAPP_HTTPS=true, QUIZAPP_TRUSTED_PROXIES=1.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import ClassVar

PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: Alembic's migrations of the database schema (flask --app quizapp db ...).
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"


class Defaults:
    """Settings every deployment starts from."""

    # A relative SQLite URL lands in the instance folder (Flask-SQLAlchemy 3).
    SQLALCHEMY_DATABASE_URI = "sqlite:///quizapp.sqlite"
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"pool_pre_ping": True}
    QUESTIONS_DIR = str(PROJECT_ROOT / "questions")
    SEEDS_DIR = str(PROJECT_ROOT / "seeds")
    # A learner may spend more than an hour on a quiz: the CSRF token lives as long as
    # the session instead of expiring under them.
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # "Keep me logged in" lasts a month on that device, not Flask-Login's default year.
    REMEMBER_COOKIE_DURATION = dt.timedelta(days=30)
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    # Served over HTTPS (directly or behind a TLS proxy): Secure cookies, HSTS, redirects.
    HTTPS = False
    # How many reverse proxies in front set X-Forwarded-* headers (0: none is trusted).
    TRUSTED_PROXIES = 0
    # The host names this site answers to (Flask refuses any other Host header with 400),
    # so that links the app writes out, such as a class's join link, name this site and
    # never one a client made up. A deployment names its own: QUIZAPP_TRUSTED_HOSTS=
    # '["quiz.example.org"]' (or a comma-separated list), or sets SERVER_NAME.
    TRUSTED_HOSTS: ClassVar[list[str] | None] = ["localhost", "127.0.0.1", "::1"]
    # Failed logins allowed per username and client address (Flask-Limiter syntax).
    LOGIN_RATE_LIMIT = "10 per minute"
    # Wrong class codes allowed per learner (the join form and join links together), and
    # per client address (a school's learners may share one).
    JOIN_RATE_LIMIT = "10 per minute"
    JOIN_ADDRESS_RATE_LIMIT = "30 per minute"
    # Accounts made per client address: a class of 30 behind one school address at once.
    SIGNUP_RATE_LIMIT = "40 per hour"
    # Quizzes visitors without an account may start, per client address.
    VISITOR_QUIZ_RATE_LIMIT = "30 per minute"
    # Where the counters live; None: beside the SQLite database, or in the server database.
    RATELIMIT_STORAGE_URI: str | None = None
    RATELIMIT_HEADERS_ENABLED = True
    # How often (at most) a write request also finishes the attempts whose time ran out.
    OVERDUE_SWEEP_SECONDS = 5
    QUIZ_LENGTH = 10
    PAGE_SIZE = 20


def host_list(value: object) -> list[str] | None:
    """Read TRUSTED_HOSTS given as a list or as a comma-separated string."""
    if isinstance(value, str):
        return [host.strip() for host in value.split(",") if host.strip()]
    return value if value is None else list(value)


def database_url_from_env() -> str | None:
    """Return DATABASE_URL, spelled for SQLAlchemy (see `sqlalchemy_url`)."""
    url = os.environ.get("DATABASE_URL")
    return sqlalchemy_url(url) if url else None


def sqlalchemy_url(url: str) -> str:
    """Return a database URL spelled for SQLAlchemy: with psycopg 3 when it is a
    PostgreSQL URL without a driver (postgres:// or postgresql://), else as given."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def secret_key(instance_path: str) -> str:
    """Return SECRET_KEY from the environment, or one kept in the instance folder.

    The key is stored, not generated per process, so that every worker of a
    multi-process server signs and reads the same cookies.
    """
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = Path(instance_path) / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_hex(32))
    return path.read_text().strip()
