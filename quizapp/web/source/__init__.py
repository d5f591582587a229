"""The source reader and the timeline: the text every question quotes, with each quoted
passage linked to its questions, and the banks' dated events in order."""

from flask import Blueprint

from quizapp.source.citations import read_in_context

bp = Blueprint("source", __name__)
# The feedback partial links each quoted passage to its place in the source with this.
bp.add_app_template_global(read_in_context)

from quizapp.web.source import views  # noqa: E402,F401  (routes register on import)
