"""The web pages: one blueprint per part of the site, views and forms that ask the
domain modules above them (accounts, attempts, banks, classrooms, review, progress,
sets, source) and commit. Nothing outside this package imports from it."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    """Register every blueprint of the site."""
    from quizapp.web import auth, home, learn, progress, quiz, review, source, teach

    for module in (auth, home, learn, progress, quiz, review, source, teach):
        app.register_blueprint(module.bp)
