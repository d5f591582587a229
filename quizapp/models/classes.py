"""Classes: a teacher's classes, their learners, and the quizzes assigned to them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models.accounts import User
from quizapp.models.base import utcnow


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
    extra_times: Mapped[list[ExtraTime]] = relationship(
        cascade="all, delete-orphan", order_by="ExtraTime.id"
    )

    def answers_held(self, now: dt.datetime | None = None) -> bool:
        """Tell whether a test's answers are still held back from those who finished it:
        until the teacher releases them, or until it closes."""
        if self.mode != "test" or self.answers_released_at is not None:
            return False
        return self.closes_at is None or (now or utcnow()) < self.closes_at


class ExtraTime(db.Model):
    """More time for one learner on one assignment's time limit (Moodle's "user override"):
    the limit multiplied by `factor_percent` ÷ 100 (150, 200), or lengthened by
    `extra_minutes`; exactly one of the two is set."""

    __tablename__ = "extra_time"
    __table_args__ = (
        UniqueConstraint("assignment_id", "user_id"),
        CheckConstraint(
            "(factor_percent IS NULL) <> (extra_minutes IS NULL)", name="one_kind_of_extra_time"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    factor_percent: Mapped[int | None]
    extra_minutes: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()

    def lengthen(self, seconds: int) -> int:
        """Return a time limit of `seconds` as this learner has it."""
        if self.factor_percent is not None:
            return seconds * self.factor_percent // 100
        return seconds + 60 * (self.extra_minutes or 0)

    def describe(self) -> str:
        """Say the extra time as the teacher chose it: "× 1.5", "+ 10 minutes"."""
        if self.factor_percent is not None:
            factor = self.factor_percent / 100
            return f"× {factor:g}"
        return f"+ {self.extra_minutes} minute" + ("" if self.extra_minutes == 1 else "s")
