"""The date type: a typed date, scored at the precision the answer asks for."""

import datetime as dt
import random
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from quizapp.question_types import date

BANK = Path(__file__).parents[1] / "fixtures" / "banks" / "date.yaml"
QUESTIONS = {q["id"]: q for q in yaml.safe_load(BANK.read_text(encoding="utf-8"))["questions"]}
A_DAY = QUESTIONS["diplomatic-relations"]  # 1991-10-24 (YAML hands over a datetime.date)
A_MONTH = QUESTIONS["sunday-school-at-the-university"]  # "2019-11"
A_YEAR = QUESTIONS["border-demarcation"]  # 2007 (YAML hands over an int)


def test_every_fixture_question_is_a_valid_date_spec():
    for question in QUESTIONS.values():
        date.Spec.model_validate(question)


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        (dt.date(1991, 10, 24), "1991-10-24"),
        (1995, "1995"),
        (862, "0862"),
        ("1995-02", "1995-02"),
        (" 1991-10-24 ", "1991-10-24"),
    ],
)
def test_the_spec_normalises_yaml_dates_and_years_to_iso_text(written, iso):
    assert date.Spec.model_validate({**A_DAY, "answer": written}).answer == iso


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("24 October 1991", "must be YYYY, YYYY-MM or YYYY-MM-DD"),
        ("1991-10-24T10:00", "must be YYYY, YYYY-MM or YYYY-MM-DD"),
        ("91", "must be YYYY, YYYY-MM or YYYY-MM-DD"),
        (dt.datetime(1991, 10, 24, 10), "without a time"),
        ("1991-02-30", "is not a real date"),
        ("1991-13", "is not a real date"),
        (0, "between 1 and 9999"),
        (True, "must be YYYY, YYYY-MM or YYYY-MM-DD"),
        (None, "must be YYYY, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_the_spec_refuses_a_date_answer_that_is_not_iso(answer, message):
    with pytest.raises(ValidationError, match=message):
        date.Spec.model_validate({**A_DAY, "answer": answer})


@pytest.mark.parametrize(
    ("written", "parts"),
    [
        ("24 October 1991", (1991, 10, 24)),
        ("24.10.1991", (1991, 10, 24)),
        ("24/10/1991", (1991, 10, 24)),
        ("1991-10-24", (1991, 10, 24)),
        ("2005-09-04", (2005, 9, 4)),  # year first is never read day first
        ("2005/09/04", (2005, 9, 4)),
        ("October 24, 1991", (1991, 10, 24)),
        ("24 Oct 1991", (1991, 10, 24)),
        ("24th of October 1991", (1991, 10, 24)),
        ("Oct 1991", (1991, 10, None)),
        ("October 1991", (1991, 10, None)),
        ("Nov 2019", (2019, 11, None)),
        ("2019 November", (2019, 11, None)),
        ("1991-10", (1991, 10, None)),
        ("10/1991", (1991, 10, None)),
        ("1991.10", (1991, 10, None)),
        ("1995", (1995, None, None)),
        ("862", (862, None, None)),
    ],
)
def test_common_written_forms_are_read_with_the_parts_the_learner_gave(written, parts):
    assert date.read_date(written) == date.PartialDate(*parts)


@pytest.mark.parametrize(
    "written",
    ["", "hello", "24 October", "Monday", "24.10.91", "91", "31 February 1991", "13/1991", "10:30"],
)
def test_text_that_is_not_a_dated_year_is_not_read(written):
    assert date.read_date(written) is None


@pytest.mark.parametrize(
    ("question", "response", "fraction"),
    [
        # Asked a year.
        (A_YEAR, "2007", 1.0),
        (A_YEAR, "May 2007", 1.0),  # more precise than asked, right at the asked precision
        (A_YEAR, "2006", 0.5),
        (A_YEAR, "2008", 0.5),
        (A_YEAR, "2005", 0.0),
        # Asked a month.
        (A_MONTH, "November 2019", 1.0),
        (A_MONTH, "3 November 2019", 1.0),
        (A_MONTH, "October 2019", 0.5),
        (A_MONTH, "November 2018", 0.25),
        (A_MONTH, "November 2020", 0.25),
        (A_MONTH, "2019", 0.25),
        (A_MONTH, "October 2018", 0.0),
        (A_MONTH, "November 2017", 0.0),
        # Asked a day.
        (A_DAY, "24 October 1991", 1.0),
        (A_DAY, "25 October 1991", 0.5),
        (A_DAY, "24 November 1991", 0.25),
        (A_DAY, "October 1991", 0.5),
        (A_DAY, "1991", 0.25),
        (A_DAY, "24 October 1990", 0.0),
        (A_DAY, "1992", 0.0),
    ],
)
def test_partial_credit_follows_the_published_rule(question, response, fraction):
    assert date.Date.grade(question, response).fraction == fraction


def test_a_date_one_year_off_earns_half_credit():
    assert date.Date.grade(A_YEAR, "2006") == date.Grade(0.5, "One year off: half credit.")


def test_the_right_year_with_a_wrong_month_earns_half_credit_when_a_month_is_asked():
    assert date.Date.grade(A_MONTH, "Oct 2019") == date.Grade(
        0.5, "Right year, wrong month: half credit."
    )


def test_the_right_month_and_year_with_a_wrong_day_earns_half_credit():
    assert date.Date.grade(A_DAY, "23.10.1991") == date.Grade(
        0.5, "Right month and year, wrong day: half credit."
    )


@pytest.mark.parametrize(
    ("question", "example"), [(A_DAY, "9 May 1945"), (A_MONTH, "May 1945"), (A_YEAR, "1945")]
)
def test_an_unreadable_date_scores_nothing_and_shows_a_form_to_use(question, example):
    result = date.Date.grade(question, "the autumn after the Soviet Union fell")
    assert result == date.Grade(0.0, f"We could not read that as a date; write it like {example}.")


@pytest.mark.parametrize("response", [None, [1991], {"year": 1991}, b"1991", "", "1991" * 1000])
def test_a_response_that_is_not_a_typed_date_scores_nothing(response):
    result = date.Date.grade(A_DAY, response)
    assert result.fraction == 0.0
    assert result.feedback


@pytest.mark.parametrize(
    ("question", "shown"),
    [(A_DAY, "24 October 1991"), (A_MONTH, "November 2019"), (A_YEAR, "2007")],
)
def test_the_answer_text_reads_as_words(question, shown):
    assert date.Date.answer_text(question) == shown


def test_present_reveals_nothing():
    assert date.Date.present(A_DAY, random.Random(0)) == {}


def test_the_scoring_rule_states_the_partial_credit_rule():
    for figure in ("0.5", "0.25", "one year off"):
        assert figure in date.SCORING_RULE
