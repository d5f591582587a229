"""Extra time: a teacher lengthens one learner's time limit on an assignment (WCAG 2.2.1,
"timing adjustable"; Moodle's "user override").

The learner's attempts are created with the lengthened limit, and their deadline is
computed from it as for everyone (`assignments.deadline`), so the server still ends the
attempt when the time is up; `assignments.follow_time_limit` gives an attempt under way
its new limit. The assignment's closing time ends it for everyone.
"""

from __future__ import annotations

from quizapp.extensions import db
from quizapp.models import Assignment, ExtraTime

#: The kinds a teacher chooses from: key → (label, factor in percent or None for minutes).
KINDS: dict[str, tuple[str, int | None]] = {
    "x1.5": ("× 1.5 (half as long again)", 150),
    "x2": ("× 2 (twice as long)", 200),
    "plus": ("+ a number of minutes", None),
}
EXTRA_MINUTES_MAX = 600


def extra_time_of(assignment: Assignment, user_id: int) -> ExtraTime | None:
    """Return the learner's extra time on this assignment, if the teacher gave any."""
    return db.session.scalar(
        db.select(ExtraTime).where(
            ExtraTime.assignment_id == assignment.id, ExtraTime.user_id == user_id
        )
    )


def time_limit_for(assignment: Assignment, user_id: int) -> int | None:
    """Return the learner's time limit on the assignment, in seconds (None: untimed)."""
    if not assignment.time_limit:
        return None
    extra = extra_time_of(assignment, user_id)
    return extra.lengthen(assignment.time_limit) if extra else assignment.time_limit


def give(assignment: Assignment, user_id: int, kind: str, minutes: int | None = None) -> ExtraTime:
    """Give (or change) the learner's extra time on the assignment."""
    _, factor = KINDS[kind]
    extra = extra_time_of(assignment, user_id)
    if extra is None:
        extra = ExtraTime(assignment_id=assignment.id, user_id=user_id)
        assignment.extra_times.append(extra)
    extra.factor_percent = factor
    extra.extra_minutes = None if factor is not None else minutes
    db.session.flush()
    return extra


def take_back(assignment: Assignment, user_id: int) -> bool:
    """Remove the learner's extra time; False if they had none."""
    extra = extra_time_of(assignment, user_id)
    if extra is None:
        return False
    assignment.extra_times.remove(extra)
    db.session.flush()
    return True
