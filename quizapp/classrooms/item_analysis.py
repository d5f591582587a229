"""Item analysis: which questions of an assignment (or a class) are hard or confusing.

For each question version learners were asked:

- facility: the share of learners who earned full credit, and the mean fraction of
  credit (partial credit counts);
- discrimination: the corrected point-biserial correlation, that is Pearson's r
  between the credit earned on the question and the learner's mean credit on the
  *other* questions of the same attempt. Questions are drawn at random, so each learner
  sees different ones: a correlation over those who saw the question suits that, where
  the top-27%-against-bottom-27% index needs everyone to answer the same test. Leaving
  the question out of the total keeps a question from correlating with itself. Near 0
  or negative: strong learners do no better than weak ones, often a sign of a
  confusing or wrong question. None when fewer than MIN_FOR_DISCRIMINATION learners
  saw it, or when everyone scored the same;
- the most common wrong answers, normalised as the grader reads them (case, accents
  and spacing folded for names, numbers and dates read as numbers and dates), shown
  in their most common spelling.

Each learner counts once per assignment: their first attempt that is done (finished or
out of time), before they had seen the questions.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from sqlalchemy import Float, Select, Text, bindparam, case, cast, func

from quizapp.classrooms.outcomes import ATTEMPT_ROW_FIELDS, AttemptRow
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Attempt,
    AttemptItem,
    Bank,
    Classroom,
    Membership,
    Question,
    QuestionVersion,
    Response,
    utcnow,
)
from quizapp.question_types import TYPES

MIN_FOR_DISCRIMINATION = 3
TOP_WRONG = 3
#: Below these a question is flagged for the teacher to look at.
LOW_FACILITY = 0.3
LOW_DISCRIMINATION = 0.2
#: A question is flagged only once this many learners have seen it.
MIN_FOR_FLAG = MIN_FOR_DISCRIMINATION


@dataclass(frozen=True)
class ItemResult:
    """One question in one learner's attempt: credit earned and the answer given."""

    version_id: int
    fraction: float
    value: object = None
    answered: bool = True


@dataclass(frozen=True)
class WrongAnswer:
    text: str
    count: int


@dataclass(frozen=True)
class QuestionStats:
    """The figures of one question version."""

    version_id: int
    spec: dict
    seen: int
    full_credit: int
    mean_fraction: float
    discrimination: float | None
    unanswered: int
    wrong_answers: list[WrongAnswer] = field(default_factory=list)
    bank_title: str = ""
    #: The digest of the version's spec (its content): what its answer text is kept by.
    digest: str = ""

    @property
    def facility(self) -> float:
        """The share of learners who earned full credit."""
        return self.full_credit / self.seen if self.seen else 0.0

    @property
    def flag_reason(self) -> str | None:
        """Say why the question is worth a look (few get it right, or it does not tell
        strong from weak learners), once MIN_FOR_FLAG learners have seen it; else None."""
        if self.seen < MIN_FOR_FLAG:
            return None  # one learner's slip says nothing about the question
        if self.mean_fraction < LOW_FACILITY:
            return f"few get it right: mean credit {self.mean_fraction:.0%}"
        if self.discrimination is not None and self.discrimination < LOW_DISCRIMINATION:
            return "strong and weak learners do about as well on it"
        return None

    @property
    def flagged(self) -> bool:
        """Worth a look: see flag_reason."""
        return self.flag_reason is not None

    @property
    def answer_text(self) -> str:
        return answer_text(self.spec, self.digest)


#: Answer texts by the digest of their question's spec: equal content, equal text, in
#: any process and any database, so none can be stale. Bounded: cleared when full.
_ANSWER_TEXTS: dict[str, str] = {}
_ANSWER_TEXTS_KEPT = 20_000


def answer_text(spec: dict, digest: str = "") -> str:
    """Return how a question's right answer reads, worked out once per content."""
    if not digest:
        return TYPES[spec["type"]].answer_text(spec)
    text = _ANSWER_TEXTS.get(digest)
    if text is None:
        if len(_ANSWER_TEXTS) >= _ANSWER_TEXTS_KEPT:
            _ANSWER_TEXTS.clear()
        text = _ANSWER_TEXTS[digest] = TYPES[spec["type"]].answer_text(spec)
    return text


def answer_key(spec: dict, value: object) -> tuple[object, str]:
    """Return (what makes two answers the same, how to show it) the way the grader reads it."""
    return TYPES[spec["type"]].response_key(spec, value)


