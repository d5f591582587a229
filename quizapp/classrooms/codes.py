"""Join codes: short, easy to read aloud and to type, unique per class."""

from __future__ import annotations

import secrets

from sqlalchemy.exc import IntegrityError

from quizapp.extensions import db
from quizapp.models import Classroom

#: Digits and capitals without the ones people confuse (0/O, 1/I/L) or misread (U/V).
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
LENGTH = 6
#: 29**6 is about 600 million codes: a collision is rare, and then we draw again.
ATTEMPTS = 20


def new_code() -> str:
    """Return a random join code (not checked for uniqueness)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_code(typed: str) -> str:
    """Return a typed code as stored: capitals, without spaces or dashes.

    "abc-d23", " ABC D23 " and "abcd23" are one code.
    """
    return "".join(c for c in typed.upper() if not c.isspace() and c != "-")


def is_well_formed(code: str) -> bool:
    """Tell whether a normalised code could be a join code at all."""
    return len(code) == LENGTH and all(c in ALPHABET for c in code)


def find_class(typed: str) -> Classroom | None:
    """Return the class whose join code this is, in any spelling; None when there is none."""
    code = normalise_code(typed)
    if not is_well_formed(code):
        return None
    return db.session.scalar(db.select(Classroom).where(Classroom.join_code == code))


def issue_code(classroom: Classroom) -> str:
    """Give the class a new join code, unique among all classes; the old one stops working.

    The unique constraint decides: a code another class took meanwhile is drawn again.
    """
    for _ in range(ATTEMPTS):
        code = new_code()
        if db.session.scalar(db.select(Classroom.id).where(Classroom.join_code == code)):
            continue
        previous = classroom.join_code
        try:
            with db.session.begin_nested():
                classroom.join_code = code
                db.session.add(classroom)
                db.session.flush()
        except IntegrityError:
            classroom.join_code = previous
            continue
        return code
    raise RuntimeError("could not find a free join code")  # pragma: no cover
