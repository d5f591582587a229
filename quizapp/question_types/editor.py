"""The set editor's form for a question: what every type's editor shares.

A question form has no rules of its own. It gathers what the teacher typed into the dict
a bank file would hold (blank rows dropped, the right option taken from its row),
`sets.editing.check_question` runs the one check of a bank over it, and `show` puts
each issue back on the field its path names. Each question type has its `Editor`, a
subclass that adds the type's own fields (see QuestionType.editor), and an editor
template, question_types/<name>_editor.html.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any, ClassVar

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.question_types.base import MAX_TEXT

if TYPE_CHECKING:
    from quizapp.banks.issues import BankIssue

#: Rows offered for accepted forms of a text answer and for quotes.
ACCEPT_ROWS = 6
QUOTE_ROWS = 3
#: More rows than this in a request are cut off (a page never offers so many).
MAX_ROWS = 50

PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
_TAG_SEPARATOR = re.compile(r"[\s,]+")
_MISSING = re.compile(r"missing field '([a-z]+)'.*")

#: The file loader's messages as a teacher at the form reads them: (the loader's words,
#: a pattern; the form's words, formatted with the pattern's groups). A type's editor adds
#: its own in `PLAIN`, tried first. A message none of them matches is shown as it is.
PLAIN_WORDS: list[tuple[str, str]] = [
    (r"missing field 'prompt'|'prompt' must not be empty", "Write the question."),
    (r"'prompt' is too long \(at most ([\d,]+) characters\)",
     "Keep the question under {0} characters."),
    (r"'(\w+)'(?: item \d+)?(?: '\w+')? is too long \(at most ([\d,]+) characters\)",
     "Too long: keep it under {1} characters."),
    (r"'explanation' must not be empty", "Write an explanation, or leave the field empty."),
    (r"'(?:\w+)'(?: item \d+)? contains a control character",
     "This holds an invisible control character (pasted from another program?): retype it."),
    (r"'tags' item \d+ must be a slug.*",
     "Tags are single words or words-joined-by-hyphens in lower case, such as border-treaty,"
     " separated by commas."),
    (r"missing field 'quote'.*", "Copy the passage of the source that proves the answer."),
]  # fmt: skip


class MultipleCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (rendered by `render_field` as a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PairForm(Form):
    """One row of a match question: a left item and its match."""

    left = StringField("Left")
    right = StringField("Matches")


class QuestionForm(FlaskForm):
    """What every question has; a subclass per type adds its own fields."""

    TYPE: ClassVar[str] = ""
    #: The type's own messages in a teacher's words (see PLAIN_WORDS): (pattern, message).
    PLAIN: ClassVar[tuple[tuple[str, str], ...]] = ()
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

    @classmethod
    def kind(cls) -> Any:
        """Return the question type this form edits (its label, its hint, its template)."""
        from quizapp.question_types import TYPES

        return TYPES[cls.TYPE]

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
            label_rows(self.quote, "Quote from the source, passage {n}")

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
        spec: dict[str, Any] = {"type": self.TYPE, "prompt": text_of(self.prompt.data)}
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
        if explanation := text_of(self.explanation.data):
            spec["explanation"] = explanation
        tags = [tag for tag in _TAG_SEPARATOR.split(text_of(self.tags.data)) if tag]
        if tags:
            spec["tags"] = tags
        difficulty = text_of(self.difficulty.data)
        if difficulty:
            spec["difficulty"] = int(difficulty) if difficulty.isdigit() else difficulty
        return spec

    def type_spec(self) -> dict[str, Any]:
        raise NotImplementedError

    def kept_rows(self, name: str) -> list[str]:
        """Return the non-blank rows of a list field, remembering which row each came from."""
        texts, rows = [], []
        for index, entry in enumerate(self[name].entries):
            if text := text_of(entry.data):
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

    @classmethod
    def plain(cls, message: str) -> str:
        """Return a loader's message in the words of the form a teacher fills in."""
        for pattern, words in [*cls.PLAIN, *PLAIN_WORDS]:
            if found := re.fullmatch(pattern, message):
                return words.format(*found.groups())
        return message

    def _show(self, problem: BankIssue) -> None:
        path, message = problem.path, problem.message
        if path == () and (missing := _MISSING.fullmatch(message)):
            path = (missing[1],)  # reported at the question, meant for the field it names
        message = self.plain(message)
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
                    # A row of several fields: the one the path names (a gap's answer),
                    # else its first (a pair's left item, which names the row).
                    named = path[2] if len(path) > 2 else None
                    named = getattr(entry.form, "FIELD_OF", {}).get(named, named)
                    entry = entry.form._fields.get(named) or next(iter(entry.form))
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


def text_of(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def number_text(value: object) -> str:
    """Write a stored number as a teacher would type it: 680, not 680.0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "" if value is None else str(value)
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def label_rows(field: FieldList, pattern: str) -> None:
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


def show_on_fields(form: FlaskForm, problems: list[BankIssue]) -> None:
    """Put set-level problems on the field named by their path, the rest above the form."""
    for problem in problems:
        field = form._fields.get(problem.path[0]) if problem.path else None
        if field is None:
            _add_error(form.form_errors, problem.message)
        else:
            field.errors = _add_error(field.errors, problem.message)
