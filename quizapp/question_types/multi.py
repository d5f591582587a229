"""Multiple choice with several right options: `options` (2–8) and `answers`, a subset."""

from __future__ import annotations

import random
from typing import Literal

from pydantic import Field, model_validator

from quizapp.question_types.base import (
    MAX_OPTIONS,
    MAX_RESPONSE,
    MIN_OPTIONS,
    Grade,
    QuestionSpec,
    Text,
    first_duplicate,
)

NAME = "multi"

SCORING_RULE = (
    "Pick every right option. Your score is (right picks − wrong picks) ÷ the number of "
    "right options, never below 0: each wrong pick cancels a right one."
)


class Spec(QuestionSpec):
    """A multi question as written in a bank file."""

    type: Literal["multi"]
    options: list[Text] = Field(min_length=MIN_OPTIONS, max_length=MAX_OPTIONS)
    answers: list[Text] = Field(min_length=1, max_length=MAX_OPTIONS)

    @model_validator(mode="after")
    def _answers_are_options(self) -> Spec:
        if (twice := first_duplicate(self.options)) is not None:
            raise ValueError(f"option '{twice}' is listed twice")
        if (twice := first_duplicate(self.answers)) is not None:
            raise ValueError(f"answer '{twice}' is listed twice")
        for answer in self.answers:
            if answer not in self.options:
                raise ValueError(f"answer '{answer}' is not one of the options")
        return self


def grade(question: dict, response: object) -> Grade:
    """Score a list of chosen option texts: (right − wrong) ÷ number of answers, floored at 0.

    A single string counts as a one-item list, a repeated pick counts once, and texts that
    are not options are ignored.
    """
    spec = Spec.model_validate(question)
    if isinstance(response, str):
        response = [response]
    if not isinstance(response, (list, tuple, set, frozenset)):
        return Grade(0.0, "Please give your picks as a list of options.")
    if len(response) > MAX_RESPONSE:
        return Grade(0.0, "That is far more picks than there are options.")
    picks = {item.strip() for item in response if isinstance(item, str)}
    picks &= set(spec.options)
    right = len(picks & set(spec.answers))
    wrong = len(picks) - right
    fraction = max(0.0, (right - wrong) / len(spec.answers))
    return Grade(fraction, _feedback(right, wrong, len(spec.answers)))


def _feedback(right: int, wrong: int, answers: int) -> str:
    if right == answers and not wrong:
        return "Correct: you found every right option."
    if not right and not wrong:
        return "You picked none of the options."
    return (
        f"{right} of {answers} right {_picks(answers)}, {wrong} wrong {_picks(wrong)}: "
        "each wrong pick cancels a right one."
    )


def _picks(count: int) -> str:
    return "pick" if count == 1 else "picks"


def answer_text(question: dict) -> str:
    """Return the right options, in file order, joined with commas."""
    return ", ".join(Spec.model_validate(question).answers)


def present(question: dict, rng: random.Random) -> dict:
    """Return the options in a random order."""
    options = Spec.model_validate(question).options
    return {"options": rng.sample(options, len(options))}
