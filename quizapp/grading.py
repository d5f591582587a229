"""Grade one response to one question: the single entry point for pages, review and API.

Pure: no app, no database. The question is a dict as written in a bank file.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping

from quizapp.question_types import TYPES
from quizapp.question_types.base import Grade

logger = logging.getLogger(__name__)


def grade(question: dict, response: object) -> Grade:
    """Grade `response` to `question` with its type's grader; never raise.

    An unknown type or a defect in a grader scores 0 (and is logged, for us to fix);
    the fraction is always within [0, 1].
    """
    kind = question.get("type") if isinstance(question, Mapping) else None
    module = TYPES.get(kind) if isinstance(kind, str) else None
    if module is None:
        logger.error("cannot grade question %r: unknown type %r", _id_of(question), kind)
        return Grade(0.0, "Sorry, this question cannot be graded.")
    try:
        result = module.grade(question, response)
        fraction = float(result.fraction)
        feedback = str(result.feedback)
    except Exception:
        logger.exception("the %s grader failed on question %r", kind, _id_of(question))
        return Grade(0.0, "Sorry, something went wrong grading this answer.")
    if math.isnan(fraction):
        logger.error("the %s grader gave NaN on question %r", kind, _id_of(question))
        fraction = 0.0
    return Grade(min(1.0, max(0.0, fraction)), feedback)


def _id_of(question: object) -> object:
    return question.get("id") if isinstance(question, Mapping) else None
