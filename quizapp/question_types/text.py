"""A typed name or phrase: `answer`, other accepted forms in `accept`, and `exact: true`."""

from __future__ import annotations

import random
import unicodedata
from typing import Literal

from pydantic import Field, model_validator
from rapidfuzz.distance import OSA

from quizapp.question_types.base import Grade, QuestionSpec, Text, typed_response

NAME = "text"

SCORING_RULE = (
    "Type the name or phrase: capitals, accents, punctuation and spaces do not matter, and "
    "unless the exact spelling is asked, one typo is forgiven in answers of 5 letters or more "
    "(two from 12 letters) if the first letter and any digits are right. It scores 1 or 0."
)

# Letters that NFKD leaves whole because they are letters of their own, not accented ones.
_PLAIN_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ŀ": "l", "ŧ": "t",
     "æ": "ae", "œ": "oe", "þ": "th"}
)  # fmt: skip


def fold(text: str) -> str:
    """Return text with case, diacritics, punctuation and spacing folded away.

    "Dalia Grybauskaitė" and "dalia  GRYBAUSKAITE." both fold to "daliagrybauskaite".
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in bare.casefold().translate(_PLAIN_LETTERS) if c.isalnum())


def typos_forgiven(target: str) -> int:
    """Return how many typos a folded target forgives: 0 below 5 letters, 2 from 12."""
    if len(target) >= 12:
        return 2
    return 1 if len(target) >= 5 else 0


def is_typo_of(typed: str, target: str) -> bool:
    """Tell whether folded `typed` is a small slip for folded `target`.

    A slip keeps the first letter and every digit: "Pinsk" is another city than "Minsk",
    and "Flight 4979" another flight than "Flight 4978".
    """
    if not typed or typed[0] != target[0] or _digits(typed) != _digits(target):
        return False
    limit = typos_forgiven(target)
    return OSA.distance(typed, target, score_cutoff=limit) <= limit


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


class Spec(QuestionSpec):
    """A text question as written in a bank file."""

    type: Literal["text"]
    answer: Text
    accept: list[Text] = Field(default_factory=list, max_length=20)
    exact: bool = False

    @model_validator(mode="after")
    def _forms_have_letters(self) -> Spec:
        for form in self.forms():
            if not fold(form):
                raise ValueError(f"accepted form '{form}' has no letters or digits to compare")
        return self

    def forms(self) -> list[str]:
        """Return the answer and every accepted form."""
        return [self.answer, *self.accept]


def grade(question: dict, response: object) -> Grade:
    """Score typed text: 1 or 0.

    1 when it folds to the answer or an `accept` form, or (unless `exact`) is one small
    typo away from one of them (see `is_typo_of`).
    """
    spec = Spec.model_validate(question)
    typed = typed_response(response)
    if isinstance(typed, Grade):
        return typed
    folded = fold(typed)
    if not folded:
        return Grade(0.0, "Please type a name or phrase.")
    targets = [fold(form) for form in spec.forms()]
    if folded in targets:
        return Grade(1.0, "Correct.")
    if not spec.exact and any(is_typo_of(folded, target) for target in targets):
        return Grade(1.0, f"Correct, but mind the spelling: {spec.answer}.")
    return Grade(0.0, "Not the answer we were looking for.")


def answer_text(question: dict) -> str:
    """Return the answer as written in the bank."""
    return Spec.model_validate(question).answer


def present(question: dict, rng: random.Random) -> dict:
    """Return nothing beyond the prompt: the learner types into an empty box."""
    return {}
