"""A typed number: `answer`, optional `tolerance` (absolute or "N%") and optional `unit`.

Optional, for questions such as Moodle's numerical ones: `ranges` lists other answers,
each with its tolerance, the marks it earns and its feedback, and replaces the built-in
half credit for near misses; `feedback` has texts for the `right` answer and for any
`wrong` one.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from xml.etree.ElementTree import Element, SubElement

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from wtforms import StringField

from quizapp.question_types import gift_syntax as gift
from quizapp.question_types import moodle_xml_syntax as xml
from quizapp.question_types.base import (
    AnkiFields,
    Grade,
    QuestionSpec,
    QuestionType,
    Text,
    html_text,
    read_typed,
    register,
    typed_response,
)
from quizapp.question_types.editor import PLAIN_NUMBER, QuestionForm, number_text, text_of

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


Answer = Annotated[float, BeforeValidator(_read_answer), Field(allow_inf_nan=False)]
Tolerance = Annotated[float | str, BeforeValidator(_read_tolerance)]


def _allowed_error(answer: float, tolerance: float | str) -> float:
    if isinstance(tolerance, str):
        return abs(answer) * float(tolerance.rstrip("%")) / 100
    return float(tolerance)


class Range(BaseModel):
    """Another answer of a number question: within `tolerance` of `answer` earns `fraction`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    answer: Answer
    tolerance: Tolerance = 0.0
    fraction: float = Field(ge=0, le=1, allow_inf_nan=False)
    feedback: Text | None = None

    def allowed_error(self) -> float:
        """Return the tolerance as an absolute distance from the answer."""
        return _allowed_error(self.answer, self.tolerance)


class Feedback(BaseModel):
    """Texts shown after grading: for the right answer, and for one that matches nothing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    right: Text | None = None
    wrong: Text | None = None


class Spec(QuestionSpec):
    """A number question as written in a bank file."""

    type: Literal["number"]
    answer: Answer
    tolerance: Tolerance = 0.0
    unit: Text | None = None
    ranges: list[Range] | None = Field(default=None, max_length=20)
    feedback: Feedback | None = None

    def allowed_error(self) -> float:
        """Return the tolerance as an absolute distance from the answer."""
        return _allowed_error(self.answer, self.tolerance)


def _slack(answer: float) -> float:
    # Floats: 0.1 + 0.2 must count as 0.3.
    return 1e-9 * max(1.0, abs(answer))


def _with(said: str, extra: str | None) -> str:
    return f"{said} {extra}" if extra else said


def _ranged(ranges: list[Range], value: float, direction: str, wrong: str | None) -> Grade:
    """Grade by the best range the value falls in (the first of equals), or 0."""
    best: Range | None = None
    for item in ranges:
        within = abs(value - item.answer) <= item.allowed_error() + _slack(item.answer)
        if within and (best is None or item.fraction > best.fraction):
            best = item
    if best is None:
        return Grade(0.0, _with(f"Not right: that is too {direction}.", wrong))
    if best.fraction >= 1.0:
        said = "Correct."
    elif best.fraction > 0:
        said = f"Partly right: {best.fraction:.0%} of the marks."
    else:
        said = f"Not right: that is too {direction}."
    return Grade(best.fraction, _with(said, best.feedback))


def format_number(value: float) -> str:
    """Write a number for reading: 680, 13,000, 1.5 (years such as 1995 keep no comma)."""
    shown: float | int = int(value) if float(value).is_integer() else float(value)
    return f"{shown:,}" if abs(shown) >= 10_000 else str(shown)


class Editor(QuestionForm):
    """The set editor's fields for this type."""

    TYPE = "number"
    PLAIN = (
        (r"missing field 'answer'|'answer' must not be empty", "Type the right number."),
        (r"answer '(.*)' is not a number \(put the unit in `unit`\)",
         "Type the answer as a number alone (such as 680); a unit goes in the Unit field."),
        (r"tolerance must not be negative",
         "The tolerance is how far off an answer may be and still count: 0 or more."),
        (r"tolerance '(.*)' must be a number or a percentage such as '5%'",
         "Type the tolerance as a number (5) or a percentage (5%)."),
    )  # fmt: skip
    KEYS = QuestionForm.KEYS | {"answer", "tolerance", "unit"}

    answer = StringField("Answer", render_kw={"inputmode": "decimal"})
    tolerance = StringField("Tolerance")
    unit = StringField("Unit")

    @classmethod
    def type_data(cls, spec):
        tolerance = spec.get("tolerance", 0)
        return {
            "answer": number_text(spec.get("answer")),
            "tolerance": tolerance if isinstance(tolerance, str) else number_text(tolerance),
            "unit": spec.get("unit", ""),
        }

    def type_spec(self):
        spec: dict[str, Any] = {}
        if answer := text_of(self.answer.data):
            spec["answer"] = answer
        if tolerance := text_of(self.tolerance.data):
            # A plain number is a number, as in a file; anything else is the loader's to judge.
            if PLAIN_NUMBER.fullmatch(tolerance):
                spec["tolerance"] = float(tolerance) if "." in tolerance else int(tolerance)
            else:
                spec["tolerance"] = tolerance
        if unit := text_of(self.unit.data):
            spec["unit"] = unit
        return spec


