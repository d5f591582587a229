"""Placing scores on the chart: a pure function, tested with no app."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from quizapp.progress.chart import BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, line_chart

START = dt.datetime(2026, 11, 1, 9, 0)
PLOT_TOP, PLOT_BOTTOM = TOP, HEIGHT - BOTTOM
PLOT_LEFT, PLOT_RIGHT = LEFT, WIDTH - RIGHT


def scores(*percents: float) -> list[tuple[dt.datetime, float, str]]:
    return [(START + dt.timedelta(days=i), p, f"Quiz {i}") for i, p in enumerate(percents)]


def test_no_scores_make_no_chart():
    assert line_chart([]) is None


def test_one_point_per_score_in_the_order_given():
    chart = line_chart(scores(10, 20, 30, 40))

    assert [p.title for p in chart.points] == ["Quiz 0", "Quiz 1", "Quiz 2", "Quiz 3"]
    assert [p.percent for p in chart.points] == [10, 20, 30, 40]
    assert len(chart.polyline.split()) == 4


def test_scores_spread_evenly_from_the_left_edge_to_the_right():
    chart = line_chart(scores(0, 0, 0, 0, 0))

    xs = [p.x for p in chart.points]
    assert xs[0] == PLOT_LEFT
    assert xs[-1] == PLOT_RIGHT
    gaps = {round(b - a, 1) for a, b in itertools.pairwise(xs)}
    assert gaps == {(PLOT_RIGHT - PLOT_LEFT) / 4}


def test_a_single_score_sits_in_the_middle():
    [point] = line_chart(scores(60)).points

    assert point.x == (PLOT_LEFT + PLOT_RIGHT) / 2


@pytest.mark.parametrize(
    ("percent", "y"),
    [
        (100, PLOT_TOP),
        (0, PLOT_BOTTOM),
        (50, (PLOT_TOP + PLOT_BOTTOM) / 2),
        (150, PLOT_TOP),
        (-5, PLOT_BOTTOM),
    ],
)
def test_higher_scores_sit_higher_and_stay_inside_the_plot(percent, y):
    [point] = line_chart(scores(percent)).points

    assert point.y == y


def test_the_percentage_axis_has_lines_at_0_50_and_100():
    chart = line_chart(scores(42))

    assert [(t.percent, t.y) for t in chart.ticks] == [
        (0, PLOT_BOTTOM),
        (50, (PLOT_TOP + PLOT_BOTTOM) / 2),
        (100, PLOT_TOP),
    ]


def test_the_chart_knows_its_lowest_and_highest_score():
    chart = line_chart(scores(55, 20, 90, 70))

    assert (chart.lowest, chart.highest) == (20, 90)


def test_the_polyline_joins_the_points_left_to_right():
    chart = line_chart(scores(100, 0))

    assert chart.polyline == f"{PLOT_LEFT},{PLOT_TOP} {PLOT_RIGHT},{PLOT_BOTTOM}"
