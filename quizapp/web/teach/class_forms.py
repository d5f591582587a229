"""Forms of the class pages: a class, an assignment, a learner's extra time."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.attempts.drawing import MODES
from quizapp.classrooms.extra_time import EXTRA_MINUTES_MAX
from quizapp.classrooms.extra_time import KINDS as EXTRA_TIME_KINDS
from quizapp.classrooms.rosters import NAME_MAX

QUESTIONS_MAX = 100
TIME_LIMIT_MAX = 600  # minutes
ATTEMPTS_MAX = 100
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class MultipleCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes (render_field gives it a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ClassForm(FlaskForm):
    """Create or rename a class."""

    name = StringField(
        "Class name",
        filters=[strip],
        validators=[
            DataRequired("Give the class a name."),
            Length(max=NAME_MAX, message=f"A class name has at most {NAME_MAX} characters."),
        ],
    )


NO_SETS_OR_TAGS = "Tick at least one question set, or a tag under “Narrow by tags”."


class AssignmentForm(FlaskForm):
    """Set a quiz for a class. The view fills in the choices of banks and tags."""

    title = StringField(
        "Title",
        filters=[strip],
        validators=[
            DataRequired("Give the assignment a title."),
            Length(max=200, message="A title has at most 200 characters."),
        ],
    )
    banks = MultipleCheckboxField("Question sets", coerce=int, validate_choice=True)
    tags = MultipleCheckboxField("Tags", coerce=str, validate_choice=True)
    question_count = IntegerField(
        "Number of questions",
        default=10,
        validators=[
            InputRequired("Say how many questions to ask."),
            NumberRange(1, QUESTIONS_MAX, f"Ask 1 to {QUESTIONS_MAX} questions."),
        ],
    )
    mode = RadioField(
        "Mode",
        choices=[
            SelectChoice("test", "Test: answers shown at the end"),
            SelectChoice("practice", "Practice: each answer explained at once"),
        ],
        default="test",
        validators=[AnyOf(MODES, "Choose test or practice.")],
    )
    time_limit = IntegerField(
        "Time limit in minutes",
        validators=[
            Optional(),
            NumberRange(1, TIME_LIMIT_MAX, f"A time limit is 1 to {TIME_LIMIT_MAX} minutes."),
        ],
    )
    opens_at = DateTimeLocalField("Opens (UTC)", format=DATETIME_FORMAT, validators=[Optional()])
    closes_at = DateTimeLocalField("Closes (UTC)", format=DATETIME_FORMAT, validators=[Optional()])
    attempts_allowed = IntegerField(
        "Attempts allowed",
        default=1,
        validators=[
            Optional(),
            NumberRange(1, ATTEMPTS_MAX, f"Allow 1 to {ATTEMPTS_MAX} attempts, or leave empty."),
        ],
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.banks.data and not self.tags.data:
            self.form_errors.append(
                "Tick at least one question set, or a tag under “Narrow by tags”."
            )
            valid = False
        opens, closes = self.opens_at.data, self.closes_at.data
        if opens and closes and closes <= opens:
            self.closes_at.errors.append("The closing time must come after the opening time.")
            valid = False
        return valid


class ExtraTimeForm(FlaskForm):
    """Give one learner of the class more time on an assignment. The view fills in the
    learners."""

    learner = SelectField("Learner", coerce=int, validate_choice=True)
    kind = RadioField(
        "Extra time",
        choices=[SelectChoice(key, label) for key, (label, _) in EXTRA_TIME_KINDS.items()],
        default="x1.5",
        validators=[AnyOf(list(EXTRA_TIME_KINDS), "Choose how much extra time to give.")],
    )
    minutes = IntegerField(
        "Extra minutes",
        validators=[
            Optional(),
            NumberRange(1, EXTRA_MINUTES_MAX, f"Give 1 to {EXTRA_MINUTES_MAX} extra minutes."),
        ],
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.kind.data == "plus" and not self.minutes.errors and not self.minutes.data:
            self.minutes.errors.append("Say how many extra minutes, or choose × 1.5 or × 2.")
            valid = False
        return valid
