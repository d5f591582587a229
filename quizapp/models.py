"""The data: users, banks, question versions, attempts and responses."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, func, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.signals import attempt_finished


def utcnow() -> dt.datetime:
    """Return the current time in UTC, naive, as every column stores it."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_token() -> str:
    return secrets.token_urlsafe(16)


#: Answers that arrive this long after a timed attempt's deadline still count: the
#: page's own countdown submits at zero, and the request needs a moment to travel.
DEADLINE_GRACE = dt.timedelta(seconds=10)


class User(UserMixin, db.Model):
    """A learner or a teacher."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="learner")
    # Part of the login cookie: changing it signs every device out.
    session_token: Mapped[str] = mapped_column(String(32), default=new_token)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @property
    def is_teacher(self) -> bool:
        return self.role == "teacher"

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"


class Bank(db.Model):
    """A question bank: a bundled file from questions/ or a teacher's set."""

    __tablename__ = "banks"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(80))
    # A teacher's own source text, against which the set's quotes are checked.
    source_text: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: How many of its questions are live (not retired), kept by the sync that writes
    #: them, so that pages listing banks with their sizes count nothing per request.
    live_questions: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    questions: Mapped[list[Question]] = relationship(
        back_populates="bank", order_by="Question.position"
    )

    @property
    def is_bundled(self) -> bool:
        return self.owner_id is None


class Question(db.Model):
    """A question's stable identity within its bank; its content lives in versions."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("bank_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id"))
    slug: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    retired_at: Mapped[dt.datetime | None]
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_versions.id", use_alter=True)
    )

    bank: Mapped[Bank] = relationship(back_populates="questions")
    current_version: Mapped[QuestionVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )
    versions: Mapped[list[QuestionVersion]] = relationship(
        back_populates="question",
        foreign_keys="QuestionVersion.question_id",
        order_by="QuestionVersion.number",
    )


class QuestionVersion(db.Model):
    """One immutable wording of a question, exactly as written in its bank file."""

    __tablename__ = "question_versions"
    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    number: Mapped[int]
    type: Mapped[str] = mapped_column(String(16))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    question: Mapped[Question] = relationship(back_populates="versions", foreign_keys=[question_id])


class Attempt(db.Model):
    """One learner's run through a quiz, its questions drawn when it starts."""

    __tablename__ = "attempts"
    __table_args__ = (
        Index("ix_attempts_user_finished", "user_id", "finished_at"),
        # Finding the timed attempts whose time ran out but nobody finished yet.
        Index("ix_attempts_open_deadline", "finished_at", "deadline"),
        # A learner's attempts at assignments, apart from their many others.
        Index("ix_attempts_user_assignment", "user_id", "assignment_id"),
        UniqueConstraint("assignment_id", "user_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # A visitor's attempt is held by a key in their session until they sign up.
    guest_key: Mapped[str | None] = mapped_column(String(32), index=True)
    quiz: Mapped[str] = mapped_column(String(80))
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

    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", order_by="AttemptItem.position"
    )

    assignment: Mapped[Assignment | None] = relationship()

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


class Classroom(db.Model):
    """A teacher's class, which learners join with its code."""

    __tablename__ = "classrooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    members: Mapped[list[Membership]] = relationship(back_populates="classroom")
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="classroom", order_by="Assignment.created_at"
    )


class Membership(db.Model):
    """A learner in a class."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("classroom_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    joined_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    classroom: Mapped[Classroom] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class Assignment(db.Model):
    """A quiz a teacher sets for a class: where its questions come from and its rules."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    bank_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    question_count: Mapped[int] = mapped_column(default=10)
    mode: Mapped[str] = mapped_column(String(16), default="test")
    time_limit: Mapped[int | None]
    opens_at: Mapped[dt.datetime | None]
    closes_at: Mapped[dt.datetime | None]
    attempts_allowed: Mapped[int | None] = mapped_column(default=1)
    #: When the teacher released a test's answers to the learners who finished it (else
    #: they come at closing time, or never without a closing time).
    answers_released_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    classroom: Mapped[Classroom] = relationship(back_populates="assignments")

    def answers_held(self, now: dt.datetime | None = None) -> bool:
        """Tell whether a test's answers are still held back from those who finished it:
        until the teacher releases them, or until it closes."""
        if self.mode != "test" or self.answers_released_at is not None:
            return False
        return self.closes_at is None or (now or utcnow()) < self.closes_at


class ReviewCard(db.Model):
    """A learner's spaced-review schedule for one question (FSRS), across its versions."""

    __tablename__ = "review_cards"
    __table_args__ = (
        UniqueConstraint("user_id", "question_id"),
        Index("ix_review_cards_user_due", "user_id", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"))
    card: Mapped[dict[str, Any]] = mapped_column(JSON)
    due: Mapped[dt.datetime]
    last_review: Mapped[dt.datetime | None]
    reviews: Mapped[int] = mapped_column(default=0)
    last_fraction: Mapped[float | None]

    question: Mapped[Question] = relationship()
