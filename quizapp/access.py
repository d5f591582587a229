"""Who may see what: the one place that decides."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import abort
from flask_login import current_user

from quizapp.extensions import login_manager


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
