"""Mastery: what a learner knows now, per bank and per tag.

The formula, as the progress page and the README state it:

- a question's **recent score** is the credit of the learner's last three rated answers
  to it (see `scheduling`: practice answers, and each finished test's), the latest
  counting most (weights 3, 2 and 1: answers 0, then 1, then 1 score (3 + 2 + 0) / 6
  = 0.83);
- its **recall** is FSRS's retrievability of the learner's card for it now:
  R = (1 + F·t/S)^−d, t whole days since its last review, S the card's stability,
  d = 0.1542 and F = 0.9^(−1/d) − 1, so that R is 90 % when t = S;
- the question's **mastery** is recent score × recall;
- a topic's mastery is the mean mastery of the topic's questions the learner has
  answered; "seen" says how many of the topic's questions that is.

Everything comes from the learner's review cards, one per question answered, so the
figures cost the same however long their history. A test's answers count once the
test is finished, as they are rated then. The three weakest topics are the tags with
the lowest mastery among those with at least two answered questions.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import DateTime, Select, bindparam, or_, true

from quizapp.attempts.visibility import held_question_ids
from quizapp.extensions import db
from quizapp.models import Attempt, Bank, Question, QuestionVersion, ReviewCard, User
from quizapp.models.base import DEADLINE_GRACE
from quizapp.review.scheduling import recall, recent_fractions, retrievability

#: How much each of the latest answers to a question weighs in its recent score, newest first.
RECENT_WEIGHTS = (3, 2, 1)
#: A tag needs this many answered questions before it can be called weak.
MIN_ANSWERED = 2
WEAKEST = 3
#: Tags drawn on the chart beside the banks, the weakest first.
CHART_TAGS = 10
#: A question never answered ranks between a wrong one and a right one in the weakest quiz.
UNSEEN_PRIORITY = 0.5


def recent_score(fractions: Sequence[float]) -> float:
    """Return the weighted mean of the latest credits (given newest first)."""
    pairs = list(zip(RECENT_WEIGHTS, fractions, strict=False))
    return sum(w * f for w, f in pairs) / sum(w for w, _ in pairs)


def question_mastery(card: ReviewCard, now: dt.datetime) -> float:
    """Return recent score × recall for one question the learner has answered."""
    return recent_score(recent_fractions(card)) * retrievability(card, now)


def tag_label(tag: str) -> str:
    """Write a tag slug for people: "world-war-ii" → "world war ii"."""
    return tag.replace("-", " ")


@dataclass(frozen=True)
class Topic:
    """A bank or a tag, with how much of it the learner has seen and knows now."""

    kind: str  # "bank" or "tag"
    key: str  # the bank's slug or the tag
    label: str
    answered: int
    mastery: float | None  # None until a question of the topic is answered
    total: int | None = None  # a bank's live questions (tags are not counted)

    @property
    def percent(self) -> float | None:
        return None if self.mastery is None else 100.0 * self.mastery


@dataclass(frozen=True)
class MasteryReport:
    """A learner's mastery by bank and by tag, and their weakest topics."""

    banks: list[Topic]
    tags: list[
        Topic
    ]  # the tags answered: those ranked (MIN_ANSWERED), weakest first, then the rest
    weakest: list[Topic]
    #: A tag is ranked (can be called weak) from this many answered questions.
    min_answered = MIN_ANSWERED
    mastery: dict[int, float]  # by question id, for the questions answered

    @property
    def answered_any(self) -> bool:
        return bool(self.mastery)

    def chart(self) -> BarChart | None:
        """Return the bar chart: the banks begun, then the weakest tags."""
        rows = [t for t in self.banks if t.answered]
        tags = [t for t in self.tags if t.answered >= MIN_ANSWERED][:CHART_TAGS]
        return bar_chart(rows, tags) if rows else None


