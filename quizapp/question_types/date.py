"""A typed date: `answer` as YYYY, YYYY-MM or YYYY-MM-DD; its precision is what is asked."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Literal

from dateutil import parser as dateutil_parser
from pydantic import BeforeValidator
from wtforms import StringField

from quizapp.question_types import gift_syntax as gift
from quizapp.question_types import moodle_xml_syntax as xml
from quizapp.question_types.base import (
    AnkiFields,
    Grade,
    QuestionSpec,
    QuestionType,
    html_text,
    read_typed,
    register,
    typed_response,
)
from quizapp.question_types.editor import QuestionForm, text_of

SCORING_RULE = (
    "Type the date as precisely as asked (a year, a month or a day) in any common form, "
    "such as 24 October 1991, 24.10.1991, October 1991 or 1991; right at that precision "
    "scores 1. Close dates earn part: asked a year, one year off scores 0.5; asked a month, "
    "the right year with the wrong month scores 0.5 and the right month one year off 0.25; "
    "asked a day, the right month and year with a wrong or missing day scores 0.5, the right "
    "year alone 0.25."
)

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

_ISO = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_BARE_YEAR = re.compile(r"\d{1,4}")
_MONTH_YEAR = re.compile(r"(\d{1,2})[./-](\d{4})")  # 10.1991, 10/1991
_YEAR_MONTH = re.compile(r"(\d{4})[./-](\d{1,2})")  # 1991-10, 1991.10
_YEAR_FIRST = re.compile(r"(\d{4})([./-])(\d{1,2})\2(\d{1,2})")  # 1991-10-24, 1991/10/24
# Two defaults that differ in every part: a part the learner gave reads the same under both.
_DEFAULTS = (dt.datetime(1111, 1, 1), dt.datetime(2222, 2, 2))
_EXAMPLES = {"year": "1945", "month": "May 1945", "day": "9 May 1945"}


@dataclass(frozen=True)
class PartialDate:
    """A year, a month of a year, or a day: the parts not given are None."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        """Return "year", "month" or "day"."""
        return "year" if self.month is None else "month" if self.day is None else "day"

    def words(self) -> str:
        """Return the date as a reader says it: "24 October 1991", "October 1991", "1991"."""
        parts = [str(self.year)]
        if self.month is not None:
            parts.insert(0, MONTHS[self.month - 1])
        if self.day is not None:
            parts.insert(0, str(self.day))
        return " ".join(parts)


def parse_iso(text: str) -> PartialDate:
    """Read YYYY, YYYY-MM or YYYY-MM-DD; raise ValueError (a message for a teacher) if not."""
    match = _ISO.fullmatch(text)
    if match is None:
        raise ValueError(f"date answer '{text}' must be YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        raise ValueError(f"date answer '{text}' is not a real date") from None
    return PartialDate(year, month, day)


def _iso_answer(value: object) -> object:
    # YAML reads an unquoted 1991-10-24 as a date and 1995 as an int.
    if isinstance(value, dt.datetime):
        raise ValueError("date answer must be YYYY, YYYY-MM or YYYY-MM-DD, without a time")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        if not 1 <= value <= 9999:
            raise ValueError(f"date answer year {value} must be between 1 and 9999")
        return f"{value:04d}"
    if isinstance(value, str):
        parse_iso(value.strip())
        return value.strip()
    raise ValueError("date answer must be YYYY, YYYY-MM or YYYY-MM-DD")


class Spec(QuestionSpec):
    """A date question as written in a bank file."""

    type: Literal["date"]
    answer: Annotated[str, BeforeValidator(_iso_answer)]

    def asked(self) -> PartialDate:
        """Return the answer with the precision the question asks for."""
        return parse_iso(self.answer)


def read_date(text: str) -> PartialDate | None:
    """Read a date in a common written form, keeping only the parts the learner gave.

    Day comes before month ("24/10/1991" is 24 October); the year must be written in full
    and must be there. None when the text is not such a date.
    """
    text = text.strip()
    if _BARE_YEAR.fullmatch(text):
        return PartialDate(int(text)) if len(text) >= 3 and int(text) > 0 else None
    if match := _YEAR_FIRST.fullmatch(text):
        # Year first is always year-month-day: dayfirst must not swap 2005-09-04.
        try:
            day = dt.date(int(match[1]), int(match[3]), int(match[4]))
        except ValueError:
            return None
        return PartialDate(day.year, day.month, day.day)
    for pattern, year_at in ((_MONTH_YEAR, 2), (_YEAR_MONTH, 1)):
        if match := pattern.fullmatch(text):
            month = int(match[3 - year_at])
            return PartialDate(int(match[year_at]), month) if 1 <= month <= 12 else None
    try:
        # ignoretz: a stray "EST" must not turn into a warning.
        first, second = (
            dateutil_parser.parse(text, default=default, dayfirst=True, ignoretz=True)
            for default in _DEFAULTS
        )
    except (ValueError, OverflowError):
        return None
    # dateutil turns "91" into 1991 or 2091 by today's date; a historian writes the century.
    full_years = {int(digits) for digits in re.findall(r"\d+", text) if len(digits) >= 3}
    if first.year != second.year or first.year not in full_years:
        return None
    if first.month != second.month:
        return PartialDate(first.year)
    return PartialDate(first.year, first.month, first.day if first.day == second.day else None)


def score(asked: PartialDate, given: PartialDate) -> Grade:
    """Score a date the learner gave against the asked one, by the rule in SCORING_RULE."""
    years_off = abs(given.year - asked.year)
    same_month = given.month == asked.month
    if asked.month is None:
        if years_off == 0:
            return Grade(1.0, "Correct.")
        if years_off == 1:
            return Grade(0.5, "One year off: half credit.")
        return Grade(0.0, "Not the right year.")
    if asked.day is None:
        if years_off == 0 and same_month:
            return Grade(1.0, "Correct.")
        if years_off == 0 and given.month is None:
            return Grade(0.25, "Right year, but the month was asked too: quarter credit.")
        if years_off == 0:
            return Grade(0.5, "Right year, wrong month: half credit.")
        if years_off == 1 and same_month:
            return Grade(0.25, "Right month, one year off: quarter credit.")
        return Grade(0.0, "Not the right month and year.")
    if years_off != 0:
        return Grade(0.0, "Not the right year.")
    if not same_month:
        if given.month is None:
            return Grade(0.25, "Right year, but the month and day were asked too: quarter credit.")
        return Grade(0.25, "Right year, wrong month: quarter credit.")
    if given.day == asked.day:
        return Grade(1.0, "Correct.")
    if given.day is None:
        return Grade(0.5, "Right month and year, but the day was asked too: half credit.")
    return Grade(0.5, "Right month and year, wrong day: half credit.")


class Editor(QuestionForm):
    """The set editor's fields for this type."""

    TYPE = "date"
    PLAIN = (
        (r"missing field 'answer'|'answer' must not be empty", "Type the right date."),
        (r"date answer '(.*)' must be YYYY, YYYY-MM or YYYY-MM-DD",
         "Write the date as a year (1991), a year and month (1991-10) or a whole date"
         " (1991-10-24)."),
        (r"date answer '(.*)' is not a real date", "{0} is not a day of the calendar."),
    )  # fmt: skip
    KEYS = QuestionForm.KEYS | {"answer"}

    answer = StringField("Answer")

    @classmethod
    def type_data(cls, spec):
        return {"answer": spec.get("answer", "")}

    def type_spec(self):
        answer = text_of(self.answer.data)
        return {"answer": answer} if answer else {}


