"""What every question type shares: the common fields of a question, the grade, and
`QuestionType`, the contract each type's class fulfils."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from markupsafe import escape
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

if TYPE_CHECKING:
    from quizapp.question_types.moodle_xml_syntax import MoodleQuestion

#: Limits that keep one question readable and stop hostile files early.
MAX_TEXT = 2_000
MIN_OPTIONS = 2
MAX_OPTIONS = 8
#: The longest response worth reading: no right answer is longer than a question's text.
MAX_RESPONSE = MAX_TEXT


def _number_to_text(value: object) -> object:
    """Read a slug that YAML typed as a number (a tag such as 2021) as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


Slug = Annotated[
    str,
    BeforeValidator(_number_to_text),
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80),
]

#: Another question, as `bank/id`, or `id` alone for one of the same bank.
QuestionRef = Annotated[
    str,
    StringConstraints(
        pattern=r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*/)?[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=161
    ),
]


def _scalar_to_text(value: object) -> object:
    """Read numbers and dates that YAML typed as text; refuse booleans (yes/no in YAML)."""
    if isinstance(value, bool):
        raise ValueError("a yes/no/true/false here reads as a boolean: quote it")
    if isinstance(value, (int, float, dt.date)):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return value


# Control characters (but tab and line ends), which no hand-written question holds. A file
# is refused at its line before this; a form or an import reaches this check.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _no_control_characters(value: str) -> str:
    if _CONTROL.search(value):
        raise PydanticCustomError("control_character", "contains a control character")
    return value


def _not_blank(value: str) -> str:
    # Checked after stripping: a prompt of spaces (or a lone U+2028) is empty.
    if not value:
        # The same error kind as an empty string, so it reads the same everywhere.
        raise PydanticCustomError("string_too_short", "must not be empty", {"min_length": 1})
    return value


Text = Annotated[
    str,
    BeforeValidator(_scalar_to_text),
    StringConstraints(strip_whitespace=True, max_length=MAX_TEXT),
    AfterValidator(_not_blank),
    AfterValidator(_no_control_characters),
]


