"""The reader's pages: the list of sources, a source text, the timeline; and the button
that practises the questions of a passage or of an event."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from quizapp import rate_limits
from quizapp.access import caller, own_attempt
from quizapp.accounts import guest_key
from quizapp.attempts.visibility import held_questions
from quizapp.extensions import db
from quizapp.models import utcnow
from quizapp.review.quizzes import ORIGINS, start_chosen
from quizapp.review.scheduling import latest_credits
from quizapp.source.citations import (
    citing_questions,
    questions_by_passage,
    source_stems,
    source_text,
)
from quizapp.source.document import passage_key, read_document
from quizapp.source.timeline import timeline as build_timeline
from quizapp.web.source import bp


@bp.get("/source/")
def index():
    sources = []
    for stem in source_stems():
        document = read_document(source_text(stem) or "")
        sources.append((stem, document.title, len(citing_questions(stem))))
    return render_template("source/index.html", sources=sources)


def visible(questions: list) -> list:
    """Leave out the questions a test holds back from the caller (attempts.visibility):
    their passage and prompt side by side would point at the answer."""
    held = held_questions(*caller())
    return [question for question in questions if question.id not in held]


@bp.get("/source/<stem>")
def source(stem: str):
    if stem not in source_stems():
        abort(404)
    questions = visible(citing_questions(stem))
    quotes = [quote for question in questions for quote in question.quotes]
    document = read_document(source_text(stem) or "", quotes)
    return render_template(
        "source/source.html",
        stem=stem,
        document=document,
        cited=questions_by_passage(questions),
        question_count=len(questions),
        back=_back_to_quiz(),
    )


def _back_to_quiz() -> tuple[str, int] | None:
    """Return (the link, the question's number) back to the quiz question the learner
    came from ("Read in context"), when the query names a question of the caller's own
    attempt; None otherwise. The link is built here, never taken from the query."""
    attempt_id, position = (_small_number(request.args.get(k)) for k in ("attempt", "question"))
    if attempt_id is None or position is None:
        return None
    attempt = own_attempt(attempt_id)
    if attempt is None or not 1 <= position <= attempt.max_score:
        return None
    if attempt.is_over(utcnow()):
        url = url_for("quiz.results", attempt_id=attempt_id, _anchor=f"question-{position}")
    else:
        url = url_for("quiz.question", attempt_id=attempt_id, position=position)
    return url, position


def _small_number(raw: str | None) -> int | None:
    if raw and raw.isascii() and raw.isdecimal() and len(raw) <= 9:
        return int(raw)
    return None


@bp.get("/timeline")
def timeline():
    stems = set(source_stems())
    events = build_timeline(visible(citing_questions()))
    known = None
    if current_user.is_authenticated:
        credits = latest_credits(current_user.id, utcnow())
        known = {qid: credit >= 1 for qid, credit in credits.items()}
    eras: list[tuple[str, list]] = []
    for event in events:
        if not eras or eras[-1][0] != event.era:
            eras.append((event.era, []))
        eras[-1][1].append(event)
    return render_template(
        "source/timeline.html",
        eras=eras,
        count=len(events),
        readable=stems,
        known=known,
        passage_key=passage_key,
    )


@bp.post("/practise")
@rate_limits.visitor_quizzes
def practise():
    """Start a practice quiz of the questions posted (a passage's, or one event's)."""
    origin = request.form.get("origin", "")
    back = url_for(".timeline") if origin == "timeline" else url_for(".index")
    ids = [
        int(value)
        for value in request.form.getlist("question")
        if value.isascii() and value.isdecimal() and len(value) <= 9
    ]
    if origin == "reader" and (key := request.form.get("passage")):
        # A passage's button names the passage: its questions are looked up here.
        ids = [question.id for question in questions_by_passage(citing_questions()).get(key, [])]
    if origin not in ORIGINS or not ids:
        flash("Choose a question to practise from the source text or the timeline.", "error")
        return redirect(back)
    user_id = current_user.id if current_user.is_authenticated else None
    attempt = start_chosen(
        ids[: current_app.config["QUIZ_LENGTH"] * 2],
        origin,
        user_id=user_id,
        guest_key=None if user_id else guest_key(create=True),
        now=utcnow(),
        length=current_app.config["QUIZ_LENGTH"],
    )
    if attempt is None:
        flash(
            "That question cannot be practised now: it was retired, or it is in a test you "
            "have not finished yet.",
            "error",
        )
        return redirect(back)
    db.session.commit()
    return redirect(url_for("quiz.question", attempt_id=attempt.id, position=1))
