"""A teacher's question sets: create, copy and edit them the way a bank file is loaded.

Every change goes through the bank loader, so that a form obeys the rules of a file
and speaks its messages, and then through `quizapp.banks.sync`, so that an edit
makes a new version and learners' history keeps the version they answered.
Nothing here knows about requests or forms: problems come back as paths into the
question (or the set), for a form to show beside the right field.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from typing import Any, ParamSpec, TypeVar

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from quizapp.banks.loader import BankError, BankIssue, LoadedBank, check_bank, collapse_space
from quizapp.banks.sync import sync_bank
from quizapp.banks.yaml_reader import ReadError, shorten
from quizapp.extensions import db
from quizapp.models import Bank, Question

#: Longest set title the database stores (a file may hold a longer one).
MAX_TITLE: int = Bank.__table__.c.title.type.length
#: Longest slug the database stores.
MAX_SLUG: int = Bank.__table__.c.slug.type.length
#: Longest source text a teacher may attach (the bundled article is about 60,000).
MAX_SOURCE_TEXT = 1_000_000
#: Characters of a quote shown in a message, enough to find it.
QUOTE_SHOWN = 60

NO_SOURCE_QUOTE = (
    "this set has no source text, so its questions have no quotes "
    "(attach a source text to the set first)"
)

_WORD = re.compile(r"[a-z0-9]+")
P = ParamSpec("P")
R = TypeVar("R")


class ReadOnlyBank(Exception):
    """A bundled bank: teachers copy it, they never edit it."""


def retried(change: Callable[P, R]) -> Callable[P, R]:
    """Run a change again, once, when a concurrent one took its slug or version number.

    On SQLite writers queue up, so this never happens; on a database server two
    teachers may pick the same free slug at once, and the second one's insert fails.
    The first try runs in a savepoint, so that its failure undoes it alone; the change
    is worked out afresh from the database the second time. The caller commits.
    """

    @functools.wraps(change)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with db.session.begin_nested():
                return change(*args, **kwargs)
        except IntegrityError:
            return change(*args, **kwargs)

    return run


# --------------------------------------------------------------------- the set itself


def set_contents(bank: Bank) -> LoadedBank:
    """Return the set as a loaded bank: its fields and its live questions, in order.

    This is what a sync of the unchanged set receives, and what a download writes.
    """
    questions = db.session.scalars(
        select(Question)
        .where(Question.bank_id == bank.id, Question.retired_at.is_(None))
        .order_by(Question.position, Question.id)
        .options(selectinload(Question.current_version))
    )
    return LoadedBank(
        slug=bank.slug,
        title=bank.title,
        description=bank.description,
        source=bank.source,
        questions=[dict(q.current_version.spec) for q in questions if q.current_version],
    )


def check_set_fields(title: str, description: str | None) -> tuple[str, str | None]:
    """Return the title and description as the loader reads them; raise BankError if wrong."""
    # Stripped here: the loader strips text only after checking that it is not empty.
    document: dict[str, Any] = {"bank": "set", "title": title.strip()}
    if description and description.strip():
        document["description"] = description.strip()
    document["questions"] = []
    loaded = check_bank(document, sources_dir=None)
    if len(loaded.title) > MAX_TITLE:
        raise BankError([BankIssue(path=("title",), message=too_long_title())])
    return loaded.title, loaded.description


def too_long_title() -> str:
    return f"'title' is too long (at most {MAX_TITLE} characters)"


@retried
def create_set(
    owner_id: int, title: str, description: str | None = None, *, source_text: str | None = None
) -> Bank:
    """Create an empty set owned by the teacher, under a new slug made from its title."""
    title, description = check_set_fields(title, description)
    slug = unique_bank_slug(slugify(title) or "set")
    return store_new_set(LoadedBank(slug, title, description, None, []), owner_id, source_text)


def store_new_set(loaded: LoadedBank, owner_id: int, source_text: str | None) -> Bank:
    """Create a teacher's set from `loaded`, with its own source text (the caller commits)."""
    bank = Bank(
        slug=loaded.slug,
        title=loaded.title,
        description=loaded.description,
        source=loaded.source,
        source_text=source_text,
        owner_id=owner_id,
    )
    db.session.add(bank)
    db.session.flush()
    sync_bank(loaded, owner_id)
    return bank


