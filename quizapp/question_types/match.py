"""Matching: `pairs`, a mapping of each left item to its right item (2–8 pairs).

Optional: `distractors`, more items on the right that match no left item.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Literal
from xml.etree.ElementTree import SubElement

from pydantic import Field, model_validator
from wtforms import FieldList, FormField

from quizapp.question_types import gift_syntax as gift
from quizapp.question_types import moodle_xml_syntax as xml
from quizapp.question_types.base import (
    MAX_OPTIONS,
    MIN_OPTIONS,
    AnkiFields,
    AnswerRow,
    AnswerTable,
    Grade,
    QuestionSpec,
    QuestionType,
    Text,
    Unanswered,
    first_duplicate,
    html_table,
    html_text,
    neutral_order,
    register,
    small_index,
)
from quizapp.question_types.editor import MAX_ROWS, PairForm, QuestionForm, text_of

SCORING_RULE = "Match each item on the left to one on the right: you score the share matched right."


class Spec(QuestionSpec):
    """A match question as written in a bank file."""

    type: Literal["match"]
    pairs: dict[Text, Text] = Field(min_length=MIN_OPTIONS, max_length=MAX_OPTIONS)
    distractors: list[Text] | None = Field(default=None, max_length=MAX_OPTIONS)

    @model_validator(mode="after")
    def _sides_are_distinct(self) -> Spec:
        if (twice := first_duplicate(list(self.pairs))) is not None:
            raise ValueError(f"left item '{twice}' appears twice")
        if (twice := first_duplicate(list(self.pairs.values()))) is not None:
            raise ValueError(f"right item '{twice}' is the match of two left items")
        rights = list(self.pairs.values())
        if (twice := first_duplicate(rights + list(self.distractors or []))) is not None:
            raise ValueError(f"distractors: '{twice}' is listed twice on the right")
        return self

    def rights(self) -> list[str]:
        """Return every item on the right: the matches, then the distractors."""
        return [*self.pairs.values(), *(self.distractors or [])]


def _chosen(response: Mapping, left: str) -> str | None:
    chosen = response.get(left)
    return chosen.strip() if isinstance(chosen, str) else None


class Editor(QuestionForm):
    """The set editor's fields for this type."""

    TYPE = "match"
    PLAIN = (
        (r"'pairs' needs at least (\d+) items", "Give at least {0} pairs."),
        (r"duplicate key '(.*)'", "'{0}' is on the left twice: give each item one row."),
        (r"right item '(.*)' is the match of two left items",
         "'{0}' is the match of two items: each match goes with one item only."),
        (r"'pairs' '(.*)' must not be empty", "Give '{0}' its match."),
    )  # fmt: skip
    KEYS = QuestionForm.KEYS | {"pairs"}

    pairs = FieldList(FormField(PairForm), min_entries=MAX_OPTIONS, max_entries=MAX_ROWS)

    def _number_rows(self) -> None:
        super()._number_rows()
        for n, entry in enumerate(self.pairs.entries, start=1):
            entry.form.left.label.text = f"Left {n}"
            entry.form.right.label.text = f"Matches {n}"

    @classmethod
    def type_data(cls, spec):
        return {"pairs": [{"left": k, "right": v} for k, v in spec.get("pairs", {}).items()]}

    def type_spec(self):
        # Not at the top: the banks package checks questions with these very types.
        from quizapp.banks.issues import BankError, BankIssue

        pairs: dict[str, str] = {}
        rows: list[int] = []
        twice: list[BankIssue] = []
        for index, entry in enumerate(self.pairs.entries):
            left, right = text_of(entry.form.left.data), text_of(entry.form.right.data)
            if not (left or right):
                continue
            if left in pairs:
                # A mapping cannot hold a left item twice: say so at the second row.
                message = f"duplicate key '{left}'"  # as the file reader says it
                twice.append(BankIssue(path=("pairs", len(rows)), message=message))
            pairs[left] = right
            rows.append(index)
        self._rows["pairs"] = rows
        self._keys["pairs"] = list(pairs)
        if twice:
            raise BankError(twice)
        return {"pairs": pairs}


