"""What a learner is shown once an answer is scored, and responses written for people."""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.models import Response
from quizapp.question_types import TYPES
from quizapp.question_types.base import AnswerTable, Grade


@dataclass(frozen=True)
class Explanation:
    """What a learner is shown once an answer is scored."""

    fraction: float
    feedback: str
    answer: str
    explanation: str | None
    note: str | None
    quotes: list[str]
    rule: str
    #: The answer set out part by part (pairs, places), given beside right; or None.
    table: AnswerTable | None = None

    @property
    def verdict(self) -> str:
        if self.fraction >= 1:
            return "right"
        return "partial" if self.fraction > 0 else "wrong"


def explain(spec: dict, response: Response | Grade | None, value: object = None) -> Explanation:
    """Return the feedback for a stored response (or none) to a question version; a grade
    not stored (a teacher's preview) comes with the `value` it graded."""
    kind = TYPES[spec["type"]]
    if isinstance(response, Response):
        value = response.value
    quote = spec.get("quote") or []
    return Explanation(
        fraction=response.fraction if response else 0.0,
        feedback=response.feedback if response else "Not answered.",
        answer=kind.answer_text(spec),
        explanation=spec.get("explanation"),
        note=spec.get("note"),
        quotes=[quote] if isinstance(quote, str) else list(quote),
        # A question with its own partial credit (imported from GIFT) explains its own rule.
        rule=kind.scoring_rule(spec),
        table=kind.answer_table(spec, value) if value is not None else None,
    )


def format_response(value: object, type_name: str) -> str:
    """Write a stored response the way a learner reads it on a results page."""
    if value is None:
        return "(no answer)"
    return TYPES[type_name].format_response(value)
