"""Fill in the gaps: a `text` with gaps marked {1}, {2}... and `gaps`, one question each.

Each gap is a question of a type that fits in a sentence, without an id or a prompt of
its own: `type: text` (typed, with `accept`), `type: choice` (a drop-down of `options`)
or `type: number` (typed, with `tolerance` and `unit`), and the optional fields of that
type (credit, feedback, ranges...). A gap's `mark` (1 by default) weighs it: the
question's score is the weighted mean of its gaps' scores, each gap scored by its own
type, as Moodle scores its cloze (multianswer) questions.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import (
    BaseModel,
    Field,
    SerializerFunctionWrapHandler,
    create_model,
    model_serializer,
    model_validator,
)
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)

from quizapp.question_types import choice, number, text
from quizapp.question_types import moodle_xml_syntax as xml
from quizapp.question_types.base import (
    MAX_TEXT,
    AnkiFields,
    CannotWrite,
    Grade,
    QuestionSpec,
    QuestionType,
    Slug,
    Text,
    Unanswered,
    html_text,
    neutral_order,
    register,
)
from quizapp.question_types.editor import MAX_ROWS, PLAIN_NUMBER, QuestionForm, number_text, text_of

#: The types a gap may be, by name: the ones a learner answers within a sentence.
GAP_TYPES: dict[str, type[QuestionType]] = {
    kind.name: kind for kind in (text.TypedText, choice.Choice, number.Number)
}
MAX_GAPS = 10
#: What a gap's text shows where the gap is, when the gaps are not on the page.
BLANK = "_____"
_MARKER = re.compile(r"\{(\d{1,2})\}")
#: Fields of a question that a gap does not have: the question's own.
_QUESTION_ONLY = set(QuestionSpec.model_fields) - {"type"}

SCORING_RULE = (
    "Each gap is scored on its own, as a question of its kind is (a typed answer, a "
    "choice, a number); the question scores the average over its gaps."
)


class _AsAGap(BaseModel):
    """What a gap adds to its type's Spec: it is written without the question's fields
    (its id and prompt are the cloze's) and without a mark of 1."""

    @model_serializer(mode="wrap")
    def _without_the_questions_fields(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        for name in _QUESTION_ONLY:
            data.pop(name, None)
        if data.get("mark") == 1:
            del data["mark"]
        return data


def _gap_model(kind: type[QuestionType]) -> type:
    """Return the type's Spec as a gap: its id and prompt are the question's, and it may
    carry a mark (how much it weighs among the gaps)."""
    return create_model(
        f"{kind.__name__}Gap",
        __base__=(kind.Spec, _AsAGap),
        id=(Slug | None, None),
        prompt=(Text | None, None),
        mark=(int, Field(default=1, ge=1, le=10)),
    )


Gap = Annotated[
    Union[tuple(_gap_model(kind) for kind in GAP_TYPES.values())],  # noqa: UP007
    Field(discriminator="type"),
]


class Spec(QuestionSpec):
    """A cloze question as written in a bank file."""

    type: Literal["cloze"]
    text: Text
    gaps: list[Gap] = Field(min_length=1, max_length=MAX_GAPS)

    @model_validator(mode="after")
    def _one_marker_per_gap(self) -> Spec:
        for index, gap in enumerate(self.gaps, start=1):
            if own := sorted(gap.model_fields_set & _QUESTION_ONLY):
                raise ValueError(f"gap {index} has a '{own[0]}': it is the question's")
        found = [int(n) for n in _MARKER.findall(self.text)]
        wanted = list(range(1, len(self.gaps) + 1))
        if found != wanted:
            shown = ", ".join(f"{{{n}}}" for n in wanted)
            raise ValueError(
                f"text must mark each of its {len(self.gaps)} gaps once, in order: {shown}"
                + (f" (it has {', '.join(f'{{{n}}}' for n in found)})" if found else "")
            )
        return self


def gaps_of(question: dict) -> list[tuple[type[QuestionType], dict, int]]:
    """Return each gap as (its type, the question it is, its mark): a gap graded, shown
    and written by its own type, with the cloze's id and prompt."""
    spec = Spec.model_validate(question)
    gaps = []
    for gap in spec.gaps:
        data = gap.model_dump(mode="json", exclude_none=True)
        data.pop("mark", None)
        data.update(type=gap.type, id=spec.id, prompt=spec.prompt)
        gaps.append((GAP_TYPES[gap.type], data, gap.mark))
    return gaps


def parts_of(question: dict) -> list[str]:
    """Return the text around the gaps: one part more than there are gaps."""
    return _MARKER.split(Spec.model_validate(question).text)[::2]


def _one_gap(question: dict) -> tuple[type[QuestionType], dict]:
    """Return the one gap a GIFT question has room for; a cloze of several gaps cannot
    be said in GIFT (Moodle XML can)."""
    gaps = gaps_of(question)
    if len(gaps) != 1:
        raise CannotWrite(
            f"GIFT has room for one gap and this cloze has {len(gaps)}: "
            "download the set as Moodle XML to keep it"
        )
    kind, gap, _ = gaps[0]
    return kind, gap


def _filled(question: dict, words: list[str]) -> str:
    parts = parts_of(question)
    return "".join(part + (words[i] if i < len(words) else "") for i, part in enumerate(parts))


class GapForm(Form):
    """One gap in the set editor: its kind, its right answer, the others."""

    type = SelectField(
        "Kind",
        choices=[
            SelectChoice("text", "Typed answer"),
            SelectChoice("choice", "Drop-down"),
            SelectChoice("number", "Number"),
        ],
        default="text",
        validate_choice=False,
    )
    answer = StringField("Right answer", render_kw={"maxlength": MAX_TEXT})
    others = TextAreaField("Also right (typed) or the wrong options (drop-down), one a line",
                           render_kw={"rows": 2})  # fmt: skip
    tolerance = StringField("Tolerance (a number)")
    #: What the editor does not show of the gap (credit, feedback...), kept as it was.
    kept = HiddenField()

    #: The row's field that shows a problem with a field of the gap.
    FIELD_OF: ClassVar[dict[str, str]] = {"options": "others", "accept": "others"}


#: The gap fields the editor's rows edit; the rest are kept as they were.
_EDITED = {"type", "answer", "accept", "options", "tolerance"}


class Editor(QuestionForm):
    """The set editor's fields for this type."""

    TYPE = "cloze"
    PLAIN = (
        (r"'gaps' item (\d+) 'options' needs at least 2 items",
         "Gap {0}: a drop-down needs at least one wrong option besides the right answer."),
        (r"answer '(.*)' is not a number \(put the unit in `unit`\)",
         "Type the answer as a number alone (such as 680)."),
    )  # fmt: skip
    KEYS = QuestionForm.KEYS | {"text", "gaps"}

    text = TextAreaField("Text with gaps", render_kw={"rows": 4, "maxlength": MAX_TEXT})
    gaps = FieldList(FormField(GapForm), min_entries=4, max_entries=MAX_ROWS)

    def _number_rows(self) -> None:
        super()._number_rows()
        for n, entry in enumerate(self.gaps.entries, start=1):
            for field in entry.form:
                field.label.text = f"Gap {n}: {field.label.text}"

    @classmethod
    def type_data(cls, spec):
        rows = []
        for gap in spec.get("gaps", []):
            others = gap.get("accept", [])
            if gap.get("type") == "choice":
                others = [o for o in gap.get("options", []) if o != gap.get("answer")]
            kept = {key: value for key, value in gap.items() if key not in _EDITED}
            rows.append({
                "type": gap.get("type", "text"),
                "answer": number_text(gap.get("answer")),
                "others": "\n".join(others),
                "tolerance": number_text(gap.get("tolerance")),
                "kept": _dump_kept(kept),
            })  # fmt: skip
        return {"text": spec.get("text", ""), "gaps": rows}

    def type_spec(self):
        gaps, rows = [], []
        for index, entry in enumerate(self.gaps.entries):
            row = entry.form
            answer, others = text_of(row.answer.data), _lines(row.others.data)
            if not (answer or others):
                continue
            gaps.append(_gap_from_row(row.type.data, answer, others, row, self.drop_extras.data))
            rows.append(index)
        self._rows["gaps"] = rows
        return {"text": text_of(self.text.data), "gaps": gaps}


def _lines(value: object) -> list[str]:
    return [line.strip() for line in text_of(value).splitlines() if line.strip()]


def _gap_from_row(kind: object, answer: str, others: list[str], row: GapForm, drop: bool):
    gap: dict[str, Any] = {} if drop else _load_kept(row.kept.data)
    gap["type"] = kind if isinstance(kind, str) else "text"
    gap["answer"] = answer
    if gap["type"] == "choice":
        gap["options"] = [answer, *others]
    elif others:
        gap["accept"] = others
    tolerance = text_of(row.tolerance.data)
    if tolerance:
        gap["tolerance"] = float(tolerance) if PLAIN_NUMBER.fullmatch(tolerance) else tolerance
    return gap


def _dump_kept(kept: dict) -> str:
    return json.dumps(kept, ensure_ascii=False) if kept else ""


def _load_kept(raw: object) -> dict:
    """Read a row's kept fields back; anything but a mapping (a forged field) is dropped,
    and what is kept is checked with the rest of the question."""
    try:
        kept = json.loads(raw) if isinstance(raw, str) and raw else {}
    except ValueError:
        return {}
    return {k: v for k, v in kept.items() if k not in _EDITED} if isinstance(kept, dict) else {}


@register
class Cloze(QuestionType):
    """Fill in the gaps: see the module's docstring."""

    name = "cloze"
    label = "Fill in the gaps"
    hint = (
        "A passage with gaps: each gap a typed answer, a drop-down or a number, scored on its own."
    )
    rank = 9
    Spec = Spec
    editor = Editor
    SCORING_RULE = SCORING_RULE

    # -------------------------------------------------------------------- judging

    @classmethod
    def grade(cls, question: dict, response: object) -> Grade:
        """Score each gap by its type; the score is the mean weighted by the gaps' marks."""
        gaps = gaps_of(question)
        if not isinstance(response, (list, tuple)) or len(response) != len(gaps):
            return Grade(0.0, f"Please fill in the {len(gaps)} gaps.")
        total = earned = 0.0
        said = []
        for n, ((kind, gap, mark), value) in enumerate(zip(gaps, response, strict=True), 1):
            grade = (
                Grade(0.0, "No answer was given.")
                if value is None or value == ""
                else kind.grade(gap, value)
            )
            total += mark
            earned += mark * grade.fraction
            said.append(f"Gap {n}: {grade.feedback}")
        fraction = earned / total
        if fraction >= 1.0 - 1e-9:
            return Grade(1.0, "Correct: every gap is right.")
        return Grade(round(fraction, 6), " ".join(said))

    @classmethod
    def answer_text(cls, question: dict) -> str:
        """Return the text with every gap filled with its right answer."""
        return _filled(question, [kind.answer_text(gap) for kind, gap, _ in gaps_of(question)])

    @classmethod
    def scoring_rule(cls, question: dict) -> str:
        """Return SCORING_RULE; a cloze whose gaps weigh differently says so."""
        if len({mark for _, _, mark in gaps_of(question)}) > 1:
            return SCORING_RULE.replace("the average", "the average, weighted by their marks,")
        return SCORING_RULE

    @classmethod
    def correct_response(cls, question: dict) -> object:
        return [kind.correct_response(gap) for kind, gap, _ in gaps_of(question)]

    @classmethod
    def wrong_response(cls, question: dict, view: dict) -> object:
        gaps = gaps_of(question)
        return [
            kind.wrong_response(gap, shown["view"])
            for (kind, gap, _), shown in zip(gaps, view["gaps"], strict=True)
        ]

    # -------------------------------------------------------------------- showing

    @classmethod
    def present(cls, question: dict, rng: random.Random) -> dict:
        """Return the text around the gaps and each gap's own view (a drop-down's options
        shuffled), with the label a screen reader reads for it."""
        gaps = gaps_of(question)
        return {
            "parts": parts_of(question),
            "gaps": [
                {"type": kind.name, "view": kind.present(gap, rng), "label": f"Gap {n}"}
                for n, (kind, gap, _) in enumerate(gaps, start=1)
            ],
        }

    @classmethod
    def read_form(cls, view: dict, form: Mapping) -> tuple[object, str | None]:
        """Read fields gap-1, gap-2...: a gap left blank is None; all blank is no answer."""
        response: list[object] = []
        errors = []
        for n, shown in enumerate(view.get("gaps", []), start=1):
            kind = GAP_TYPES[shown["type"]]
            try:
                value, error = kind.read_form(shown["view"], {"answer": form.get(f"gap-{n}")})
            except Unanswered:
                value, error = None, None
            if error:
                errors.append(f"Gap {n}: {error}")
            response.append(value)
        if all(value is None for value in response) and not errors:
            raise Unanswered
        return response, " ".join(errors) or None

    @classmethod
    def form_fields(cls, view: dict, response: object) -> dict:
        fields = {}
        values = response if isinstance(response, (list, tuple)) else []
        for n, (shown, value) in enumerate(zip(view["gaps"], values, strict=False), start=1):
            if value is not None:
                kind = GAP_TYPES[shown["type"]]
                fields[f"gap-{n}"] = kind.form_fields(shown["view"], value)["answer"]
        return fields

    @classmethod
    def format_response(cls, value: object) -> str:
        """Write the gaps' answers in order: "1385 / Poland / –" (– for a blank gap)."""
        if not isinstance(value, (list, tuple)):
            return str(value)
        return " / ".join("–" if v is None or v == "" else str(v) for v in value)

    @classmethod
    def anki_fields(cls, question: dict) -> AnkiFields:
        """Show the text with its gaps numbered ([1], [2]...), each with what its page
        offers beside it (a drop-down's options, a number's unit); the back is the text
        with every gap filled with its right answer, in bold."""
        gaps = gaps_of(question)
        parts = [html_text(part) for part in parts_of(question)]
        shown, filled = [parts[0]], [parts[0]]
        for n, ((kind, gap, _), after) in enumerate(zip(gaps, parts[1:], strict=True), 1):
            view = kind.present(gap, random.Random(0))
            beside = " / ".join(neutral_order(view.get("options") or []))
            beside = f" ({html_text(beside)})" if beside else ""
            unit = f" {html_text(view['unit'])}" if view.get("unit") else ""
            shown.append(f"<b>[{n}]</b>{beside}{unit}{after}")
            filled.append(f"<b>{html_text(kind.answer_text(gap))}</b>{after}")
        front = html_text(Spec.model_validate(question).prompt) + "<p>" + "".join(shown) + "</p>"
        return AnkiFields(front=front, back="".join(filled))

    @classmethod
    def response_key(cls, question: dict, value: object) -> tuple[object, str]:
        """Two responses are the same when each gap's answer is, as its type reads it."""
        gaps = gaps_of(question)
        if not isinstance(value, (list, tuple)) or len(value) != len(gaps):
            return super().response_key(question, value)
        keys = tuple(
            None if v is None else kind.response_key(gap, v)[0]
            for (kind, gap, _), v in zip(gaps, value, strict=True)
        )
        shown = " / ".join(
            "–" if v is None else kind.response_key(gap, v)[1]
            for (kind, gap, _), v in zip(gaps, value, strict=True)
        )
        return ("cloze", keys), shown

    # ------------------------------------------------- what it shows, what gives it away

    @classmethod
    def shown_texts(cls, question: dict) -> list[str]:
        """Return the prompt, the text with blanks for the gaps and the drop-downs' options."""
        spec = Spec.model_validate(question)
        shown = [spec.prompt, _filled(question, [BLANK] * len(spec.gaps))]
        for kind, gap, _ in gaps_of(question):
            shown += [t for t in kind.shown_texts(gap) if t != spec.prompt]
        return shown

    @classmethod
    def answer_clues(cls, question: dict) -> list[tuple[str, ...]]:
        """Return every gap's clues: a question that shows one gives part of this away."""
        return [clue for kind, gap, _ in gaps_of(question) for clue in kind.answer_clues(gap)]

    @classmethod
    def time_named(cls, question: dict) -> str | None:
        """Return the first time a gap's answer names, if any."""
        named = (kind.time_named(gap) for kind, gap, _ in gaps_of(question))
        return next((time for time in named if time), None)

    # ------------------------------------------------------------------------ files

    @classmethod
    def gift_prompt(cls, question: dict) -> tuple[str, str]:
        """Write the prompt, a blank line and the text up to the gap; then the rest of the
        text (GIFT's missing-word form, which has room for one gap)."""
        _one_gap(question)
        before, _, after = _MARKER.split(Spec.model_validate(question).text)
        return f"{question['prompt']}\n\n{before}", after

    @classmethod
    def gift_answers(cls, question: dict) -> list[str]:
        """Write the one gap's answers as its type does."""
        kind, gap = _one_gap(question)
        return kind.gift_answers(gap)

    @classmethod
    def gift_fields(cls, question: dict) -> list[tuple[str, str]]:
        """Mark the question [quizapp:cloze]; the gap's own refinement (how a typed gap
        compares) goes in [gap:...]."""
        kind, gap = _one_gap(question)
        fields = [("gap" if name == "quizapp" else name, value)
                  for name, value in kind.gift_fields(gap)]  # fmt: skip
        return [("quizapp", "cloze"), *fields]

    @classmethod
    def moodle_xml(cls, question: dict) -> xml.MoodleQuestion:
        """Write Moodle's cloze (multianswer): the prompt, a blank line, then the text with
        each gap embedded ({2:SHORTANSWER:=...}) with its mark; each gap's refinement (how
        a typed gap compares, a number's unit) as a marker named after the gap."""
        embedded, markers = [], []
        for n, (kind, gap, mark) in enumerate(gaps_of(question), start=1):
            moodle_type, alternatives = kind.moodle_gap(gap)
            embedded.append(xml.gap(mark, moodle_type, alternatives))
            for name, value in kind.gift_fields(gap):
                markers.append((f"gap{n}" if name == "quizapp" else f"gap{n}-{name}", value))
        text = Spec.model_validate(question).text
        html = xml.escape_around_gaps(question["prompt"]) + "<br><br>"
        html += xml.embed_gaps(text, embedded)
        return xml.MoodleQuestion("multianswer", [], text_html=html, markers=markers)

    @classmethod
    def claims_gift(cls, reading: Any) -> bool:
        """A missing-word question (text, answers, more text) of a type that fits a gap:
        a single-answer multiple choice, a short answer or a number."""
        kinds = ("shortanswer", "numerical") + (("multichoice",) if reading.single else ())
        return reading.missing_word and reading.kind in kinds

    @classmethod
    def from_gift(cls, question: dict, places: dict, warn) -> dict | None:
        """Take a missing-word question back as a cloze of one gap: the first paragraph
        of its text is the prompt, the rest the text, _____ its gap."""
        question = dict(question)
        whole = question.pop("prompt")
        if BLANK not in whole:
            warn("[quizapp:cloze] ignored: the text has no gap")
            return None
        prompt, _, rest = whole.partition("\n\n")
        if BLANK not in rest:
            prompt, rest = "Fill in the gap.", whole
        gap_paths = [path for path in places if path not in ((), ("prompt",))]
        for path in gap_paths:
            places[("gaps", 0, *path)] = places[path]
        places[("text",)] = places[("prompt",)]
        before, _, after = rest.partition(BLANK)
        return {"type": "cloze", "prompt": prompt.strip(), "text": f"{before}{{1}}{after}",
                "gaps": [question]}  # fmt: skip
