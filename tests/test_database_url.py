"""The suite runs on the database it is pointed at: CI's second run is really on PostgreSQL."""

from __future__ import annotations

import os

from sqlalchemy.engine import make_url

from quizapp.config import database_url_from_env
from quizapp.extensions import db


def test_the_app_fixture_uses_the_database_url_of_the_environment(app):
    with app.app_context():
        dialect = db.engine.dialect.name
    if os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL"):
        assert dialect == make_url(database_url_from_env()).get_backend_name()
    else:
        assert dialect == "sqlite"


def test_a_postgres_url_is_spelled_for_psycopg_3(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example/quizapp")
    assert database_url_from_env() == "postgresql+psycopg://u:p@db.example/quizapp"
