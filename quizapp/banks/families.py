"""Keeping apart questions that give each other away (`family` and `excludes`).

Every quiz builder asks `Apart` before it adds a question: questions of one family,
or one of which excludes the other, are never drawn into the same quiz.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from quizapp.extensions import db
from quizapp.models import Bank, Question, QuestionVersion

T = TypeVar("T")


@dataclass(frozen=True)
class Kin:
    """What keeps a question apart from others: its `bank/id`, family and exclusions."""

    key: str
    family: str | None = None
    excludes: frozenset[str] = field(default_factory=frozenset)


def kin_of(bank: str, question: str, family: str | None, excludes: object) -> Kin:
    """Return the Kin of question `question` of bank `bank` (`excludes` as stored)."""
    refs = excludes if isinstance(excludes, list) else []
    return Kin(
        f"{bank}/{question}",
        family if isinstance(family, str) else None,
        frozenset(ref if "/" in ref else f"{bank}/{ref}" for ref in refs if isinstance(ref, str)),
    )


#: The columns that make a Kin, for queries joining Question, QuestionVersion and Bank.
KIN_COLUMNS = (
    Bank.slug.label("kin_bank"),
    Question.slug.label("kin_question"),
    QuestionVersion.spec["family"].as_string().label("kin_family"),
    QuestionVersion.spec["excludes"].label("kin_excludes"),
)


def kin_of_row(row) -> Kin:
    """Return the Kin of a row selected with KIN_COLUMNS."""
    return kin_of(row.kin_bank, row.kin_question, row.kin_family, row.kin_excludes)


class Apart:
    """The questions of a quiz so far, and which others they keep out."""

    def __init__(self) -> None:
        self._keys: set[str] = set()
        self._families: set[str] = set()
        self._excluded: set[str] = set()

    def admits(self, kin: Kin | None) -> bool:
        """Tell whether a question may join the quiz beside those taken so far."""
        if kin is None:
            return True
        if kin.key in self._keys or kin.key in self._excluded:
            return False
        if kin.family is not None and kin.family in self._families:
            return False
        return self._keys.isdisjoint(kin.excludes)

    def take(self, kin: Kin | None) -> None:
        """Record a question as taken."""
        if kin is None:
            return
        self._keys.add(kin.key)
        self._excluded |= kin.excludes
        if kin.family is not None:
            self._families.add(kin.family)


def keep_apart(items: Iterable[T], kin: Callable[[T], Kin | None]) -> list[T]:
    """Return `items` in order, without any that an earlier one keeps out."""
    apart = Apart()
    kept = []
    for item in items:
        if apart.admits(kin(item)):
            apart.take(kin(item))
            kept.append(item)
    return kept


def kin_by_question(question_ids: Iterable[int]) -> dict[int, Kin]:
    """Return the Kin of each question (by id), from its current version."""
    ids = list(set(question_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        db.select(Question.id, *KIN_COLUMNS)
        .join(Bank, Bank.id == Question.bank_id)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Question.id.in_(ids))
    )
    return {row.id: kin_of_row(row) for row in rows}
