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
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from sqlalchemy import Text, case, cast

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
    #: The answer as stored (JSON text), when read from the database: equal texts are
    #: the same answer, so each is read by the grader once.
    stored: str = ""


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


def correlation(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r; None when either side does not vary or there are too few pairs."""
    n = len(xs)
    if n < 2:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def analyse(attempts: list[list[ItemResult]], specs: dict[int, dict]) -> list[QuestionStats]:
    """Return the figures of every question in these attempts, hardest first.

    `attempts` holds one list of item results per learner's counted attempt.
    """
    fractions: dict[int, list[float]] = defaultdict(list)
    rests: dict[int, list[float | None]] = defaultdict(list)
    wrong: dict[int, Counter] = defaultdict(Counter)
    spellings: dict[int, dict[object, Counter]] = defaultdict(lambda: defaultdict(Counter))
    unanswered: Counter[int] = Counter()
    # Learners give the same wrong answers again and again: each is read once.
    keys: dict[tuple[int, str], tuple[object, str]] = {}
    for items in attempts:
        total = sum(item.fraction for item in items)
        for item in items:
            others = len(items) - 1
            fractions[item.version_id].append(item.fraction)
            rests[item.version_id].append((total - item.fraction) / others if others else None)
            if not item.answered:
                unanswered[item.version_id] += 1
            elif item.fraction < 1:
                seen_as = (item.version_id, item.stored or json.dumps(item.value, sort_keys=True))
                if seen_as not in keys:
                    keys[seen_as] = answer_key(specs[item.version_id], item.value)
                key, shown = keys[seen_as]
                wrong[item.version_id][key] += 1
                spellings[item.version_id][key][shown] += 1
    stats = []
    for version_id, earned in fractions.items():
        pairs = [(x, y) for x, y in zip(earned, rests[version_id], strict=True) if y is not None]
        discrimination = None
        if len(pairs) >= MIN_FOR_DISCRIMINATION:
            discrimination = correlation([x for x, _ in pairs], [y for _, y in pairs])
        common = [
            WrongAnswer(spellings[version_id][key].most_common(1)[0][0], count)
            for key, count in wrong[version_id].most_common(TOP_WRONG)
        ]
        stats.append(
            QuestionStats(
                version_id=version_id,
                spec=specs[version_id],
                seen=len(earned),
                full_credit=sum(1 for x in earned if x >= 1),
                mean_fraction=sum(earned) / len(earned),
                discrimination=discrimination,
                unanswered=unanswered[version_id],
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
    # Plain rows, not Response objects: a class's analysis reads thousands of answers.
    rows = db.session.execute(
        db.select(
            AttemptItem.attempt_id,
            AttemptItem.question_version_id,
            Response.id,
            Response.fraction,
            # Only a wrong answer's value is shown, and it is decoded once per distinct
            # text below: right ones are not read at all.
            case((Response.fraction < 1, cast(Response.value, Text))),
        )
        .outerjoin(Response, Response.item_id == AttemptItem.id)
        .where(AttemptItem.attempt_id.in_([a.id for a in attempts]))
        .order_by(AttemptItem.attempt_id, AttemptItem.position)
    )
    by_attempt: dict[int, list[ItemResult]] = defaultdict(list)
    decoded: dict[str, object] = {}
    for attempt_id, version_id, response_id, fraction, stored in rows:
        if response_id is None:
            by_attempt[attempt_id].append(ItemResult(version_id, 0.0, None, answered=False))
            continue
        value = None
        if stored is not None:
            if stored not in decoded:
                decoded[stored] = json.loads(stored)
            value = decoded[stored]
        by_attempt[attempt_id].append(ItemResult(version_id, fraction, value, stored=stored or ""))
    version_ids = {item.version_id for items in by_attempt.values() for item in items}
    # Each version with its bank's title in the same rows: one query, not one per question.
    versions = {
        version_id: (spec, title, digest)
        for version_id, spec, title, digest in db.session.execute(
            db.select(QuestionVersion.id, QuestionVersion.spec, Bank.title, QuestionVersion.digest)
            .join(Question, Question.id == QuestionVersion.question_id)
            .join(Bank, Bank.id == Question.bank_id)
            .where(QuestionVersion.id.in_(version_ids))
        )
    }
    stats = analyse(list(by_attempt.values()), {vid: v[0] for vid, v in versions.items()})
    titled = [
        replace(s, bank_title=versions[s.version_id][1], digest=versions[s.version_id][2])
        for s in stats
    ]
    return titled, len(attempts)
