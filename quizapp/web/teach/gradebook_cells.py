"""The gradebook's cells, written in Python: a class of 50 × 20 assignments is 1,000
cells, and rendering each through Jinja (a macro, filters, escaping) cost most of the
page. A cell holds numbers and times only, never text a person typed, so nothing in it
needs escaping; the learners' names stay in the template, escaped there."""

from __future__ import annotations

from markupsafe import Markup

from quizapp.classrooms.assignments import format_utc
from quizapp.classrooms.gradebook import Cell


def percent_text(value: float | None) -> str:
    """Write a percentage as the `percent` macro does: "75%", or "–" for none."""
    return "–" if value is None else f"{value:.0f}%"


def cell_html(cell: Cell, assignment_id: int) -> Markup:
    """Return one learner's cell for one assignment: best score, attempts, last activity."""
    if not cell.attempts:
        body = '<span class="muted">not started</span>'
    else:
        best = f'<span class="best">{percent_text(cell.best_percent)}</span>'
        if cell.best is not None:
            score = f"{round(cell.best.score, 2):g}"
            best += f' <span class="muted">({score} / {cell.best.attempt.max_score})</span>'
        plural = "" if cell.attempts == 1 else "s"
        attempts = f"{cell.attempts} attempt{plural}"
        if cell.attempts > cell.done:
            attempts += f", {cell.attempts - cell.done} in progress"
        last = format_utc(cell.last_activity) if cell.last_activity else ""
        body = (
            f'{best}<br>\n<span class="attempts">{attempts}</span><br>\n'
            f'<span class="muted">{last}</span>'
        )
    # Every value above is a number or a time the app wrote: safe as it is.
    return Markup(f'<td class="cell" data-assignment="{int(assignment_id)}">{body}</td>')
