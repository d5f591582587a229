"""Multiple choice with several right options: `options` (2–8) and `answers`, a subset.

Optional, for questions such as Moodle's: `weights` (option → fraction, −1 to 1) score
a pick by its weight instead of the default rule, and `feedback` is a text shown for
each option picked.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import Field, model_validator
from wtforms import FieldList, SelectChoice, StringField

from quizapp.question_types import gift_syntax as gift
from quizapp.question_types import moodle_xml_syntax as xml
from quizapp.question_types.base import (
    MAX_OPTIONS,
    MAX_RESPONSE,
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
)
from quizapp.question_types.editor import MAX_ROWS, MultipleCheckboxField, QuestionForm, label_rows

SCORING_RULE = (
    "Pick every right option. Your score is (right picks − wrong picks) ÷ the number of "
    "right options, never below 0: each wrong pick cancels a right one."
)

#: A weighted pick's share of the marks: negative weights take marks away.
Weight = Annotated[float, Field(ge=-1, le=1, allow_inf_nan=False)]
# Weights such as 33.33333 % add up to a hair under 1: that is full marks.
_FULL = 1 - 1e-6


class Spec(QuestionSpec):
    """A multi question as written in a bank file."""

    type: Literal["multi"]
    options: list[Text] = Field(min_length=MIN_OPTIONS, max_length=MAX_OPTIONS)
    answers: list[Text] = Field(min_length=1, max_length=MAX_OPTIONS)
    weights: dict[Text, Weight] | None = Field(default=None, max_length=MAX_OPTIONS)
    feedback: dict[Text, Text] | None = Field(default=None, max_length=MAX_OPTIONS)

    @model_validator(mode="after")
    def _answers_are_options(self) -> Spec:
        if (twice := first_duplicate(self.options)) is not None:
            raise ValueError(f"option '{twice}' is listed twice")
        if (twice := first_duplicate(self.answers)) is not None:
            raise ValueError(f"answer '{twice}' is listed twice")
        for answer in self.answers:
            if answer not in self.options:
                raise ValueError(f"answer '{answer}' is not one of the options")
        for name, mapping in (("weight", self.weights), ("feedback", self.feedback)):
            for option in mapping or {}:
                if option not in self.options:
                    raise ValueError(f"{name} for '{option}', which is not one of the options")
        if self.weights is not None:
            for option in self.options:
                positive = self.weights.get(option, 0.0) > 0
                if positive and option not in self.answers:
                    raise ValueError(f"weights: '{option}' earns marks but is not an answer")
                if not positive and option in self.answers:
                    raise ValueError(f"weights: answer '{option}' needs a positive weight")
        return self


def _weighted_feedback(fraction: float, right: int, wrong: int, answers: int) -> str:
    if fraction >= 1.0:
        return "Correct: you found every right option."
    if not right and not wrong:
        return "You picked none of the options."
    return (
        f"{right} of {answers} right {_picks(answers)}, {wrong} wrong {_picks(wrong)}: "
        f"{fraction:.0%} of the marks."
    )


def _feedback(right: int, wrong: int, answers: int) -> str:
    if right == answers and not wrong:
        return "Correct: you found every right option."
    if not right and not wrong:
        return "You picked none of the options."
    return (
        f"{right} of {answers} right {_picks(answers)}, {wrong} wrong {_picks(wrong)}: "
        "each wrong pick cancels a right one."
    )


def _picks(count: int) -> str:
    return "pick" if count == 1 else "picks"


class Editor(QuestionForm):
    """The set editor's fields for this type."""

    TYPE = "multi"
    PLAIN = (
        (r"'answers' needs at least 1 items?|missing field 'answers'",
         "Mark at least one option as right."),
        (r"'options' needs at least (\d+) items", "Give at least {0} options to choose from."),
        (r"option '(.*)' is listed twice", "'{0}' is written twice: give each option once."),
    )  # fmt: skip
    KEYS = QuestionForm.KEYS | {"options", "answers"}

    options = FieldList(StringField("Option"), min_entries=MAX_OPTIONS, max_entries=MAX_ROWS)
    answers = MultipleCheckboxField("The right options", choices=[], validate_choice=False)

    def _number_rows(self) -> None:
        super()._number_rows()
        label_rows(self.options, "Option {n}")
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


