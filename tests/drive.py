"""Drive quizzes in tests as a learner would: users, sign-in, starting and answering."""

from __future__ import annotations

import re

from werkzeug.security import generate_password_hash

from quizapp.extensions import db
from quizapp.models import Attempt, Bank, DrawnFrom, User
from quizapp.question_types import TYPES


def make_user(username: str, role: str = "learner") -> User:
    user = User(
        username=username,
        display_name=username.title(),
        password_hash=generate_password_hash("correct horse battery"),
        role=role,
    )
    db.session.add(user)
    db.session.commit()
    return user


def bank_quiz(slug: str) -> DrawnFrom:
    """What an attempt at the quiz of the bank `slug` draws from."""
    return DrawnFrom.bank(db.session.scalar(db.select(Bank.id).where(Bank.slug == slug)))


def log_in(client, user: User) -> None:
    """Sign a test client in as `user` (the login form is tested in tests/auth)."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def start(client, quiz: str = "mixed", mode: str = "practice", time_limit: int = 0) -> int:
    """Start a quiz through the home page's form; return the attempt id."""
    response = client.post(
        "/quiz/start", data={"quiz": quiz, "mode": mode, "time_limit": str(time_limit)}
    )
    assert response.status_code == 302, response.text
    match = re.search(r"/quiz/(\d+)/q/1$", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def attempt_items(app, attempt_id: int) -> list[tuple[dict, dict]]:
    """Return (spec, view) of each question of an attempt, in order."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        return [(item.version.spec, item.view) for item in attempt.items]


def load_attempt(app, attempt_id: int) -> Attempt:
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        for item in attempt.items:
            _ = item.response  # load before the session closes
        db.session.expunge_all()
        return attempt


def right_form(spec: dict, view: dict) -> dict:
    """Return the form fields of the correct answer to a question as it was shown."""
    kind = TYPES[spec["type"]]
    return kind.form_fields(view, kind.correct_response(spec))


def wrong_form(spec: dict, view: dict) -> dict:
    """Return the form fields of an answer that earns no credit."""
    kind = TYPES[spec["type"]]
    return kind.form_fields(view, kind.wrong_response(spec, view))