@register
class Date(QuestionType):
    """Typed date: see the module's docstring."""

    name = "date"
    label = "Date"
    hint = "Learners type a date in any common form; the precision you give is what is asked."
    rank = 6
    Spec = Spec
    editor = Editor
    SCORING_RULE = SCORING_RULE

    @classmethod
    def grade(cls, question: dict, response: object) -> Grade:
        """Score a typed date at the precision the answer asks for (see SCORING_RULE)."""
        asked = Spec.model_validate(question).asked()
        typed = typed_response(response)
        if isinstance(typed, Grade):
            return typed
        given = read_date(typed)
        if given is None:
            example = _EXAMPLES[asked.precision]
            return Grade(0.0, f"We could not read that as a date; write it like {example}.")
        return score(asked, given)

    @classmethod
    def answer_text(cls, question: dict) -> str:
        """Return the answer in words: "24 October 1991", "October 1991", "1995"."""
        return Spec.model_validate(question).asked().words()

    @classmethod
    def present(cls, question: dict, rng: random.Random) -> dict:
        """Return nothing beyond the prompt: the learner types into an empty box."""
        return {}

    @classmethod
    def shown_texts(cls, question: dict) -> list[str]:
        """Return what a learner sees of the question: its prompt."""
        return [Spec.model_validate(question).prompt]

    @classmethod
    def answer_clues(cls, question: dict) -> list[tuple[str, ...]]:
        """Return what, seen in another question, gives the date away at the precision asked:
        "24 October 1991", "October 24, 1991", "1991-10-24"; "October 1991"; "1991"."""
        asked = Spec.model_validate(question).asked()
        if asked.month is None:
            return [(str(asked.year),)]
        month = MONTHS[asked.month - 1]
        if asked.day is None:
            return [(f"{month} {asked.year}",), (f"{asked.year}-{asked.month:02d}",)]
        return [
            (f"{asked.day} {month} {asked.year}",),
            (f"{month} {asked.day}, {asked.year}",),
            (f"{asked.year}-{asked.month:02d}-{asked.day:02d}",),
            (f"{asked.day}.{asked.month:02d}.{asked.year}",),
        ]

    @classmethod
    def correct_response(cls, question: dict) -> object:
        return Spec.model_validate(question).answer

    @classmethod
    def wrong_response(cls, question: dict, view: dict) -> object:
        return "1066"

    @classmethod
    def read_form(cls, view: dict, form: Mapping) -> tuple[object, str | None]:
        return read_typed(form)

    @classmethod
    def form_fields(cls, view: dict, response: object) -> dict:
        return {"answer": str(response)}

    @classmethod
    def anki_fields(cls, question: dict) -> AnkiFields:
        """Ask for the date typed; the date in words on the back, as the answer to type."""
        answer = html_text(cls.answer_text(question))
        return AnkiFields(front=html_text(cls.spec(question).prompt), back=answer, typed=answer)

    @classmethod
    def response_key(cls, question: dict, value: object) -> tuple[object, str]:
        when = read_date(value) if isinstance(value, str) else None
        if when is None:
            return super().response_key(question, value)
        return ("date", when), when.words()

    @classmethod
    def gift_answers(cls, question: dict) -> list[str]:
        """Write the date as a short answer: the ISO date first, then as people write it."""
        forms = _written_forms(question)
        if len(forms) == 1:
            return ["=" + gift.escape(forms[0])]
        return ["=" + gift.written(form) for form in forms]

    gift_carrier = "shortanswer"

    @classmethod
    def gift_fields(cls, question: dict) -> list[tuple[str, str]]:
        """Mark the short answer as a date: [quizapp:date]."""
        return [("quizapp", "date")]

    @classmethod
    def from_gift(cls, question: dict, places: dict, warn: Callable[[str], None]) -> dict | None:
        """Read a short answer marked [quizapp:date] back: its first answer is the date."""
        return {"type": "date", "answer": question["answer"]}

    @classmethod
    def moodle_xml(cls, question: dict) -> xml.MoodleQuestion:
        """Write the date as a short answer (Moodle has no date type), as GIFT does: the
        ISO date first, then as people write it; marked quizapp:date to come back."""
        answers = [
            xml.answer("100", form, fmt="moodle_auto_format") for form in _written_forms(question)
        ]
        lost = (
            "quizapp date: Moodle accepts only the forms written here; quizapp reads any "
            "common form of the date and gives part marks for a near one"
        )
        return xml.MoodleQuestion(
            "shortanswer",
            [xml.value("usecase", "0"), *answers],
            markers=[("quizapp", "date")],
            lost=lost,
        )

    @classmethod
    def time_named(cls, question: dict) -> str | None:
        """A date question's answer is a time, at the precision asked."""
        return Spec.model_validate(question).asked().words()


def _written_forms(question: dict) -> list[str]:
    """Return the date as a Moodle short answer's forms: the ISO date first (what the
    import reads back), then as people write it, for Moodle's learners."""
    answer = str(question["answer"])
    try:
        when = parse_iso(answer)
    except ValueError:
        return [answer]
    forms = [answer, when.words()]
    if when.day is not None:
        forms.append(f"{when.day:02d}.{when.month:02d}.{when.year}")
    return list(dict.fromkeys(forms))
