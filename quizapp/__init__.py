"""quizapp: learn history through quizzes that quote their source."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter

from quizapp import config


class IdConverter(IntegerConverter):
    """Werkzeug's int converter for at most nine digits, all within a 32-bit column: a
    longer number matches no route (404), never a query that overflows (500)."""

    regex = r"\d{1,9}"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration layers, extensions, blueprints and commands."""
    app = Flask(__name__, instance_relative_config=True)
    # <int:...> in every route: no bigger than a database id can be, so 2**63 is a 404.
    app.url_map.converters["int"] = IdConverter
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_object(config.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("QUIZAPP")
    if url := config.database_url_from_env():
        app.config["SQLALCHEMY_DATABASE_URI"] = url
    if test_config:
        app.config.from_mapping(test_config)
    app.config["TRUSTED_HOSTS"] = config.host_list(app.config.get("TRUSTED_HOSTS"))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.secret_key(app.instance_path)

    from quizapp import accounts, attempts, banks, cli, database, errors, review, security, web
    from quizapp.extensions import csrf, db, migrate
    from quizapp.instrumentation import faults, sql_counter

    db.init_app(app)
    # SQLite alters a table by copying it ("batch" mode); Alembic needs to be told.
    migrate.init_app(app, db, directory=str(config.MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    database.init_app(app)
    accounts.init_app(app)  # the login manager and the users command
    cli.init_app(app)
    banks.init_app(app)  # the banks commands
    errors.init_app(app)
    attempts.init_app(app)  # write requests finish attempts whose time ran out
    review.init_app(app)  # every answer schedules its question
    security.init_app(app)  # headers, HTTPS, the proxy in front, the rate limits' storage
    web.register_blueprints(app)
    sql_counter.init_app(app)  # does nothing unless BENCH is set (the benchmark)
    faults.init_app(app)  # does nothing unless FAULTS is set (the tests of faults)
    return app
