"""What is wrong with a bank: one issue type and one error for every check of a bank."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class BankIssue:
    """One problem with a bank, whatever it came from (a file, an upload, a form, GIFT):
    what is wrong, the path to the value in the bank's data (("questions", 2, "answer")),
    and, when known, the file and its line, the bank and the question's id."""

    file: str = ""
    line: int | None = None
    bank: str | None = None
    question_id: str | None = None
    message: str = ""
    path: tuple[Any, ...] = ()

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        # A question of a bank without a valid slug is still worth naming.
        who = f"{self.bank or '?'}/{self.question_id}" if self.question_id else self.bank
        return f"{where}: {who}: {self.message}" if who else f"{where}: {self.message}"


class BankError(Exception):
    """A bank that cannot be loaded (or a question that cannot be saved), with every issue
    found in it: the one error every check of a bank raises."""

    def __init__(self, issues: list[BankIssue]) -> None:
        super().__init__("\n".join(str(issue) for issue in issues))
        self.issues = issues


def nothing_to_import(file: str, skipped: list[Any]) -> BankIssue | None:
    """Return the issue of an import that would make no usable question: a file whose
    every question was left out (essays, descriptions), or that holds none at all."""
    if not skipped:
        return BankIssue(file, None, None, None, "nothing to import: the file holds no question")
    kinds = sorted({getattr(item, "kind", "question") for item in skipped})
    what = {
        "essay": "essays",
        "description": "descriptions",
        "unusable": "questions it cannot grade",
    }
    left_out = " and ".join(what.get(kind, kind) for kind in kinds)
    message = (
        f"nothing to import: quizapp cannot use any question of this file (it holds only "
        f"{left_out}; each is listed below), so no set would be made"
    )
    return BankIssue(file, None, None, None, message)
