"""Bring the database in line with a loaded bank: add, version, retire and restore questions.

Syncing is idempotent: the same bank twice changes nothing the second time. A
question is never deleted, and its content is never edited in place: a change is a
new QuestionVersion, so that attempts keep the wording that was asked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select, update

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
    """Store `loaded` in the database, in the caller's transaction (flushed, not
    committed: the request or the command that owns the transaction commits it, or rolls
    it back on an error, so that a bank is stored whole or not at all).

    `owner_id` is the teacher who owns the bank (None for a bundled bank); a bank
    that exists with another owner is refused. `progress`, if given, is called with
    the number of questions handled since its last call.
    """
    report = _sync(loaded, owner_id, progress)
    db.session.flush()
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
    elif bank.owner_id != owner_id:
        raise SyncError(f"bank '{loaded.slug}' belongs to someone else")
    _update(
        bank,
        title=loaded.title,
        description=loaded.description,
        source=loaded.source,
        # After a sync the bank's live questions are exactly the file's.
        live_questions=len(loaded.questions),
    )
    db.session.flush()

    # Rows, not ORM objects: a 5,000-question bank is written with a few executemany
    # statements per step instead of one unit-of-work round per question.
    existing = {
        row.slug: row
        for row in db.session.execute(
            select(
                Question.id,
                Question.slug,
                Question.position,
                Question.retired_at,
                QuestionVersion.digest,
            )
            .outerjoin(QuestionVersion, QuestionVersion.id == Question.current_version_id)
            .where(Question.bank_id == bank.id)
            .order_by(Question.position, Question.id)
        )
    }
    last_number = _last_version_numbers(bank.id) if existing else {}

    for start in range(0, len(loaded.questions), _STEP):
        chunk = loaded.questions[start : start + _STEP]
        _sync_step(bank.id, chunk, start, existing, last_number, report)
        # Writing as we go keeps the progress bar honest about where the time goes.
        if progress is not None:
            progress(len(chunk))

    now = utcnow()
    retiring = [row for row in existing.values() if row.retired_at is None]
    if retiring:
        db.session.execute(
            update(Question), [{"id": row.id, "retired_at": now} for row in retiring]
        )
        report.retired.extend(row.slug for row in retiring)
    if report.changes:
        # The quiz engine keeps each quiz's question pool until its banks' updated_at
        # moves: a change to any question must move it, and forward only.
        bank.updated_at = max(utcnow(), bank.updated_at + dt.timedelta(microseconds=1))
    return report


def _last_version_numbers(bank_id: int) -> dict[int, int]:
    return dict(
        db.session.execute(
            select(QuestionVersion.question_id, func.max(QuestionVersion.number))
            .join(Question, Question.id == QuestionVersion.question_id)
            .where(Question.bank_id == bank_id)
            .group_by(QuestionVersion.question_id)
        ).all()
    )


def _sync_step(
    bank_id: int,
    chunk: list[dict[str, Any]],
    start: int,
    existing: dict[str, Any],
    last_number: dict[int, int],
    report: SyncReport,
) -> None:
    """Add, version and restore one step's questions: a handful of bulk statements."""
    added: list[dict[str, Any]] = []  # new questions' rows, in file order
    versions: list[tuple[str | int, dict[str, Any]]] = []  # (slug of a new question or id, row)
    changes: dict[int, dict[str, Any]] = {}  # question id -> columns to update
    for position, spec in enumerate(chunk, start=start):
        slug = spec["id"]
        digest = spec_digest(spec)
        stored = existing.pop(slug, None)
        if stored is None:
            added.append({"bank_id": bank_id, "slug": slug, "position": position})
            versions.append((slug, _new_version(slug, spec, digest, number=1)))
            report.added.append(slug)
            continue
        change: dict[str, Any] = {}
        if stored.position != position:
            change["position"] = position
        if stored.digest != digest:
            number = last_number.get(stored.id, 0) + 1
            versions.append((stored.id, _new_version(stored.id, spec, digest, number=number)))
            if stored.retired_at is None:
                report.changed.append(slug)
        elif stored.retired_at is None:
            report.unchanged.append(slug)
        if stored.retired_at is not None:
            change["retired_at"] = None
            report.restored.append(slug)
        if change:
            changes[stored.id] = change

    question_ids: dict[str, int] = {}
    if added:
        # Returning the slug with the id lets one statement insert many rows: asking
        # for rows in parameter order would make SQLite insert them one by one.
        inserted = db.session.execute(insert(Question).returning(Question.slug, Question.id), added)
        question_ids = dict(inserted.all())
    if versions:
        rows = []
        for key, row in versions:
            row["question_id"] = question_ids[key] if isinstance(key, str) else key
            rows.append(row)
        # A question gets at most one new version per sync: its id names the version.
        inserted = db.session.execute(
            insert(QuestionVersion).returning(QuestionVersion.question_id, QuestionVersion.id),
            rows,
        )
        for question_id, version_id in inserted:
            changes.setdefault(question_id, {})["current_version_id"] = version_id
    # One executemany per shape of change (bulk UPDATE by primary key needs equal keys).
    by_shape: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for question_id, change in changes.items():
        by_shape.setdefault(tuple(sorted(change)), []).append({"id": question_id, **change})
    for rows in by_shape.values():
        db.session.execute(update(Question), rows)


def _new_version(
    question: str | int, spec: dict[str, Any], digest: str, *, number: int
) -> dict[str, Any]:
    """Return the row of a new version of `question` (its slug while it has no id yet)."""
    return {"number": number, "type": spec["type"], "spec": spec, "digest": digest}


def _update(row: Any, **values: Any) -> None:
    """Set only the values that differ, so an unchanged bank writes nothing."""
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
