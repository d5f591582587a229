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
figures cost the same however long their history. The database works out each card's
mastery and sums it per bank and per tag (`recent_score_sql`, `recall_sql`: the same
operations on the same doubles as the Python functions), so a report reads a row per
topic, not one per card; the per-question figures are read for the weakest topics'
quiz only. A test's answers count once the test is finished, as they are rated then.
The three weakest topics are the tags with the lowest mastery among those with at
least two answered questions.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    DateTime,
    Float,
    Select,
    Subquery,
    bindparam,
    case,
    func,
    literal,
    literal_column,
    or_,
    true,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from quizapp.attempts.visibility import held_question_ids
from quizapp.extensions import db
from quizapp.models import Attempt, Bank, Question, QuestionVersion, ReviewCard
from quizapp.models.base import DEADLINE_GRACE
from quizapp.review.scheduling import recall_sql, recent_fractions, retrievability

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


def recent_score_sql(card: Any) -> Any:
    """Return `recent_score` as SQL, of a card's JSON column (its "recent" credits): the
    same operations in the same order as in Python, so the same value. A card always
    has a credit; one without would score 0."""
    pairs = [(float(w), card[("recent", i)].as_float()) for i, w in enumerate(RECENT_WEIGHTS)]
    weighted = [literal(w, Float) * func.coalesce(credit, 0.0) for w, credit in pairs]
    weights = [case((credit.is_not(None), w), else_=0.0) for w, credit in pairs]
    score = sum(weighted[1:], weighted[0]) / func.nullif(sum(weights[1:], weights[0]), 0.0)
    return func.coalesce(score, 0.0)


class json_array_items(FunctionElement):
    """SQL, a table of one column "value": the items of a JSON array as text, none when
    the JSON is not an array (a question's tags, as `dict.fromkeys(tags)` reads them
    when they are a list)."""

    inherit_cache = True
    name = "json_array_items"


@compiles(json_array_items, "postgresql")
def _json_array_items_postgresql(element, compiler, **kw):
    (items,) = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"json_array_elements_text(CASE WHEN json_typeof({items}) = 'array' THEN {items} END)"


@compiles(json_array_items)
def _json_array_items_sqlite(element, compiler, **kw):
    (items,) = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"json_each(CASE WHEN json_type({items}) = 'array' THEN {items} END)"


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
    #: By question id, for the questions answered: read for the weakest topics' quiz
    #: only (the progress page shows topics), so reports are equal on their topics.
    mastery: dict[int, float] = field(default_factory=dict, compare=False)

    @property
    def answered_any(self) -> bool:
        return any(topic.answered for topic in self.banks)

    def chart(self) -> BarChart | None:
        """Return the bar chart: the banks begun, then the weakest tags."""
        rows = [t for t in self.banks if t.answered]
        tags = [t for t in self.tags if t.answered >= MIN_ANSWERED][:CHART_TAGS]
        return bar_chart(rows, tags) if rows else None


