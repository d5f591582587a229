"""Importing a bank file as a new set: check and preview first, save on confirmation.

An upload is kept in the database between the preview and the confirmation, under
a random token and its teacher's id (never under its file name, and never trusted
from the client). It is read and checked once, when it arrives: what that found (the
bank as it will be imported, or every problem, and what GIFT skipped or warned about)
is kept with it, so that neither a preview nor the confirmation reads the file again.
Only the set's name is chosen anew each time (another set may have taken it meanwhile).
The import is all or nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import Any

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from quizapp.banks.gift import GiftError, GiftWarning, Skipped, parse_gift
from quizapp.banks.issues import nothing_to_import
from quizapp.banks.loader import BankError, BankIssue, LoadedBank, load_bank_with_lines
from quizapp.banks.moodle_xml import parse_moodle_xml
from quizapp.banks.yaml_reader import ReadError
from quizapp.extensions import db
from quizapp.models import Bank, PendingUpload, utcnow
from quizapp.sets.editing import (
    MAX_SOURCE_TEXT,
    MAX_TITLE,
    check_set_fields,
    own_source_problems,
    read_source_text,
    slugify,
    store_new_set,
    too_long_title,
    unique_bank_slug,
)

#: File endings read as bank files (YAML or JSON), as Moodle GIFT and as Moodle XML.
BANK_ENDINGS = (".yaml", ".yml", ".json")
GIFT_ENDINGS = (".gift", ".txt")
XML_ENDINGS = (".xml",)
#: An upload nobody confirmed is dropped after this long.
KEPT_FOR = dt.timedelta(days=1)
#: The longest file name shown back to the teacher.
_NAME_SHOWN = 200
#: The shape of what PendingUpload.checked holds; an upload kept by a version that wrote
#: another shape (or none) is checked again from its file when it is shown.
CHECKED_FORMAT = 1


class UnknownKind(ValueError):
    """A file that is neither a bank file nor a GIFT file, by its name's ending."""


@dataclass
class ImportPlan:
    """What confirming an upload will create: the set, and what the teacher should know."""

    bank: LoadedBank
    source_text: str | None = None
    notes: list[str] = field(default_factory=list)
    skipped: list[Any] = field(default_factory=list)
    warnings: list[Any] = field(default_factory=list)


class ImportFailed(Exception):
    """An upload with problems: every issue, and what GIFT skipped or warned about."""

    def __init__(
        self, issues: list[BankIssue], skipped: list[Any] = (), warnings: list[Any] = ()
    ) -> None:
        super().__init__("\n".join(str(issue) for issue in issues))
        self.issues = issues
        self.skipped = list(skipped)
        self.warnings = list(warnings)


def kind_of(filename: str) -> str:
    """Return "bank", "gift" or "xml" by the file name's ending; raise UnknownKind
    otherwise."""
    name = filename.lower()
    if name.endswith(BANK_ENDINGS):
        return "bank"
    if name.endswith(GIFT_ENDINGS):
        return "gift"
    if name.endswith(XML_ENDINGS):
        return "xml"
    raise UnknownKind(
        "Choose a question file ending in .yaml, .yml or .json (a bank file), "
        ".gift or .txt (Moodle GIFT) or .xml (Moodle XML)."
    )


def source_file_name(slug: str) -> str:
    """Return the name a set's own source text downloads as: capitals-source.txt."""
    return f"{slug}-source.txt"


def source_note(slug: str) -> str:
    """Say how a set's quotes find their source text again, for its YAML download."""
    return (
        f"The quotes of this set come from its source text, {source_file_name(slug)} (the "
        "set's page offers it): upload that file with this one."
    )


