"""The registry of question types: each type is one class (see base.QuestionType for the
contract) in a module of its own in this package, registered by its name as the module is
imported here. Adding a type adds a module; nothing here changes (see
docs/adding-a-question-type.md)."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Annotated, Union

from pydantic import Field

from quizapp.question_types.base import TYPES, QuestionType, Unanswered

#: Modules of this package that hold no type: what the types share.
_SHARED = {"base", "editor", "gift_syntax"}

for _module in pkgutil.iter_modules(__path__):
    if _module.name not in _SHARED:
        importlib.import_module(f"{__name__}.{_module.name}")  # registers its type

#: Any question of a bank file: pydantic picks the Spec by the `type` field.
QuestionUnion = Annotated[
    Union[tuple(kind.Spec for kind in TYPES.values())],  # noqa: UP007  (built from the registry)
    Field(discriminator="type"),
]

__all__ = ["TYPES", "QuestionType", "QuestionUnion", "Unanswered"]
