"""A typed number: `answer`, optional `tolerance` (absolute or "N%") and optional `unit`."""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from quizapp.question_types.base import Grade, QuestionSpec, Text, typed_response

NAME = "number"

#: Outside the tolerance but this close (as a share of the answer) still earns half credit.
NEAR_MISS = 0.10

SCORING_RULE = (
    "Type the number; 13,000, 13 000 and 13000 all read the same, and the unit asked for "
    "is fine. Within the question's tolerance scores 1; otherwise within 10% of the answer "
    "scores 0.5."
)

_HEDGE = re.compile(r"^(?:~|≈|about|around|approximately|approx\.?|circa|ca\.|c\.)\s*", re.I)
_READING = re.compile(
    r"(?P<before>[^\d\s+\-−.,]*)\s*"  # a currency sign written first: €15,000
    r"(?P<sign>[-+−]?)\s*"
    r"(?P<digits>\d{1,3}(?:[, \u00a0\u202f\u2009]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"\s*(?P<after>.*)",  # a unit written after: 680 km, 93%
    re.S,
)
_GROUPING = re.compile(r"[, \u00a0\u202f\u2009]")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
# Spellings of one unit; anything else must match the question's unit letter for letter.
_SAME_UNIT = [
    {"%", "percent", "pc"},
    {"km", "kilometre", "kilometer"},
    {"m", "metre", "meter"},
    {"€", "eur", "euro"},
    {"$", "usd", "us$", "dollar"},
    {"£", "gbp", "pound"},
]


@dataclass(frozen=True)
class Reading:
    """A number as the learner wrote it, with the unit text around it ("" when none)."""

    value: float
    unit: str


def read_number(text: str) -> Reading | None:
    """Read "13,000", "13 000", "13000.0", "680 km", "93%", "€15,000" or "-5"; None if unreadable.

    The decimal mark is a point; commas and (narrow, no-break) spaces group thousands.
    """
    match = _READING.fullmatch(_HEDGE.sub("", text.strip(), count=1))
    if match is None or any(c.isdigit() for c in match["after"]):
        return None
    if match["before"] and match["after"]:
        return None
    value = float(_GROUPING.sub("", match["digits"]))
    if match["sign"] in ("-", "−"):
        value = -value
    return Reading(value, (match["before"] or match["after"]).strip())


def same_unit(written: str, expected: str) -> bool:
    """Tell whether a written unit names the expected one ("KM", "kilometres" for "km")."""
    keys = {_unit_key(written), _unit_key(expected)}
    return len(keys) == 1 or any(keys <= spellings for spellings in _SAME_UNIT)


def _unit_key(unit: str) -> str:
    key = "".join(unit.casefold().split()).rstrip(".")
    return key[:-1] if len(key) > 2 and key.endswith("s") else key


def _read_answer(value: object) -> object:
    # A bank may write `answer: 13,000`, which YAML hands over as text.
    if isinstance(value, bool):
        raise ValueError("answer must be a number, not true or false")
    if isinstance(value, str):
        reading = read_number(value)
        if reading is None or reading.unit:
            raise ValueError(f"answer '{value}' is not a number (put the unit in `unit`)")
        return reading.value
    return value


def _read_tolerance(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError("tolerance must be a non-negative number or a percentage such as '5%'")
    if isinstance(value, str):
        match = _PERCENT.fullmatch(value.strip())
        if match is None:
            raise ValueError(f"tolerance '{value}' must be a number or a percentage such as '5%'")
        return f"{match[1]}%"
    if value < 0:
        raise ValueError("tolerance must not be negative")
    return value


class Spec(QuestionSpec):
    """A number question as written in a bank file."""

    type: Literal["number"]
    answer: Annotated[float, BeforeValidator(_read_answer), Field(allow_inf_nan=False)]
    tolerance: Annotated[float | str, BeforeValidator(_read_tolerance)] = 0.0
    unit: Text | None = None

    def allowed_error(self) -> float:
        """Return the tolerance as an absolute distance from the answer."""
        if isinstance(self.tolerance, str):
            return abs(self.answer) * float(self.tolerance.rstrip("%")) / 100
        return float(self.tolerance)


def grade(question: dict, response: object) -> Grade:
    """Score a typed number: 1 within tolerance, 0.5 within 10% of the answer, else 0.

    A unit other than the question's scores 0, saying which unit was expected.
    """
    spec = Spec.model_validate(question)
    typed = typed_response(response)
    if isinstance(typed, Grade):
        return typed
    reading = read_number(typed)
    if reading is None:
        return Grade(0.0, "We could not read a number there; write it like 13000 or 1.5.")
    if reading.unit and spec.unit is None:
        return Grade(0.0, "Please type just the number, without a unit.")
    if reading.unit and not same_unit(reading.unit, spec.unit or ""):
        return Grade(0.0, f"The answer is expected in {spec.unit}, not {reading.unit}.")
    error = abs(reading.value - spec.answer)
    # Floats: 0.1 + 0.2 must count as 0.3.
    slack = 1e-9 * max(1.0, abs(spec.answer))
    if error <= spec.allowed_error() + slack:
        return Grade(1.0, "Correct." if error <= slack else "Correct: close enough.")
    direction = "high" if reading.value > spec.answer else "low"
    if error <= NEAR_MISS * abs(spec.answer) + slack:
        return Grade(0.5, f"Close, but a little {direction}: half credit.")
    return Grade(0.0, f"Not close: that is too {direction}.")


def format_number(value: float) -> str:
    """Write a number for reading: 680, 13,000, 1.5 (years such as 1995 keep no comma)."""
    shown: float | int = int(value) if float(value).is_integer() else float(value)
    return f"{shown:,}" if abs(shown) >= 10_000 else str(shown)


def answer_text(question: dict) -> str:
    """Return the answer with its unit: "680 km", "93%", "€15,000", "13,000"."""
    spec = Spec.model_validate(question)
    number = format_number(spec.answer)
    if spec.unit is None:
        return number
    if unicodedata.category(spec.unit[-1]) == "Sc":
        return f"{spec.unit}{number}"
    return f"{number}{spec.unit}" if spec.unit == "%" else f"{number} {spec.unit}"


def present(question: dict, rng: random.Random) -> dict:
    """Return the unit to show beside the input (None when there is none)."""
    return {"unit": Spec.model_validate(question).unit}
