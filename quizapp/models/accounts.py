"""Accounts: learners and teachers."""

from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.extensions import db
from quizapp.models.base import new_token, utcnow

#: Shortest and longest passwords: a longer one is refused before any hashing (scrypt on
#: a megabyte would tie up a worker).
PASSWORD_MIN, PASSWORD_MAX = 8, 1_000


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

    def set_password(self, password: str) -> None:
        """Store a new password (hashed) and sign every device out."""
        if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
            raise ValueError(f"A password has {PASSWORD_MIN} to {PASSWORD_MAX:,} characters.")
        self.password_hash = generate_password_hash(password)
        self.sign_out_everywhere()

    def check_password(self, password: str) -> bool:
        """Tell whether `password` is this user's; an over-long one is never hashed."""
        if len(password) > PASSWORD_MAX:
            return False
        return check_password_hash(self.password_hash, password)

    def sign_out_everywhere(self) -> None:
        """Give the user a new session token: every cookie issued before stops working."""
        self.session_token = new_token()
