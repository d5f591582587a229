"""The home page: the quizzes on offer and the attempts to resume."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import or_

from quizapp.access import own_attempts_filter
from quizapp.extensions import db
from quizapp.models import DEADLINE_GRACE, Attempt, Bank, utcnow
from quizapp.web.quiz.forms import StartQuizForm

bp = Blueprint("home", __name__)


def bundled_banks() -> list[Bank]:
    """Return the bundled banks, by title (each knows its number of live questions)."""
    query = db.select(Bank).where(Bank.owner_id.is_(None)).order_by(Bank.title)
    return list(db.session.scalars(query))


def unfinished_attempts() -> list[Attempt]:
    """Return the caller's attempts still open (not finished, time not up), newest first."""
    owned = own_attempts_filter()
    if owned is None:
        return []
    time_left = or_(Attempt.deadline.is_(None), Attempt.deadline >= utcnow() - DEADLINE_GRACE)
    query = db.select(Attempt).where(owned, Attempt.finished_at.is_(None), time_left)
    return list(db.session.scalars(query.order_by(Attempt.started_at.desc()).limit(5)))


@bp.get("/")
def index():
    banks = bundled_banks()
    return render_template(
        "home.html",
        banks=banks,
        total=sum(bank.live_questions for bank in banks),
        unfinished=unfinished_attempts(),
        form=StartQuizForm(),
    )
