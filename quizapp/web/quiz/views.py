"""Quiz pages. The view records; the grader judges. A page view never writes: an attempt
whose time ran out is read as finished here, and finished for good by a write request."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from quizapp import rate_limits
from quizapp.access import attempt_or_404, caller
from quizapp.accounts import guest_key
from quizapp.attempts import answering, drawing, feedback
from quizapp.attempts.expiry import read_as_finished
from quizapp.attempts.visibility import held_questions, results_held
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, utcnow
from quizapp.question_types import TYPES, Unanswered
from quizapp.web.forms import ButtonForm
from quizapp.web.quiz import bp
from quizapp.web.quiz.forms import StartQuizForm

#: A page about an attempt reads it, its questions as drawn, their versions and the
#: answers given, and the signed-in user, in one query (see access.attempt_or_404).
WITH_ITEMS = (
    joinedload(Attempt.items).joinedload(AttemptItem.version),
    joinedload(Attempt.items).joinedload(AttemptItem.response),
)
#: What the countdown sends when the time is up: save the answer on the page, then finish.
TIME_UP = "timeup"


@bp.post("/start")
@rate_limits.visitor_quizzes
def start():
    form = StartQuizForm()
    quiz = drawing.find_quiz(form.quiz.data or "")
    if not form.validate_on_submit() or quiz is None:
        flash("That quiz could not be started. Please choose one from the list.", "error")
        return redirect(url_for("home.index"))
    user_id = current_user.id if current_user.is_authenticated else None
    key = None if user_id else guest_key(create=True)
    attempt = drawing.start_attempt(
        quiz,
        form.mode.data,
        length=current_app.config["QUIZ_LENGTH"],
        user_id=user_id,
        guest_key=key,
        time_limit=form.time_limit.data * 60 if form.mode.data == "test" else None,
        held=held_questions(user_id, key),
    )
    attempt_id = attempt.id  # read before the commit expires it: no query to read it again
    db.session.commit()
    return redirect(url_for(".question", attempt_id=attempt_id, position=1))


@bp.get("/<int:attempt_id>")
def resume(attempt_id: int):
    attempt = _read_attempt(attempt_id)
    if attempt.is_finished:
        return redirect(url_for(".results", attempt_id=attempt_id))
    position = answering.next_unanswered(attempt)
    return redirect(url_for(".question", attempt_id=attempt_id, position=position))


@bp.get("/<int:attempt_id>/q/<int:position>")
def question(attempt_id: int, position: int):
    attempt = _read_attempt(attempt_id)
    if attempt.is_finished:
        return redirect(url_for(".results", attempt_id=attempt_id))
    item = _item_or_404(attempt, position)
    return _render_question(attempt, item)


@bp.post("/<int:attempt_id>/q/<int:position>")
def answer(attempt_id: int, position: int):
    attempt = attempt_or_404(attempt_id, for_update=True, options=WITH_ITEMS)
    if attempt.is_finished:
        flash("This quiz is finished: your answers were kept as they were.", "error")
        return redirect(url_for(".results", attempt_id=attempt_id))
    item = _item_or_404(attempt, position)
    go = request.form.get("go", "next")
    if attempt.is_overdue():
        return _finish(attempt, time_up=True)
    if attempt.mode == "practice" and item.response is not None:
        return redirect(url_for(".question", attempt_id=attempt_id, position=position))
    try:
        value, error = TYPES[item.version.type].read_form(item.view, request.form)
    except Unanswered:
        if go == TIME_UP:
            return _finish(attempt, time_up=True)
        if attempt.mode == "test":
            return redirect(_go_url(attempt, position, go))
        return _render_question(attempt, item, error="Choose or type an answer first."), 422
    if error and go != TIME_UP:
        return _render_question(attempt, item, error=error, typed=value), 422
    if not error:
        answering.record_answer(attempt, item, value)
    if go == TIME_UP:
        return _finish(attempt, time_up=True)
    # Where to go next is decided before the commit expires the attempt, so that
    # reading it again costs no query.
    if attempt.mode == "practice":
        target = url_for(".question", attempt_id=attempt_id, position=position)
    else:
        target = _go_url(attempt, position, go)
    db.session.commit()
    return redirect(target)


@bp.get("/<int:attempt_id>/finish")
def confirm_finish(attempt_id: int):
    attempt = _read_attempt(attempt_id)
    if attempt.is_finished:
        return redirect(url_for(".results", attempt_id=attempt_id))
    unanswered = [item.position for item in attempt.items if item.response is None]
    return render_template(
        "quiz/finish.html", attempt=attempt, unanswered=unanswered, form=ButtonForm()
    )


@bp.post("/<int:attempt_id>/finish")
def finish(attempt_id: int):
    attempt = attempt_or_404(attempt_id, for_update=True, options=WITH_ITEMS)
    return _finish(attempt, time_up=request.form.get("go") == TIME_UP or attempt.is_overdue())


@bp.get("/<int:attempt_id>/results")
def results(attempt_id: int):
    attempt = _read_attempt(attempt_id)
    if not attempt.is_finished:
        return redirect(url_for(".resume", attempt_id=attempt_id))
    now = utcnow()
    user_id, key = caller()
    return render_template(
        "quiz/results.html",
        attempt=attempt,
        types=TYPES,
        held=results_held(attempt, now),
        held_questions=held_questions(user_id, key, now),
        time_was_up=_ended_by_time(attempt) or request.args.get("time") == "up",
    )


def _read_attempt(attempt_id: int) -> Attempt:
    """Return the caller's attempt with its items, read as finished if its time ran out."""
    attempt = attempt_or_404(attempt_id, options=WITH_ITEMS)
    read_as_finished(attempt)
    return attempt


