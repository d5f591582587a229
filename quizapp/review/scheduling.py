"""Spaced review with FSRS: every answer a learner gives schedules its question again.

The rule, as the review page and the README state it:

- a wrong answer (no credit) is rated *Again*, a partly right one *Hard*, a right one
  *Good*; FSRS turns the rating into the next due date;
- practice answers are rated when they are recorded; test answers may change until the
  test is finished, so a test's answers are rated when it finishes, once each;
- a question left unanswered in a test is not rated (there is no answer to judge);
- visitors without an account are not scheduled;
- a question is due on its day: days turn at midnight UTC, as Anki's days turn at a
  fixed hour, so that a question answered wrong yesterday is due all of today.

A card belongs to the question, not to one wording of it, so a new version of a
question keeps its schedule. Its JSON is the FSRS card's own, plus "recent": the credit
of the latest answers rated on it, newest first, which mastery reads (so that neither
needs the learner's whole history of answers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fsrs import Card, Rating, Scheduler
from sqlalchemy import Float, Integer, bindparam, case, cast, func, insert, literal, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from quizapp.attempts.visibility import held_question_ids
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, Question, Response, ReviewCard

#: FSRS with its published default parameters. No same-day learning steps: a quiz
#: asks each question once per sitting, so a new question goes straight to whole-day
#: intervals (Again and Hard: 1 day, Good: about 2). A lapse (a wrong answer to a
#: question already learned) comes back the next day before FSRS grows its interval
#: again. Fuzzing spreads questions learned together over nearby days, as Anki does.
SCHEDULER = Scheduler(
    learning_steps=(),
    relearning_steps=(dt.timedelta(days=1),),
    enable_fuzzing=True,
)

RATING_NAMES = {Rating.Again: "Again", Rating.Hard: "Hard", Rating.Good: "Good"}


def rating_for(fraction: float) -> Rating:
    """Rate an answer by its credit: none is Again, part is Hard, full is Good."""
    if fraction >= 1:
        return Rating.Good
    return Rating.Hard if fraction > 0 else Rating.Again


def aware(moment: dt.datetime) -> dt.datetime:
    """Return a stored (naive UTC) time as the aware time FSRS works with."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def naive(moment: dt.datetime) -> dt.datetime:
    """Return an aware time as the naive UTC time every column stores."""
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def day_end(now: dt.datetime) -> dt.datetime:
    """Return the end of `now`'s UTC day: everything due before it is due today."""
    return dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time())


#: How many of a question's latest rated answers its card keeps (for mastery), newest first.
RECENT = 3


def load_card(row: ReviewCard) -> Card:
    """Return the FSRS card stored in a row (its JSON is the card's, plus "recent")."""
    return Card.from_dict(row.card)


def recent_fractions(row: ReviewCard) -> list[float]:
    """Return the credit of the latest answers rated on this card, newest first."""
    return list(row.card.get("recent") or [])


def retrievability(row: ReviewCard, now: dt.datetime) -> float:
    """Return FSRS's probability that the learner recalls the question at `now`."""
    return float(SCHEDULER.get_card_retrievability(load_card(row), aware(now)))


def recall(stability: float | None, last_review: dt.datetime | None, now: dt.datetime) -> float:
    """Return `retrievability` from a card's stability and last review alone (what its
    row stores beside the JSON): FSRS's R = (1 + F·t/S)^−d, t whole days since then."""
    if stability is None or last_review is None:
        return 0.0
    elapsed = max(0, (aware(now) - aware(last_review)).days)
    return float((1 + SCHEDULER._FACTOR * elapsed / stability) ** SCHEDULER._DECAY)


def recall_sql(stability: Any, last_review: Any, now: Any) -> Any:
    """Return `recall` as SQL, for the database to work out over many cards at once:
    the same operations in the same order on the same doubles, so the same values."""
    elapsed = cast(whole_days_since(now, last_review), Float)
    fading = literal(SCHEDULER._FACTOR, Float) * elapsed / stability
    retrievability = func.power(literal(1.0, Float) + fading, literal(SCHEDULER._DECAY, Float))
    unreviewed = or_(stability.is_(None), last_review.is_(None))
    return case((unreviewed, literal(0.0, Float)), else_=retrievability)


