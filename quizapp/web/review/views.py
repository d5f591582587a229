"""The review page and the buttons that start review quizzes."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from quizapp import rate_limits
from quizapp.access import attempt_or_404
from quizapp.accounts import guest_key
from quizapp.extensions import db
from quizapp.models import Question, utcnow
from quizapp.review import quizzes
from quizapp.review.mastery import MIN_ANSWERED, RECENT_WEIGHTS
from quizapp.review.scheduling import due_cards, review_status
from quizapp.web.review import bp

#: Due questions listed on the review page, the most overdue first.
DUE_SHOWN = 50


@bp.app_template_global()
def my_review_status():
    """The signed-in learner's review counts for the home page; None for a visitor."""
    if not current_user.is_authenticated:
        return None
    return review_status(current_user.id, utcnow())


@bp.app_template_global()
def retake_count(attempt, held: frozenset[int] = frozenset()) -> int:
    """How many of a finished attempt's questions a retake of its mistakes would ask,
    leaving out those `held` back by a test; 0 when the viewer is not the one who took it
    (a teacher reading a learner's results)."""
    if not attempt.is_finished or not _is_own(attempt):
        return 0
    return len(quizzes.current_versions(q for q in quizzes.mistakes(attempt) if q not in held))


def _is_own(attempt) -> bool:
    if current_user.is_authenticated:
        return attempt.user_id == current_user.id
    return (
        attempt.user_id is None
        and attempt.guest_key is not None
        and (attempt.guest_key == guest_key())
    )


@bp.context_processor
def rules() -> dict[str, object]:
    return {"recent_weights": RECENT_WEIGHTS, "min_answered": MIN_ANSWERED}


@bp.get("/")
@login_required
def index():
    now = utcnow()
    # The most overdue only: a learner back after months may have thousands due, and a
    # review quiz asks ten at a time; the schedule above still counts them all.
    due = due_cards(current_user.id, now, limit=DUE_SHOWN)
    questions = {
        q.id: q
        for q in db.session.scalars(
            db.select(Question)
            .where(Question.id.in_([card.question_id for card in due]))
            .options(joinedload(Question.current_version), joinedload(Question.bank))
        )
    }
    return render_template(
        "review/index.html",
        status=review_status(current_user.id, now),
        due=[(card, questions[card.question_id]) for card in due],
        length=current_app.config["QUIZ_LENGTH"],
    )


@bp.post("/start")
@login_required
def start():
    attempt = quizzes.start_review(current_user.id, utcnow(), current_app.config["QUIZ_LENGTH"])
    if attempt is None:
        flash("Nothing is due for review today. Well done!", "success")
        return redirect(url_for(".index"))
    db.session.commit()
    return redirect(url_for("quiz.question", attempt_id=attempt.id, position=1))


@bp.post("/mistakes/<int:attempt_id>")
@rate_limits.visitor_quizzes
def retake_mistakes(attempt_id: int):
    attempt = attempt_or_404(attempt_id)
    if not attempt.is_finished:
        flash("Finish this quiz first: then you can retake the questions you missed.", "error")
        return redirect(url_for("quiz.resume", attempt_id=attempt.id))
    user_id = current_user.id if current_user.is_authenticated else None
    retake = quizzes.start_mistakes(
        attempt,
        user_id=user_id,
        guest_key=None if user_id else guest_key(create=True),
        now=utcnow(),
    )
    if retake is None:
        flash("There are no mistakes in this quiz left to retake.", "success")
        return redirect(url_for("quiz.results", attempt_id=attempt.id))
    db.session.commit()
    return redirect(url_for("quiz.question", attempt_id=retake.id, position=1))


@bp.post("/weakest")
@login_required
def weakest():
    attempt = quizzes.start_weakest(current_user.id, utcnow(), current_app.config["QUIZ_LENGTH"])
    if attempt is None:
        flash(
            f"Answer at least {MIN_ANSWERED} questions of a topic first: then your weakest "
            "topics can be found.",
            "error",
        )
        return redirect(url_for("progress.index"))
    db.session.commit()
    return redirect(url_for("quiz.question", attempt_id=attempt.id, position=1))
