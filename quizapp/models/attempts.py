"""Attempts: a learner's run through a quiz, the questions drawn, the answers given."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    func,
    update,
)
from sqlalchemy.orm import Mapped, composite, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models.base import DEADLINE_GRACE, utcnow
from quizapp.signals import attempt_finished

if TYPE_CHECKING:
    from quizapp.models.banks import QuestionVersion
    from quizapp.models.classes import Assignment


class QuizKind(StrEnum):
    """What an attempt drew its questions from."""

    BANK = "bank"  #: one bundled bank (bank_id)
    MIXED = "mixed"  #: every bundled bank
    ASSIGNMENT = "assignment"  #: a teacher's assignment to a class (assignment_id)
    REVIEW = "review"  #: the learner's questions due for review
    MISTAKES = "mistakes"  #: what an earlier attempt did not get fully right
    WEAKEST = "weakest-topics"  #: the learner's weakest topics
    READER = "reader"  #: questions chosen in the source reader
    TIMELINE = "timeline"  #: a question chosen on the timeline


#: The kinds that name a row, and the column that holds it.
_POINTS_AT = {QuizKind.BANK: "bank_id", QuizKind.ASSIGNMENT: "assignment_id"}


@dataclass(frozen=True)
class DrawnFrom:
    """What an attempt drew from: a kind, with the bank or assignment when it names one.

    `DrawnFrom.bank(3)`, `DrawnFrom.assignment(7)`, `DrawnFrom(QuizKind.REVIEW)`. The
    database holds the same rule as a CHECK on `attempts` (see `drawn_from_check`).
    """

    kind: QuizKind
    bank_id: int | None = None
    assignment_id: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", QuizKind(self.kind))
        for kind, column in _POINTS_AT.items():
            if (self.kind == kind) != (getattr(self, column) is not None):
                raise ValueError(
                    f"an attempt of kind {self.kind!r} with {column}={getattr(self, column)!r}"
                )

    @classmethod
    def bank(cls, bank_id: int) -> DrawnFrom:
        return cls(QuizKind.BANK, bank_id=bank_id)

    @classmethod
    def assignment(cls, assignment_id: int) -> DrawnFrom:
        return cls(QuizKind.ASSIGNMENT, assignment_id=assignment_id)

    @property
    def quiz_key(self) -> str:
        """The one text naming this quiz ("bank:3", "assignment:7", "review"), by which a
        learner's figures are grouped in quiz_stats; `quiz_key_sql` is the same in SQL."""
        row_id = self.bank_id if self.bank_id is not None else self.assignment_id
        return self.kind.value if row_id is None else f"{self.kind.value}:{row_id}"

    @staticmethod
    def quiz_key_sql(row: str) -> str:
        """SQL for the quiz key of `row`, an attempts row (a table, an alias, NEW or OLD)."""
        return (
            f"{row}.kind || COALESCE(':' || CAST({row}.bank_id AS VARCHAR), "
            f"':' || CAST({row}.assignment_id AS VARCHAR), '')"
        )

    def __composite_values__(self) -> tuple:
        return (self.kind, self.bank_id, self.assignment_id)


def drawn_from_check() -> str:
    """SQL of the CHECK on attempts: a known kind, and the bank or assignment it names
    set exactly when the kind names one."""
    kinds = ", ".join(f"'{kind.value}'" for kind in QuizKind)
    rules = [f"kind IN ({kinds})"]
    for kind, column in _POINTS_AT.items():
        rules.append(
            f"((kind = '{kind.value}' AND {column} IS NOT NULL) "
            f"OR (kind <> '{kind.value}' AND {column} IS NULL))"
        )
    return " AND ".join(rules)


class AttemptClock:
    """Where an attempt stands in time: finished, or still open, or out of time.

    Mixed into `Attempt` and into plain-value copies of its rows (the gradebook reads
    thousands of attempts, and building ORM objects cost more than the rest of it).
    Needs `finished_at` and `deadline`.
    """

    @property
    def is_finished(self) -> bool:
        """Tell whether the attempt was finished and scored (a row written so)."""
        return self.finished_at is not None

    @property
    def ends_at(self) -> dt.datetime | None:
        """Return when a timed attempt stops taking answers: its deadline and the grace."""
        return None if self.deadline is None else self.deadline + DEADLINE_GRACE

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        """Tell whether a timed attempt ran out of time without being finished yet."""
        ends = self.ends_at
        return not self.is_finished and ends is not None and (now or utcnow()) > ends


