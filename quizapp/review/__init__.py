"""Learning that sticks: spaced review with FSRS, mastery by topic, and the quizzes
built from them (Review, Retake my mistakes, My weakest topics)."""

from flask import Blueprint

from quizapp import signals
from quizapp.review import scheduling

bp = Blueprint("review", __name__, url_prefix="/review")

# Every answer schedules its question: practice answers at once, tests when finished.
signals.answer_recorded.connect(scheduling.on_answer_recorded)
signals.attempt_finished.connect(scheduling.on_attempt_finished)

from quizapp.review import views  # noqa: E402,F401  (routes register on import)
