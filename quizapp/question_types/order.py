"""Putting things in order: `items` (2–8), written in the correct order."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from itertools import combinations
from typing import Literal

from pydantic import Field, model_validator
from wtforms import FieldList, StringField

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
    html_list,
    html_table,
    html_text,
    neutral_order,
    register,
    small_index,
)
from quizapp.question_types.editor import MAX_ROWS, QuestionForm, label_rows

SCORING_RULE = (
    "Put every item in order. Your score is the share of pairs of items you placed in the "
    "right order relative to each other, so one item out of place still earns most of it."
)


class Spec(QuestionSpec):
    """An order question as written in a bank file."""

    type: Literal["order"]
    items: list[Text] = Field(min_length=MIN_OPTIONS, max_length=MAX_OPTIONS)

    @model_validator(mode="after")
    def _items_are_distinct(self) -> Spec:
        if (twice := first_duplicate(self.items)) is not None:
            raise ValueError(f"order has a duplicate item '{twice}'")
        return self


class Editor(QuestionForm):
    """The set editor's fields for this type."""

    TYPE = "order"
    PLAIN = (
        (r"'items' needs at least (\d+) items", "Give at least {0} items to put in order."),
        (r"order has a duplicate item '(.*)'", "'{0}' is written twice: give each item once."),
    )
    KEYS = QuestionForm.KEYS | {"items"}

    items = FieldList(StringField("Item"), min_entries=MAX_OPTIONS, max_entries=MAX_ROWS)

    def _number_rows(self) -> None:
        super()._number_rows()
        label_rows(self.items, "Item {n}")
        if self.items.entries:
            self.items.entries[0].label.text = "Item 1 (first)"

    @classmethod
    def type_data(cls, spec):
        return {"items": list(spec.get("items", []))}

    def type_spec(self):
        return {"items": self.kept_rows("items")}