class Attempt(AttemptClock, db.Model):
    """One learner's run through a quiz, its questions drawn when it starts."""

    __tablename__ = "attempts"
    __table_args__ = (
        Index("ix_attempts_user_finished", "user_id", "finished_at"),
        # Finding the timed attempts whose time ran out but nobody finished yet.
        Index("ix_attempts_open_deadline", "finished_at", "deadline"),
        # A learner's attempts at assignments, apart from their many others.
        Index("ix_attempts_user_assignment", "user_id", "assignment_id"),
        UniqueConstraint("assignment_id", "user_id", "number"),
        CheckConstraint(drawn_from_check(), name="drawn_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # A visitor's attempt is held by a key in their session until they sign up.
    guest_key: Mapped[str | None] = mapped_column(String(32), index=True)
    #: What it drew from (a QuizKind), with the bank or the assignment below when the
    #: kind names one; `drawn_from` holds the three as one value.
    kind: Mapped[str] = mapped_column(String(16))
    # A bank or an assignment with attempts cannot be deleted (no ON DELETE): their
    # history keeps what it was drawn from.
    bank_id: Mapped[int | None] = mapped_column(ForeignKey("banks.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(16))
    time_limit: Mapped[int | None]
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    deadline: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    score: Mapped[float | None]
    max_score: Mapped[int] = mapped_column(default=0)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"), index=True)
    # The learner's nth attempt at an assignment: unique, so that parallel starts of
    # an assignment that allows one attempt create one attempt.
    number: Mapped[int | None]

    drawn_from: Mapped[DrawnFrom] = composite("kind", "bank_id", "assignment_id")

    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", order_by="AttemptItem.position"
    )

    assignment: Mapped[Assignment | None] = relationship()

    def finish(self, now: dt.datetime | None = None) -> bool:
        """Finish and score the attempt once; return False if it was already finished.

        A single conditional UPDATE decides, so two "finish" requests racing each other
        (double click, two tabs, two workers) grade the attempt exactly once.
        """
        now = now or utcnow()
        total = (
            db.select(func.coalesce(func.sum(Response.fraction), 0.0))
            .join(AttemptItem, AttemptItem.id == Response.item_id)
            .where(AttemptItem.attempt_id == self.id)
            .scalar_subquery()
        )
        result = db.session.execute(
            update(Attempt)
            .where(Attempt.id == self.id, Attempt.finished_at.is_(None))
            .values(finished_at=now, score=total)
            .execution_options(synchronize_session=False)
        )
        # Only what the UPDATE changed: the items the caller loaded stay loaded.
        db.session.refresh(self, ["finished_at", "score"])
        if result.rowcount != 1:
            return False
        attempt_finished.send(self, now=now)
        return True

    def is_over(self, now: dt.datetime | None = None) -> bool:
        """Tell whether the attempt is over: finished, or its time ran out (it then counts
        as finished everywhere, before any request writes it so)."""
        return self.is_finished or self.is_overdue(now)

    @property
    def percent(self) -> float | None:
        if self.score is None or not self.max_score:
            return None
        return 100.0 * self.score / self.max_score


class AttemptItem(db.Model):
    """A question as drawn into an attempt: its version and how it was shown."""

    __tablename__ = "attempt_items"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"))
    position: Mapped[int]
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    view: Mapped[dict[str, Any]] = mapped_column(JSON)

    attempt: Mapped[Attempt] = relationship(back_populates="items")
    version: Mapped[QuestionVersion] = relationship()
    response: Mapped[Response | None] = relationship(back_populates="item", uselist=False)


class Response(db.Model):
    """A learner's answer to one item, with the credit it earned when graded."""

    __tablename__ = "responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One row per item: a resent answer can never count twice.
    item_id: Mapped[int] = mapped_column(ForeignKey("attempt_items.id"), unique=True)
    value: Mapped[Any] = mapped_column(JSON)
    fraction: Mapped[float]
    feedback: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    item: Mapped[AttemptItem] = relationship(back_populates="response")
