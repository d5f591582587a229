"""quizapp: learn history through quizzes that quote their source."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from quizapp import config


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration layers, extensions, blueprints and commands."""
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_object(config.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    if url := config.database_url_from_env():
        app.config["SQLALCHEMY_DATABASE_URI"] = url
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.secret_key(app.instance_path)

    from quizapp import cli, database, errors
    from quizapp.extensions import csrf, db, login_manager

    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    database.init_app(app)
    cli.init_app(app)
    errors.init_app(app)

    from quizapp.auth import bp as auth_bp
    from quizapp.home import bp as home_bp
    from quizapp.progress import bp as progress_bp
    from quizapp.quiz import bp as quiz_bp
    from quizapp.teach import bp as teach_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(progress_bp)
    app.register_blueprint(quiz_bp)
    app.register_blueprint(teach_bp)
    return app