class whole_days_since(FunctionElement):
    """SQL: the whole days from `earlier` to `later` (stored UTC times), never negative,
    counted exactly as Python's `(later - earlier).days`, to the microsecond."""

    type = Integer()
    inherit_cache = True
    name = "whole_days_since"


@compiles(whole_days_since, "postgresql")
def _whole_days_postgresql(element, compiler, **kw):
    # A timestamp minus a timestamp is whole days and less than one day's time.
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"GREATEST(0, CAST(EXTRACT(DAY FROM ({later} - {earlier})) AS INTEGER))"


@compiles(whole_days_since)
def _whole_days_sqlite(element, compiler, **kw):
    # SQLite stores "YYYY-MM-DD HH:MM:SS.ffffff" and its julianday() keeps milliseconds
    # only: the days between the two dates, less one when the later time of day comes
    # before the earlier one (compared as text, microseconds and all).
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    days = f"CAST(julianday(date({later})) - julianday(date({earlier})) AS INTEGER)"
    return f"max(0, {days} - (substr({later}, 12) < substr({earlier}, 12)))"


def review(user_id: int, question_id: int, fraction: float, now: dt.datetime) -> ReviewCard:
    """Rate one answer and move the learner's card for this question to its next due date.

    Two statements: the card is read, then inserted (a first answer) or updated.
    """
    query = db.select(ReviewCard).where(
        ReviewCard.user_id == user_id, ReviewCard.question_id == question_id
    )
    row = db.session.scalars(query.with_for_update()).first()
    if row is None:
        row = ReviewCard(user_id=user_id, question_id=question_id, card={}, reviews=0)
        _rate(row, fraction, now)
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:
            # Another request made this learner's card first: rate that one.
            row = db.session.scalars(query.with_for_update()).one()
        else:
            return row
    _rate(row, fraction, now)
    db.session.flush()
    return row


def _rate(row: ReviewCard, fraction: float, now: dt.datetime) -> None:
    card = load_card(row) if row.card else Card(card_id=row.question_id)
    when = aware(now)
    if card.last_review is not None and when < card.last_review:
        when = card.last_review  # answers reach us out of order: time never runs backwards
    card, _log = SCHEDULER.review_card(card, rating_for(fraction), review_datetime=when)
    recent = [fraction, *recent_fractions(row)][:RECENT] if row.card else [fraction]
    row.card = {**card.to_dict(), "recent": recent}
    row.due = naive(card.due)
    row.last_review = naive(when)
    row.reviews = (row.reviews or 0) + 1
    row.last_fraction = fraction


def _question_of(item: AttemptItem) -> int:
    return item.version.question_id


def on_answer_recorded(attempt: Attempt, *, item: AttemptItem, response: Response, now, **_):
    """Rate a practice answer as it is recorded (test answers wait for the finish)."""
    if attempt.user_id is None or attempt.mode != "practice":
        return
    question_id = _question_of(item)
    # A question asked twice in one attempt is rated once: at its first answer.
    for other in attempt.items:
        if other is not item and _question_of(other) == question_id and other.response is not None:
            return
    review(attempt.user_id, question_id, response.fraction, now)


def review_all(user_id: int, fractions: dict[int, float], now: dt.datetime) -> None:
    """Rate several answers of one learner at once, each as `review` would.

    A statement to read the cards, one to insert the new ones and one to update the
    others, where one answer at a time took two or three each: a finished test's
    ten ratings are written while it holds SQLite's one write lock.
    """
    if not fractions:
        return
    query = db.select(ReviewCard).where(
        ReviewCard.user_id == user_id, ReviewCard.question_id.in_(list(fractions))
    )
    cards = {row.question_id: row for row in db.session.scalars(query.with_for_update())}
    new = [
        ReviewCard(user_id=user_id, question_id=question_id, card={}, reviews=0)
        for question_id in fractions
        if question_id not in cards
    ]
    fields = ("card", "due", "last_review", "reviews", "last_fraction")
    if new:
        for row in new:
            _rate(row, fractions[row.question_id], now)
        # One executemany that reads no id back: through the session, the ORM sends
        # SQLite one INSERT … RETURNING a card.
        rows = [
            {"user_id": user_id, "question_id": row.question_id}
            | {name: getattr(row, name) for name in fields}
            for row in new
        ]
        try:
            with db.session.begin_nested():
                db.session.execute(insert(ReviewCard), rows)
        except IntegrityError:
            # Another request made one of these cards first: rate them one by one.
            for row in new:
                review(user_id, row.question_id, fractions[row.question_id], now)
    if cards:
        # One executemany whatever changed (the ORM groups its UPDATEs by the columns
        # each row changed); the rows are expired so that they are read again.
        rows = []
        for question_id, row in cards.items():
            _rate(row, fractions[question_id], now)
            rows.append({"card_id": row.id} | {name: getattr(row, name) for name in fields})
            db.session.expire(row)
        table = ReviewCard.__table__
        db.session.execute(
            update(table)
            .where(table.c.id == bindparam("card_id"))
            .values({name: bindparam(name) for name in fields}),
            rows,
        )


