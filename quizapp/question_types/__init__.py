"""The registry of question types: each type is one class (see base.QuestionType for the
contract), registered by its name as its module is imported here."""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from quizapp.question_types import (  # noqa: F401  (each registers its type)
    choice,
    date,
    match,
    multi,
    number,
    order,
    text,
    truefalse,
)
from quizapp.question_types.base import TYPES, QuestionType, Unanswered

#: Any question of a bank file: pydantic picks the Spec by the `type` field.
QuestionUnion = Annotated[
    Union[tuple(kind.Spec for kind in TYPES.values())],  # noqa: UP007  (built from the registry)
    Field(discriminator="type"),
]

__all__ = ["TYPES", "QuestionType", "QuestionUnion", "Unanswered"]