def shown_name(filename: str | None) -> str:
    """Return the last part of an uploaded file's name, for showing only."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name
    return name[:_NAME_SHOWN] or "upload"


def store_upload(
    owner_id: int,
    filename: str,
    data: bytes,
    *,
    title: str | None = None,
    source_name: str | None = None,
    source_data: bytes | None = None,
) -> PendingUpload:
    """Keep an upload until it is confirmed, read and checked once, with what the check
    found; raise UnknownKind for a file of no known kind."""
    kind = kind_of(filename)
    db.session.execute(delete(PendingUpload).where(PendingUpload.created_at < utcnow() - KEPT_FOR))
    upload = PendingUpload(
        token=secrets.token_urlsafe(32),
        owner_id=owner_id,
        filename=shown_name(filename),
        kind=kind,
        data=data,
        title=(title or "").strip()[:MAX_TITLE] or None,
        source_name=shown_name(source_name) if source_data is not None else None,
        source_data=source_data,
    )
    upload.checked = check_upload(upload)
    db.session.add(upload)
    db.session.flush()
    return upload


def pending_upload(token: str, owner_id: int, *, for_update: bool = False) -> PendingUpload | None:
    """Return the teacher's own pending upload with this token, if it is still kept.

    `for_update` locks it, so that of two confirmations sent at once (a double click)
    the second waits, then finds it gone.
    """
    query = select(PendingUpload).where(
        PendingUpload.token == token,
        PendingUpload.owner_id == owner_id,
        PendingUpload.created_at >= utcnow() - KEPT_FOR,
    )
    return db.session.scalar(query.with_for_update() if for_update else query)


def prepare_import(upload: PendingUpload) -> ImportPlan:
    """Return what confirming the upload will create, from what its check found; raise
    ImportFailed with every issue. Only the set's name is looked up again."""
    checked = upload.checked
    if not isinstance(checked, dict) or checked.get("format") != CHECKED_FORMAT:
        checked = check_upload(upload)  # kept by an earlier version: checked now, not kept
    skipped = [Skipped(**item) for item in checked["skipped"]]
    warnings = [GiftWarning(**item) for item in checked["warnings"]]
    if "issues" in checked:
        issues = [BankIssue(**item) for item in checked["issues"]]
        raise ImportFailed(issues, skipped, warnings)
    bank = LoadedBank(**checked["bank"], file=upload.filename)
    plan = ImportPlan(bank, checked["source_text"], list(checked["notes"]), skipped, warnings)
    slug = unique_bank_slug(bank.slug)
    if slug != bank.slug:
        if upload.kind == "bank":  # a Moodle file's name comes from its title: no surprise
            plan.notes.append(
                f"A set called '{bank.slug}' exists already, so the new set will be '{slug}'."
            )
        plan.bank = replace(bank, slug=slug)
    return plan


def check_upload(upload: PendingUpload) -> dict[str, Any]:
    """Read and check an upload as the set it would become, whatever sets exist now;
    return what was found as JSON for PendingUpload.checked."""
    try:
        plan = _check(upload)
    except ImportFailed as exc:
        return {
            "format": CHECKED_FORMAT,
            "issues": [dataclasses.asdict(issue) for issue in exc.issues],
            "skipped": [dataclasses.asdict(item) for item in exc.skipped],
            "warnings": [dataclasses.asdict(item) for item in exc.warnings],
        }
    bank = plan.bank
    return {
        "format": CHECKED_FORMAT,
        "bank": {
            "slug": bank.slug,
            "title": bank.title,
            "description": bank.description,
            "source": bank.source,
            "questions": bank.questions,
        },
        "source_text": plan.source_text,
        "notes": plan.notes,
        "skipped": [dataclasses.asdict(item) for item in plan.skipped],
        "warnings": [dataclasses.asdict(item) for item in plan.warnings],
    }


def _check(upload: PendingUpload) -> ImportPlan:
    source_text = None
    if upload.source_data is not None:
        name = upload.source_name or "source text"
        try:
            source_text = read_source_text(upload.source_data).strip() or None
        except ReadError as exc:
            raise ImportFailed([BankIssue(name, exc.line, None, None, exc.message)]) from None
        if source_text is not None and len(source_text) > MAX_SOURCE_TEXT:
            message = f"the source text is too long (at most {MAX_SOURCE_TEXT:,} characters)"
            raise ImportFailed([BankIssue(name, None, None, None, message)])
    if upload.kind in _MOODLE_READERS:
        plan = _check_moodle_file(upload, source_text)
    else:
        plan = _check_bank_file(upload, source_text)
    if not plan.bank.questions:
        # Refused, not previewed as "no problems": the set would be empty.
        issue = nothing_to_import(upload.filename, plan.skipped)
        raise ImportFailed([issue], plan.skipped, plan.warnings)
    return plan


