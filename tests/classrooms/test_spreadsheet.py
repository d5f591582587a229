"""CSV for spreadsheets: UTF-8 with a BOM, and no cell that a spreadsheet runs as a formula."""

from __future__ import annotations

import csv
import io

import pytest

from quizapp.classrooms.spreadsheet import BOM, neutralise, to_csv


@pytest.mark.parametrize(
    "cell",
    [
        "=1+1",
        '=HYPERLINK("http://evil.example","Click")',
        "+1",
        "-1",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "  =1+1",
        "=cmd|' /C calc'!A0",
    ],
)
def test_a_cell_that_could_run_as_a_formula_gets_a_leading_apostrophe(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize(
    "cell", ["Lena", "Ona Šimkutė", "67%", "2026-11-29 14:05", "", "a=b", "x-1"]
)
def test_other_text_is_kept_as_it_is(cell):
    assert neutralise(cell) == cell


@pytest.mark.parametrize("number", [0, 3, 66.7, -1.5])
def test_numbers_stay_numbers(number):
    assert neutralise(number) == number


def test_nothing_is_an_empty_cell():
    assert neutralise(None) == ""


def test_the_file_is_utf8_with_a_byte_order_mark_and_windows_line_ends():
    data = to_csv([["Name", "Score"], ["Ona Šimkutė", 66.7]])
    assert data.startswith(BOM.encode("utf-8"))
    assert data.decode("utf-8") == BOM + "Name,Score\r\nOna Šimkutė,66.7\r\n"


def test_every_cell_of_the_file_is_neutralised_and_quoted_where_needed():
    rows = [["=1+1", 'say "hi", then\nleave', "@me"], ["-5", 5, None]]
    text = to_csv(rows).decode("utf-8").removeprefix(BOM)
    assert list(csv.reader(io.StringIO(text))) == [
        ["'=1+1", 'say "hi", then\nleave', "'@me"],
        ["'-5", "5", ""],
    ]
