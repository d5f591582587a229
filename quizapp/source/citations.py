"""Which bundled questions quote which passage of which source text.

Only bundled banks are read here: a teacher's own set, and its source, stay with
that teacher's classes.
"""

from __future__ import annotations

import functools
import os
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, g, url_for
from sqlalchemy import func

from quizapp.banks.loader import SOURCE_SUFFIXES, collapse_space
from quizapp.extensions import db
from quizapp.models import Bank, Question, QuestionVersion
from quizapp.source.document import passage_key, title_of

_STEM = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class CitingQuestion:
    """A live bundled question, as the reader and the timeline show it: no answer here
    except in `spec`, which only the timeline's date reading may use."""

    id: int
    bank_slug: str
    bank_title: str
    source: str | None
    bank_position: int
    position: int
    prompt: str
    type: str
    quotes: tuple[str, ...]
    spec: dict


def source_stems() -> list[str]:
    """Return the sources the bundled banks name, whose text is on disk, sorted."""
    stems = db.session.scalars(
        db.select(Bank.source).where(Bank.owner_id.is_(None), Bank.source.is_not(None)).distinct()
    )
    return sorted(stem for stem in stems if source_path(stem) is not None)


def source_path(stem: str, folder: str | os.PathLike | None = None) -> Path | None:
    """Return the file of source `stem` in `folder` (SEEDS_DIR by default), or None (a
    stem is a slug: no path)."""
    if not _STEM.fullmatch(stem):
        return None
    folder = Path(folder if folder is not None else current_app.config["SEEDS_DIR"])
    for suffix in SOURCE_SUFFIXES:
        path = folder / f"{stem}{suffix}"
        if path.is_file():
            return path
    return None


def source_text(stem: str, folder: str | os.PathLike | None = None) -> str | None:
    """Return the raw text of source `stem` (in `folder`, SEEDS_DIR by default), read once
    per version of the file."""
    path = source_path(stem, folder)
    if path is None:
        return None
    return _read(os.fspath(path), path.stat().st_mtime_ns)


def source_title(
    stem: str | None, own_text: str | None = None, folder: str | os.PathLike | None = None
) -> str | None:
    """Return the title of a bank's source, as its first heading gives it: of the text a
    teacher attached to a set (`own_text`), else of source `stem`; None when it has none."""
    raw = own_text or (source_text(stem, folder) if stem else None)
    return title_of(raw) if raw else None


def source_name(bank: Bank) -> str:
    """Return what a bank's questions name as their source: its source text's title,
    or the bank's own title when its source has none."""
    return source_title(bank.source, bank.source_text) or bank.title


@functools.lru_cache(maxsize=16)
def _read(path: str, _mtime_ns: int) -> str:
    return Path(path).read_text(encoding="utf-8")


def _quotes(spec: dict) -> tuple[str, ...]:
    quote = spec.get("quote") or []
    return (quote,) if isinstance(quote, str) else tuple(quote)


def citing_questions(stem: str | None = None) -> list[CitingQuestion]:
    """Return the live questions of the bundled banks (of one source, if given), in bank
    title and file order."""
    query = (
        db.select(
            Question.id, Question.position, Bank.slug, Bank.title, Bank.source, QuestionVersion.spec
        )
        .join(Bank, Bank.id == Question.bank_id)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Bank.owner_id.is_(None), Question.retired_at.is_(None))
        .order_by(Bank.title, Bank.id, Question.position)
    )
    if stem is not None:
        query = query.where(Bank.source == stem)
    banks: dict[str, int] = {}
    questions = []
    for qid, position, slug, title, source, spec in db.session.execute(query):
        banks.setdefault(slug, len(banks))
        questions.append(
            CitingQuestion(
                id=qid,
                bank_slug=slug,
                bank_title=title,
                source=source,
                bank_position=banks[slug],
                position=position,
                prompt=spec["prompt"],
                type=spec["type"],
                quotes=_quotes(spec),
                spec=spec,
            )
        )
    return questions


def questions_by_passage(questions: list[CitingQuestion]) -> dict[str, list[CitingQuestion]]:
    """Group questions under the key of each passage they quote."""
    grouped: dict[str, list[CitingQuestion]] = defaultdict(list)
    for question in questions:
        for key in dict.fromkeys(passage_key(quote) for quote in question.quotes):
            grouped[key].append(question)
    return dict(grouped)


def _passage_sources() -> dict[str, str]:
    """Map each passage key quoted by a live bundled question to the source it is in
    (one query: the questions; the texts are read from disk once per file version)."""
    found: dict[str, str] = {}
    texts: dict[str, str | None] = {}
    for question in citing_questions():
        stem = question.source
        if stem is None:
            continue
        if stem not in texts:
            raw = source_text(stem)
            texts[stem] = None if raw is None else collapse_space(raw)
        if texts[stem] is None:
            continue
        for quote in question.quotes:
            key = passage_key(quote)
            if key not in found and collapse_space(quote) in texts[stem]:
                found[key] = stem
    return found


#: Per engine: (the bundled banks' version, the passage map built for it).
_PASSAGES: dict[object, tuple[tuple, dict[str, str]]] = {}


def _bundled_version() -> tuple:
    """Return what changes whenever a bundled bank or one of its questions changes.

    sync moves a bank's updated_at forward on every change to its questions, so one
    small query tells every worker whether its map is still right.
    """
    row = db.session.execute(
        db.select(func.count(Bank.id), func.max(Bank.updated_at)).where(Bank.owner_id.is_(None))
    ).one()
    return tuple(row)


def passage_sources() -> dict[str, str]:
    """Return `_passage_sources()`, rebuilt only when the bundled banks change.

    Every feedback page links its passages: loading every bundled question for each
    one would cost more than the page itself.
    """
    version = _bundled_version()
    cached = _PASSAGES.get(db.engine)
    if cached is not None and cached[0] == version:
        return cached[1]
    found = _passage_sources()
    _PASSAGES[db.engine] = (version, found)
    return found


def read_in_context(quote: str, back: tuple[int, int] | None = None) -> str | None:
    """Return the link to a quoted passage in its source text, or None when the reader
    does not show it (a teacher's source, or a quote no live question uses any more).

    `back`, (attempt id, question position), asks the reader for a link back to that
    question of the learner's quiz."""
    if "passage_sources" not in g:
        g.passage_sources = passage_sources()
    key = passage_key(quote)
    stem = g.passage_sources.get(key)
    if stem is None:
        return None
    there = {"attempt": back[0], "question": back[1]} if back else {}
    return url_for("source.source", stem=stem, _anchor=f"passage-{key}", **there)