def confirm_upload(upload: PendingUpload, owner_id: int) -> tuple[Bank, ImportPlan]:
    """Check the upload again and import it as a new set, all or nothing; drop the upload.

    Raise ImportFailed when it has problems (nothing is saved then).
    """
    try:
        with db.session.begin_nested():
            plan = prepare_import(upload)
            db.session.delete(upload)
            return import_upload(plan, owner_id), plan
    except IntegrityError:
        # Someone took the slug a moment ago (on a database server): pick another.
        plan = prepare_import(upload)
        db.session.delete(upload)
        return import_upload(plan, owner_id), plan


def import_upload(plan: ImportPlan, owner_id: int) -> Bank:
    """Create the set of a checked upload (the caller commits)."""
    return store_new_set(plan.bank, owner_id, plan.source_text)


def _check_bank_file(upload: PendingUpload, source_text: str | None) -> ImportPlan:
    try:
        loaded, document = load_bank_with_lines(
            upload.data,
            upload.filename,
            sources_dir=current_app.config["SEEDS_DIR"],
        )
    except BankError as exc:
        raise ImportFailed(exc.issues) from None
    issues = []

    def issue(path: tuple, question_id: str | None, message: str) -> None:
        line = document.line_of(path)
        issues.append(BankIssue(upload.filename, line, loaded.slug, question_id, message))

    if len(loaded.title) > MAX_TITLE:
        issue(("title",), None, too_long_title())
    plan = ImportPlan(loaded, source_text)
    if loaded.source and source_text is not None:
        plan.notes.append(
            f"The file quotes the source '{loaded.source}', so the source text you "
            "uploaded is not used."
        )
        plan.source_text = None
    quoting = [q for q in loaded.questions if q.get("quote") is not None]
    if quoting and not loaded.source and plan.source_text is None:
        # One message for the file, not one a question: the whole text is missing.
        issues.append(BankIssue(upload.filename, None, None, None, _missing_source(loaded)))
        quoting = []
    for index, question in enumerate(loaded.questions):
        if question not in quoting:
            continue
        for problem in own_source_problems(loaded.source, plan.source_text, question):
            issue(("questions", index, *(problem.path or ())), question["id"], problem.message)
    if issues:
        raise ImportFailed(sorted(issues, key=lambda i: i.line or 0))
    return plan


def _missing_source(loaded: LoadedBank) -> str:
    return (
        "its questions quote a source text, and none came with the file: choose it in "
        f"'Source text' and upload both (a set downloaded from here has its text on the "
        f"set's page, as {source_file_name(loaded.slug)})"
    )


#: How each Moodle format is read: GIFT as Moodle reads it, Moodle XML likewise.
_MOODLE_READERS = {"gift": parse_gift, "xml": parse_moodle_xml}


def _check_moodle_file(upload: PendingUpload, source_text: str | None) -> ImportPlan:
    """Read a GIFT or Moodle XML upload as a set titled by the teacher (or its file name)."""
    title = upload.title or _title_from(upload.filename)
    try:
        title, _ = check_set_fields(title, None)
    except BankError as exc:
        issues = [BankIssue("title", None, None, None, p.message) for p in exc.issues]
        raise ImportFailed(issues) from None
    # The name the set would have if no other set had it; prepare_import finds a free one.
    slug = slugify(title) or upload.kind
    try:
        parse = _MOODLE_READERS[upload.kind]
        result = parse(upload.data, upload.filename, bank=slug, title=title)
    except GiftError as exc:
        raise ImportFailed(exc.issues, exc.skipped, exc.warnings) from None
    return ImportPlan(
        result.bank,
        source_text,
        skipped=list(result.skipped),
        warnings=list(result.warnings),
    )


def _title_from(filename: str) -> str:
    stem = PurePosixPath(filename).stem.replace("_", " ").replace("-", " ")
    return " ".join(stem.split())[:MAX_TITLE] or "Imported questions"
