"""Forms for question sets: one per question type, judged by the bank loader's rules.

A question form has no rules of its own. It gathers what the teacher typed into
the dict a bank file would hold (blank rows dropped, the right option taken from
its row), `editing.check_question` runs the loader over it, and `show` puts each
of the loader's messages back on the field it is about.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, ClassVar

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.banks.issues import BankError, BankIssue
from quizapp.question_types.base import MAX_OPTIONS, MAX_TEXT
from quizapp.sets.editing import MAX_TITLE

#: Rows offered for accepted forms of a text answer and for quotes.
ACCEPT_ROWS = 6
QUOTE_ROWS = 3
#: More rows than this in a request are cut off (a page never offers so many).
MAX_ROWS = 50

_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
_TAG_SEPARATOR = re.compile(r"[\s,]+")
_MISSING = re.compile(r"missing field '([a-z]+)'.*")


class MultipleCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (rendered by `render_field` as a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SetForm(FlaskForm):
    """A set's title and description."""

    title = StringField("Title", render_kw={"maxlength": MAX_TITLE})
    description = TextAreaField("Description", render_kw={"rows": 3})

    def show(self, problems: list[BankIssue]) -> None:
        _show_on_fields(self, problems)


class SourceForm(FlaskForm):
    """A source text for a set: pasted, or a .txt file."""

    text = TextAreaField("Paste the source text", render_kw={"rows": 12})
    file = FileField(
        "…or upload it as a .txt file (UTF-8)", render_kw={"accept": ".txt,text/plain"}
    )

    def show(self, problems: list[BankIssue]) -> None:
        _show_on_fields(self, problems)


class UploadForm(FlaskForm):
    """A bank file to import as a new set, with an optional source text for its quotes."""

    bank_file = FileField("Question file", render_kw={"accept": ".yaml,.yml,.json,.gift,.txt"})
    title = StringField("Title of the new set (GIFT files)", render_kw={"maxlength": MAX_TITLE})
    source_file = FileField("Source text (optional, .txt)", render_kw={"accept": ".txt,text/plain"})


class PairForm(Form):
    """One row of a match question: a left item and its match."""

    left = StringField("Left")
    right = StringField("Matches")


