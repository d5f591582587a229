"""The quizzes that review builds: Review, Retake my mistakes, Weakest topics, and a
practice quiz of chosen questions (from the source reader or the timeline).

Each is an ordinary practice attempt made by `drawing.create_attempt` from the current
version of each question, so that the quiz pages, results and progress treat it like
any other.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable

from quizapp.attempts import drawing
from quizapp.attempts.visibility import held_questions
from quizapp.banks.families import keep_apart, kin_by_question
from quizapp.extensions import db
from quizapp.models import Attempt, Bank, DrawnFrom, Question, QuizKind
from quizapp.review.mastery import mastery_report, weakest_topic_questions
from quizapp.review.scheduling import due_cards

REVIEW_TITLE = "Review"
WEAKEST_TITLE = "My weakest topics"
#: Where a quiz of chosen questions was started from (the kind its attempt records), and
#: its title.
ORIGINS = {
    QuizKind.READER: "Questions from the source text",
    QuizKind.TIMELINE: "A question from the timeline",
}
#: Attempt titles are at most this long (the column's size).
TITLE_MAX = 200


def current_versions(
    question_ids: Iterable[int], *, bundled_only: bool = False, limit: int | None = None
) -> list[int]:
    """Return the current version id of each live question, in the order given, at most
    `limit`, leaving out any that an earlier one keeps apart (one gives the other away)."""
    ids = list(dict.fromkeys(question_ids))
    if not ids:
        return []
    query = db.select(Question.id, Question.current_version_id).where(
        Question.id.in_(ids),
        Question.retired_at.is_(None),
        Question.current_version_id.is_not(None),
    )
    if bundled_only:
        query = query.join(Bank, Bank.id == Question.bank_id).where(Bank.owner_id.is_(None))
    current = {qid: version_id for qid, version_id in db.session.execute(query)}
    kin = kin_by_question(current)
    kept = keep_apart((qid for qid in ids if qid in current), kin.get)
    return [current[qid] for qid in kept][:limit]


def start_review(user_id: int, now: dt.datetime, length: int) -> Attempt | None:
    """Start a practice quiz of the questions due today, most overdue first; None if none."""
    held = held_questions(user_id, now=now)
    # Twice as many as asked: some may be kept apart by others (one gives another away).
    cards = due_cards(user_id, now, limit=2 * length, exclude=held)
    versions = current_versions((row.question_id for row in cards), limit=length)
    if not versions:
        return None
    return drawing.create_attempt(
        DrawnFrom(QuizKind.REVIEW), REVIEW_TITLE, versions, "practice", user_id=user_id, now=now
    )


def mistakes(attempt: Attempt) -> list[int]:
    """Return the question ids of an attempt's items that did not earn full credit."""
    return [
        item.version.question_id
        for item in attempt.items
        if item.response is None or item.response.fraction < 1
    ]


def start_mistakes(
    attempt: Attempt, *, user_id: int | None, guest_key: str | None, now: dt.datetime
) -> Attempt | None:
    """Start a practice quiz of a finished attempt's wrong and partly right questions,
    each in its current version; None when there are none left to ask."""
    held = held_questions(user_id, guest_key, now)
    versions = current_versions(q for q in mistakes(attempt) if q not in held)
    if not versions:
        return None
    title = f"Retake my mistakes: {attempt.title}"
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1] + "…"
    return drawing.create_attempt(
        DrawnFrom(QuizKind.MISTAKES),
        title,
        versions,
        "practice",
        user_id=user_id,
        guest_key=guest_key,
        now=now,
    )


def start_weakest(
    user_id: int, now: dt.datetime, length: int, rng: random.Random | None = None
) -> Attempt | None:
    """Start a practice quiz on the learner's three weakest topics; None if there are none."""
    rng = rng or random.SystemRandom()
    report = mastery_report(user_id, now)
    if not report.weakest:
        return None
    # Twice as many as asked: some may be kept apart by others (one gives another away).
    held = held_questions(user_id, now=now)
    picked = weakest_topic_questions(report, 2 * length, rng, exclude=held)
    versions = current_versions(picked, limit=length)
    rng.shuffle(versions)
    if not versions:
        return None
    topics = ", ".join(topic.label for topic in report.weakest)
    title = f"{WEAKEST_TITLE}: {topics}"[:TITLE_MAX]
    return drawing.create_attempt(
        DrawnFrom(QuizKind.WEAKEST), title, versions, "practice", user_id=user_id, now=now, rng=rng
    )


def start_chosen(
    question_ids: list[int],
    origin: str,
    *,
    user_id: int | None,
    guest_key: str | None,
    now: dt.datetime,
    length: int,
) -> Attempt | None:
    """Start a practice quiz of chosen bundled questions; None when none can be asked."""
    held = held_questions(user_id, guest_key, now)
    chosen = [q for q in question_ids if q not in held]
    versions = current_versions(chosen, bundled_only=True, limit=length)
    if not versions:
        return None
    return drawing.create_attempt(
        DrawnFrom(QuizKind(origin)),
        ORIGINS[origin],
        versions,
        "practice",
        user_id=user_id,
        guest_key=guest_key,
        now=now,
    )
