"""Taking quizzes: start, answer one question per page, finish, read the results."""

from flask import Blueprint

from quizapp.quiz.engine import explain, format_response

bp = Blueprint("quiz", __name__, url_prefix="/quiz")
bp.add_app_template_global(explain)
bp.add_app_template_global(format_response)

from quizapp.quiz import views  # noqa: E402,F401  (routes register on import)