def _finish(attempt: Attempt, *, time_up: bool):
    """Finish the attempt (as of its deadline when its time ran out) and show its results."""
    ends = attempt.deadline if attempt.is_overdue() else None
    attempt.finish(ends)
    db.session.commit()
    if time_up:
        # The results page says so too; the countdown may fire a moment early.
        return redirect(url_for(".results", attempt_id=attempt.id, time="up"))
    return redirect(url_for(".results", attempt_id=attempt.id))


def _ended_by_time(attempt: Attempt) -> bool:
    return attempt.deadline is not None and attempt.finished_at >= attempt.deadline


def _item_or_404(attempt, position: int) -> AttemptItem:
    if not 1 <= position <= len(attempt.items):
        abort(404)
    return attempt.items[position - 1]


def _go_url(attempt, position: int, go: str) -> str:
    """Return where a test-mode navigation button leads: previous, next, a number, finish."""
    if go == "finish":
        return url_for(".confirm_finish", attempt_id=attempt.id)
    target = {"prev": position - 1, "next": position + 1}.get(go)
    if target is None and go.isascii() and go.isdecimal() and len(go) <= 4:
        target = int(go)
    if target is None or not 1 <= target <= len(attempt.items):
        return url_for(".confirm_finish", attempt_id=attempt.id)
    return url_for(".question", attempt_id=attempt.id, position=target)


def _render_question(attempt, item: AttemptItem, *, error: str | None = None, typed=None):
    """Render one question; its answer only once a practice answer is recorded, and only
    if no open or held-back test holds the question (see attempts.visibility)."""
    spec = item.version.spec
    response = item.response
    kind = TYPES[item.version.type]
    reveal = None
    held = False
    if attempt.mode == "practice" and response is not None:
        user_id, key = caller()
        held = item.version.question_id in held_questions(user_id, key)
        if not held:
            reveal = feedback.explain(spec, response)
    saved = typed if typed is not None else (response.value if response else None)
    return render_template(
        "quiz/question.html",
        attempt=attempt,
        item=item,
        prompt=spec["prompt"],
        input_template=kind.template(),
        view=item.view,
        saved=saved,
        reveal=reveal,
        held=held,
        answer_given=feedback.format_response(response.value, kind.name) if reveal else None,
        error=error,
        form=ButtonForm(),
    )