@retried
def copy_set(bank: Bank, owner_id: int) -> Bank:
    """Copy a set (a bundled bank, or one of the teacher's) into a new set of theirs.

    The copy has its own slug and its questions start again at version 1; its source
    (named or attached) comes along, so its quotes still check.
    """
    contents = set_contents(bank)
    title = _copy_title(bank.title)
    slug = unique_bank_slug(f"{bank.slug[: MAX_SLUG - 10].rstrip('-')}-copy")
    return store_new_set(replace(contents, slug=slug, title=title), owner_id, bank.source_text)


def _copy_title(title: str) -> str:
    suffix = " (copy)"
    return title[: MAX_TITLE - len(suffix)].rstrip() + suffix


@retried
def update_set(bank: Bank, title: str, description: str | None) -> None:
    """Change a set's title and description."""
    _require_own(bank)
    title, description = check_set_fields(title, description)
    contents = set_contents(bank)
    sync_bank(replace(contents, title=title, description=description), bank.owner_id)


# --------------------------------------------------------------------------- questions


def check_question(bank: Bank, spec: dict[str, Any]) -> dict[str, Any]:
    """Return the question as the loader normalises it; raise BankError with every issue,
    each with its path into the question.

    The question is checked as a one-question bank with this set's source, by the one
    check every bank goes through (banks.loader.check_bank): the schema, the type's own
    rules and the quotes, exactly as in a file.
    """
    document: dict[str, Any] = {"bank": "set", "title": "set"}
    if bank.source:
        document["source"] = bank.source
    document["questions"] = [spec]
    problems = own_source_problems(bank.source, bank.source_text, spec)
    try:
        loaded = check_bank(document, sources_dir=current_app.config["SEEDS_DIR"])
    except BankError as exc:
        problems = [_within_question(issue) for issue in exc.issues] + problems
    if problems:
        raise BankError(problems)
    return loaded.questions[0]


@retried
def add_question(bank: Bank, spec: dict[str, Any]) -> str:
    """Add a question (its spec without an id) at the end of the set; return its new id."""
    _require_own(bank)
    prompt = spec.get("prompt")
    slug = unique_question_slug(bank, slugify(prompt if isinstance(prompt, str) else ""))
    question = check_question(bank, {"id": slug, **spec})
    contents = set_contents(bank)
    sync_bank(replace(contents, questions=[*contents.questions, question]), bank.owner_id)
    return slug


@retried
def edit_question(bank: Bank, question: Question, spec: dict[str, Any]) -> bool:
    """Replace a live question's content; return whether it changed (a new version)."""
    _require_own(bank)
    if question.retired_at is not None:
        raise ValueError("a retired question is restored before it is edited")
    normalised = check_question(bank, {"id": question.slug, **spec})
    contents = set_contents(bank)
    questions = [normalised if q["id"] == question.slug else q for q in contents.questions]
    report = sync_bank(replace(contents, questions=questions), bank.owner_id)
    return bool(report.changed)


@retried
def retire_question(bank: Bank, question: Question) -> None:
    """Take a question out of the set's quizzes; history keeps it, its id is never reused."""
    _require_own(bank)
    contents = set_contents(bank)
    questions = [q for q in contents.questions if q["id"] != question.slug]
    sync_bank(replace(contents, questions=questions), bank.owner_id)


@retried
def restore_question(bank: Bank, question: Question) -> None:
    """Bring a retired question back, at the end of the set, if it still passes the rules."""
    _require_own(bank)
    if question.retired_at is None or question.current_version is None:
        return
    spec = dict(question.current_version.spec)
    check_question(bank, spec)
    contents = set_contents(bank)
    sync_bank(replace(contents, questions=[*contents.questions, spec]), bank.owner_id)


# ------------------------------------------------------------------------ source text


@retried
def attach_source(bank: Bank, text: str) -> None:
    """Make `text` the set's source: every quote of the set must be found in it.

    It replaces a named source (a copy of a bundled bank keeps quoting its article
    until then). Raise BankError, naming each question whose quote is not in the text.
    """
    _require_own(bank)
    text = text.strip()
    if not text:
        raise BankError([BankIssue(path=("text",), message="the source text is empty")])
    if "\x00" in text:
        message = "the source text must be plain text (it has a NUL)"
        raise BankError([BankIssue(path=("text",), message=message)])
    if len(text) > MAX_SOURCE_TEXT:
        message = f"the source text is too long (at most {MAX_SOURCE_TEXT:,} characters)"
        raise BankError([BankIssue(path=("text",), message=message)])
    contents = set_contents(bank)
    problems = [
        BankIssue(path=(question["id"], *problem.path), message=problem.message)
        for question in contents.questions
        for problem in quote_problems(text, question)
    ]
    if problems:
        raise BankError(problems)
    bank.source_text = text
    sync_bank(replace(contents, source=None), bank.owner_id)


