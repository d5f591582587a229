"""The gradebook of a class: each learner × each assignment, and a learner's history."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func

from quizapp.classrooms.outcomes import (
    ATTEMPT_ROW_FIELDS,
    AttemptRow,
    Outcome,
    outcome_of,
    outcomes,
)
from quizapp.classrooms.rosters import member_count, members
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Attempt,
    AttemptItem,
    Classroom,
    Membership,
    Response,
    User,
    utcnow,
)


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


#: Learners on one page of the gradebook (as Moodle's grader report shows 100): a class
#: of 500 is five pages, each costing what a class of 100 costs; the CSV holds them all.
PER_PAGE = 100


@dataclass(frozen=True)
class Gradebook:
    classroom: Classroom
    assignments: list[Assignment]
    rows: list[Row]
    #: Which page of learners this is (from 1), of how many, and the class's learners.
    page: int = 1
    pages: int = 1
    learners: int = 0

    @property
    def first(self) -> int:
        """The place in the class (from 1) of the page's first learner."""
        return (self.page - 1) * PER_PAGE + 1

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1


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


def gradebook(classroom: Classroom, now: dt.datetime | None = None, page: int = 1) -> Gradebook:
    """Return a page of the class's gradebook: PER_PAGE of its current learners by name
    (a page past the last shows the last), its assignments in order."""
    count = member_count(classroom)
    pages = max(1, math.ceil(count / PER_PAGE))
    page = min(max(page, 1), pages)
    learners = members(classroom, offset=(page - 1) * PER_PAGE, limit=PER_PAGE)
    assignments = list(classroom.assignments)
    rows = _rows(classroom, learners, assignments, now or utcnow(), paged=count > PER_PAGE)
    return Gradebook(classroom, assignments, list(rows), page, pages, count)


def stream_gradebook(
    classroom: Classroom, now: dt.datetime | None = None
) -> tuple[list[Assignment], Iterator[Row]]:
    """Return the class's assignments, and its gradebook's rows one learner at a time.

    The attempts are read in one statement, in the rows' order, a batch at a time, as
    plain values: a spreadsheet of a class of 500 holds one learner's attempts in
    memory, not the class's.
    """
    now = now or utcnow()
    learners = members(classroom)
    assignments = list(classroom.assignments)
    return assignments, _rows(classroom, learners, assignments, now)


_BATCH = 500


def _rows(
    classroom: Classroom,
    learners: list[User],
    assignments: list[Assignment],
    now: dt.datetime,
    *,
    paged: bool = False,
) -> Iterator[Row]:
    def of_answers(column: Any) -> Any:
        """The attempt's answers' `column`, through the items' and answers' indexes."""
        return (
            db.select(column)
            .join(AttemptItem, AttemptItem.id == Response.item_id)
            .where(AttemptItem.attempt_id == Attempt.id)
            .scalar_subquery()
        )

    query = (
        db.select(
            *[getattr(Attempt, name) for name in ATTEMPT_ROW_FIELDS],
            of_answers(func.coalesce(func.sum(Response.fraction), 0.0)),
            of_answers(func.max(Response.answered_at)),
        )
        .join(Assignment, Assignment.id == Attempt.assignment_id)
        .join(
            Membership,
            (Membership.user_id == Attempt.user_id)
            & (Membership.classroom_id == Assignment.classroom_id),
        )
        .join(User, User.id == Attempt.user_id)
        .where(Assignment.classroom_id == classroom.id)
        .order_by(User.display_name, User.username, Attempt.started_at, Attempt.id)
        .execution_options(yield_per=_BATCH)
    )
    if paged:
        # One page's learners (PER_PAGE ids at most): their attempts, not the class's.
        query = query.where(Attempt.user_id.in_([learner.id for learner in learners]))
    attempts = iter(db.session.execute(query)) if learners else iter(())
    pending = next(attempts, None)
    for learner in learners:
        mine: dict[int, list[Outcome]] = defaultdict(list)
        while pending is not None and pending.user_id == learner.id:
            outcome = _outcome(pending, now)
            mine[outcome.attempt.assignment_id].append(outcome)
            pending = next(attempts, None)
        yield _row(learner, assignments, mine)


def _outcome(row: Any, now: dt.datetime) -> Outcome:
    """Return the outcome of an attempt read as plain values."""
    attempt = AttemptRow(*row[: len(ATTEMPT_ROW_FIELDS)])
    return outcome_of(attempt, row[-2], row[-1], now)


def _row(learner: User, assignments: list[Assignment], mine: dict[int, list[Outcome]]) -> Row:
    cells = []
    for assignment in assignments:
        outcomes_here = mine.get(assignment.id, [])
        done = [o for o in outcomes_here if o.done]
        cells.append(
            Cell(
                attempts=len(outcomes_here),
                done=len(done),
                best=best_of(done),
                last_activity=max((o.last_activity for o in outcomes_here), default=None),
            )
        )
    return Row(learner, cells)


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
    """Return the gradebook as rows of cells for a spreadsheet, the header first."""
    return list(table_rows(book.assignments, book.rows))


def table_rows(assignments: list[Assignment], rows: Iterable[Row]) -> Iterator[list[object]]:
    """Yield the gradebook as rows of cells for a spreadsheet, the header first.

    One row per learner; three columns per assignment: best score (percent), attempts
    started, last activity (UTC).
    """
    header: list[object] = ["Learner", "Username"]
    for assignment in assignments:
        header += [
            f"{assignment.title}: best %",
            f"{assignment.title}: attempts",
            f"{assignment.title}: last activity (UTC)",
        ]
    header.append("Last activity (UTC)")
    yield header
    for row in rows:
        cells: list[object] = [row.learner.display_name, row.learner.username]
        for cell in row.cells:
            best = cell.best_percent
            cells += [
                "" if best is None else round(best, 1),
                cell.attempts,
                format_moment(cell.last_activity),
            ]
        cells.append(format_moment(row.last_activity))
        yield cells
