"""The dated events of the bundled banks, in order, from the Grand Duchy to today.

An event is a question whose answer names a time (its type says, in `time_named`): every
`date` question (its answer at the precision asked), and every `choice` question whose
right answer is a date, a month, a year, a span of years or a century. The timeline is a study page:
it shows these answers on purpose. Whether the learner *knows* one is judged from
their own latest answer to the question only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from quizapp.banks.loader import collapse_space
from quizapp.question_types import TYPES
from quizapp.question_types.date import MONTHS
from quizapp.source.citations import CitingQuestion

_MONTH = "|".join(MONTHS)
_DAY_MONTH_YEAR = re.compile(rf"(\d{{1,2}}) ({_MONTH}) (\d{{3,4}})")
_MONTH_YEAR = re.compile(rf"({_MONTH}) (\d{{3,4}})")
_YEAR = re.compile(r"\d{3,4}")
_CENTURY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th) century\b", re.IGNORECASE)
_YEAR_IN_TEXT = re.compile(r"\b(1\d{3}|20\d{2})\b")


@dataclass(frozen=True)
class When:
    """A point in time as a question gives it: how to say it and where it sorts."""

    label: str
    year: int
    month: int = 0
    day: int = 0

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month, self.day)


def when_of_text(text: str) -> When | None:
    """Read the time a choice answer names; None when it names no time."""
    text = collapse_space(text)
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        day, month, year = int(match[1]), MONTHS.index(match[2]) + 1, int(match[3])
        return When(text, year, month, day)
    if match := _MONTH_YEAR.fullmatch(text):
        return When(text, int(match[2]), MONTHS.index(match[1]) + 1)
    if _YEAR.fullmatch(text):
        return When(text, int(text))
    century = _CENTURY.search(text)
    year = _YEAR_IN_TEXT.search(text)
    if century and (year is None or century.start() < year.start()):
        return When(text, (int(century[1]) - 1) * 100 + 1)
    if year:
        return When(text, int(year[1]))
    return None


def when_of(question: CitingQuestion) -> When | None:
    """Return the time a question's answer names, or None if it is not about a time."""
    named = TYPES[question.type].time_named(question.spec)
    return None if named is None else when_of_text(named)


def era(year: int) -> str:
    """Name the part of the timeline a year belongs to."""
    if year < 1800:
        return "The Grand Duchy of Lithuania"
    if year < 1900:
        return "The 19th century"
    return f"The {year // 10 * 10}s"


@dataclass(frozen=True)
class Event:
    """A dated question on the timeline, with the passage that tells of it."""

    when: When
    question: CitingQuestion
    passage: str | None

    @property
    def era(self) -> str:
        return era(self.when.year)


def best_passage(question: CitingQuestion, when: When) -> str | None:
    """Pick the quote that tells of the event: the one naming most of its date."""

    def score(quote: str) -> int:
        points = int(str(when.year) in quote)
        if when.month:
            month = MONTHS[when.month - 1]
            points += int(month in quote)
            if when.day:
                day = str(when.day)
                points += 2 * bool(re.search(rf"\b{day} {month}\b|\b{month} {day}\b", quote))
        return points

    quotes = [collapse_space(q) for q in question.quotes]
    return max(quotes, key=score) if quotes else None


def timeline(questions: Iterable[CitingQuestion]) -> list[Event]:
    """Return the events among `questions`, oldest first (a date's ties in bank order)."""
    events = []
    for question in questions:
        when = when_of(question)
        if when is not None:
            events.append(Event(when, question, best_passage(question, when)))
    events.sort(key=lambda e: (e.when.sort_key, e.question.bank_position, e.question.position))
    return events
