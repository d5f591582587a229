"""Spaced review: a learner's schedule for each question they answered."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db
from quizapp.models.banks import Question


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
