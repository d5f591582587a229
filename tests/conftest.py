"""Fixtures every test may use: an app on a fresh SQLite file, its client and CLI runner.

Also the Hypothesis profiles of every property test, picked by HYPOTHESIS_PROFILE:

- `ci` (the default): derandomized, so a run tests the same examples every time and CI
  never fails by chance; a bounded number of examples; no deadline, which a busy machine
  would miss; no example database, so nothing found elsewhere is replayed.
- `thorough`: random examples, many more of them, saved in .hypothesis/ so that a failure
  replays; for a hunt before a release. Each failing example it finds becomes a fixed
  test (an @example or a plain test), so that `ci` checks it from then on.
"""

from __future__ import annotations

import os

import pytest
from drive import log_in, make_user
from hypothesis import HealthCheck, settings
from sqlalchemy import text

from quizapp import config, create_app
from quizapp.cli import create_schema
from quizapp.extensions import db

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "thorough",
    derandomize=False,
    max_examples=5_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def server_database_url() -> str | None:
    """Return the database server the suite runs on (TEST_DATABASE_URL or DATABASE_URL).

    None means each test gets a SQLite file of its own.
    """
    if url := os.environ.get("TEST_DATABASE_URL"):
        os.environ["DATABASE_URL"] = url  # apps made by tests themselves use it too
    return config.database_url_from_env()


def empty_database(app) -> None:
    """Drop everything in a server database's public schema: a fresh schema per test."""
    with db.engine.begin() as connection:
        # A connection a test leaked would make DROP wait forever: fail instead.
        connection.execute(text("SET LOCAL lock_timeout = '20s'"))
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture
def app(tmp_path):
    """An app in testing mode on a new, empty database, its schema created.

    By default the database is a new SQLite file rather than an in-memory database,
    so that every connection (and any thread the test starts) sees the same data.
    With TEST_DATABASE_URL or DATABASE_URL set (PostgreSQL), every test starts from
    an empty schema on that server instead. Forms are posted without CSRF tokens
    here; a test of CSRF itself turns WTF_CSRF_ENABLED back on.
    """
    url = server_database_url() or f"sqlite:///{tmp_path / 'quizapp.sqlite'}"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            empty_database(app)
        create_schema()
    yield app
    with app.app_context():
        # Close every connection: a leaked one is a ResourceWarning, an error here.
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    """Sign up, log in and log out through the real forms, as a browser would."""

    password = "correct horse battery"

    def __init__(self, app, client):
        self._app = app
        self._client = client

    def on(self, client) -> AuthActions:
        """The same actions on another client: a second browser or device."""
        return AuthActions(self._app, client)

    def create(self, username="alice", *, role="learner", display_name=None, password=None) -> int:
        """Add an account straight to the database; return its id."""
        from quizapp.accounts import create_user

        with self._app.app_context():
            user = create_user(
                username, display_name or username.title(), password or self.password, role=role
            )
            db.session.commit()
            return user.id

    def signup(
        self,
        username="alice",
        password=None,
        *,
        display_name="Alice",
        email="",
        confirm=None,
        next=None,
        follow_redirects=False,
    ):
        password = self.password if password is None else password
        data = {
            "display_name": display_name,
            "username": username,
            "email": email,
            "password": password,
            "confirm": password if confirm is None else confirm,
        }
        return self._post("/auth/signup", data, next, follow_redirects)

    def login(
        self, username="alice", password=None, *, remember=False, next=None, follow_redirects=False
    ):
        data = {"username": username, "password": self.password if password is None else password}
        if remember:
            data["remember"] = "y"
        return self._post("/auth/login", data, next, follow_redirects)

    def logout(self, follow_redirects=False):
        return self._post("/auth/logout", {}, None, follow_redirects, form_page="/")

    def _post(self, url, data, next, follow_redirects, form_page=None):
        query = {"next": next} if next is not None else None
        if self._app.config.get("WTF_CSRF_ENABLED", True):
            data = {**data, "csrf_token": self._csrf_token(form_page or url)}
        return self._client.post(
            url, data=data, query_string=query, follow_redirects=follow_redirects
        )

    def _csrf_token(self, page_url) -> str:
        import re

        page = self._client.get(page_url).text
        match = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page)
        assert match, f"no CSRF token on {page_url}"
        return match.group(1)


@pytest.fixture
def auth(app, client) -> AuthActions:
    """Account actions on `client`: auth.create(...), auth.signup(...), auth.login(...)."""
    return AuthActions(app, client)


@pytest.fixture
def banks(app):
    """Load the bundled banks into the test database."""
    result = app.test_cli_runner().invoke(args=["banks", "load"])
    assert result.exit_code == 0, result.output


@pytest.fixture
def learner(app, client) -> int:
    """A learner, signed in on `client`; returns their id."""
    with app.app_context():
        user = make_user("lena")
        log_in(client, user)
        return user.id
