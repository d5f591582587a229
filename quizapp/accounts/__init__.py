"""Accounts: usernames, passwords, session tokens and a visitor's attempts.

Views and commands call these functions; none of them commits, so that the caller
decides what belongs in one transaction.
"""

from __future__ import annotations

import functools
import hmac
import re
import secrets
import unicodedata

from flask import Flask, session
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from quizapp.extensions import db
from quizapp.models import Attempt, User
from quizapp.models.accounts import PASSWORD_MAX, PASSWORD_MIN

USERNAME_MIN, USERNAME_MAX = 3, 40
#: zxcvbn's score a password needs (0 to 4): 2 is beyond the common passwords, words and
#: patterns an online guesser tries first ("12345678", "password", eight spaces).
PASSWORD_SCORE_MIN = 2
#: zxcvbn reads at most this many characters (its own limit; more is strong enough).
_STRENGTH_READ = 72
ROLES = ("learner", "teacher")
USERNAME_PATTERN = re.compile(r"[a-z0-9._-]+")
USERNAME_RULE = (
    f"{USERNAME_MIN} to {USERNAME_MAX} characters: letters a–z, digits, dots, dashes "
    "and underscores."
)
GUEST_KEY = "guest_key"


class UsernameTaken(ValueError):
    """Someone already has this username (in any spelling that normalises to it)."""


def normalise_username(raw: str) -> str:
    """Return the one spelling of a username: NFKC, casefolded, without outer spaces.

    `Alice`, `alice ` and a full-width `ａlice` all become `alice`. NFKC runs again after
    casefolding because casefolding can undo a normal form.
    """
    folded = unicodedata.normalize("NFKC", raw).casefold()
    return unicodedata.normalize("NFKC", folded).strip()


def username_problem(username: str) -> str | None:
    """Say what is wrong with a normalised username, or return None when it is allowed."""
    if not USERNAME_MIN <= len(username) <= USERNAME_MAX:
        return f"A username has {USERNAME_MIN} to {USERNAME_MAX} characters."
    if not USERNAME_PATTERN.fullmatch(username):
        return "Use only letters a–z, digits, dots, dashes and underscores."
    return None


def find_user(username: str) -> User | None:
    """Return the user with this username, in any spelling, or None."""
    return db.session.scalar(db.select(User).where(User.username == normalise_username(username)))


def weak_password_reason(password: str, *related: str) -> str | None:
    """Say why a password is too easy to guess (zxcvbn), or None when it will do.

    `related` are the account's own words (username, name, email), which a guesser tries.
    """
    result = zxcvbn(password[:_STRENGTH_READ], user_inputs=[word for word in related if word])
    if result["score"] >= PASSWORD_SCORE_MIN:
        return None
    feedback = result["feedback"]
    why = feedback.get("warning") or "It is too easy to guess."
    advice = " ".join(feedback.get("suggestions") or ["Add another word or two."])
    return f"{why.rstrip('.')}. {advice}"


def create_user(
    username: str,
    display_name: str,
    password: str,
    *,
    email: str | None = None,
    role: str = "learner",
) -> User:
    """Add a user with a hashed password; raise UsernameTaken or ValueError.

    The row is flushed inside a savepoint, so that two sign-ups racing for one
    username end with one user and a clear refusal, not a broken transaction.
    """
    username = normalise_username(username)
    if problem := username_problem(username):
        raise ValueError(problem)
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise ValueError(f"A password has {PASSWORD_MIN} to {PASSWORD_MAX:,} characters.")
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}.")
    if find_user(username) is not None:
        raise UsernameTaken(username)
    user = User(
        username=username,
        display_name=display_name,
        email=email or None,
        password_hash=generate_password_hash(password),
        role=role,
    )
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        raise UsernameTaken(username) from None
    return user


@functools.cache
def _decoy_hash() -> str:
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(username: str, password: str) -> User | None:
    """Return the user these credentials belong to, or None.

    An unknown username costs one hash too, so that the time taken does not tell
    which usernames exist.
    """
    if len(password) > PASSWORD_MAX or len(username) > 4 * USERNAME_MAX:
        return None
    user = find_user(username)
    if user is None:
        check_password_hash(_decoy_hash(), password)
        return None
    return user if user.check_password(password) else None


def load_user(user_id: str) -> User | None:
    """Return the user named by a login cookie's "id:token", if the token is current."""
    id_part, sep, token = user_id.partition(":")
    if not sep or not token or not (id_part.isascii() and id_part.isdecimal()):
        return None
    user = db.session.get(User, int(id_part))
    if user is None or not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user


def guest_key(create: bool = False) -> str | None:
    """Return the key that holds this visitor's attempts, making one if asked."""
    key = session.get(GUEST_KEY)
    if not isinstance(key, str):
        key = None
    if key is None and create:
        key = secrets.token_urlsafe(16)
        session[GUEST_KEY] = key
    return key


def claim_guest_attempts(user: User, key: str | None) -> int:
    """Give a visitor's attempts to the account they just opened; return how many."""
    if not key:
        return 0
    result = db.session.execute(
        db.update(Attempt)
        .where(Attempt.guest_key == key, Attempt.user_id.is_(None))
        .values(user_id=user.id, guest_key=None)
    )
    return result.rowcount


def init_app(app: Flask) -> None:
    """Let Flask-Login find users by their login cookie, and add the users command."""
    from quizapp.accounts.cli import users_cli
    from quizapp.extensions import login_manager

    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    app.cli.add_command(users_cli)
