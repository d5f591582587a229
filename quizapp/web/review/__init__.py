"""The review page and the buttons that start review quizzes."""

from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/review")

from quizapp.web.review import views  # noqa: E402,F401  (routes register on import)
