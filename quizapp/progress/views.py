"""The learner's "My progress" page."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from quizapp.extensions import db
from quizapp.progress import stats
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
@login_required
def index():
    user_id = current_user.id
    page = db.paginate(stats.finished_attempts(user_id), per_page=current_app.config["PAGE_SIZE"])
    return render_template(
        "progress/index.html",
        page=page,
        summaries=stats.quiz_summaries(user_id) if page.total else [],
        chart=line_chart(stats.score_history(user_id)) if page.total else None,
    )
