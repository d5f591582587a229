"""Who may open an attempt: its learner, or the visitor whose session started it."""

from __future__ import annotations

import secrets

from flask import abort, session
from flask_login import current_user

from quizapp.extensions import db
from quizapp.models import Attempt


def guest_key(create: bool = False) -> str | None:
    """Return the visitor's key from the session, creating one when asked."""
    key = session.get("guest_key")
    if key is None and create:
        key = session["guest_key"] = secrets.token_urlsafe(16)
    return key


def attempt_or_404(attempt_id: int, *, for_update: bool = False) -> Attempt:
    """Return the attempt if it belongs to the caller; 404 for anyone else's id."""
    query = db.select(Attempt).where(Attempt.id == attempt_id)
    if current_user.is_authenticated:
        query = query.where(Attempt.user_id == current_user.id)
    else:
        key = guest_key()
        if key is None:
            abort(404)
        query = query.where(Attempt.user_id.is_(None), Attempt.guest_key == key)
    if for_update:
        query = query.with_for_update()
    attempt = db.session.scalars(query).first()
    if attempt is None:
        abort(404)
    return attempt