class QuestionForm(FlaskForm):
    """What every question has; a subclass per type adds its own fields."""

    TYPE: ClassVar[str] = ""
    LABEL: ClassVar[str] = ""
    HINT: ClassVar[str] = ""
    #: The fields of a question this form edits; others (a GIFT import's feedback or
    #: partial credit) are kept as they are, unless the teacher drops them.
    KEYS: ClassVar[frozenset[str]] = frozenset(
        {"id", "type", "prompt", "quote", "explanation", "tags", "difficulty"}
    )

    prompt = TextAreaField("Question", render_kw={"rows": 3, "maxlength": MAX_TEXT})
    quote = FieldList(
        TextAreaField("Quote", render_kw={"rows": 2}), min_entries=QUOTE_ROWS, max_entries=MAX_ROWS
    )
    explanation = TextAreaField(
        "Explanation (shown after the answer)", render_kw={"rows": 2, "maxlength": MAX_TEXT}
    )
    tags = StringField("Tags")
    drop_extras = BooleanField("Remove these settings")
    difficulty = SelectField(
        "Difficulty",
        choices=[
            SelectChoice("1", "1 · easy"),
            SelectChoice("2", "2 · medium"),
            SelectChoice("3", "3 · hard"),
        ],
        default="2",
        validate_choice=False,
    )

    def __init__(
        self,
        *args: Any,
        has_source: bool = False,
        extras: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        #: What the question holds beyond this form's fields, kept on saving.
        self.extras = extras or {}
        if not has_source:
            del self["quote"]  # a set without a source has no quotes
        #: Messages about a list as a whole ("'options' needs at least 2 items"), by name.
        self.list_errors: dict[str, list[str]] = defaultdict(list)
        # For each list, the row each kept (non-blank) item came from.
        self._rows: dict[str, list[int]] = {}
        # Lists sent as one text because they had one row (a single quote).
        self._single: set[str] = set()
        # For a mapping written as rows (a match's pairs), the key of each kept row: a
        # problem about a key's value names the key.
        self._keys: dict[str, list[str]] = {}
        self._number_rows()

    def _number_rows(self) -> None:
        if self.quote is not None:
            _label_rows(self.quote, "Quote from the source, passage {n}")

    # ----------------------------------------------------------- from and to a spec

    @classmethod
    def data_from(cls, spec: dict[str, Any]) -> dict[str, Any]:
        """Return the form's data for an existing question."""
        quote = spec.get("quote")
        return {
            "prompt": spec.get("prompt", ""),
            "quote": [quote] if isinstance(quote, str) else list(quote or []),
            "explanation": spec.get("explanation", ""),
            "tags": ", ".join(spec.get("tags", [])),
            "difficulty": str(spec.get("difficulty", 2)),
            **cls.type_data(spec),
        }

    @classmethod
    def type_data(cls, spec: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def extras_of(cls, spec: dict[str, Any]) -> dict[str, Any]:
        """Return the fields of `spec` this form does not edit."""
        return {key: value for key, value in spec.items() if key not in cls.KEYS}

    def to_spec(self) -> dict[str, Any]:
        """Return the question as a bank file would hold it (no id: the set gives one)."""
        spec: dict[str, Any] = {"type": self.TYPE, "prompt": _text(self.prompt.data)}
        if not self.drop_extras.data:
            spec.update(self.extras)
        spec.update(self.type_spec())
        if self.quote is not None:
            passages = self.kept_rows("quote")
            if len(passages) == 1:
                spec["quote"] = passages[0]
                self._single.add("quote")
            elif passages:
                spec["quote"] = passages
        if explanation := _text(self.explanation.data):
            spec["explanation"] = explanation
        tags = [tag for tag in _TAG_SEPARATOR.split(_text(self.tags.data)) if tag]
        if tags:
            spec["tags"] = tags
        difficulty = _text(self.difficulty.data)
        if difficulty:
            spec["difficulty"] = int(difficulty) if difficulty.isdigit() else difficulty
        return spec

    def type_spec(self) -> dict[str, Any]:
        raise NotImplementedError

    def kept_rows(self, name: str) -> list[str]:
        """Return the non-blank rows of a list field, remembering which row each came from."""
        texts, rows = [], []
        for index, entry in enumerate(self[name].entries):
            if text := _text(entry.data):
                texts.append(text)
                rows.append(index)
        self._rows[name] = rows
        return texts

    def chosen_rows(self, name: str, values: list[str]) -> list[int]:
        """Return the positions, among the kept rows of `name`, of the rows a teacher ticked."""
        rows = self._rows.get(name, [])
        picked = [int(value) for value in values if value and value.isdigit()]
        return [rows.index(row) for row in picked if row in rows]

    # ------------------------------------------------------------------ problems

    def show(self, problems: list[BankIssue]) -> None:
        """Put each problem on its field, row or list; the rest above the form."""
        for problem in problems:
            self._show(problem)

    def _show(self, problem: BankIssue) -> None:
        path, message = problem.path, problem.message
        if path == () and (missing := _MISSING.fullmatch(message)):
            path = (missing[1],)  # reported at the question, meant for the field it names
        field = self._fields.get(path[0]) if path else None
        if field is None:
            _add_error(self.form_errors, message)
            return
        if isinstance(field, FieldList):
            rows = self._rows.get(path[0], [])
            if len(path) == 1 and path[0] in self._single:
                path = (path[0], 0)  # one passage, written as text rather than a list
            keys = self._keys.get(path[0], [])
            if len(path) > 1 and path[1] in keys:
                path = (path[0], keys.index(path[1]), *path[2:])
            if len(path) > 1 and isinstance(path[1], int) and path[1] < len(rows):
                entry = field.entries[rows[path[1]]]
                if isinstance(entry, FormField):
                    # A row of pairs: its left item names the row in every message.
                    entry = entry.form.left
                entry.errors = _add_error(entry.errors, message)
            else:
                _add_error(self.list_errors[path[0]], message)
            return
        field.errors = _add_error(field.errors, message)

    def all_errors(self) -> list[str]:
        """Return every message shown on the page, for a summary at the top."""
        messages = list(self.form_errors)
        for name, field in self._fields.items():
            messages.extend(self.list_errors.get(name, []))
            # A list's own errors were gathered when it was validated: ask its rows.
            rows = field.entries if isinstance(field, FieldList) else [field]
            messages.extend(m for row in rows for m in _flatten(row.errors))
        return messages


class ChoiceForm(QuestionForm):
    TYPE = "choice"
    KEYS = QuestionForm.KEYS | {"options", "answer"}
    LABEL = "Multiple choice, one right answer"
    HINT = "Two to eight options; mark the right one. Learners see them shuffled."

    options = FieldList(StringField("Option"), min_entries=MAX_OPTIONS, max_entries=MAX_ROWS)
    answer = RadioField("The right option", choices=[], validate_choice=False)

    def _number_rows(self) -> None:
        super()._number_rows()
        _label_rows(self.options, "Option {n}")
        self.answer.choices = [
            SelectChoice(str(i), f"Option {i + 1} is the right answer")
            for i in range(len(self.options))
        ]

    @classmethod
    def type_data(cls, spec):
        options = list(spec.get("options", []))
        answer = spec.get("answer")
        return {
            "options": options,
            "answer": str(options.index(answer)) if answer in options else None,
        }

    def type_spec(self):
        options = self.kept_rows("options")
        spec: dict[str, Any] = {"options": options}
        chosen = self.chosen_rows("options", [self.answer.data or ""])
        if chosen:
            spec["answer"] = options[chosen[0]]
        return spec


class MultiForm(QuestionForm):
    TYPE = "multi"
    KEYS = QuestionForm.KEYS | {"options", "answers"}
    LABEL = "Multiple choice, several right answers"
    HINT = "Two to eight options; tick every right one. Partial credit for partly right picks."

    options = FieldList(StringField("Option"), min_entries=MAX_OPTIONS, max_entries=MAX_ROWS)
    answers = MultipleCheckboxField("The right options", choices=[], validate_choice=False)

    def _number_rows(self) -> None:
        super()._number_rows()
        _label_rows(self.options, "Option {n}")
        self.answers.choices = [
            SelectChoice(str(i), f"Option {i + 1} is a right answer")
            for i in range(len(self.options))
        ]

    @classmethod
    def type_data(cls, spec):
        options = list(spec.get("options", []))
        return {
            "options": options,
            "answers": [str(options.index(a)) for a in spec.get("answers", []) if a in options],
        }

    def type_spec(self):
        options = self.kept_rows("options")
        chosen = self.chosen_rows("options", list(self.answers.data or []))
        return {"options": options, "answers": [options[i] for i in chosen]}


class TrueFalseForm(QuestionForm):
    TYPE = "truefalse"
    KEYS = QuestionForm.KEYS | {"answer"}
    LABEL = "True or false"
    HINT = "A statement that is either true or false."

    answer = RadioField(
        "The statement is",
        choices=[SelectChoice("true", "True"), SelectChoice("false", "False")],
        validate_choice=False,
    )

    @classmethod
    def type_data(cls, spec):
        answer = spec.get("answer")
        return {"answer": None if answer is None else ("true" if answer else "false")}

    def type_spec(self):
        value = self.answer.data
        return {"answer": value == "true"} if value in ("true", "false") else {}


class TextForm(QuestionForm):
    TYPE = "text"
    KEYS = QuestionForm.KEYS | {"answer", "accept", "exact"}
    LABEL = "Short text answer"
    HINT = (
        "Learners type a name or phrase. Case, accents, punctuation and spacing are ignored, "
        "and a small typo is forgiven unless you ask for the exact form."
    )

    answer = StringField("Answer", render_kw={"maxlength": MAX_TEXT})
    accept = FieldList(StringField("Also accept"), min_entries=ACCEPT_ROWS, max_entries=MAX_ROWS)
    exact = BooleanField("Exact: forgive no typo")

    def _number_rows(self) -> None:
        super()._number_rows()
        _label_rows(self.accept, "Also accept {n}")

    @classmethod
    def type_data(cls, spec):
        return {
            "answer": spec.get("answer", ""),
            "accept": list(spec.get("accept", [])),
            "exact": bool(spec.get("exact", False)),
        }

    def type_spec(self):
        spec: dict[str, Any] = {"answer": _text(self.answer.data)}
        if accept := self.kept_rows("accept"):
            spec["accept"] = accept
        if self.exact.data:
            spec["exact"] = True
        return spec


class NumberForm(QuestionForm):
    TYPE = "number"
    KEYS = QuestionForm.KEYS | {"answer", "tolerance", "unit"}
    LABEL = "Number"
    HINT = "Learners type a number; 13,000, 13 000 and 13000 all read the same."

    answer = StringField("Answer", render_kw={"inputmode": "decimal"})
    tolerance = StringField("Tolerance")
    unit = StringField("Unit")

    @classmethod
    def type_data(cls, spec):
        tolerance = spec.get("tolerance", 0)
        return {
            "answer": _number_text(spec.get("answer")),
            "tolerance": tolerance if isinstance(tolerance, str) else _number_text(tolerance),
            "unit": spec.get("unit", ""),
        }

    def type_spec(self):
        spec: dict[str, Any] = {}
        if answer := _text(self.answer.data):
            spec["answer"] = answer
        if tolerance := _text(self.tolerance.data):
            # A plain number is a number, as in a file; anything else is the loader's to judge.
            if _PLAIN_NUMBER.fullmatch(tolerance):
                spec["tolerance"] = float(tolerance) if "." in tolerance else int(tolerance)
            else:
                spec["tolerance"] = tolerance
        if unit := _text(self.unit.data):
            spec["unit"] = unit
        return spec


class DateForm(QuestionForm):
    TYPE = "date"
    KEYS = QuestionForm.KEYS | {"answer"}
    LABEL = "Date"
    HINT = "Learners type a date in any common form; the precision you give is what is asked."

    answer = StringField("Answer")

    @classmethod
    def type_data(cls, spec):
        return {"answer": spec.get("answer", "")}

    def type_spec(self):
        answer = _text(self.answer.data)
        return {"answer": answer} if answer else {}


class OrderForm(QuestionForm):
    TYPE = "order"
    KEYS = QuestionForm.KEYS | {"items"}
    LABEL = "Put in order"
    HINT = "Two to eight items, written in the right order. Learners see them shuffled."

    items = FieldList(StringField("Item"), min_entries=MAX_OPTIONS, max_entries=MAX_ROWS)

    def _number_rows(self) -> None:
        super()._number_rows()
        _label_rows(self.items, "Item {n}")
        if self.items.entries:
            self.items.entries[0].label.text = "Item 1 (first)"

    @classmethod
    def type_data(cls, spec):
        return {"items": list(spec.get("items", []))}

    def type_spec(self):
        return {"items": self.kept_rows("items")}


class MatchForm(QuestionForm):
    TYPE = "match"
    KEYS = QuestionForm.KEYS | {"pairs"}
    LABEL = "Match pairs"
    HINT = "Two to eight pairs. Learners match each left item with one of the rights, shuffled."

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
        pairs: dict[str, str] = {}
        rows: list[int] = []
        twice: list[BankIssue] = []
        for index, entry in enumerate(self.pairs.entries):
            left, right = _text(entry.form.left.data), _text(entry.form.right.data)
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


#: Type name → its form, in the order the "new question" page offers them.
FORMS: dict[str, type[QuestionForm]] = {
    form.TYPE: form
    for form in (
        ChoiceForm,
        MultiForm,
        TrueFalseForm,
        TextForm,
        NumberForm,
        DateForm,
        OrderForm,
        MatchForm,
    )
}


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _number_text(value: object) -> str:
    """Write a stored number as a teacher would type it: 680, not 680.0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "" if value is None else str(value)
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _label_rows(field: FieldList, pattern: str) -> None:
    for n, entry in enumerate(field.entries, start=1):
        entry.label.text = pattern.format(n=n)


def _add_error(errors: Any, message: str) -> list:
    errors = list(errors) if not isinstance(errors, list) else errors
    if message not in errors:
        errors.append(message)
    return errors


def _flatten(errors: Any) -> list[str]:
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in _flatten(value)]
    if isinstance(errors, (list, tuple)):
        return [m for value in errors for m in _flatten(value)]
    return [errors] if isinstance(errors, str) else []


def _show_on_fields(form: FlaskForm, problems: list[BankIssue]) -> None:
    """Put set-level problems on the field named by their path, the rest above the form."""
    for problem in problems:
        field = form._fields.get(problem.path[0]) if problem.path else None
        if field is None:
            _add_error(form.form_errors, problem.message)
        else:
            field.errors = _add_error(field.errors, problem.message)
