"""A learner's progress: their finished attempts, how each quiz went, and a chart."""

from quizapp.progress.views import bp

__all__ = ["bp"]
