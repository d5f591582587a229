"""A learner's mistakes: the questions whose latest answer earned less than full credit,
in their current version, for the learner's own Anki deck.

Only what the learner may see now: a question held back from them (in a test they have
open, or a test whose answers are held: attempts.visibility) is left out, answer and
all, as are retired questions. Only the learner's own answers count.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func

from quizapp.attempts.visibility import held_question_ids, owned_by
from quizapp.banks.anki import Origin
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, Bank, Question, QuestionVersion, Response
from quizapp.source.citations import source_name


def latest_mistakes(user_id: int, now: dt.datetime) -> list[tuple[dict, Origin]]:
    """Return the questions the learner last answered without full credit, each with
    where it comes from, bank by bank in the banks' order of questions."""
    owner = owned_by(user_id)
    newest_first = (Response.answered_at.desc(), Response.id.desc())
    answers = (
        db.select(
            QuestionVersion.question_id.label("question_id"),
            Response.fraction.label("fraction"),
            func.row_number()
            .over(partition_by=QuestionVersion.question_id, order_by=newest_first)
            .label("recency"),
        )
        .join(AttemptItem, AttemptItem.id == Response.item_id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .where(owner)
        .subquery("answers")
    )
    rows = db.session.execute(
        db.select(QuestionVersion.spec, Bank)
        .join(Question, Question.current_version_id == QuestionVersion.id)
        .join(Bank, Bank.id == Question.bank_id)
        .join(answers, answers.c.question_id == Question.id)
        .where(
            answers.c.recency == 1,
            answers.c.fraction < 1,
            Question.retired_at.is_(None),
            Question.id.not_in(held_question_ids(owner, now)),
        )
        .order_by(Bank.title, Bank.id, Question.position, Question.id)
    ).all()
    origins: dict[int, Origin] = {}
    found = []
    for spec, bank in rows:
        if bank.id not in origins:
            origins[bank.id] = Origin(bank.slug, source_name(bank))
        found.append((dict(spec), origins[bank.id]))
    return found
