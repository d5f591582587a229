"""The learner's side of classes: joining with a code or a link, leaving, assignments."""

from quizapp.web.learn.views import bp

__all__ = ["bp"]