class QuestionSpec(BaseModel):
    """Fields every question has (see the bank file contract)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug
    type: str
    prompt: Text
    quote: Text | list[Text] | None = None
    explanation: Text | None = None
    #: A caveat shown with the feedback: where the source is wrong or contested.
    note: Text | None = None
    tags: list[Slug] = Field(default_factory=list, max_length=20)
    difficulty: int = Field(default=2, ge=1, le=3)
    #: Questions of one family are never drawn into the same quiz (one gives another away).
    family: Slug | None = None
    #: Other questions never drawn into a quiz with this one (`bank/id`, or `id`).
    excludes: list[QuestionRef] | None = Field(default=None, max_length=50)

    def quotes(self) -> list[str]:
        """Return the quote as a list of passages (empty when there is none)."""
        if self.quote is None:
            return []
        return [self.quote] if isinstance(self.quote, str) else list(self.quote)


@dataclass(frozen=True)
class Grade:
    """The outcome of grading one response: a fraction in [0, 1] and text for the learner."""

    fraction: float
    feedback: str

    @property
    def correct(self) -> bool:
        return self.fraction >= 1.0


@dataclass(frozen=True)
class AnkiFields:
    """What a question's Anki note holds (quizapp.banks.anki), as HTML with every text
    escaped: the front (the question as asked), the back (the answer as a learner reads
    it), and `typed`, the answer a learner types and Anki compares ({{type:Answer}}),
    or None when the card asks for no typing."""

    front: str
    back: str
    typed: str | None = None


def html_text(text: str) -> str:
    """Return plain text as HTML: escaped, its line breaks kept."""
    return "<br>".join(str(escape(line)) for line in text.split("\n"))


def html_list(items: list[str], *, numbered: bool = False) -> str:
    """Return texts as an HTML list, each escaped."""
    tag = "ol" if numbered else "ul"
    return f"<{tag}>" + "".join(f"<li>{html_text(item)}</li>" for item in items) + f"</{tag}>"


def html_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """Return a small HTML table of texts, each escaped: a header row, then the rows."""
    head = "".join(f"<th>{html_text(cell)}</th>" for cell in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html_text(cell)}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def neutral_order(texts: list[str]) -> list[str]:
    """Return texts sorted alphabetically: an order that owes nothing to which is right
    (a file often lists the answer first)."""
    return sorted(texts, key=lambda text: (text.casefold(), text))


def typed_response(response: object) -> str | Grade:
    """Return what the learner typed, stripped, or a zero Grade that says why it cannot be read.

    Numbers are taken as the text they print as, so an API client may send 1995 for "1995".
    """
    if isinstance(response, (int, float)) and not isinstance(response, bool):
        try:
            response = str(response)
        except ValueError:  # an int of more than 4,300 digits will not print
            return Grade(0.0, "That answer is far too long to be right.")
    if not isinstance(response, str):
        return Grade(0.0, "Please type your answer as text.")
    if len(response) > MAX_RESPONSE:
        return Grade(0.0, "That answer is far too long to be right.")
    response = response.strip()
    if not response:
        return Grade(0.0, "No answer was given.")
    return response


def first_duplicate(texts: list[str]) -> str | None:
    """Return the first text that repeats an earlier one, ignoring case; None when all differ."""
    seen: set[str] = set()
    for text in texts:
        key = text.casefold()
        if key in seen:
            return text
        seen.add(key)
    return None


@dataclass(frozen=True)
class AnswerRow:
    """One part of an answer made of parts (a pair, a place in an order), as a results
    page sets it out: what it is, what the learner gave, what is right, and whether the
    two agree."""

    label: str
    given: str
    correct: str
    right: bool


@dataclass(frozen=True)
class AnswerTable:
    """An answer set out part by part: the headings of its three columns and its rows."""

    headings: tuple[str, str, str]
    rows: list[AnswerRow]


class Unanswered(Exception):
    """The learner left the question blank."""


class CannotWrite(Exception):
    """A format has no way to say this question (a GIFT question has one blank at most):
    the message says why, for the teacher."""


#: The longest typed answer a page takes (text, number, date): a few hundred characters.
MAX_TYPED = 500
#: What a page says of a pick that the question did not offer (a forged form).
OFFERED_ONLY = "Choose among the options shown."


class QuestionType:
    """One kind of question: the whole contract every type fulfils, in one class.

    A type is registered by its `name` (see question_types/__init__.py) and is asked, by
    every part of the app that deals with questions, for what differs between types:

    - its part of a bank file: `Spec` (pydantic), read with `spec(question)`;
    - judging: `grade(question, response)` (pure, never raises on a learner's input),
      `answer_text`, `scoring_rule`, `correct_response`;
    - showing: `present` (the view stored with an attempt: shuffled options...), the
      template `question_types/<name>.html` (by convention), `read_form` (the page's
      fields → a response), `form_fields` (a response → the page's fields: its inverse),
      `format_response` (a response as people read it), `anki_fields` (its Anki note);
    - what it shows and what gives it away: `shown_texts`, `answer_clues`;
    - editing: `editor` (the set editor's form: `question_types.editor.QuestionForm` with
      its fields) and its template `question_types/<name>_editor.html`;
    - files: `gift_answers` and `gift_fields` (its GIFT export; the GIFT import reads
      Moodle's types, and a type GIFT lacks comes back by its `[quizapp:<name>]` marker,
      which the type reads in `from_gift`); `moodle_xml` (its Moodle XML export);
    - results: `response_key` (item analysis's summary of a response), `answer_table`
      (an answer of several parts set out part by part, given beside right).

    Methods are class methods: a type holds no state.
    """

    name: ClassVar[str]
    #: What a teacher calls it: "Multiple choice".
    label: ClassVar[str]
    #: Where it comes in lists of types (the editor's, the tables'): lower first.
    rank: ClassVar[int]
    #: What the set editor says of it, under its label.
    hint: ClassVar[str]
    #: The set editor's form for it: a question_types.editor.QuestionForm with its fields.
    editor: ClassVar[type]
    Spec: ClassVar[type[QuestionSpec]]
    SCORING_RULE: ClassVar[str]

    @classmethod
    def spec(cls, question: dict) -> QuestionSpec:
        """Return the question read by the type's Spec (raises on an invalid one)."""
        return cls.Spec.model_validate(question)

    # -------------------------------------------------------------------- judging

    @classmethod
    def grade(cls, question: dict, response: object) -> Grade:
        """Score a response, with feedback for the learner."""
        raise NotImplementedError

    @classmethod
    def answer_text(cls, question: dict) -> str:
        """Write the right answer for a learner to read."""
        raise NotImplementedError

    @classmethod
    def scoring_rule(cls, question: dict) -> str:
        """Say how the question is scored (a question with its own partial credit says so)."""
        return cls.SCORING_RULE

    @classmethod
    def correct_response(cls, question: dict) -> object:
        """Return a response that scores 1, in the shape `grade` takes."""
        raise NotImplementedError

    @classmethod
    def wrong_response(cls, question: dict, view: dict) -> object:
        """Return a response that scores 0, from what the page shows (for previews and tests)."""
        raise NotImplementedError

    # -------------------------------------------------------------------- showing

    @classmethod
    def present(cls, question: dict, rng: random.Random) -> dict:
        """Return how the question is shown in one attempt (stored, so a reload shows the
        same); nothing in it may depend on which answer is right."""
        return {}

    @classmethod
    def template(cls) -> str:
        """Return the template of the question's input: question_types/<name>.html."""
        return f"question_types/{cls.name}.html"

    @classmethod
    def editor_template(cls) -> str:
        """Return the template of its fields in the set editor: <name>_editor.html."""
        return f"question_types/{cls.name}_editor.html"

    @classmethod
    def read_form(cls, view: dict, form: Mapping) -> tuple[object, str | None]:
        """Return (response, error) from the page's fields; raise Unanswered if blank.

        Only what the page offered is read: anything else is an error, never trusted.
        """
        raise NotImplementedError

    @classmethod
    def form_fields(cls, view: dict, response: object) -> dict:
        """Return the page's fields that `read_form` reads back as `response`."""
        raise NotImplementedError

    @classmethod
    def format_response(cls, value: object) -> str:
        """Write a stored response the way a learner reads it on a results page."""
        return str(value)

    @classmethod
    def anki_fields(cls, question: dict) -> AnkiFields:
        """Return what the question's Anki note shows (escaped HTML): by default the
        prompt on the front and the right answer, as `answer_text` writes it, on the back."""
        return AnkiFields(
            front=html_text(cls.spec(question).prompt), back=html_text(cls.answer_text(question))
        )

    @classmethod
    def response_key(cls, question: dict, value: object) -> tuple[object, str]:
        """Return (what makes two responses the same, how to show it), as the grader reads
        them: item analysis counts the common wrong answers by it."""
        shown = cls.format_response(value)
        return ("value", shown), shown

    @classmethod
    def answer_table(cls, question: dict, value: object) -> AnswerTable | None:
        """Set out an answer made of parts (pairs, places) row by row, the learner's part
        beside the right one, for a results page; None when one line says it all."""
        return None

    # ------------------------------------------------------------------------ files

    @classmethod
    def gift_answers(cls, question: dict) -> list[str]:
        """Write the answer block of the question in Moodle's GIFT, one answer a line;
        raise CannotWrite when GIFT cannot say it."""
        raise NotImplementedError

    @classmethod
    def gift_prompt(cls, question: dict) -> tuple[str, str]:
        """Return the question's text before and after its answer block: all of it before,
        unless the answers stand inside the text (GIFT's missing-word form)."""
        return question["prompt"], ""

    #: The Moodle type GIFT writes this type as, when GIFT has none of its own
    #: ("shortanswer" for a date): marked [quizapp:<name>], it comes back by `from_gift`.
    gift_carrier: ClassVar[str | None] = None

    @classmethod
    def claims_gift(cls, reading: Any) -> bool:
        """Tell whether a GIFT reading (banks.gift_parse.Reading) marked [quizapp:<name>]
        is this type by its form, whatever Moodle type carried it (a cloze's one gap is a
        missing-word question of any of several types)."""
        return False

    @classmethod
    def from_gift(cls, question: dict, places: dict, warn: Callable[[str], None]) -> dict | None:
        """Take over a question read from GIFT as its carrier type (a dict as a bank file
        holds it; `places` maps its paths to file lines): return it as this type, or None
        (having warned why) to keep it as it was read."""
        return None

    @classmethod
    def gift_fields(cls, question: dict) -> list[tuple[str, str]]:
        """Return what GIFT cannot say, for the comment line Moodle ignores: (name, value)
        pairs such as ("quizapp", "order") or ("unit", "km")."""
        return []

    @classmethod
    def moodle_xml(cls, question: dict) -> MoodleQuestion:
        """Say how the question is written in Moodle XML (question_types.moodle_xml_syntax):
        Moodle's type, its options and answers as elements, and what Moodle cannot say
        (markers kept as tags, a comment on what is lost); raise CannotWrite when Moodle
        XML has no way to say it."""
        raise CannotWrite(f"Moodle XML has no counterpart of quizapp's {cls.label} questions")

    @classmethod
    def moodle_gap(cls, question: dict) -> tuple[str, list[str]]:
        """Write the question as a gap of a Moodle cloze: its embedded type (SHORTANSWER,
        MULTICHOICE, NUMERICAL) and its alternatives (=right#feedback, %50%partly...);
        raise CannotWrite when a cloze's gap cannot be one."""
        raise CannotWrite(f"a Moodle cloze has no gap of quizapp's {cls.label} kind")

    @classmethod
    def time_named(cls, question: dict) -> str | None:
        """Return the right answer when it names a time, as written ("24 October 1991",
        "1569-1772", "the 13th century"), for the timeline; None when it names none."""
        return None

    # ------------------------------------------------- what it shows, what gives it away

    @classmethod
    def shown_texts(cls, question: dict) -> list[str]:
        """Return what a learner sees of the question: its prompt (and options)."""
        return [cls.spec(question).prompt]

    @classmethod
    def answer_clues(cls, question: dict) -> list[tuple[str, ...]]:
        """Return what, seen in another question, gives this one's answer away: each clue
        a tuple of texts that one question shows together."""
        return []


def read_typed(form: Mapping) -> tuple[object, str | None]:
    """Read a typed answer (text, number, date): at most MAX_TYPED characters."""
    text = (form.get("answer") or "").strip()
    if not text:
        raise Unanswered
    if len(text) > MAX_TYPED:
        # Shown again with the message, as typed: the form never loses what was written.
        return text, f"Keep your answer under {MAX_TYPED} characters."
    return text, None


def small_index(raw: object) -> int | None:
    """Read a small whole number a page sent (ASCII digits only: no "²", no "٣")."""
    if isinstance(raw, str) and raw.isascii() and raw.isdecimal() and len(raw) <= 3:
        return int(raw)
    return None


#: Every question type, by the name a bank file gives in `type:`.
TYPES: dict[str, type[QuestionType]] = {}


def register(kind: type[QuestionType]) -> type[QuestionType]:
    """Add a question type to the registry (a class decorator), kept in rank order."""
    TYPES[kind.name] = kind
    ordered = sorted(TYPES.values(), key=lambda k: k.rank)
    TYPES.clear()
    TYPES.update((k.name, k) for k in ordered)
    return kind