#: The learner's review cards on live questions, with each question's bank and its
#: current version's spec, leaving out the questions a test holds back from them
#: (attempts.visibility): a question held back counts for nothing yet. Bound by the
#: parameters "user_id", "now" and "ended_before". A subquery filtered by the learner,
#: so that the database reads their cards through the (user, question) index: joined
#: to the banks as a bare join, SQLite built it from every learner's cards first.
CARDS = (
    db.select(
        # Only what mastery reads, taken out of the JSON by the database: building a
        # card object and decoding its JSON and its question's spec per card cost
        # a third of a millisecond each (1.7 s for a learner with 5,000 cards).
        ReviewCard.question_id.label("card_question_id"),
        ReviewCard.last_review.label("card_last_review"),
        ReviewCard.card["stability"].label("card_stability"),
        ReviewCard.card["recent"].label("card_recent"),
        Question.bank_id.label("card_bank_id"),
        QuestionVersion.spec["tags"].label("card_tags"),
    )
    .select_from(ReviewCard)
    .join(Question, Question.id == ReviewCard.question_id)
    .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
    .where(
        ReviewCard.user_id == bindparam("user_id"),
        Question.retired_at.is_(None),
        ReviewCard.question_id.not_in(
            held_question_ids(
                Attempt.user_id == bindparam("user_id"),
                bindparam("now", type_=DateTime),
                bindparam("ended_before", type_=DateTime),
            )
        ),
    )
    .subquery("cards")
)
#: What mastery is worked out from: a bank, and one of the learner's cards in it (its
#: question, last review, stability and latest credits, and the question's tags).
INPUTS = (
    Bank.id,
    Bank.slug,
    Bank.title,
    Bank.live_questions,
    CARDS.c.card_question_id,
    CARDS.c.card_last_review,
    CARDS.c.card_stability,
    CARDS.c.card_recent,
    CARDS.c.card_tags,
)
#: The banks a report shows: the bundled ones, and any other the learner answered in.
SHOWN = or_(Bank.owner_id.is_(None), CARDS.c.card_question_id.is_not(None))


def join_inputs(query: Select, when: Any = None) -> Select:
    """Outer-join the INPUTS of a learner's mastery to `query`, on its rows where `when`;
    the statement is then bound by "user_id", "now" and "ended_before" (see CARDS).

    Each bank gives a row per card the learner has on its live questions, or one row
    without a card; filter with SHOWN. Whatever the learner's history, this is part of
    one statement, and the banks' sizes are read, not counted.
    """
    return query.outerjoin(Bank, true() if when is None else when).outerjoin(
        CARDS, CARDS.c.card_bank_id == Bank.id
    )


def mastery_parameters(user_id: int, now: dt.datetime) -> dict[str, Any]:
    """Return the parameters of a statement made with `join_inputs`."""
    return {"user_id": user_id, "now": now, "ended_before": now - DEADLINE_GRACE}


def mastery_report(user_id: int, now: dt.datetime) -> MasteryReport:
    """Work out the learner's mastery of each bundled bank, each bank they answered in,
    and each tag of the questions they answered: one query, whatever their history."""
    query = join_inputs(db.select(*INPUTS).select_from(User))
    query = query.where(User.id == bindparam("user_id"), SHOWN).order_by(Bank.title, Bank.id)
    rows = db.session.execute(query, mastery_parameters(user_id, now)).all()
    return report_from(rows, now)


def report_from(rows: Iterable[Sequence[Any]], now: dt.datetime) -> MasteryReport:
    """Work out a report from rows of INPUTS ordered by bank; rows without a bank
    (the part of a larger query that holds something else) are skipped."""
    mastery: dict[int, float] = {}
    banks: dict[int, tuple[str, str, int]] = {}
    by_bank: dict[int, list[float]] = defaultdict(list)
    by_tag: dict[str, list[float]] = defaultdict(list)
    for bank_id, slug, title, live, question_id, last_review, stability, recent, tags in rows:
        if bank_id is None:
            continue
        banks[bank_id] = (slug, title, live)
        if question_id is None:
            continue
        value = mastery[question_id] = recent_score(recent or []) * recall(
            stability, last_review, now
        )
        by_bank[bank_id].append(value)
        for tag in dict.fromkeys(tags if isinstance(tags, list) else []):
            by_tag[tag].append(value)

    bank_topics = [
        _topic("bank", slug, title, by_bank.get(bank_id, []), live)
        for bank_id, (slug, title, live) in banks.items()
    ]
    # Ranked tags first: the table and the chart list them in the order that makes the
    # weakest topics, so that the three named are the first three shown.
    tag_topics = sorted(
        (_topic("tag", tag, tag_label(tag), values) for tag, values in by_tag.items()),
        key=lambda t: (t.answered < MIN_ANSWERED, t.mastery, -t.answered, t.label),
    )
    weakest = [t for t in tag_topics if t.answered >= MIN_ANSWERED][:WEAKEST]
    return MasteryReport(bank_topics, tag_topics, weakest, mastery)


