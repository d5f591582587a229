"""The registry of question types: each type is one module (see base.py for what they share).

A type module exposes NAME, Spec (its part of a bank file), grade(question, response),
answer_text(question), present(question, rng) and SCORING_RULE.
"""

from __future__ import annotations

from types import ModuleType
from typing import Annotated

from pydantic import Field

from quizapp.question_types import choice, date, match, multi, number, order, text, truefalse

#: Type name, as written in `type:` in a bank file → the module that implements it.
TYPES: dict[str, ModuleType] = {
    module.NAME: module for module in (choice, multi, truefalse, text, number, date, order, match)
}

#: Any question of a bank file: pydantic picks the Spec by the `type` field.
QuestionUnion = Annotated[
    choice.Spec
    | multi.Spec
    | truefalse.Spec
    | text.Spec
    | number.Spec
    | date.Spec
    | order.Spec
    | match.Spec,
    Field(discriminator="type"),
]

__all__ = ["TYPES", "QuestionUnion"]
