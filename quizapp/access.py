"""Who may see what: the one place that decides."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import abort, session
from flask_login import current_user
from sqlalchemy import bindparam

from quizapp.accounts import guest_key
from quizapp.extensions import db, login_manager
from quizapp.models import Assignment, Attempt, Bank, Classroom, Membership, Question, User

T = TypeVar("T")


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


def caller() -> tuple[int | None, str | None]:
    """Return who is asking: the signed-in user's id, or the visitor's key (or neither)."""
    if current_user.is_authenticated:
        return current_user.id, None
    return None, guest_key()


def session_user_id() -> int | None:
    """Return the id of the user the session says is signed in, not yet checked.

    Only for reading that user's row in the same query as other rows: Flask-Login
    still loads and checks the user (session token, session protection) when
    `current_user` is first used, and finds the row already loaded instead of asking
    the database again. Nothing may be decided on this id alone.
    """
    raw = session.get("_user_id")
    if not isinstance(raw, str):
        return None
    # The login cookie's "id:token", as auth.accounts.load_user reads it.
    id_part, sep, _token = raw.partition(":")
    if not sep or not (id_part.isascii() and id_part.isdecimal()) or len(id_part) > 18:
        return None
    return int(id_part)


def attempt_or_404(
    attempt_id: int, *, for_update: bool = False, options: Sequence[Any] = ()
) -> Attempt:
    """Return the attempt if it belongs to the caller; 404 for anyone else's id.

    `options` are loader options (eager loads) for the attempt. A signed-in caller's
    user row is read by the same query, which makes the attempt and the user one query.
    """
    claimed = session_user_id()
    if claimed is not None:
        query = _attempt_with_user(tuple(options), for_update)
        params = {"attempt_id": attempt_id, "user_id": claimed}
        row = db.session.execute(query, params).unique().one_or_none()
        # The decision is made on the checked user, not on the session's say-so.
        if current_user.is_authenticated and current_user.id == claimed:
            if row is None:
                abort(404)
            return row[0]
    owned = own_attempts_filter()
    if owned is None:
        abort(404)
    query = db.select(Attempt).where(Attempt.id == attempt_id, owned).options(*options)
    if for_update:
        # Only the attempt's row: PostgreSQL cannot lock the outer-joined eager loads.
        query = query.with_for_update(of=Attempt)
    attempt = db.session.scalars(query).unique().first()
    if attempt is None:
        abort(404)
    return attempt


def own_attempt(attempt_id: int) -> Attempt | None:
    """Return the attempt if it belongs to the caller, else None (a link that names
    someone else's attempt is ignored, never followed)."""
    owned = own_attempts_filter()
    if owned is None:
        return None
    return db.session.scalar(db.select(Attempt).where(Attempt.id == attempt_id, owned))


@functools.lru_cache(maxsize=32)
def _attempt_with_user(options: tuple[Any, ...], for_update: bool):
    """Build once the query of an attempt and its owner's row by (attempt_id, user_id).

    Building a statement with its eager loads costs a third of running it: pages that
    open an attempt on every request reuse it.
    """
    query = (
        db.select(Attempt, User)
        .join(User, User.id == Attempt.user_id)
        .where(Attempt.id == bindparam("attempt_id"), Attempt.user_id == bindparam("user_id"))
        .options(*options)
    )
    return query.with_for_update(of=Attempt) if for_update else query


def own_classroom_or_404(class_id: int) -> Classroom:
    """Return the caller's own class (they teach it); 404 for anyone else's id."""
    return _get_matching_or_404(Classroom, class_id, owner_id=current_user.id)


def own_assignment_or_404(classroom: Classroom, assignment_id: int) -> Assignment:
    """Return an assignment of a class the caller owns; 404 if it is another class's."""
    return _get_matching_or_404(Assignment, assignment_id, classroom_id=classroom.id)


def member_or_404(classroom: Classroom, user_id: int) -> Membership:
    """Return a learner's membership of this class; 404 when they are not in it."""
    return db.first_or_404(
        db.select(Membership).where(
            Membership.classroom_id == classroom.id, Membership.user_id == user_id
        )
    )


def joined_classroom_or_404(class_id: int) -> Classroom:
    """Return a class the caller has joined; 404 for a class they are not in."""
    return db.first_or_404(
        db.select(Classroom)
        .join(Membership, Membership.classroom_id == Classroom.id)
        .where(Classroom.id == class_id, Membership.user_id == current_user.id)
    )


def joined_assignment_or_404(assignment_id: int) -> Assignment:
    """Return an assignment of a class the caller is in; 404 for any other id."""
    return db.first_or_404(
        db.select(Assignment)
        .join(Membership, Membership.classroom_id == Assignment.classroom_id)
        .where(Assignment.id == assignment_id, Membership.user_id == current_user.id)
    )


def class_attempt_or_404(attempt_id: int) -> Attempt:
    """Return an attempt at an assignment of one of the caller's classes; 404 otherwise."""
    return db.first_or_404(
        db.select(Attempt)
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        .join(Classroom, Classroom.id == Assignment.classroom_id)
        .where(Attempt.id == attempt_id, Classroom.owner_id == current_user.id)
    )


def bank_or_404(bank_id: int, *, to_edit: bool = False) -> Bank:
    """Return a bundled bank or one of the caller's own sets; 404 for another teacher's.

    Bundled banks are read-only: asking `to_edit` one is refused with 403.
    """
    bank = db.session.get(Bank, bank_id)
    if bank is None or (bank.owner_id is not None and bank.owner_id != current_user.id):
        abort(404)
    if to_edit and bank.is_bundled:
        abort(403, "The bundled banks are read-only. Copy one to your sets to edit it.")
    return bank


def question_or_404(bank: Bank, question_id: int) -> Question:
    """Return a question of this bank; 404 for an id from any other bank."""
    return _get_matching_or_404(Question, question_id, bank_id=bank.id)


def _get_matching_or_404(model: type[T], object_id: int, **columns: object) -> T:
    """Return the row with this id if its `columns` hold these values (its owner, its
    class, its bank); 404 for a missing id and for anyone else's alike."""
    row = db.session.get(model, object_id)
    if row is None or any(getattr(row, name) != value for name, value in columns.items()):
        abort(404)
    return row
