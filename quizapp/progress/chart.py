"""A line chart of scores over time: the geometry here, the SVG in a template.

`line_chart` is a pure function from scores to coordinates; the template
`progress/_chart.svg.html` draws them as inline SVG, so that every piece of text
(a quiz title, a date) passes through Jinja's autoescaping rather than being
glued into markup by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

#: The SVG's own coordinate system; CSS scales it to the page.
WIDTH = 600
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 12, 32
TICKS = (0, 50, 100)


@dataclass(frozen=True)
class Point:
    """One attempt placed on the chart."""

    x: float
    y: float
    finished_at: dt.datetime
    percent: float
    title: str


@dataclass(frozen=True)
class Tick:
    """A horizontal grid line on the percentage axis."""

    y: float
    percent: int


@dataclass(frozen=True)
class LineChart:
    """Everything the template needs to draw the chart, in SVG units."""

    points: tuple[Point, ...]
    ticks: tuple[Tick, ...]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:g},{p.y:g}" for p in self.points)

    @property
    def lowest(self) -> float:
        return min(p.percent for p in self.points)

    @property
    def highest(self) -> float:
        return max(p.percent for p in self.points)


def _y(percent: float) -> float:
    clamped = min(max(percent, 0.0), 100.0)
    return round(TOP + (100.0 - clamped) / 100.0 * (HEIGHT - BOTTOM - TOP), 1)


def line_chart(scores: Sequence[tuple[dt.datetime, float, str]]) -> LineChart | None:
    """Place scores, oldest first, evenly from left to right; None when there are none.

    Attempts are spaced evenly rather than by their dates, so that a burst of
    attempts on one evening stays readable next to a month without any.
    """
    if not scores:
        return None
    span = WIDTH - RIGHT - LEFT
    step = span / (len(scores) - 1) if len(scores) > 1 else 0.0
    start = LEFT if len(scores) > 1 else LEFT + span / 2
    points = tuple(
        Point(round(start + i * step, 1), _y(percent), finished_at, percent, title)
        for i, (finished_at, percent, title) in enumerate(scores)
    )
    return LineChart(points=points, ticks=tuple(Tick(_y(t), t) for t in TICKS))