@dataclass
class Sums:
    """What one question's figures are made of, summed over the attempts that drew it.

    `x` is the credit earned on the question, `y` the mean credit on the attempt's other
    questions (for attempts with at least two questions: `pairs` of them).
    """

    seen: int = 0
    full_credit: int = 0
    credit: float = 0.0
    unanswered: int = 0
    pairs: int = 0
    x: float = 0.0
    y: float = 0.0
    xy: float = 0.0
    xx: float = 0.0
    yy: float = 0.0

    def add_pair(self, x: float, y: float) -> None:
        self.pairs += 1
        self.x, self.y, self.xy = self.x + x, self.y + y, self.xy + x * y
        self.xx, self.yy = self.xx + x * x, self.yy + y * y

    def correlation(self) -> float | None:
        """Pearson's r of the pairs; None when either side does not vary, or below two."""
        n = self.pairs
        if n < 2:
            return None
        sxx = self.xx - self.x * self.x / n
        syy = self.yy - self.y * self.y / n
        # Relative to the sums' size: a constant side leaves only rounding behind.
        if sxx <= 1e-9 * max(1.0, self.xx) or syy <= 1e-9 * max(1.0, self.yy):
            return None
        return (self.xy - self.x * self.y / n) / math.sqrt(sxx * syy)


def correlation(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r; None when either side does not vary or there are too few pairs."""
    sums = Sums()
    for x, y in zip(xs, ys, strict=True):
        sums.add_pair(x, y)
    return sums.correlation()


def analyse(attempts: list[list[ItemResult]], specs: dict[int, dict]) -> list[QuestionStats]:
    """Return the figures of every question in these attempts, hardest first.

    `attempts` holds one list of item results per learner's counted attempt. The
    database sums the same figures for `item_analysis`; this is their definition.
    """
    sums: dict[int, Sums] = defaultdict(Sums)
    wrong: list[tuple[int, object, str, int]] = []
    for items in attempts:
        total = sum(item.fraction for item in items)
        others = len(items) - 1
        for item in items:
            figures = sums[item.version_id]
            figures.seen += 1
            figures.full_credit += item.fraction >= 1
            figures.credit += item.fraction
            if others:
                figures.add_pair(item.fraction, (total - item.fraction) / others)
            if not item.answered:
                figures.unanswered += 1
            elif item.fraction < 1:
                stored = json.dumps(item.value, sort_keys=True)
                wrong.append((item.version_id, item.value, stored, 1))
    return question_stats(sums, wrong, specs)


def question_stats(
    sums: dict[int, Sums], wrong: list[tuple[int, object, str, int]], specs: dict[int, dict]
) -> list[QuestionStats]:
    """Return each question's figures from its sums and its wrong answers, hardest first.

    `wrong` holds (version id, the answer, its stored text, how many gave it), in the
    order they were first given: of equally common answers or spellings, the first shown.
    """
    counts: dict[int, Counter] = defaultdict(Counter)
    spellings: dict[int, dict[object, Counter]] = defaultdict(lambda: defaultdict(Counter))
    # Learners give the same wrong answers again and again: each is read once.
    keys: dict[tuple[int, str], tuple[object, str]] = {}
    for version_id, value, stored, count in wrong:
        if (version_id, stored) not in keys:
            keys[version_id, stored] = answer_key(specs[version_id], value)
        key, shown = keys[version_id, stored]
        counts[version_id][key] += count
        spellings[version_id][key][shown] += count
    stats = []
    for version_id, figures in sums.items():
        discrimination = None
        if figures.pairs >= MIN_FOR_DISCRIMINATION:
            discrimination = figures.correlation()
        common = [
            WrongAnswer(spellings[version_id][key].most_common(1)[0][0], count)
            for key, count in counts[version_id].most_common(TOP_WRONG)
        ]
        stats.append(
            QuestionStats(
                version_id=version_id,
                spec=specs[version_id],
                seen=figures.seen,
                full_credit=figures.full_credit,
                mean_fraction=figures.credit / figures.seen,
                discrimination=discrimination,
                unanswered=figures.unanswered,
                wrong_answers=common,
            )
        )
    return sorted(stats, key=lambda s: (s.mean_fraction, s.version_id))


def counted_attempts(
    classroom: Classroom, assignment: Assignment | None = None, now: dt.datetime | None = None
) -> list[AttemptRow]:
    """Return each current learner's first done attempt at each assignment (or at this one).

    Read as plain values: a class's analysis counts a thousand attempts or more.
    """
    now = now or utcnow()
    query = (
        db.select(*[getattr(Attempt, name) for name in ATTEMPT_ROW_FIELDS])
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        .join(
            Membership,
            (Membership.user_id == Attempt.user_id)
            & (Membership.classroom_id == Assignment.classroom_id),
        )
        .where(Assignment.classroom_id == classroom.id)
        .order_by(Attempt.number, Attempt.started_at, Attempt.id)
    )
    if assignment is not None:
        query = query.where(Attempt.assignment_id == assignment.id)
    first: dict[tuple[int, int], AttemptRow] = {}
    for row in db.session.execute(query):
        attempt = AttemptRow(*row)
        # Done: finished, or out of time (counted with the answers it had).
        if attempt.is_finished or attempt.is_overdue(now):
            first.setdefault((attempt.user_id, attempt.assignment_id), attempt)
    return list(first.values())


def item_analysis(
    classroom: Classroom, assignment: Assignment | None = None, now: dt.datetime | None = None
) -> tuple[list[QuestionStats], int]:
    """Return the figures of the questions of an assignment (or the whole class), and the
    number of attempts they are based on."""
    attempts = counted_attempts(classroom, assignment, now)
    if not attempts:
        return [], 0
    ids = [a.id for a in attempts]
    sums = _sums(ids)
    wrong = [
        (version_id, json.loads(stored), stored, count)
        for version_id, stored, count in db.session.execute(
            _wrong_answers_statement(), {"attempt_ids": ids}
        )
    ]
    # Each version with its bank's title in the same rows: one query, not one per question.
    versions = {
        version_id: (spec, title, digest)
        for version_id, spec, title, digest in db.session.execute(
            db.select(QuestionVersion.id, QuestionVersion.spec, Bank.title, QuestionVersion.digest)
            .join(Question, Question.id == QuestionVersion.question_id)
            .join(Bank, Bank.id == Question.bank_id)
            .where(QuestionVersion.id.in_(list(sums)))
        )
    }
    stats = question_stats(sums, wrong, {vid: v[0] for vid, v in versions.items()})
    titled = [
        replace(s, bank_title=versions[s.version_id][1], digest=versions[s.version_id][2])
        for s in stats
    ]
    return titled, len(attempts)


def _sums(attempt_ids: list[int]) -> dict[int, Sums]:
    """Sum each question's figures over these attempts in the database (as `analyse`
    does in Python): a class's 10,000 answers come back as a row per question."""
    rows = db.session.execute(_sums_statement(), {"attempt_ids": attempt_ids})
    return {
        version_id: Sums(seen, full, credit, blank, pairs, *(v or 0.0 for v in rest))
        for version_id, seen, full, credit, blank, pairs, *rest in rows
    }


