"""The learner's "My progress" page."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from quizapp.access import session_user_id
from quizapp.banks import anki
from quizapp.models import utcnow
from quizapp.progress import mistakes, stats
from quizapp.progress.chart import line_chart

bp = Blueprint("progress", __name__, url_prefix="/progress")


def format_when(moment: dt.datetime) -> str:
    """Write a stored UTC time as "29 Nov 2026 14:05"."""
    return f"{moment.day} {moment:%b %Y %H:%M}"


def format_day(moment: dt.datetime) -> str:
    """Write a stored UTC time as "29 Nov 2026"."""
    return f"{moment.day} {moment:%b %Y}"


def format_points(score: float | None, max_score: int) -> str:
    """Write a score as points out of the maximum: "7.5 / 10", "6.67 / 9"."""
    if score is None:
        return f"– / {max_score}"
    return f"{score:.2f}".rstrip("0").rstrip(".") + f" / {max_score}"


def format_percent(percent: float | None) -> str:
    """Write a percentage rounded to a whole number: "75 %"."""
    return "–" if percent is None else f"{percent:.0f}%"


@bp.context_processor
def formatting() -> dict[str, object]:
    return {
        "when": format_when,
        "day": format_day,
        "points": format_points,
        "percent": format_percent,
    }


@bp.get("/")
def index():
    # Two queries in all, however many attempts the learner has: their user row with
    # their per-quiz figures and their mastery's inputs (Flask-Login then finds the
    # user already loaded), and the newest attempts, which make both the first page
    # and the chart.
    claimed = session_user_id()
    figures = stats.learner_figures(claimed, utcnow()) if claimed is not None else None
    # `figures` holds the user row until Flask-Login asks for it: the session keeps a
    # loaded row only while something refers to it.
    return _progress(claimed, figures)


@login_required
def _progress(claimed: int | None, figures: stats.LearnerFigures | None):
    user_id = current_user.id
    if figures is None or claimed != user_id:
        figures = stats.learner_figures(user_id, utcnow())
    summaries = figures.summaries
    page = stats.AttemptsPage(
        user_id=user_id,
        total=sum(summary.attempts for summary in summaries),
        per_page=current_app.config["PAGE_SIZE"],
    )
    if not page.total:
        chart = None
    elif page.newest is not None:
        chart = line_chart(stats.history_from(page.newest, user_id))
    else:
        chart = line_chart(stats.score_history(user_id))
    return render_template(
        "progress/index.html",
        page=page,
        summaries=summaries,
        chart=chart,
        mastery=figures.mastery,
    )


@bp.get("/mistakes.apkg")
@login_required
def mistakes_deck():
    """The learner's mistakes as an Anki deck: only what they may see now (never a
    question a test holds back)."""
    found = mistakes.latest_mistakes(current_user.id, utcnow())
    if not found:
        flash(
            "You have no mistakes to take to Anki yet.",
            "info",
        )
        return redirect(url_for(".index"))
    response = Response(anki.package_bytes(anki.mistakes_deck(found)), mimetype=anki.MIMETYPE)
    response.headers.set("Content-Disposition", "attachment", filename="my-mistakes.apkg")
    return response
