"""Multiple choice with one right option: `options` (2–8) and the `answer` among them.

Optional, for questions such as Moodle's: `credit` gives other options part of the
marks (option → fraction, 0–1) and `feedback` a text shown when an option is picked.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator
from wtforms import FieldList, RadioField, SelectChoice, StringField

from quizapp.question_types import gift_syntax as gift
from quizapp.question_types import moodle_xml_syntax as xml
from quizapp.question_types.base import (
    MAX_OPTIONS,
    MIN_OPTIONS,
    OFFERED_ONLY,
    AnkiFields,
    Grade,
    QuestionSpec,
    QuestionType,
    Text,
    Unanswered,
    first_duplicate,
    html_list,
    html_text,
    neutral_order,
    register,
    typed_response,
)
from quizapp.question_types.editor import MAX_ROWS, QuestionForm, label_rows

SCORING_RULE = "Pick the one right option: it scores 1, any other option scores 0."

#: Part of the marks an option earns: 0 (none) to 1 (all).
Fraction = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]


class Spec(QuestionSpec):
    """A choice question as written in a bank file."""

    type: Literal["choice"]
    options: list[Text] = Field(min_length=MIN_OPTIONS, max_length=MAX_OPTIONS)
    answer: Text
    credit: dict[Text, Fraction] | None = Field(default=None, max_length=MAX_OPTIONS)
    feedback: dict[Text, Text] | None = Field(default=None, max_length=MAX_OPTIONS)

    @model_validator(mode="after")
    def _answer_is_an_option(self) -> Spec:
        if (twice := first_duplicate(self.options)) is not None:
            raise ValueError(f"option '{twice}' is listed twice")
        if self.answer not in self.options:
            raise ValueError(f"answer '{self.answer}' is not one of the options")
        for option in self.credit or {}:
            if option not in self.options:
                raise ValueError(f"credit for '{option}', which is not one of the options")
            if option == self.answer:
                raise ValueError(f"credit for the answer '{option}', which scores 1 already")
        for option in self.feedback or {}:
            if option not in self.options:
                raise ValueError(f"feedback for '{option}', which is not one of the options")
        return self

    def fraction(self, option: str) -> float:
        """Return the marks an option earns: 1 for the answer, its credit, or 0."""
        if option == self.answer:
            return 1.0
        return (self.credit or {}).get(option, 0.0)


class Editor(QuestionForm):
    """The set editor's fields for this type."""

    TYPE = "choice"
    PLAIN = (
        (r"missing field 'answer'", "Mark one option as right: the one learners should pick."),
        (r"'options' needs at least (\d+) items", "Give at least {0} options to choose from."),
        (r"option '(.*)' is listed twice", "'{0}' is written twice: give each option once."),
    )
    KEYS = QuestionForm.KEYS | {"options", "answer"}

    options = FieldList(StringField("Option"), min_entries=MAX_OPTIONS, max_entries=MAX_ROWS)
    answer = RadioField("The right option", choices=[], validate_choice=False)

    def _number_rows(self) -> None:
        super()._number_rows()
        label_rows(self.options, "Option {n}")
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