@register
class Match(QuestionType):
    """Match the pairs: see the module's docstring."""

    name = "match"
    label = "Match pairs"
    hint = "Two to eight pairs. Learners match each left item with one of the rights, shuffled."
    rank = 8
    Spec = Spec
    editor = Editor
    SCORING_RULE = SCORING_RULE

    @classmethod
    def grade(cls, question: dict, response: object) -> Grade:
        """Score a dict of left → chosen right: the share of lefts matched to their right.

        Keys that are not left items are ignored.
        """
        pairs = Spec.model_validate(question).pairs
        if not isinstance(response, Mapping):
            return Grade(0.0, "Please match each item on the left to one on the right.")
        right = sum(_chosen(response, left) == answer for left, answer in pairs.items())
        if right == len(pairs):
            return Grade(1.0, "Correct: every pair matches.")
        return Grade(right / len(pairs), f"{right} of {len(pairs)} pairs match.")

    @classmethod
    def answer_text(cls, question: dict) -> str:
        """Return the pairs as "left → right", separated by semicolons."""
        pairs = Spec.model_validate(question).pairs
        return "; ".join(f"{left} → {right}" for left, right in pairs.items())

    @classmethod
    def present(cls, question: dict, rng: random.Random) -> dict:
        """Return the lefts in file order and the rights shuffled.

        The rights may land in file order by chance: forbidding that would itself give
        two-pair questions away. The shuffle starts from them sorted, so the shown order owes
        nothing to which left each belongs to.
        """
        spec = Spec.model_validate(question)
        rights = sorted(spec.rights())
        return {"lefts": list(spec.pairs), "rights": rng.sample(rights, len(rights))}

    @classmethod
    def shown_texts(cls, question: dict) -> list[str]:
        """Return what a learner sees of the question: its prompt and both sides."""
        spec = Spec.model_validate(question)
        return [spec.prompt, *spec.pairs, *spec.rights()]

    @classmethod
    def answer_clues(cls, question: dict) -> list[tuple[str, ...]]:
        """Return what gives a pair away: its left and right shown by one other question."""
        return list(Spec.model_validate(question).pairs.items())

    @classmethod
    def correct_response(cls, question: dict) -> object:
        return dict(Spec.model_validate(question).pairs)

    @classmethod
    def wrong_response(cls, question: dict, view: dict) -> object:
        rights, pairs = view["rights"], Spec.model_validate(question).pairs
        return {
            left: rights[(rights.index(right) + 1) % len(rights)] for left, right in pairs.items()
        }

    @classmethod
    def read_form(cls, view: dict, form: Mapping) -> tuple[object, str | None]:
        lefts, rights = view.get("lefts", []), view.get("rights", [])
        chosen: dict[str, str] = {}
        for i, left in enumerate(lefts):
            index = small_index(form.get(f"match-{i}", ""))
            if index is not None and index < len(rights):
                chosen[left] = rights[index]
        if not chosen:
            raise Unanswered
        if len(chosen) < len(lefts):
            return chosen, "Choose a match for every item."
        return chosen, None

    @classmethod
    def form_fields(cls, view: dict, response: object) -> dict:
        return {
            f"match-{i}": str(view["rights"].index(response[left]))
            for i, left in enumerate(view["lefts"])
            if left in response
        }

    @classmethod
    def format_response(cls, value: object) -> str:
        if isinstance(value, dict):
            return "; ".join(f"{left} → {right}" for left, right in value.items())
        return str(value)

    @classmethod
    def anki_fields(cls, question: dict) -> AnkiFields:
        """Show the two columns on the front (the right one sorted, distractors among
        them); the back is a table of the pairs."""
        spec = Spec.model_validate(question)
        lefts, rights = list(spec.pairs), neutral_order(spec.rights())
        columns = [
            (lefts[row] if row < len(lefts) else "", rights[row] if row < len(rights) else "")
            for row in range(max(len(lefts), len(rights)))
        ]
        front = html_text(spec.prompt) + html_table(("Match", "with"), columns)
        return AnkiFields(front=front, back=html_table(("", "matches"), list(spec.pairs.items())))

    @classmethod
    def answer_table(cls, question: dict, value: object) -> AnswerTable:
        """One row per left item: the match the learner chose beside its right match."""
        chosen = value if isinstance(value, Mapping) else {}
        rows = []
        for left, right in Spec.model_validate(question).pairs.items():
            given = _chosen(chosen, left)
            rows.append(AnswerRow(left, given or "(none)", right, given == right))
        return AnswerTable(("Item", "Your match", "Right match"), rows)

    @classmethod
    def response_key(cls, question: dict, value: object) -> tuple[object, str]:
        if not isinstance(value, dict):
            return super().response_key(question, value)
        lefts = list(question.get("pairs", {}))
        ordered = dict(sorted(value.items(), key=lambda kv: _position(lefts, kv[0])))
        return ("match", tuple(ordered.items())), cls.format_response(ordered)

    @classmethod
    def gift_answers(cls, question: dict) -> list[str]:
        """Write each pair as `=left -> right`, each distractor as `= -> right`."""
        lines = [f"={gift.written(left, arrow_safe=True)} -> {gift.escape(right)}"
                 for left, right in question["pairs"].items()]  # fmt: skip
        lines += [f"= -> {gift.escape(item)}" for item in question.get("distractors", [])]
        return lines

    @classmethod
    def moodle_xml(cls, question: dict) -> xml.MoodleQuestion:
        """Write a matching question: each pair a subquestion, each distractor a subquestion
        with no text (Moodle's extra answer on the right)."""
        parts = [xml.value("shuffleanswers", "true")]
        rows = [*question["pairs"].items(), *(("", d) for d in question.get("distractors", []))]
        for left, right in rows:
            sub = xml.text("subquestion", xml.as_html_text(left))
            holder = SubElement(sub, "answer")
            SubElement(holder, "text").text = right
            parts.append(sub)
        return xml.MoodleQuestion("matching", parts)


def _position(items: list, item: object) -> int:
    return items.index(item) if item in items else len(items)
