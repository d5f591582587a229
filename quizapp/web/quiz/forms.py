"""Forms of the quiz pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, SelectField
from wtforms.validators import AnyOf, DataRequired

from quizapp.attempts.drawing import MODES

#: Time limits a learner may choose for a test, in minutes (0: none).
TIME_LIMITS = [
    SelectChoice(0, "No time limit"),
    SelectChoice(5, "5 minutes"),
    SelectChoice(10, "10 minutes"),
    SelectChoice(20, "20 minutes"),
]


class StartQuizForm(FlaskForm):
    """Start a quiz: which one, in which mode, with what time limit."""

    quiz = HiddenField(validators=[DataRequired()])
    mode = RadioField(
        "Mode",
        choices=[SelectChoice("practice", "Practice"), SelectChoice("test", "Test")],
        default="practice",
        validators=[AnyOf(MODES)],
    )
    time_limit = SelectField("Time limit", choices=TIME_LIMITS, coerce=int, default=0)
