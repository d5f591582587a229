"""Accounts: learners and teachers."""

from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db
from quizapp.models.base import new_token, utcnow


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