@retried
def remove_source(bank: Bank) -> int:
    """Detach the set's source; a set without one has no quotes, so they go (new versions).

    Return how many questions lost their quotes.
    """
    _require_own(bank)
    contents = set_contents(bank)
    questions = [{k: v for k, v in q.items() if k != "quote"} for q in contents.questions]
    dropped = sum("quote" in q for q in contents.questions)
    bank.source_text = None
    sync_bank(replace(contents, source=None, questions=questions), bank.owner_id)
    return dropped


def has_source(bank: Bank) -> bool:
    """Tell whether the set's questions quote a source (a named document or its own text)."""
    return bool(bank.source or bank.source_text)


def own_source_problems(
    source: str | None, source_text: str | None, spec: dict[str, Any]
) -> list[BankIssue]:
    """Check a question's quotes against its set's own source text.

    A named `source` (a document in seeds/) is the loader's to check; a set with no
    source at all has no quotes.
    """
    if source or spec.get("quote") is None:
        return []
    if not source_text:
        return [BankIssue(path=("quote",), message=NO_SOURCE_QUOTE)]
    return quote_problems(source_text, spec)


def quote_problems(text: str, spec: dict[str, Any]) -> list[BankIssue]:
    """Return a problem for each quote of `spec` not found in `text`, white space ignored.

    The loader's rule for a source document, applied to a text held in the database.
    """
    quote = spec.get("quote")
    if isinstance(quote, str):
        passages: list[tuple[tuple, object]] = [(("quote",), quote)]
    elif isinstance(quote, list):
        passages = [(("quote", i), passage) for i, passage in enumerate(quote)]
    else:
        return []
    haystack = collapse_space(text)
    problems = []
    for path, passage in passages:
        if isinstance(passage, str) and collapse_space(passage) not in haystack:
            shown = shorten(collapse_space(passage), QUOTE_SHOWN)
            message = f'quote not found in the set\'s source text: "{shown}"'
            problems.append(BankIssue(path=path, message=message))
    return problems


def read_source_text(data: bytes) -> str:
    """Decode an uploaded source text: UTF-8, a BOM allowed; raise ReadError saying why not."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("a source text must be UTF-8 (this one is UTF-16: save it as UTF-8)", 1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        message = f"a source text must be UTF-8 (byte 0x{byte:02X} is not: is it Latin-1?)"
        raise ReadError(message, line) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ReadError("a source text must be plain text (it contains a NUL byte)", line)
    return text


# ------------------------------------------------------------------------------ slugs


def slugify(text: str, limit: int = 50) -> str:
    """Return a slug of the first words of `text` (accents dropped), at most `limit` long."""
    bare = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = ""
    for word in _WORD.findall(bare.lower()):
        candidate = f"{slug}-{word}" if slug else word[:limit]
        if len(candidate) > limit:
            break
        slug = candidate
    return slug


def unique_bank_slug(base: str) -> str:
    """Return `base`, or `base-2`, `base-3`...: the first slug no bank has (slugs are global)."""
    base = base[: MAX_SLUG - 6].rstrip("-") or "set"
    taken = set(
        db.session.scalars(
            select(Bank.slug).where(or_(Bank.slug == base, Bank.slug.startswith(f"{base}-")))
        )
    )
    return _first_free(base, taken)


def unique_question_slug(bank: Bank, base: str) -> str:
    """Return an id for a new question: free in the set, retired questions included."""
    taken = set(db.session.scalars(select(Question.slug).where(Question.bank_id == bank.id)))
    return _first_free(base or "question", taken)


def _first_free(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _require_own(bank: Bank) -> None:
    if bank.is_bundled:
        raise ReadOnlyBank(bank.slug)


# ------------------------------------------------------------- checking with the loader


def _within_question(problem: BankIssue) -> BankIssue:
    """Make a path into the one-question bank a path into the question."""
    if problem.path[:2] == ("questions", 0):
        return BankIssue(path=problem.path[2:], message=problem.message)
    return BankIssue(message=problem.message)
