"""What every question type shares: the common fields of a question and the grade."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

#: Limits that keep one question readable and stop hostile files early.
MAX_TEXT = 2_000
MIN_OPTIONS = 2
MAX_OPTIONS = 8
#: The longest response worth reading: no right answer is longer than a question's text.
MAX_RESPONSE = MAX_TEXT


def _number_to_text(value: object) -> object:
    """Read a slug that YAML typed as a number (a tag such as 2021) as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


Slug = Annotated[
    str,
    BeforeValidator(_number_to_text),
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80),
]

#: Another question, as `bank/id`, or `id` alone for one of the same bank.
QuestionRef = Annotated[
    str,
    StringConstraints(
        pattern=r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*/)?[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=161
    ),
]


def _scalar_to_text(value: object) -> object:
    """Read numbers and dates that YAML typed as text; refuse booleans (yes/no in YAML)."""
    if isinstance(value, bool):
        raise ValueError("a yes/no/true/false here reads as a boolean: quote it")
    if isinstance(value, (int, float, dt.date)):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return value


def _not_blank(value: str) -> str:
    # Checked after stripping: a prompt of spaces (or a lone U+2028) is empty.
    if not value:
        # The same error kind as an empty string, so it reads the same everywhere.
        raise PydanticCustomError("string_too_short", "must not be empty", {"min_length": 1})
    return value


Text = Annotated[
    str,
    BeforeValidator(_scalar_to_text),
    StringConstraints(strip_whitespace=True, max_length=MAX_TEXT),
    AfterValidator(_not_blank),
]


class QuestionSpec(BaseModel):
    """Fields every question has (see the bank file contract)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    type: str
    prompt: Text
    quote: Text | list[Text] | None = None
    explanation: Text | None = None
    #: A caveat shown with the feedback: where the source is wrong or contested.
    note: Text | None = None
    tags: list[Slug] = Field(default_factory=list, max_length=20)
    difficulty: int = Field(default=2, ge=1, le=3)
    #: Questions of one family are never drawn into the same quiz (one gives another away).
    family: Slug | None = None
    #: Other questions never drawn into a quiz with this one (`bank/id`, or `id`).
    excludes: list[QuestionRef] | None = Field(default=None, max_length=50)

    def quotes(self) -> list[str]:
        """Return the quote as a list of passages (empty when there is none)."""
        if self.quote is None:
            return []
        return [self.quote] if isinstance(self.quote, str) else list(self.quote)


@dataclass(frozen=True)
class Grade:
    """The outcome of grading one response: a fraction in [0, 1] and text for the learner."""

    fraction: float
    feedback: str

    @property
    def correct(self) -> bool:
        return self.fraction >= 1.0


def typed_response(response: object) -> str | Grade:
    """Return what the learner typed, stripped, or a zero Grade that says why it cannot be read.

    Numbers are taken as the text they print as, so an API client may send 1995 for "1995".
    """
    if isinstance(response, (int, float)) and not isinstance(response, bool):
        try:
            response = str(response)
        except ValueError:  # an int of more than 4,300 digits will not print
            return Grade(0.0, "That answer is far too long to be right.")
    if not isinstance(response, str):
        return Grade(0.0, "Please type your answer as text.")
    if len(response) > MAX_RESPONSE:
        return Grade(0.0, "That answer is far too long to be right.")
    response = response.strip()
    if not response:
        return Grade(0.0, "No answer was given.")
    return response


def first_duplicate(texts: list[str]) -> str | None:
    """Return the first text that repeats an earlier one, ignoring case; None when all differ."""
    seen: set[str] = set()
    for text in texts:
        key = text.casefold()
        if key in seen:
            return text
        seen.add(key)
    return None
