"""Multiple choice with one right option: `options` (2–8) and the `answer` among them."""

from __future__ import annotations

import random
from typing import Literal

from pydantic import Field, model_validator

from quizapp.question_types.base import (
    MAX_OPTIONS,
    MIN_OPTIONS,
    Grade,
    QuestionSpec,
    Text,
    first_duplicate,
    typed_response,
)

NAME = "choice"

SCORING_RULE = "Pick the one right option: it scores 1, any other option scores 0."


class Spec(QuestionSpec):
    """A choice question as written in a bank file."""

    type: Literal["choice"]
    options: list[Text] = Field(min_length=MIN_OPTIONS, max_length=MAX_OPTIONS)
    answer: Text

    @model_validator(mode="after")
    def _answer_is_an_option(self) -> Spec:
        if (twice := first_duplicate(self.options)) is not None:
            raise ValueError(f"option '{twice}' is listed twice")
        if self.answer not in self.options:
            raise ValueError(f"answer '{self.answer}' is not one of the options")
        return self


def grade(question: dict, response: object) -> Grade:
    """Score the chosen option's text: 1 for the answer, 0 for any other option."""
    spec = Spec.model_validate(question)
    chosen = typed_response(response)
    if isinstance(chosen, Grade):
        return chosen
    if chosen not in spec.options:
        return Grade(0.0, "That is not one of the options.")
    if chosen == spec.answer:
        return Grade(1.0, "Correct.")
    return Grade(0.0, "Not this one.")


def answer_text(question: dict) -> str:
    """Return the right option."""
    return Spec.model_validate(question).answer


def present(question: dict, rng: random.Random) -> dict:
    """Return the options in a random order (the file order often puts the answer first)."""
    options = Spec.model_validate(question).options
    return {"options": rng.sample(options, len(options))}
