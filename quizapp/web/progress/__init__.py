"""The learner's "My progress" page."""

from quizapp.web.progress.views import bp

__all__ = ["bp"]