@register
class Number(QuestionType):
    """Typed number: see the module's docstring."""

    name = "number"
    label = "Number"
    hint = "Learners type a number; 13,000, 13 000 and 13000 all read the same."
    rank = 5
    Spec = Spec
    editor = Editor
    SCORING_RULE = SCORING_RULE

    @classmethod
    def scoring_rule(cls, question: dict) -> str:
        """Return SCORING_RULE, or the rule of a question with its own ranges."""
        if Spec.model_validate(question).ranges is None:
            return SCORING_RULE
        return (
            "Type the number; 13,000, 13 000 and 13000 all read the same. Within the question's "
            "tolerance scores 1; some other answers may earn part of the marks."
        )

    @classmethod
    def grade(cls, question: dict, response: object) -> Grade:
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
        feedback = spec.feedback or Feedback()
        if error <= spec.allowed_error() + _slack(spec.answer):
            said = "Correct." if error <= _slack(spec.answer) else "Correct: close enough."
            return Grade(1.0, _with(said, feedback.right))
        direction = "high" if reading.value > spec.answer else "low"
        if spec.ranges is not None:
            return _ranged(spec.ranges, reading.value, direction, feedback.wrong)
        if error <= NEAR_MISS * abs(spec.answer) + _slack(spec.answer):
            return Grade(
                0.5, _with(f"Close, but a little {direction}: half credit.", feedback.wrong)
            )
        return Grade(0.0, _with(f"Not close: that is too {direction}.", feedback.wrong))

    @classmethod
    def answer_text(cls, question: dict) -> str:
        """Return the answer with its unit: "680 km", "93%", "€15,000", "13,000"."""
        spec = Spec.model_validate(question)
        number = format_number(spec.answer)
        if spec.unit is None:
            return number
        if unicodedata.category(spec.unit[-1]) == "Sc":
            return f"{spec.unit}{number}"
        return f"{number}{spec.unit}" if spec.unit == "%" else f"{number} {spec.unit}"

    @classmethod
    def present(cls, question: dict, rng: random.Random) -> dict:
        """Return the unit to show beside the input (None when there is none)."""
        return {"unit": Spec.model_validate(question).unit}

    @classmethod
    def shown_texts(cls, question: dict) -> list[str]:
        """Return what a learner sees of the question: its prompt."""
        return [Spec.model_validate(question).prompt]

    @classmethod
    def answer_clues(cls, question: dict) -> list[tuple[str, ...]]:
        """Return what, seen in another question, gives the answer away: the number (13,000
        and 13000 alike). A number under 100 is found in too many dates and figures to tell
        anything alone: it counts only with a unit in words ("7 days")."""
        spec = Spec.model_validate(question)
        shown: float | int = int(spec.answer) if float(spec.answer).is_integer() else spec.answer
        if abs(shown) >= 100:
            return [(str(shown),)]
        if spec.unit and any(c.isalpha() for c in spec.unit):
            return [(f"{shown} {spec.unit}",)]
        return []

    @classmethod
    def correct_response(cls, question: dict) -> object:
        return format_number(Spec.model_validate(question).answer).replace(",", "")

    @classmethod
    def wrong_response(cls, question: dict, view: dict) -> object:
        return str(float(Spec.model_validate(question).answer) * 3 + 1000)

    @classmethod
    def read_form(cls, view: dict, form: Mapping) -> tuple[object, str | None]:
        return read_typed(form)

    @classmethod
    def form_fields(cls, view: dict, response: object) -> dict:
        return {"answer": str(response)}

    @classmethod
    def anki_fields(cls, question: dict) -> AnkiFields:
        """Ask for the number typed, its unit named on the front as the page shows it
        beside the box; the answer with its unit on the back."""
        spec = Spec.model_validate(question)
        front = html_text(spec.prompt)
        if spec.unit:
            front += f"<p><i>In {html_text(spec.unit)}.</i></p>"
        typed = html_text(format_number(spec.answer))
        return AnkiFields(front=front, back=html_text(cls.answer_text(question)), typed=typed)

    @classmethod
    def response_key(cls, question: dict, value: object) -> tuple[object, str]:
        reading = read_number(value) if isinstance(value, str) else None
        if reading is None:
            return super().response_key(question, value)
        shown = format_number(reading.value) + (f" {reading.unit}" if reading.unit else "")
        return ("number", reading.value, reading.unit.casefold()), shown

    @classmethod
    def gift_answers(cls, question: dict) -> list[str]:
        """Write `#value:tolerance`, quizapp's half credit as a second answer at 50 %."""
        answer = float(question["answer"])
        tolerance = _allowed_error(answer, question.get("tolerance", 0.0))
        feedback = question.get("feedback") or {}
        main = f"={gift.number(answer)}:{gift.number(tolerance)}"
        main = gift.with_feedback(main, feedback.get("right"))
        answers = [main]
        ranges = question.get("ranges")
        if ranges is None:
            near = 0.1 * abs(answer)
            if tolerance < near:  # quizapp's half credit within 10 %, as a Moodle answer
                answers.append(f"=%50%{gift.number(answer)}:{gift.number(near)}")
        else:
            for item in ranges:
                value = float(item["answer"])
                allowed = _allowed_error(value, item.get("tolerance", 0.0))
                weight = gift.percent(item["fraction"])
                written = f"=%{weight}%{gift.number(value)}:{gift.number(allowed)}"
                answers.append(gift.with_feedback(written, item.get("feedback")))
        if feedback.get("wrong"):
            answers.append(f"~#{gift.written(feedback['wrong'])}")
        answers[0] = "#" + answers[0]
        return answers

    @classmethod
    def gift_fields(cls, question: dict) -> list[tuple[str, str]]:
        """Say the unit, which GIFT has no place for, in the comment line: [unit:km]."""
        return [("unit", question["unit"])] if question.get("unit") else []

    @classmethod
    def moodle_xml(cls, question: dict) -> xml.MoodleQuestion:
        """Write a numerical question: the answer with its tolerance at 100 %, quizapp's half
        credit within 10 % (or the question's ranges) as further answers, the feedback for
        any other number as `*`, and the unit as Moodle's (optional for the learner)."""
        feedback = question.get("feedback") or {}
        answers = []
        for value, tolerance, fraction, said in _moodle_answers(question):
            written = xml.grade(fraction, f"the range around {xml.number(value)}")
            extra = [xml.value("tolerance", xml.number(tolerance))]
            answers.append(xml.answer(written, xml.number(value), fmt="moodle_auto_format",
                                      feedback=said, extra=extra))  # fmt: skip
        if feedback.get("wrong"):
            answers.append(xml.answer("0", "*", fmt="moodle_auto_format",
                                      feedback=feedback["wrong"],
                                      extra=[xml.value("tolerance", "0")]))  # fmt: skip
        parts = list(answers)
        if question.get("unit"):
            units = Element("units")
            unit = SubElement(units, "unit")
            unit.append(xml.value("multiplier", "1"))
            unit.append(xml.value("unit_name", question["unit"]))
            parts.append(units)
        parts += [
            xml.value("unitgradingtype", "0"),
            xml.value("unitpenalty", "0.1000000"),
            xml.value("showunits", "0" if question.get("unit") else "3"),
            xml.value("unitsleft", "0"),
        ]
        return xml.MoodleQuestion("numerical", parts)

    @classmethod
    def moodle_gap(cls, question: dict) -> tuple[str, list[str]]:
        """Write a number gap: =value:tolerance, the other ranges at their %, * for any other
        number with the feedback for a wrong one."""
        feedback = question.get("feedback") or {}
        alternatives = [
            xml.gap_alternative(fraction, f"{xml.number(value)}:{xml.number(tolerance)}", said)
            for value, tolerance, fraction, said in _moodle_answers(question)
        ]
        if feedback.get("wrong"):
            alternatives.append(xml.gap_alternative(0.0, "*", feedback["wrong"]))
        return "NUMERICAL", alternatives


def _moodle_answers(question: dict) -> list[tuple[float, float, float, str | None]]:
    """Return Moodle's answers for the question: (value, absolute tolerance, fraction,
    feedback); quizapp's half credit within 10 % is one when no ranges are given."""
    answer = float(question["answer"])
    tolerance = _allowed_error(answer, question.get("tolerance", 0.0))
    feedback = question.get("feedback") or {}
    answers = [(answer, tolerance, 1.0, feedback.get("right"))]
    ranges = question.get("ranges")
    if ranges is None:
        near = 0.1 * abs(answer)
        if tolerance < near:
            answers.append((answer, near, 0.5, None))
    else:
        for item in ranges:
            value = float(item["answer"])
            allowed = _allowed_error(value, item.get("tolerance", 0.0))
            answers.append((value, allowed, item["fraction"], item.get("feedback")))
    return answers
