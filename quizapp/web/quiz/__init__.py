"""Taking quizzes: start, answer one question per page, finish, read the results."""

from flask import Blueprint

from quizapp.attempts.feedback import explain, format_response
from quizapp.models import utcnow

bp = Blueprint("quiz", __name__, url_prefix="/quiz")
bp.add_app_template_global(explain)
bp.add_app_template_global(format_response)


@bp.app_template_global()
def time_left(attempt) -> str:
    """Write a timed attempt's time left as the countdown shows it: "4:05"."""
    seconds = max(0, int((attempt.deadline - utcnow()).total_seconds()))
    return f"{seconds // 60}:{seconds % 60:02d}"


from quizapp.web.quiz import views  # noqa: E402,F401  (routes register on import)
