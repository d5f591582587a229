"""Who may see what: the one place that decides."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import abort
from flask_login import current_user

from quizapp.auth.accounts import guest_key
from quizapp.extensions import db, login_manager
from quizapp.models import Attempt


def teacher_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let teachers through; send visitors to log in and refuse learners with 403."""

    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_teacher:
            abort(403)
        return view(*args, **kwargs)

    return guarded


def own_attempts_filter():
    """Return the WHERE clause matching the caller's attempts, or None for nobody's."""
    if current_user.is_authenticated:
        return Attempt.user_id == current_user.id
    key = guest_key()
    if key is None:
        return None
    return (Attempt.user_id.is_(None)) & (Attempt.guest_key == key)


def attempt_or_404(attempt_id: int, *, for_update: bool = False) -> Attempt:
    """Return the attempt if it belongs to the caller; 404 for anyone else's id."""
    owned = own_attempts_filter()
    if owned is None:
        abort(404)
    query = db.select(Attempt).where(Attempt.id == attempt_id, owned)
    if for_update:
        query = query.with_for_update()
    attempt = db.session.scalars(query).first()
    if attempt is None:
        abort(404)
    return attempt
