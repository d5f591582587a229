"""Attempts: drawing their questions, answering, finishing, the end of their time, and
what a learner may see of the questions they hold. No request or view in sight, but for
the hook below."""

from __future__ import annotations

import time

import click
from flask import Flask, current_app, request
from flask.cli import AppGroup

from quizapp.database import SAFE_METHODS

attempts_cli = AppGroup("attempts", help="Look after attempts.")


@attempts_cli.command("close-overdue")
def close_overdue_command() -> None:
    """Finish every timed attempt whose time ran out (as of its deadline), for a cron job.

    Pages read such attempts as finished already, and any write request finishes a few;
    this finishes them all, so that review schedules follow at once on a quiet site.
    """
    from quizapp.attempts.expiry import close_overdue
    from quizapp.extensions import db

    total = 0
    while closed := close_overdue(limit=500):
        db.session.commit()
        total += closed
    click.echo(f"{total} attempt{'s' * (total != 1)} finished.")


def _close_overdue_on_writes() -> None:
    """Finish a few attempts whose time ran out, in a write request's transaction: at most
    once every OVERDUE_SWEEP_SECONDS per worker, so that a write costs one query more only
    now and then. (Nothing waits on it: pages read such attempts as finished already.)"""
    if request.method in SAFE_METHODS:
        return
    now = time.monotonic()
    state = current_app.extensions.setdefault("overdue_sweep", {"last": None})
    interval = current_app.config["OVERDUE_SWEEP_SECONDS"]
    if state["last"] is not None and now - state["last"] < interval:
        return
    state["last"] = now
    from quizapp.attempts.expiry import close_overdue

    close_overdue()


def init_app(app: Flask) -> None:
    app.cli.add_command(attempts_cli)
    app.before_request(_close_overdue_on_writes)