#: The learner's review cards on live questions, each with its question's bank and tags
#: and its mastery now, worked out by the database (recent score × FSRS recall, the
#: formula above, in SQL), leaving out the questions a test holds back from them
#: (attempts.visibility): a question held back counts for nothing yet. Bound by the
#: parameters "user_id", "now" and "ended_before". Filtered by the learner, so that the
#: database reads their cards through the (user, question) index (joined to the banks
#: as a bare join, SQLite built it from every learner's cards first); a CTE, so that
#: the sums per bank and per tag read it once.
CARD_MASTERY = (
    db.select(
        ReviewCard.question_id.label("question_id"),
        Question.bank_id.label("bank_id"),
        QuestionVersion.spec["tags"].label("tags"),
        (
            recent_score_sql(ReviewCard.card)
            * recall_sql(
                ReviewCard.card["stability"].as_float(),
                ReviewCard.last_review,
                bindparam("now", type_=DateTime),
            )
        ).label("mastery"),
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
    .cte("card_mastery")
)


def _summed_by(key, mastery, name: str):
    """Per `key`: how many questions the learner answered, and their mastery's sum."""
    return (
        db.select(key, func.count().label("answered"), func.sum(mastery).label("mastery_sum"))
        .group_by(key)
        .subquery(name)
    )


#: Per bank: how many of its questions the learner answered, and their mastery's sum.
BANK_MASTERY = _summed_by(CARD_MASTERY.c.bank_id, CARD_MASTERY.c.mastery, "bank_mastery")
_TAGS = json_array_items(CARD_MASTERY.c.tags).table_valued("value", name="tags")
#: Each answered question once per tag it has (a tag written twice counts once).
_TAGGED = (
    db.select(CARD_MASTERY.c.question_id, CARD_MASTERY.c.mastery, _TAGS.c.value.label("tag"))
    .select_from(CARD_MASTERY)
    .join(_TAGS, true())
    .distinct()
    .subquery("tagged")
)
#: Per tag: how many questions with it the learner answered, and their mastery's sum.
TAG_MASTERY = _summed_by(_TAGGED.c.tag, _TAGGED.c.mastery, "tag_mastery")

#: The parts of a statement with `join_inputs`: which rows hold what (a statement may
#: have a part of its own before them, such as the progress page's quiz figures).
BANK_PART, TAG_PART, QUESTION_PART = 2, 3, 4


def parts(*numbers: int) -> Subquery:
    """Return a subquery of one row per part, its column "part" the part's number."""
    rows = [db.select(literal_column(str(int(number))).label("part")) for number in numbers]
    return union_all(*rows).subquery("parts")


#: What a mastery report is made of: a row holds a bank with its figures or a tag with
#: its figures (the other's columns NULL).
INPUTS = (
    Bank.id,
    Bank.slug,
    Bank.title,
    Bank.live_questions,
    BANK_MASTERY.c.answered,
    BANK_MASTERY.c.mastery_sum,
    TAG_MASTERY.c.tag,
    TAG_MASTERY.c.answered,
    TAG_MASTERY.c.mastery_sum,
)
#: What the weakest topics' quiz adds: a row per answered question, with its mastery.
QUESTION_INPUTS = (CARD_MASTERY.c.question_id, CARD_MASTERY.c.mastery)
#: The banks a report shows: the bundled ones, and any other the learner answered in.
SHOWN = or_(Bank.owner_id.is_(None), BANK_MASTERY.c.answered.is_not(None))


def join_inputs(query: Select, part: Any, *, questions: bool = False) -> Select:
    """Outer-join the INPUTS of a learner's mastery to `query`: banks on its rows where
    `part` is BANK_PART, tags where it is TAG_PART and, with `questions` (select the
    QUESTION_INPUTS too), each answered question where it is QUESTION_PART. The
    statement is then bound by "user_id", "now" and "ended_before" (see CARD_MASTERY);
    filter it with SHOWN.

    Whatever the learner's history, this is part of one statement, which returns a row
    per bank and per tag (and per question, when asked): the sums are the database's,
    and the banks' sizes are read, not counted.
    """
    query = query.outerjoin(Bank, part == BANK_PART)
    query = query.outerjoin(BANK_MASTERY, BANK_MASTERY.c.bank_id == Bank.id)
    query = query.outerjoin(TAG_MASTERY, part == TAG_PART)
    return query.outerjoin(CARD_MASTERY, part == QUESTION_PART) if questions else query


def mastery_parameters(user_id: int, now: dt.datetime) -> dict[str, Any]:
    """Return the parameters of a statement made with `join_inputs`."""
    return {"user_id": user_id, "now": now, "ended_before": now - DEADLINE_GRACE}


_PARTS = parts(BANK_PART, TAG_PART, QUESTION_PART)
#: Every figure of a learner's mastery, and each answered question's: one statement.
_REPORT = (
    join_inputs(
        db.select(*INPUTS, *QUESTION_INPUTS).select_from(_PARTS), _PARTS.c.part, questions=True
    )
    .where(SHOWN)
    .order_by(_PARTS.c.part, Bank.title, Bank.id)
)


def mastery_report(user_id: int, now: dt.datetime) -> MasteryReport:
    """Work out the learner's mastery of each bundled bank, each bank they answered in,
    each tag of the questions they answered, and each of those questions (for the
    weakest topics' quiz): one query, whatever their history."""
    rows = db.session.execute(_REPORT, mastery_parameters(user_id, now)).all()
    return report_from(rows)


def report_from(rows: Iterable[Sequence[Any]]) -> MasteryReport:
    """Make a report from rows of INPUTS (and QUESTION_INPUTS, if any), the banks in the
    order to show them; rows without any (the part of a larger query that holds
    something else) are skipped."""
    mastery: dict[int, float] = {}
    bank_topics: list[Topic] = []
    tag_topics: list[Topic] = []
    for row in rows:
        bank_id, slug, title, live, answered, bank_sum, tag, tagged, tag_sum = row[:9]
        question, value = row[9:] or (None, None)
        if bank_id is not None:
            bank_topics.append(_topic("bank", slug, title, answered, bank_sum, live))
        elif tag is not None:
            tag_topics.append(_topic("tag", tag, tag_label(tag), tagged, tag_sum))
        elif question is not None:
            mastery[question] = value
    # Ranked tags first: the table and the chart list them in the order that makes the
    # weakest topics, so that the three named are the first three shown.
    tag_topics.sort(key=_weakest_first)
    weakest = [t for t in tag_topics if t.answered >= MIN_ANSWERED][:WEAKEST]
    return MasteryReport(bank_topics, tag_topics, weakest, mastery)


def _weakest_first(topic: Topic) -> tuple[bool, float, int, str]:
    # Means equal but for the last bits of their sums' order (the database adds in an
    # order of its own) rank as equal: the more answered first, then by name.
    return (topic.answered < MIN_ANSWERED, round(topic.mastery, 12), -topic.answered, topic.label)


def _topic(
    kind: str,
    key: str,
    label: str,
    answered: int | None,
    mastery_sum: float | None,
    total: int | None = None,
) -> Topic:
    mastery = mastery_sum / answered if answered else None
    return Topic(kind, key, label, answered or 0, mastery, total)


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
