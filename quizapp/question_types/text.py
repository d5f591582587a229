"""A typed name or phrase: `answer`, other accepted forms in `accept`, and `exact: true`.

Optional, for questions such as Moodle's short answers: `credit` lists other forms
that earn part of the marks (form → fraction, 0–1; 0 for a known wrong answer),
`feedback` a text shown when a form is typed, and `compare: moodle` compares as
Moodle does (the whole answer, ignoring case only, `*` standing for any text).
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator
from rapidfuzz.distance import OSA
from wtforms import BooleanField, FieldList, StringField

from quizapp.question_types import gift_syntax as gift
from quizapp.question_types import moodle_xml_syntax as xml
from quizapp.question_types.base import (
    MAX_TEXT,
    AnkiFields,
    Grade,
    QuestionSpec,
    QuestionType,
    Text,
    html_text,
    read_typed,
    register,
    typed_response,
)
from quizapp.question_types.editor import ACCEPT_ROWS, MAX_ROWS, QuestionForm, label_rows, text_of

SCORING_RULE = (
    "Type the name or phrase: capitals, accents, punctuation and spaces do not matter, and "
    "unless the exact spelling is asked, one typo is forgiven in answers of 5 letters or more "
    "(two from 12 letters) if the first letter and any digits are right. It scores 1 or 0."
)

# Letters that NFKD leaves whole because they are letters of their own, not accented ones.
_PLAIN_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ŀ": "l", "ŧ": "t",
     "æ": "ae", "œ": "oe", "þ": "th"}
)  # fmt: skip


#: Part of the marks a form earns: 0 (none, a known wrong answer) to 1 (all).
Fraction = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
# Moodle's wildcard: a run of stars not escaped with a backslash.
_STARS = re.compile(r"(?<!\\)\*+")


def fold(text: str) -> str:
    """Return text with case, diacritics, punctuation and spacing folded away.

    "Dalia Grybauskaitė" and "dalia  GRYBAUSKAITE." both fold to "daliagrybauskaite".
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in bare.casefold().translate(_PLAIN_LETTERS) if c.isalnum())


# A thousands separator: "13,000" and "13 000" are the number 13000, not 13 and 0.
_THOUSANDS = re.compile(r"(?<=\d)[,\u00a0\u202f ](?=\d{3}(?!\d))")


def fold_words(text: str) -> str:
    """Return text folded as `fold` does but with its words kept apart by single spaces.

    "Dalia Grybauskaitė, 2010." folds to "dalia grybauskaite 2010", and "13,000" to "13000".
    """
    decomposed = unicodedata.normalize("NFKD", _THOUSANDS.sub("", text))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = bare.casefold().translate(_PLAIN_LETTERS)
    return " ".join("".join(c if c.isalnum() else " " for c in folded).split())


def typos_forgiven(target: str) -> int:
    """Return how many typos a folded target forgives: 0 below 5 letters, 2 from 12."""
    if len(target) >= 12:
        return 2
    return 1 if len(target) >= 5 else 0


def is_typo_of(typed: str, target: str) -> bool:
    """Tell whether folded `typed` is a small slip for folded `target`.

    A slip keeps the first letter and every digit: "Pinsk" is another city than "Minsk",
    and "Flight 4979" another flight than "Flight 4978".
    """
    if not typed or typed[0] != target[0] or _digits(typed) != _digits(target):
        return False
    limit = typos_forgiven(target)
    return OSA.distance(typed, target, score_cutoff=limit) <= limit


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def wildcard_match(pattern: str, typed: str) -> bool:
    """Tell whether `typed` is `pattern` ignoring case, each `*` standing for any text
    (`\\*` for a star itself): Moodle's short-answer comparison. Linear, never a regex
    that a pattern of many stars could make slow."""
    bits = [_moodle_key(bit.replace("\\*", "*")) for bit in _STARS.split(_moodle_key(pattern))]
    text = _moodle_key(typed)
    if len(bits) == 1:
        return text == bits[0]
    first, *middle, last = bits
    if len(first) + len(last) > len(text) or not text.startswith(first):
        return False
    if not text.endswith(last):
        return False
    position, end = len(first), len(text) - len(last)
    for bit in middle:
        found = text.find(bit, position, end)
        if found < 0:
            return False
        position = found + len(bit)
    return True