def _topic(kind: str, key: str, label: str, values: list[float], total: int | None = None) -> Topic:
    mastery = sum(values) / len(values) if values else None
    return Topic(kind, key, label, len(values), mastery, total)


def weakest_topic_questions(
    report: MasteryReport,
    count: int,
    rng: random.Random,
    exclude: set[int] = frozenset(),
) -> list[int]:
    """Pick question ids from the weakest topics, the least known first, taking turns.

    Each weak tag in turn gives its least mastered question not yet picked, so that all
    three topics are in the quiz; questions never answered rank between wrong and right.
    """
    tags = [topic.key for topic in report.weakest]
    if not tags:
        return []
    rows = db.session.execute(
        db.select(Question.id, QuestionVersion.spec)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .join(Bank, Bank.id == Question.bank_id)
        .where(
            Question.retired_at.is_(None),
            Bank.owner_id.is_(None) | Question.id.in_(list(report.mastery)),
        )
        .order_by(Question.id)
    )
    queues: dict[str, list[int]] = {tag: [] for tag in tags}
    for question_id, spec in rows:
        if question_id in exclude:
            continue
        for tag in set(spec.get("tags") or []) & set(tags):
            queues[tag].append(question_id)

    def priority(question_id: int) -> float:
        return report.mastery.get(question_id, UNSEEN_PRIORITY)

    for queue in queues.values():
        rng.shuffle(queue)  # ties in random order
        queue.sort(key=priority)
    picked: list[int] = []
    while len(picked) < count and any(queues.values()):
        for tag in tags:
            queue = queues[tag]
            while queue and queue[0] in picked:
                queue.pop(0)
            if queue and len(picked) < count:
                picked.append(queue.pop(0))
    return picked


# ------------------------------------------------------------------ the chart

#: The SVG's own coordinates; CSS scales it to the page.
WIDTH = 600
LABEL_WIDTH = 250
BAR_LEFT, BAR_RIGHT = 260, 540
ROW = 24
HEADING = 26
TOP, BOTTOM = 8, 24
TICKS = (0, 50, 100)
LABEL_CHARS = 40


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    label: str
    full_label: str
    percent: float
    answered: int
    total: int


@dataclass(frozen=True)
class Section:
    title: str
    y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class BarChart:
    """Everything the template needs to draw the mastery bars, in SVG units."""

    sections: tuple[Section, ...]
    height: float
    width: int = WIDTH
    bar_left: int = BAR_LEFT
    bar_right: int = BAR_RIGHT
    row: int = ROW

    @property
    def ticks(self) -> list[tuple[float, int]]:
        return [(_x(t), t) for t in TICKS]

    @property
    def axis_top(self) -> float:
        return TOP

    @property
    def axis_bottom(self) -> float:
        return self.height - BOTTOM


def _x(percent: float) -> float:
    return round(BAR_LEFT + (BAR_RIGHT - BAR_LEFT) * min(max(percent, 0.0), 100.0) / 100.0, 1)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(banks: Sequence[Topic], tags: Sequence[Topic]) -> BarChart:
    """Lay out one bar per topic, banks first, then tags, each section under a heading."""
    y = float(TOP)
    sections = []
    for title, topics in (("Banks", banks), ("Weakest topics first", tags)):
        if not topics:
            continue
        heading_y = y + HEADING - 8
        y += HEADING
        bars = []
        for topic in topics:
            percent = topic.percent or 0.0
            bars.append(
                Bar(
                    y=y,
                    width=round(_x(percent) - BAR_LEFT, 1),
                    label=_short(topic.label),
                    full_label=topic.label,
                    percent=percent,
                    answered=topic.answered,
                    total=topic.total,
                )
            )
            y += ROW
        sections.append(Section(title, heading_y, tuple(bars)))
    return BarChart(tuple(sections), height=y + BOTTOM)
