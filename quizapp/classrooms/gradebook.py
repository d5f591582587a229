"""The gradebook of a class: each learner × each assignment, and a learner's history."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from quizapp.classrooms.outcomes import Outcome, outcomes
from quizapp.classrooms.rosters import members
from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, Classroom, User, utcnow


@dataclass(frozen=True)
class Cell:
    """How one learner did on one assignment.

    `attempts` counts every attempt started; the best score is over those that are
    done (finished, or out of time).
    """

    attempts: int
    done: int
    best: Outcome | None
    last_activity: dt.datetime | None

    @property
    def best_percent(self) -> float | None:
        return self.best.percent if self.best else None


@dataclass(frozen=True)
class Row:
    learner: User
    cells: list[Cell]

    @property
    def last_activity(self) -> dt.datetime | None:
        return max((c.last_activity for c in self.cells if c.last_activity), default=None)


@dataclass(frozen=True)
class Gradebook:
    classroom: Classroom
    assignments: list[Assignment]
    rows: list[Row]


def class_attempts(classroom: Classroom, user_ids: list[int]) -> list[Attempt]:
    """Return these learners' attempts at the class's assignments, oldest first."""
    if not user_ids:
        return []
    return list(
        db.session.scalars(
            db.select(Attempt)
            .join(Assignment, Assignment.id == Attempt.assignment_id)
            .where(Assignment.classroom_id == classroom.id, Attempt.user_id.in_(user_ids))
            .order_by(Attempt.started_at, Attempt.id)
        )
    )


def best_of(done: list[Outcome]) -> Outcome | None:
    """Return the outcome with the highest percentage; the earliest among equals."""
    scored = [o for o in done if o.percent is not None]
    return max(scored, key=lambda o: o.percent, default=None)


def gradebook(classroom: Classroom, now: dt.datetime | None = None) -> Gradebook:
    """Return the class's gradebook: its current learners by name, its assignments in order."""
    now = now or utcnow()
    learners = members(classroom)
    assignments = list(classroom.assignments)
    grouped: dict[tuple[int, int], list[Outcome]] = defaultdict(list)
    for outcome in outcomes(class_attempts(classroom, [u.id for u in learners]), now):
        grouped[outcome.attempt.user_id, outcome.attempt.assignment_id].append(outcome)
    rows = []
    for learner in learners:
        cells = []
        for assignment in assignments:
            mine = grouped.get((learner.id, assignment.id), [])
            done = [o for o in mine if o.done]
            cells.append(
                Cell(
                    attempts=len(mine),
                    done=len(done),
                    best=best_of(done),
                    last_activity=max((o.last_activity for o in mine), default=None),
                )
            )
        rows.append(Row(learner, cells))
    return Gradebook(classroom, assignments, rows)


def learner_history(
    classroom: Classroom, user_id: int, now: dt.datetime | None = None
) -> list[Outcome]:
    """Return a learner's attempts at this class's assignments, newest first."""
    history = outcomes(class_attempts(classroom, [user_id]), now or utcnow())
    return sorted(history, key=lambda o: (o.attempt.started_at, o.attempt.id), reverse=True)


def format_percent(percent: float | None) -> str:
    return "" if percent is None else f"{percent:.0f}%"


def format_moment(moment: dt.datetime | None) -> str:
    """Write a UTC time for a spreadsheet: "2026-11-29 14:05"."""
    return "" if moment is None else f"{moment:%Y-%m-%d %H:%M}"


def table(book: Gradebook) -> list[list[object]]:
    """Return the gradebook as rows of cells for a spreadsheet, the header first.

    One row per learner; three columns per assignment: best score (percent), attempts
    started, last activity (UTC).
    """
    header: list[object] = ["Learner", "Username"]
    for assignment in book.assignments:
        header += [
            f"{assignment.title}: best %",
            f"{assignment.title}: attempts",
            f"{assignment.title}: last activity (UTC)",
        ]
    header.append("Last activity (UTC)")
    rows = [header]
    for row in book.rows:
        cells: list[object] = [row.learner.display_name, row.learner.username]
        for cell in row.cells:
            best = cell.best_percent
            cells += [
                "" if best is None else round(best, 1),
                cell.attempts,
                format_moment(cell.last_activity),
            ]
        cells.append(format_moment(row.last_activity))
        rows.append(cells)
    return rows
