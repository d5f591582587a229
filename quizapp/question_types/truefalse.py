"""True or false: a statement and whether it holds (`answer: true` or `false`).

Optional: `feedback` with a text for a `right` and for a `wrong` answer (as in Moodle).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict
from wtforms import RadioField, SelectChoice

from quizapp.question_types import gift_syntax as gift
from quizapp.question_types import moodle_xml_syntax as xml
from quizapp.question_types.base import (
    AnkiFields,
    Grade,
    QuestionSpec,
    QuestionType,
    Text,
    Unanswered,
    html_text,
    register,
)
from quizapp.question_types.editor import QuestionForm

SCORING_RULE = "Say whether the statement is true or false: right scores 1, wrong scores 0."


def _strict_bool(value: object) -> object:
    # Pydantic would read "no", 0 or "off" as False; a bank should say true or false.
    if not isinstance(value, bool):
        raise ValueError("answer must be true or false (unquoted)")
    return value


class Feedback(BaseModel):
    """Texts shown after grading: for a right answer, and for a wrong one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    right: Text | None = None
    wrong: Text | None = None


class Spec(QuestionSpec):
    """A true/false question as written in a bank file."""

    type: Literal["truefalse"]
    answer: Annotated[bool, BeforeValidator(_strict_bool)]
    feedback: Feedback | None = None


def read_truth(response: object) -> bool | None:
    """Return the learner's True/False, read from a bool or "true"/"false"; None otherwise."""
    if isinstance(response, bool):
        return response
    if isinstance(response, str) and len(response) <= 20:
        return {"true": True, "false": False}.get(response.strip().lower())
    return None


def _with(said: str, extra: str | None) -> str:
    return f"{said} {extra}" if extra else said


def _word(value: bool) -> str:
    return "true" if value else "false"


class Editor(QuestionForm):
    """The set editor's fields for this type."""

    TYPE = "truefalse"
    PLAIN = ((r"missing field 'answer'", "Choose whether the statement is true or false."),)
    KEYS = QuestionForm.KEYS | {"answer"}

    answer = RadioField(
        "The statement is",
        choices=[SelectChoice("true", "True"), SelectChoice("false", "False")],
        validate_choice=False,
    )

    @classmethod
    def type_data(cls, spec):
        answer = spec.get("answer")
        return {"answer": None if answer is None else ("true" if answer else "false")}

    def type_spec(self):
        value = self.answer.data
        return {"answer": value == "true"} if value in ("true", "false") else {}


@register
class TrueFalse(QuestionType):
    """True or false: see the module's docstring."""

    name = "truefalse"
    label = "True or false"
    hint = "A statement that is either true or false."
    rank = 3
    Spec = Spec
    editor = Editor
    SCORING_RULE = SCORING_RULE

    @classmethod
    def grade(cls, question: dict, response: object) -> Grade:
        """Score True/False (or the strings "true"/"false", any case): 1 when it matches."""
        spec = Spec.model_validate(question)
        answer = spec.answer
        given = read_truth(response)
        if given is None:
            return Grade(0.0, "Please answer true or false.")
        feedback = spec.feedback or Feedback()
        if given == answer:
            return Grade(1.0, _with("Correct.", feedback.right))
        return Grade(0.0, _with(f"Not quite: the statement is {_word(answer)}.", feedback.wrong))

    @classmethod
    def answer_text(cls, question: dict) -> str:
        """Return "True" or "False"."""
        return _word(Spec.model_validate(question).answer).capitalize()

    @classmethod
    def present(cls, question: dict, rng: random.Random) -> dict:
        """Return nothing beyond the prompt: the input is always the same two buttons."""
        return {}

    @classmethod
    def shown_texts(cls, question: dict) -> list[str]:
        """Return what a learner sees of the question: the statement."""
        return [Spec.model_validate(question).prompt]

    @classmethod
    def answer_clues(cls, question: dict) -> list[tuple[str, ...]]:
        """Return what gives a true or false answer away: no text does."""
        return []

    @classmethod
    def correct_response(cls, question: dict) -> object:
        return Spec.model_validate(question).answer

    @classmethod
    def wrong_response(cls, question: dict, view: dict) -> object:
        return not Spec.model_validate(question).answer

    @classmethod
    def read_form(cls, view: dict, form: Mapping) -> tuple[object, str | None]:
        value = form.get("answer")
        if value not in ("true", "false"):
            raise Unanswered
        return value == "true", None

    @classmethod
    def form_fields(cls, view: dict, response: object) -> dict:
        return {"answer": "true" if response else "false"}

    @classmethod
    def format_response(cls, value: object) -> str:
        truth = read_truth(value)
        return str(value) if truth is None else _word(truth).capitalize()

    @classmethod
    def anki_fields(cls, question: dict) -> AnkiFields:
        """Ask "True or false?" after the statement; the answer, True or False, on the back."""
        spec = Spec.model_validate(question)
        front = html_text(spec.prompt) + "<p><i>True or false?</i></p>"
        return AnkiFields(front=front, back=html_text(cls.answer_text(question)))

    @classmethod
    def gift_answers(cls, question: dict) -> list[str]:
        """Write `TRUE` or `FALSE`, with the feedback for a wrong and a right answer."""
        feedback = question.get("feedback") or {}
        answer = "TRUE" if question["answer"] else "FALSE"
        wrong, right = feedback.get("wrong"), feedback.get("right")
        if right:
            return [f"{answer}#{gift.written(wrong) if wrong else ''}#{gift.written(right)}"]
        return [gift.with_feedback(answer, wrong)]

    @classmethod
    def moodle_xml(cls, question: dict) -> xml.MoodleQuestion:
        """Write the answers `true` and `false`, the right one at 100 %, each with the
        feedback a learner who picks it reads."""
        feedback = question.get("feedback") or {}
        truth = bool(question["answer"])
        answers = []
        for said in (True, False):
            right = said == truth
            answers.append(
                xml.answer(
                    "100" if right else "0",
                    _word(said),
                    fmt="moodle_auto_format",
                    feedback=feedback.get("right" if right else "wrong"),
                )
            )
        return xml.MoodleQuestion("truefalse", answers, penalty="1")
