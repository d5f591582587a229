"""Questions that give each other away, found across banks before a quiz can draw them.

A question gives another away when it shows (in its prompt or options) what the other
asks for: a text, number or date answer, a choice's right option, a match pair, two
items of an order. Such pairs must be declared, with `excludes` or a shared `family`,
and no quiz then draws both (see `quizapp.banks.families`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from quizapp.banks.loader import LoadedBank
from quizapp.question_types import TYPES
from quizapp.question_types.text import fold_words

#: A clue shorter than this (once folded) is found in too many texts to mean anything,
#: unless it is a number.
MIN_CLUE = 3


@dataclass(frozen=True)
class Giveaway:
    """`question` asks for what `shown_by` shows: `clue`."""

    question: str
    shown_by: str
    clue: str
    file: str
    line: int | None
    other_file: str
    other_line: int | None

    def __str__(self) -> str:
        where, other = _place(self.file, self.line), _place(self.other_file, self.other_line)
        return (
            f"{where}: {self.question}: its answer ('{self.clue}') is shown by "
            f"{self.shown_by} ({other}): declare `excludes: [{self.shown_by}]` or a shared "
            "`family`, or reword one of them"
        )


def _place(file: str, line: int | None) -> str:
    return file if line is None else f"{file}:{line}"


@dataclass(frozen=True)
class _Entry:
    key: str
    spec: dict
    file: str
    line: int | None


def question_key(bank: str, ref: str) -> str:
    """Return `bank/id` for a reference written in bank `bank` (`id` or `bank/id`)."""
    return ref if "/" in ref else f"{bank}/{ref}"


def declared(a: dict, a_bank: str, b: dict, b_bank: str) -> bool:
    """Tell whether two questions are kept apart already: one family, or an exclusion."""
    if a.get("family") and a.get("family") == b.get("family"):
        return True
    a_key, b_key = f"{a_bank}/{a['id']}", f"{b_bank}/{b['id']}"
    return b_key in {question_key(a_bank, ref) for ref in a.get("excludes") or ()} or a_key in {
        question_key(b_bank, ref) for ref in b.get("excludes") or ()
    }


def find_giveaways(banks: list[LoadedBank]) -> list[Giveaway]:
    """Return every undeclared giveaway among the questions of `banks`, in file order."""
    entries = [
        _Entry(f"{bank.slug}/{q['id']}", q, bank.file, bank.line_of_question(i))
        for bank in banks
        for i, q in enumerate(bank.questions)
    ]
    shown = [f" {fold_words(' / '.join(_shown(e.spec)))} " for e in entries]
    index: dict[str, set[int]] = defaultdict(set)
    for position, text in enumerate(shown):
        for word in text.split():
            index[word].add(position)
    found = []
    for position, entry in enumerate(entries):
        reported: set[int] = set()
        for clue in _clues(entry.spec):
            parts = [fold_words(part) for part in clue]
            if any(len(p) < MIN_CLUE and not p.isdigit() for p in parts):
                continue
            for other in sorted(_candidates(parts, index) - {position} - reported):
                if not all(f" {part} " in shown[other] for part in parts):
                    continue
                reported.add(other)
                target = entries[other]
                a_bank, b_bank = entry.key.split("/")[0], target.key.split("/")[0]
                if declared(entry.spec, a_bank, target.spec, b_bank):
                    continue
                found.append(
                    Giveaway(
                        entry.key,
                        target.key,
                        " + ".join(clue),
                        entry.file,
                        entry.line,
                        target.file,
                        target.line,
                    )
                )
    return found


def _candidates(parts: list[str], index: dict[str, set[int]]) -> set[int]:
    """Return the questions whose shown words include every word of every part."""
    words = [word for part in parts for word in part.split()]
    if not words:
        return set()
    sets = sorted((index.get(word, set()) for word in words), key=len)
    result = set(sets[0])
    for other in sets[1:]:
        result &= other
    return result


def _shown(spec: dict) -> list[str]:
    return TYPES[spec["type"]].shown_texts(spec)


def _clues(spec: dict) -> list[tuple[str, ...]]:
    return TYPES[spec["type"]].answer_clues(spec)