def on_attempt_finished(attempt: Attempt, *, now, **_):
    """Rate a finished test's answers, each question once, at the moment it finished."""
    if attempt.user_id is None or attempt.mode == "practice":
        return
    fractions: dict[int, float] = {}
    for item in attempt.items:
        if item.response is not None:
            fractions.setdefault(_question_of(item), item.response.fraction)
    review_all(attempt.user_id, fractions, now)


# ---------------------------------------------------------------- what is due


def _live_cards(user_id: int, now: dt.datetime):
    """The query for a learner's cards whose question is still asked, and not held back
    from them by a test (see attempts.visibility): such a question waits."""
    return (
        db.select(ReviewCard)
        .join(Question, Question.id == ReviewCard.question_id)
        .where(
            ReviewCard.user_id == user_id,
            Question.retired_at.is_(None),
            Question.current_version_id.is_not(None),
            ReviewCard.question_id.not_in(held_question_ids(Attempt.user_id == user_id, now)),
        )
    )


def due_cards(
    user_id: int, now: dt.datetime, *, limit: int | None = None, exclude: set[int] = frozenset()
) -> list[ReviewCard]:
    """Return the learner's cards due today, most overdue first."""
    query = _live_cards(user_id, now).where(ReviewCard.due < day_end(now))
    if exclude:
        query = query.where(ReviewCard.question_id.not_in(exclude))
    query = query.order_by(ReviewCard.due, ReviewCard.id)
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class ReviewStatus:
    """What a learner's review schedule looks like right now."""

    due: int
    scheduled: int
    tomorrow: int
    this_week: int
    next_due: dt.datetime | None

    @property
    def headline(self) -> str:
        """Say how many questions are due: "3 questions to review"."""
        if self.due == 0:
            return "Nothing to review today"
        return f"{self.due} question{'s' * (self.due != 1)} to review"


def review_status(user_id: int, now: dt.datetime) -> ReviewStatus:
    """Count a learner's cards: due today, due tomorrow, due within a week, in all."""
    today_end = day_end(now)
    tomorrow_end = today_end + dt.timedelta(days=1)
    week_end = today_end + dt.timedelta(days=7)
    cards = _live_cards(user_id, now).subquery()
    due = func.count().filter(cards.c.due < today_end)
    tomorrow = func.count().filter(cards.c.due >= today_end, cards.c.due < tomorrow_end)
    week = func.count().filter(cards.c.due >= today_end, cards.c.due < week_end)
    upcoming = func.min(cards.c.due).filter(cards.c.due >= today_end)
    row = db.session.execute(
        db.select(due, func.count(), tomorrow, week, upcoming).select_from(cards)
    ).one()
    return ReviewStatus(
        due=row[0], scheduled=row[1], tomorrow=row[2], this_week=row[3], next_due=row[4]
    )


def latest_credits(user_id: int, now: dt.datetime) -> dict[int, float]:
    """Return the credit of the learner's latest rated answer to each question, by id
    (none for a question a test holds back from them)."""
    rows = db.session.execute(
        db.select(ReviewCard.question_id, ReviewCard.last_fraction).where(
            ReviewCard.user_id == user_id,
            ReviewCard.last_fraction.is_not(None),
            ReviewCard.question_id.not_in(held_question_ids(Attempt.user_id == user_id, now)),
        )
    )
    return {question_id: fraction for question_id, fraction in rows}