#: The attempts analysed, bound when a statement runs: the statements below are built
#: once (building one cost about as much as running it on an assignment's attempts).
_ATTEMPT_IDS = bindparam("attempt_ids", expanding=True)


@functools.cache
def _sums_statement() -> Select:
    per_attempt = (
        db.select(
            AttemptItem.attempt_id.label("attempt_id"),
            func.count(AttemptItem.id).label("item_count"),
            func.coalesce(func.sum(Response.fraction), 0.0).label("total"),
        )
        .outerjoin(Response, Response.item_id == AttemptItem.id)
        .where(AttemptItem.attempt_id.in_(_ATTEMPT_IDS))
        .group_by(AttemptItem.attempt_id)
        .subquery()
    )
    x = func.coalesce(Response.fraction, 0.0)
    paired = per_attempt.c.item_count > 1
    # The mean credit on the attempt's other questions, for attempts with two or more.
    y = case((paired, cast(per_attempt.c.total - x, Float) / (per_attempt.c.item_count - 1)))
    xp = case((paired, x))
    return (
        db.select(
            AttemptItem.question_version_id,
            func.count(),
            func.sum(case((x >= 1, 1), else_=0)),
            func.sum(x),
            func.sum(case((Response.id.is_(None), 1), else_=0)),
            func.count(y),
            func.sum(xp),
            func.sum(y),
            func.sum(xp * y),
            func.sum(xp * xp),
            func.sum(y * y),
        )
        .join(per_attempt, per_attempt.c.attempt_id == AttemptItem.attempt_id)
        .outerjoin(Response, Response.item_id == AttemptItem.id)
        .group_by(AttemptItem.question_version_id)
    )


@functools.cache
def _wrong_answers_statement() -> Select:
    """(version, stored answer, how many gave it) of the answers short of full credit,
    in the order they were first given: right answers are not read at all."""
    stored = cast(Response.value, Text)
    return (
        db.select(AttemptItem.question_version_id, stored, func.count())
        .join(Response, Response.item_id == AttemptItem.id)
        .where(AttemptItem.attempt_id.in_(_ATTEMPT_IDS), Response.fraction < 1)
        .group_by(AttemptItem.question_version_id, stored)
        .order_by(func.min(AttemptItem.id))
    )