@register
class Multi(QuestionType):
    """Multiple choice, several right options: see the module's docstring."""

    name = "multi"
    label = "Multiple choice, several right answers"
    hint = "Two to eight options; tick every right one. Partial credit for partly right picks."
    rank = 2
    Spec = Spec
    editor = Editor
    SCORING_RULE = SCORING_RULE

    @classmethod
    def scoring_rule(cls, question: dict) -> str:
        """Return SCORING_RULE, or the rule of a question whose options carry weights."""
        if Spec.model_validate(question).weights is None:
            return SCORING_RULE
        return (
            "Pick every right option. Each pick adds its share of the marks and a wrong pick "
            "may take some away; the score is never below 0."
        )

    @classmethod
    def grade(cls, question: dict, response: object) -> Grade:
        """Score a list of chosen option texts: (right − wrong) ÷ number of answers, floored at 0.

        A single string counts as a one-item list, a repeated pick counts once, and texts that
        are not options are ignored.
        """
        spec = Spec.model_validate(question)
        if isinstance(response, str):
            response = [response]
        if not isinstance(response, (list, tuple, set, frozenset)):
            return Grade(0.0, "Please give your picks as a list of options.")
        if len(response) > MAX_RESPONSE:
            return Grade(0.0, "That is far more picks than there are options.")
        picks = {item.strip() for item in response if isinstance(item, str)}
        picks &= set(spec.options)
        right = len(picks & set(spec.answers))
        wrong = len(picks) - right
        if spec.weights is None:
            fraction = max(0.0, (right - wrong) / len(spec.answers))
            said = _feedback(right, wrong, len(spec.answers))
        else:
            total = sum(spec.weights.get(pick, 0.0) for pick in picks)
            fraction = 1.0 if total >= _FULL else min(1.0, max(0.0, total))
            said = _weighted_feedback(fraction, right, wrong, len(spec.answers))
        extras = [
            spec.feedback[o] for o in spec.options if o in picks and o in (spec.feedback or {})
        ]
        return Grade(fraction, " ".join([said, *extras]))

    @classmethod
    def answer_text(cls, question: dict) -> str:
        """Return the right options, in file order, joined with commas."""
        return ", ".join(Spec.model_validate(question).answers)

    @classmethod
    def present(cls, question: dict, rng: random.Random) -> dict:
        """Return the options in a random order."""
        options = Spec.model_validate(question).options
        return {"options": rng.sample(options, len(options))}

    @classmethod
    def shown_texts(cls, question: dict) -> list[str]:
        """Return what a learner sees of the question: its prompt and options."""
        spec = Spec.model_validate(question)
        return [spec.prompt, *spec.options]

    @classmethod
    def answer_clues(cls, question: dict) -> list[tuple[str, ...]]:
        """Return what, seen elsewhere, gives the answer away: nothing short of the whole
        set of right picks, which no single option or prompt shows."""
        return []

    @classmethod
    def correct_response(cls, question: dict) -> object:
        return list(Spec.model_validate(question).answers)

    @classmethod
    def wrong_response(cls, question: dict, view: dict) -> object:
        answers = Spec.model_validate(question).answers
        return [option for option in view["options"] if option not in answers][:1]

    @classmethod
    def read_form(cls, view: dict, form: Mapping) -> tuple[object, str | None]:
        values = form.getlist("answer")
        if not values:
            raise Unanswered
        offered = view.get("options", [])
        if len(values) > len(offered) or not set(values) <= set(offered):
            return None, OFFERED_ONLY
        return list(dict.fromkeys(values)), None

    @classmethod
    def form_fields(cls, view: dict, response: object) -> dict:
        return {"answer": list(response)}

    @classmethod
    def format_response(cls, value: object) -> str:
        if isinstance(value, list):
            return ", ".join(map(str, value)) if value else "(nothing chosen)"
        return str(value)

    @classmethod
    def anki_fields(cls, question: dict) -> AnkiFields:
        """Show the options on the front, saying that several are right; the right ones on
        the back."""
        spec = Spec.model_validate(question)
        front = html_text(spec.prompt) + html_list(neutral_order(spec.options))
        front += "<p><i>Choose every right option.</i></p>"
        return AnkiFields(front=front, back=html_list(spec.answers))

    @classmethod
    def response_key(cls, question: dict, value: object) -> tuple[object, str]:
        if not isinstance(value, list):
            return super().response_key(question, value)
        ordered = sorted(map(str, value))
        return ("multi", tuple(ordered)), cls.format_response(ordered)

    @classmethod
    def gift_answers(cls, question: dict) -> list[str]:
        """Write the options with Moodle's weights: quizapp's rule is ±1/n on every option."""
        weights = _moodle_weights(question)
        feedback = question.get("feedback") or {}
        return [
            gift.with_feedback(gift.tilde(weights.get(o), o), feedback.get(o))
            for o in question["options"]
        ]

    @classmethod
    def moodle_xml(cls, question: dict) -> xml.MoodleQuestion:
        """Write a multiple-choice question of several answers with Moodle's grades:
        quizapp's rule is ±1/n on every option; its own weights as they are."""
        weights = _moodle_weights(question)
        feedback = question.get("feedback") or {}
        answers = [
            xml.answer(
                xml.grade(weights.get(o, 0.0), f"the weight of '{o}'"), o, feedback=feedback.get(o)
            )
            for o in question["options"]
        ]
        return xml.MoodleQuestion("multichoice", [*xml.choice_flags(single=False), *answers])


def _moodle_weights(question: dict) -> dict[str, float]:
    """Each option's weight as Moodle grades it: the question's own weights, else quizapp's
    rule, (right − wrong) ÷ n floored at 0, which is Moodle's with ±1/n weights."""
    if question.get("weights") is not None:
        return question["weights"]
    share = 1 / len(question["answers"])
    return {o: share if o in question["answers"] else -share for o in question["options"]}
