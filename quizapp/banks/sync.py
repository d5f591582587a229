"""Bring the database in line with a loaded bank: add, version, retire and restore questions.

Syncing is idempotent: the same bank twice changes nothing the second time. A
question is never deleted, and its content is never edited in place: a change is a
new QuestionVersion, so that attempts keep the wording that was asked.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from quizapp.banks.loader import LoadedBank
from quizapp.extensions import db
from quizapp.models import Bank, Question, QuestionVersion, utcnow

#: Questions written to the database between two reports of progress.
_STEP = 200


class SyncError(Exception):
    """A bank that may not be synced (it belongs to someone else)."""


@dataclass
class SyncReport:
    """What one sync did, as lists of question ids; each question is in one list only.

    A retired question that comes back is `restored`, with a new version if its
    content changed while it was away.
    """

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    bank: str = ""

    @property
    def changes(self) -> int:
        """Return how many questions the sync touched."""
        return len(self.added) + len(self.changed) + len(self.retired) + len(self.restored)


def spec_digest(spec: dict[str, Any]) -> str:
    """Return the sha256 of a question's canonical JSON: equal content, equal digest."""
    canonical = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def sync_bank(
    loaded: LoadedBank,
    owner_id: int | None = None,
    *,
    progress: Callable[[int], None] | None = None,
) -> SyncReport:
    """Store `loaded` in the database in one transaction: all of it, or nothing.

    `owner_id` is the teacher who owns the bank (None for a bundled bank); a bank
    that exists with another owner is refused. `progress`, if given, is called with
    the number of questions handled since its last call. The session is committed
    on success and rolled back on any error, so call it with no other work pending.
    """
    try:
        report = _sync(loaded, owner_id, progress)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return report


def sync_banks(banks: Iterable[LoadedBank], owner_id: int | None = None) -> list[SyncReport]:
    """Sync several banks, each in its own transaction."""
    return [sync_bank(loaded, owner_id) for loaded in banks]


def _sync(
    loaded: LoadedBank, owner_id: int | None, progress: Callable[[int], None] | None
) -> SyncReport:
    report = SyncReport(bank=loaded.slug)
    bank = db.session.scalar(select(Bank).where(Bank.slug == loaded.slug))
    if bank is None:
        bank = Bank(slug=loaded.slug, title=loaded.title, owner_id=owner_id)
        db.session.add(bank)
        db.session.flush()
    elif bank.owner_id != owner_id:
        raise SyncError(f"bank '{loaded.slug}' belongs to someone else")
    _update(bank, title=loaded.title, description=loaded.description, source=loaded.source)

    existing = {
        question.slug: question
        for question in db.session.scalars(
            select(Question)
            .where(Question.bank_id == bank.id)
            .options(selectinload(Question.current_version))
        )
    }
    last_number = dict(
        db.session.execute(
            select(QuestionVersion.question_id, func.max(QuestionVersion.number))
            .join(Question, Question.id == QuestionVersion.question_id)
            .where(Question.bank_id == bank.id)
            .group_by(QuestionVersion.question_id)
        ).all()
    )

    for position, spec in enumerate(loaded.questions):
        slug = spec["id"]
        digest = spec_digest(spec)
        question = existing.pop(slug, None)
        if question is None:
            question = Question(bank_id=bank.id, slug=slug, position=position)
            db.session.add(question)
            _new_version(question, spec, digest, number=1)
            report.added.append(slug)
        else:
            _update(question, position=position)
            current = question.current_version
            if current is None or current.digest != digest:
                number = last_number.get(question.id, 0) + 1
                _new_version(question, spec, digest, number=number)
                if question.retired_at is None:
                    report.changed.append(slug)
            elif question.retired_at is None:
                report.unchanged.append(slug)
            if question.retired_at is not None:
                question.retired_at = None
                report.restored.append(slug)
        if position % _STEP == _STEP - 1:
            # Writing as we go keeps the progress bar honest about where the time goes.
            db.session.flush()
            if progress is not None:
                progress(_STEP)
    if progress is not None and len(loaded.questions) % _STEP:
        progress(len(loaded.questions) % _STEP)

    now = utcnow()
    for slug, question in existing.items():
        if question.retired_at is None:
            question.retired_at = now
            report.retired.append(slug)
    db.session.flush()
    return report


def _new_version(question: Question, spec: dict[str, Any], digest: str, *, number: int) -> None:
    version = QuestionVersion(
        question=question, number=number, type=spec["type"], spec=spec, digest=digest
    )
    db.session.add(version)
    question.current_version = version


def _update(row: Any, **values: Any) -> None:
    """Set only the values that differ, so an unchanged bank writes nothing."""
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
