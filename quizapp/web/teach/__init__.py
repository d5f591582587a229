"""Teachers' pages: question sets, classes, assignments and results."""

from flask import Blueprint

from quizapp.access import teacher_required

bp = Blueprint("teach", __name__, url_prefix="/teach")


@bp.before_request
@teacher_required
def only_teachers():
    """Every page here is for teachers only: visitors log in, learners get 403."""


# Routes register on import.
from quizapp.web.teach import classrooms, sets, views  # noqa: E402,F401
