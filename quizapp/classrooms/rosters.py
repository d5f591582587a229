"""Who is in a class: creating classes, joining, leaving and removing learners."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from quizapp.classrooms.codes import issue_code
from quizapp.extensions import db
from quizapp.models import Classroom, Membership, User

NAME_MAX = 120
#: What a learner agrees to by joining a class, whichever way they came (code or link).
CONSENT = (
    "Your teacher will see your name, your username and your results on this class’s assignments."
)


class ConsentMissing(Exception):
    """A learner is put in a class only once they were told what the teacher will see."""


def create_class(owner: User, name: str) -> Classroom:
    """Create a class taught by `owner`, with a fresh join code."""
    classroom = Classroom(name=name.strip(), owner_id=owner.id)
    issue_code(classroom)
    return classroom


def is_member(classroom: Classroom, user_id: int) -> bool:
    return (
        db.session.scalar(
            db.select(Membership.id).where(
                Membership.classroom_id == classroom.id, Membership.user_id == user_id
            )
        )
        is not None
    )


def join(classroom: Classroom, user: User, *, consented: bool) -> bool:
    """Put a learner in a class; return False when they were in it already.

    Every way in (the code typed on the home page, the join link) asks first, with
    CONSENT: without it, ConsentMissing. Twice the same join (a resent form, two tabs)
    makes one membership: the unique constraint decides.
    """
    if not consented:
        raise ConsentMissing(CONSENT)
    if is_member(classroom, user.id):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(Membership(classroom_id=classroom.id, user_id=user.id))
    except IntegrityError:
        return False
    return True


def leave(classroom: Classroom, user_id: int) -> bool:
    """Take a learner out of a class; return False when they were not in it.

    Their attempts stay: the history is theirs, and it returns if they join again.
    """
    membership = db.session.scalar(
        db.select(Membership).where(
            Membership.classroom_id == classroom.id, Membership.user_id == user_id
        )
    )
    if membership is None:
        return False
    db.session.delete(membership)
    db.session.flush()
    return True


def members(classroom: Classroom, offset: int = 0, limit: int | None = None) -> list[User]:
    """Return the learners in a class, by name (`limit` of them from `offset`, if given)."""
    query = (
        db.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.classroom_id == classroom.id)
        .order_by(User.display_name, User.username, User.id)
    )
    if limit is not None:
        query = query.offset(offset).limit(limit)
    return list(db.session.scalars(query))


def member_count(classroom: Classroom) -> int:
    return db.session.scalar(
        db.select(db.func.count(Membership.id)).where(Membership.classroom_id == classroom.id)
    )


def classes_taught(owner_id: int) -> list[Classroom]:
    return list(
        db.session.scalars(
            db.select(Classroom).where(Classroom.owner_id == owner_id).order_by(Classroom.name)
        )
    )


def classes_joined(user_id: int) -> list[Classroom]:
    """Return the classes a learner is in, by name."""
    return list(
        db.session.scalars(
            db.select(Classroom)
            .join(Membership, Membership.classroom_id == Classroom.id)
            .where(Membership.user_id == user_id)
            .order_by(Classroom.name)
        )
    )