@register
class Order(QuestionType):
    """Put in order: see the module's docstring."""

    name = "order"
    label = "Put in order"
    hint = "Two to eight items, written in the right order. Learners see them shuffled."
    rank = 7
    Spec = Spec
    editor = Editor
    SCORING_RULE = SCORING_RULE

    @classmethod
    def grade(cls, question: dict, response: object) -> Grade:
        """Score a list of the items in the learner's order: the share of item pairs in order.

        Anything but a permutation of the items (surrounding spaces aside) scores 0.
        """
        items = Spec.model_validate(question).items
        if not isinstance(response, (list, tuple)) or len(response) != len(items):
            return Grade(0.0, "Please put every item in order, each once.")
        if not all(isinstance(item, str) for item in response):
            return Grade(0.0, "Please put every item in order, each once.")
        given = [item.strip() for item in response]
        if sorted(given) != sorted(items):
            return Grade(0.0, "Please put every item in order, each once.")
        position = {item: index for index, item in enumerate(given)}
        pairs = list(combinations(items, 2))
        right = sum(position[earlier] < position[later] for earlier, later in pairs)
        if right == len(pairs):
            return Grade(1.0, "Correct: everything is in order.")
        return Grade(right / len(pairs), f"{right} of {len(pairs)} pairs are in the right order.")

    @classmethod
    def answer_text(cls, question: dict) -> str:
        """Return the items in the correct order, joined with arrows."""
        return " → ".join(Spec.model_validate(question).items)

    @classmethod
    def present(cls, question: dict, rng: random.Random) -> dict:
        """Return the items in a random order, every order alike, the correct one included:
        ruling it out would tell the learner something (with two items, the whole answer).
        The shuffle starts from the items sorted, so the shown order owes nothing to the
        correct one."""
        items = sorted(Spec.model_validate(question).items)
        return {"items": rng.sample(items, len(items))}

    @classmethod
    def shown_texts(cls, question: dict) -> list[str]:
        """Return what a learner sees of the question: its prompt and items."""
        spec = Spec.model_validate(question)
        return [spec.prompt, *spec.items]

    @classmethod
    def answer_clues(cls, question: dict) -> list[tuple[str, ...]]:
        """Return what gives the order away: two of its items shown together elsewhere
        (a question that shows them side by side may well say which came first)."""
        items = Spec.model_validate(question).items
        return list(combinations(items, 2))

    @classmethod
    def correct_response(cls, question: dict) -> object:
        return list(Spec.model_validate(question).items)

    @classmethod
    def wrong_response(cls, question: dict, view: dict) -> object:
        return list(reversed(Spec.model_validate(question).items))  # every pair wrong

    @classmethod
    def read_form(cls, view: dict, form: Mapping) -> tuple[object, str | None]:
        items = view.get("items", [])
        positions = [form.get(f"position-{i}", "") for i in range(len(items))]
        if not any(positions):
            raise Unanswered
        numbers = [small_index(p) for p in positions]
        if None in numbers:
            return None, "Give every item a position."
        if sorted(numbers) != list(range(1, len(items) + 1)):
            return None, f"Use each position from 1 to {len(items)} exactly once."
        return [item for _, item in sorted(zip(numbers, items, strict=True))], None

    @classmethod
    def form_fields(cls, view: dict, response: object) -> dict:
        order = list(response)
        return {f"position-{i}": str(order.index(item) + 1) for i, item in enumerate(view["items"])}

    @classmethod
    def format_response(cls, value: object) -> str:
        if isinstance(value, list):
            return " → ".join(map(str, value))
        return str(value)

    @classmethod
    def anki_fields(cls, question: dict) -> AnkiFields:
        """List the items on the front in an order that owes nothing to the right one; the
        back is a table of the items in order."""
        spec = Spec.model_validate(question)
        front = html_text(spec.prompt) + html_list(neutral_order(spec.items))
        rows = [(str(n), item) for n, item in enumerate(spec.items, start=1)]
        return AnkiFields(front=front, back=html_table(("#", "In order"), rows))

    @classmethod
    def answer_table(cls, question: dict, value: object) -> AnswerTable:
        """One row per place: the item the learner put there beside the one that belongs."""
        items = Spec.model_validate(question).items
        given = [str(item).strip() for item in value] if isinstance(value, (list, tuple)) else []
        rows = []
        for place, item in enumerate(items):
            put = given[place] if place < len(given) else "(none)"
            rows.append(AnswerRow(str(place + 1), put, item, put == item))
        return AnswerTable(("Place", "Your order", "Right order"), rows)

    @classmethod
    def gift_answers(cls, question: dict) -> list[str]:
        """Write positions on the left and items on the right: Moodle's learner picks the item
        for each place; the [quizapp:order] marker brings it back as an order question."""
        # Positions on the left, items on the right: Moodle's learner picks the item for
        # each place; the [quizapp:order] marker brings it back as an order question.
        return [f"={n} -> {gift.escape(item)}" for n, item in enumerate(question["items"], start=1)]

    gift_carrier = "match"

    @classmethod
    def gift_fields(cls, question: dict) -> list[tuple[str, str]]:
        """Mark the matching question as an order: [quizapp:order]."""
        return [("quizapp", "order")]

    @classmethod
    def from_gift(cls, question: dict, places: dict, warn: Callable[[str], None]) -> dict | None:
        """Read a matching question marked [quizapp:order] back: positions 1, 2, 3… on
        the left, the items on the right."""
        pairs = question["pairs"]
        positions = [str(n) for n in range(1, len(pairs) + 1)]
        if sorted(pairs, key=lambda p: (len(p), p)) != positions or question.get("distractors"):
            warn("[quizapp:order] ignored: the left items are not 1, 2, 3…")
            return None
        places.update({("items", int(p) - 1): places[("pairs", p)] for p in pairs})
        return {"type": "order", "items": [pairs[p] for p in positions]}

    @classmethod
    def moodle_xml(cls, question: dict) -> xml.MoodleQuestion:
        """Write Moodle's ordering question (core since 4.4): the items in the right order,
        each its position as fraction, graded by the pairs in the right relative order."""
        parts = [
            xml.value("layouttype", "VERTICAL"),
            xml.value("selecttype", "ALL"),
            xml.value("selectcount", "0"),
            xml.value("gradingtype", "RELATIVE_ALL_PREVIOUS_AND_NEXT"),
            xml.value("showgrading", "SHOW"),
            xml.value("numberingstyle", "none"),
        ]
        parts += [xml.answer(str(n), item) for n, item in enumerate(question["items"], start=1)]
        return xml.MoodleQuestion("ordering", parts)