def _moodle_key(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


class Spec(QuestionSpec):
    """A text question as written in a bank file."""

    type: Literal["text"]
    answer: Text
    accept: list[Text] = Field(default_factory=list, max_length=20)
    exact: bool = False
    compare: Literal["fold", "moodle"] | None = None
    credit: dict[Text, Fraction] | None = Field(default=None, max_length=20)
    feedback: dict[Text, Text] | None = Field(default=None, max_length=40)

    @model_validator(mode="after")
    def _forms_have_letters(self) -> Spec:
        if self.compare != "moodle":
            for form in self.scored_forms():
                if not fold(form[0]):
                    raise ValueError(
                        f"accepted form '{form[0]}' has no letters or digits to compare"
                    )
        full = {self.key(form) for form in self.forms()}
        for form in self.credit or {}:
            if self.key(form) in full:
                raise ValueError(f"credit for '{form}', which is accepted in full already")
        known = {self.key(form) for form, _ in self.scored_forms()}
        for form in self.feedback or {}:
            if self.key(form) not in known:
                raise ValueError(
                    f"feedback for '{form}', which is not the answer, accepted or credited"
                )
        return self

    def forms(self) -> list[str]:
        """Return the answer and every accepted form."""
        return [self.answer, *self.accept]

    def scored_forms(self) -> list[tuple[str, float]]:
        """Return every form with the marks it earns: the full ones, then the credited."""
        return [(form, 1.0) for form in self.forms()] + list((self.credit or {}).items())

    def key(self, form: str) -> str:
        """Return what two forms are compared by under this question's comparison."""
        return _moodle_key(form) if self.compare == "moodle" else fold(form)

    def feedback_for(self, form: str) -> str | None:
        """Return the feedback written for a form (matched as forms are compared)."""
        key = self.key(form)
        return next((text for f, text in (self.feedback or {}).items() if self.key(f) == key), None)


def _scored(spec: Spec, matched: list[tuple[float, str]], *, typo: bool) -> Grade:
    """Grade by the best form matched (the first of equals), with its feedback."""
    if not matched:
        return Grade(0.0, "Not the answer we were looking for.")
    fraction, form = max(matched, key=lambda match: match[0])
    if fraction >= 1.0:
        said = f"Correct, but mind the spelling: {spec.answer}." if typo else "Correct."
    elif fraction > 0:
        said = f"Partly right: {fraction:.0%} of the marks."
        if typo:
            said += f" Mind the spelling: {form}."
    else:
        said = "Not the answer we were looking for."
    if extra := spec.feedback_for(form):
        said = f"{said} {extra}"
    return Grade(fraction, said)


class Editor(QuestionForm):
    """The set editor's fields for this type."""

    TYPE = "text"
    PLAIN = (
        (r"missing field 'answer'|'answer' must not be empty",
         "Type the answer learners should give."),
        (r"accepted form '(.*)' has no letters or digits to compare",
         "'{0}' has no letters or digits, so no answer could be compared with it: remove it."),
    )  # fmt: skip
    KEYS = QuestionForm.KEYS | {"answer", "accept", "exact"}

    answer = StringField("Answer", render_kw={"maxlength": MAX_TEXT})
    accept = FieldList(StringField("Also accept"), min_entries=ACCEPT_ROWS, max_entries=MAX_ROWS)
    exact = BooleanField("Exact: forgive no typo")

    def _number_rows(self) -> None:
        super()._number_rows()
        label_rows(self.accept, "Also accept {n}")

    @classmethod
    def type_data(cls, spec):
        return {
            "answer": spec.get("answer", ""),
            "accept": list(spec.get("accept", [])),
            "exact": bool(spec.get("exact", False)),
        }

    def type_spec(self):
        spec: dict[str, Any] = {"answer": text_of(self.answer.data)}
        if accept := self.kept_rows("accept"):
            spec["accept"] = accept
        if self.exact.data:
            spec["exact"] = True
        return spec


@register
class TypedText(QuestionType):
    """Typed answer (a name or phrase): see the module's docstring."""

    name = "text"
    label = "Short text answer"
    hint = (
        "Learners type a name or phrase. Case, accents, punctuation and spacing are ignored, "
        "and a small typo is forgiven unless you ask for the exact form."
    )
    rank = 4
    Spec = Spec
    editor = Editor
    SCORING_RULE = SCORING_RULE

    @classmethod
    def scoring_rule(cls, question: dict) -> str:
        """Return SCORING_RULE, or the rule of a question compared as Moodle does or with part
        marks."""
        spec = Spec.model_validate(question)
        if spec.compare == "moodle":
            return (
                "Type the answer: capitals do not matter, but spelling, spaces and punctuation "
                "do. A right answer scores 1; some other answers may earn part of the marks."
            )
        if spec.credit:
            return SCORING_RULE.replace("It scores 1 or 0.", "Some answers earn part of the marks.")
        return SCORING_RULE

    @classmethod
    def grade(cls, question: dict, response: object) -> Grade:
        """Score typed text: 1 or 0.

        1 when it folds to the answer or an `accept` form, or (unless `exact`) is one small
        typo away from one of them (see `is_typo_of`).
        """
        spec = Spec.model_validate(question)
        typed = typed_response(response)
        if isinstance(typed, Grade):
            return typed
        if spec.compare == "moodle":
            matched = [(f, form) for form, f in spec.scored_forms() if wildcard_match(form, typed)]
            return _scored(spec, matched, typo=False)
        folded = fold(typed)
        if not folded:
            return Grade(0.0, "Please type a name or phrase.")
        targets = [(fold(form), fraction, form) for form, fraction in spec.scored_forms()]
        matched = [(f, form) for target, f, form in targets if target == folded]
        if matched or spec.exact:
            return _scored(spec, matched, typo=False)
        typos = [(f, form) for target, f, form in targets if is_typo_of(folded, target)]
        return _scored(spec, typos, typo=True)

    @classmethod
    def answer_text(cls, question: dict) -> str:
        """Return the answer as written in the bank."""
        return Spec.model_validate(question).answer

    @classmethod
    def present(cls, question: dict, rng: random.Random) -> dict:
        """Return nothing beyond the prompt: the learner types into an empty box."""
        return {}

    @classmethod
    def shown_texts(cls, question: dict) -> list[str]:
        """Return what a learner sees of the question: its prompt."""
        return [Spec.model_validate(question).prompt]

    @classmethod
    def answer_clues(cls, question: dict) -> list[tuple[str, ...]]:
        """Return what, seen in another question, gives the answer away: the answer or an
        accepted form (of four letters or more: shorter ones are initials and the like)."""
        spec = Spec.model_validate(question)
        forms = [spec.answer, *(form for form in spec.accept or [] if len(fold(form)) >= 4)]
        return [(form,) for form in dict.fromkeys(forms)]

    @classmethod
    def correct_response(cls, question: dict) -> object:
        return Spec.model_validate(question).answer

    @classmethod
    def wrong_response(cls, question: dict, view: dict) -> object:
        return "Nobody in particular"

    @classmethod
    def read_form(cls, view: dict, form: Mapping) -> tuple[object, str | None]:
        return read_typed(form)

    @classmethod
    def form_fields(cls, view: dict, response: object) -> dict:
        return {"answer": str(response)}

    @classmethod
    def anki_fields(cls, question: dict) -> AnkiFields:
        """Ask for the answer typed; the back names the other forms accepted."""
        spec = Spec.model_validate(question)
        back = html_text(spec.answer)
        if spec.accept:
            back += "<br>Also accepted: " + html_text("; ".join(spec.accept))
        return AnkiFields(front=html_text(spec.prompt), back=back, typed=html_text(spec.answer))

    @classmethod
    def response_key(cls, question: dict, value: object) -> tuple[object, str]:
        if not isinstance(value, str):
            return super().response_key(question, value)
        shown = " ".join(value.split())
        return ("text", fold(value) or shown.casefold()), shown

    @classmethod
    def gift_answers(cls, question: dict) -> list[str]:
        """Write every accepted form as a short answer, `=%50%` for part credit."""
        feedback = question.get("feedback") or {}
        forms: list[tuple[str, float | None]] = [(question["answer"], None)]
        forms += [(form, None) for form in question.get("accept", [])]
        forms += list((question.get("credit") or {}).items())
        return [
            gift.with_feedback(gift.equals(fraction, form), feedback.get(form), arrow_safe=True)
            for form, fraction in forms
        ]

    @classmethod
    def gift_fields(cls, question: dict) -> list[tuple[str, str]]:
        """Say how the answer is compared, unless Moodle's way: [quizapp:text] (or
        text-exact), so that the import does not compare as Moodle does."""
        if question.get("compare") == "moodle":
            return []
        return [("quizapp", "text-exact" if question.get("exact") else "text")]

    @classmethod
    def moodle_xml(cls, question: dict) -> xml.MoodleQuestion:
        """Write a short answer, case ignored: every accepted form at 100 %, credited forms
        at their grade; how quizapp compares (unless Moodle's way) as a marker."""
        feedback = question.get("feedback") or {}
        forms = [(question["answer"], 1.0), *((form, 1.0) for form in question.get("accept", []))]
        forms += list((question.get("credit") or {}).items())
        answers = [
            xml.answer(
                xml.grade(fraction, f"the credit for '{form}'"),
                form,
                fmt="moodle_auto_format",
                feedback=feedback.get(form),
            )
            for form, fraction in forms
        ]
        return xml.MoodleQuestion(
            "shortanswer", [xml.value("usecase", "0"), *answers], markers=cls.gift_fields(question)
        )

    @classmethod
    def moodle_gap(cls, question: dict) -> tuple[str, list[str]]:
        """Write the forms as a typed gap: =accepted, %50%credited, with feedback."""
        feedback = question.get("feedback") or {}
        forms = [(question["answer"], 1.0), *((form, 1.0) for form in question.get("accept", []))]
        forms += list((question.get("credit") or {}).items())
        return "SHORTANSWER", [
            xml.gap_alternative(fraction, xml.gap_text(form), feedback.get(form))
            for form, fraction in forms
        ]
