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

    from quizapp import attempts, benchmark, cli, database, errors
    from quizapp.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    # SQLite alters a table by copying it ("batch" mode); Alembic needs to be told.
    migrate.init_app(app, db, directory=str(config.MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    database.init_app(app)
    cli.init_app(app)
    errors.init_app(app)
    attempts.init_app(app)  # write requests finish attempts whose time ran out
    benchmark.init_app(app)  # does nothing unless BENCH is set

    from quizapp.auth import bp as auth_bp
    from quizapp.home import bp as home_bp
    from quizapp.join import bp as classes_bp
    from quizapp.progress import bp as progress_bp
    from quizapp.quiz import bp as quiz_bp
    from quizapp.reader import bp as reader_bp
    from quizapp.review import bp as review_bp
    from quizapp.teach import bp as teach_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(classes_bp)
    app.register_blueprint(progress_bp)
    app.register_blueprint(quiz_bp)
    app.register_blueprint(reader_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(teach_bp)

    from quizapp import faults, security

    faults.init_app(app)  # only tests ask for faults (FAULTS); production sets none
    security.init_app(app)  # last: it wraps views and the WSGI app built above
    return app
