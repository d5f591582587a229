"""Learning that sticks: spaced review with FSRS, mastery by topic, and the quizzes
built from them (Review, Retake my mistakes, My weakest topics)."""

from flask import Flask

from quizapp import signals
from quizapp.review import scheduling


def init_app(app: Flask) -> None:
    """Schedule every answer: practice answers at once, tests when they finish."""
    signals.answer_recorded.connect(scheduling.on_answer_recorded)
    signals.attempt_finished.connect(scheduling.on_attempt_finished)