@register
class Choice(QuestionType):
    """Multiple choice, one right option: see the module's docstring."""

    name = "choice"
    label = "Multiple choice, one right answer"
    hint = "Two to eight options; mark the right one. Learners see them shuffled."
    rank = 1
    Spec = Spec
    editor = Editor
    SCORING_RULE = SCORING_RULE

    @classmethod
    def scoring_rule(cls, question: dict) -> str:
        """Return SCORING_RULE, or the rule of a question that gives part marks."""
        if not Spec.model_validate(question).credit:
            return SCORING_RULE
        return "Pick the best option: the right one scores 1, some others part of the marks."

    @classmethod
    def grade(cls, question: dict, response: object) -> Grade:
        """Score the chosen option's text: 1 for the answer, 0 for any other option."""
        spec = Spec.model_validate(question)
        chosen = typed_response(response)
        if isinstance(chosen, Grade):
            return chosen
        if chosen not in spec.options:
            return Grade(0.0, "That is not one of the options.")
        fraction = spec.fraction(chosen)
        if fraction >= 1.0:
            said = "Correct."
        elif fraction > 0:
            said = f"Partly right: {fraction:.0%} of the marks."
        else:
            said = "Not this one."
        if extra := (spec.feedback or {}).get(chosen):
            said = f"{said} {extra}"
        return Grade(fraction, said)

    @classmethod
    def answer_text(cls, question: dict) -> str:
        """Return the right option."""
        return Spec.model_validate(question).answer

    @classmethod
    def present(cls, question: dict, rng: random.Random) -> dict:
        """Return the options in a random order (the file order often puts the answer first)."""
        options = Spec.model_validate(question).options
        return {"options": rng.sample(options, len(options))}

    @classmethod
    def shown_texts(cls, question: dict) -> list[str]:
        """Return what a learner sees of the question: its prompt and options."""
        spec = Spec.model_validate(question)
        return [spec.prompt, *spec.options]

    @classmethod
    def answer_clues(cls, question: dict) -> list[tuple[str, ...]]:
        """Return what, seen in another question, gives this one's answer away: the right option."""
        return [(Spec.model_validate(question).answer,)]

    @classmethod
    def correct_response(cls, question: dict) -> object:
        return Spec.model_validate(question).answer

    @classmethod
    def wrong_response(cls, question: dict, view: dict) -> object:
        spec = Spec.model_validate(question)
        return next(option for option in view["options"] if spec.fraction(option) == 0)

    @classmethod
    def read_form(cls, view: dict, form: Mapping) -> tuple[object, str | None]:
        value = form.get("answer")
        if not value:
            raise Unanswered
        if value not in view.get("options", []):
            return None, OFFERED_ONLY
        return value, None

    @classmethod
    def form_fields(cls, view: dict, response: object) -> dict:
        return {"answer": response}

    @classmethod
    def anki_fields(cls, question: dict) -> AnkiFields:
        """Show the options (in an order that owes nothing to the answer) on the front;
        the right option, and any that earn part of the marks, on the back."""
        spec = Spec.model_validate(question)
        back = html_text(spec.answer)
        if spec.credit:
            partly = [f"{option} ({fraction:.0%})" for option, fraction in spec.credit.items()]
            back += "<br>Part of the marks: " + html_text("; ".join(partly))
        front = html_text(spec.prompt) + html_list(neutral_order(spec.options))
        return AnkiFields(front=front, back=back)

    @classmethod
    def gift_answers(cls, question: dict) -> list[str]:
        """Write the options: `=right`, `~wrong`, `~%50%partly`, each with its feedback."""
        credit = question.get("credit") or {}
        feedback = question.get("feedback") or {}
        answers = []
        for option in question["options"]:
            if option == question["answer"]:
                # After =, Moodle reads no weight: "%5%" is text.
                answer = "=" + gift.written(option)
            else:
                answer = gift.tilde(credit.get(option), option)
            answers.append(gift.with_feedback(answer, feedback.get(option)))
        return answers

    @classmethod
    def moodle_xml(cls, question: dict) -> xml.MoodleQuestion:
        """Write a multiple-choice question of one answer: the answer at 100 %, credited
        options at their grade, each with its feedback. When an option before the answer
        earns full credit too, a marker says which is the answer (Moodle keeps none)."""
        credit = question.get("credit") or {}
        feedback = question.get("feedback") or {}
        options, right = question["options"], question["answer"]
        answers = []
        for option in options:
            fraction = 1.0 if option == right else credit.get(option, 0.0)
            written = xml.grade(fraction, f"the credit for '{option}'")
            answers.append(xml.answer(written, option, feedback=feedback.get(option)))
        markers = []
        first_full = next(o for o in options if o == right or credit.get(o, 0.0) >= 1.0)
        if first_full != right:
            markers.append(("answer", str(options.index(right) + 1)))
        parts = [*xml.choice_flags(single=True), *answers]
        return xml.MoodleQuestion("multichoice", parts, markers=markers)

    @classmethod
    def moodle_gap(cls, question: dict) -> tuple[str, list[str]]:
        """Write the options as a drop-down gap: =right, %50%credited, wrong, with feedback."""
        credit = question.get("credit") or {}
        feedback = question.get("feedback") or {}
        return "MULTICHOICE", [
            xml.gap_alternative(
                1.0 if option == question["answer"] else credit.get(option, 0.0),
                xml.gap_html(option),
                feedback.get(option),
            )
            for option in question["options"]
        ]

    @classmethod
    def time_named(cls, question: dict) -> str | None:
        """The right option, which may name a time (a date, a year, a century)."""
        return Spec.model_validate(question).answer
