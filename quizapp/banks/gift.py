"""Moodle GIFT files: import them as a bank (`parse_gift`) and export a bank (`dump_gift`).

A GIFT file is read as Moodle's importer reads it (gift_parse), each question mapped
onto the quizapp type it means, and the result validated by the same schema as a YAML
bank file, so the same rules and messages apply. What quizapp has no counterpart for
(essay, description, a question no answer of which is fully right) is listed as
skipped; what Moodle reads in a way the teacher may not mean is listed as a warning.
See docs/question-banks.md, "Moodle GIFT".
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from quizapp.banks.gift_export import dump_gift
from quizapp.banks.gift_map import Mapper, Skipped, slugify
from quizapp.banks.gift_parse import Note, has_placeholder, read_gift
from quizapp.banks.loader import BankError, BankIssue, LoadedBank
from quizapp.banks.schema import validate_bank
from quizapp.banks.yaml_reader import MAX_BANK_BYTES, Document

logger = logging.getLogger(__name__)

__all__ = [
    "GiftError",
    "GiftImport",
    "GiftWarning",
    "Skipped",
    "dump_gift",
    "parse_gift",
    "slugify",
]

# Characters no text file holds: C0 and C1 controls (tab and line ends aside).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class GiftWarning:
    """Something Moodle reads in a way the teacher may not mean, or quizapp reads apart."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class GiftImport:
    """A GIFT file read as a bank, with what was skipped and what deserves a look."""

    bank: LoadedBank
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[GiftWarning] = field(default_factory=list)


class GiftError(BankError):
    """A GIFT file that cannot be imported; skipped and warnings as far as it was read."""

    def __init__(
        self, issues: list[BankIssue], skipped: list[Skipped], warnings: list[GiftWarning]
    ) -> None:
        super().__init__(issues)
        self.skipped = skipped
        self.warnings = warnings


def parse_gift(data: bytes, filename: str, *, bank: str, title: str) -> GiftImport:
    """Read a GIFT file as bank `bank` titled `title`; raise GiftError (a BankError) with
    every issue, each with its line. Never raises anything else, whatever the bytes."""
    try:
        return _parse(data, filename, bank, title)
    except GiftError:
        raise
    except Exception:
        # A defect of ours must not become a server error on a teacher's upload.
        logger.exception("GIFT import of %r failed", filename)
        message = "the file could not be read: this is a fault in quizapp, please report it"
        raise GiftError([BankIssue(filename, None, None, None, message)], [], []) from None


def _parse(data: bytes, filename: str, bank: str, title: str) -> GiftImport:
    try:
        text = decode_gift(data)
    except _DecodeError as exc:
        issue = BankIssue(filename, exc.line, _slug_or_none(bank), None, exc.message)
        raise GiftError([issue], [], []) from None
    reading = read_gift(text)
    mapper = Mapper(reading.warnings)
    for item in reading.readings:
        mapper.add(item)
    mapper.assign_ids()
    errors = [*reading.errors, *mapper.errors]
    if not errors and reading.blocks == 0:
        errors.append(Note(1, "the file holds no questions"))
    data_ = {"bank": bank, "title": title, "questions": [q for q, _ in mapper.questions]}
    lines: dict[tuple, int] = {}
    for index, (_, places) in enumerate(mapper.questions):
        for path, line in places.items():
            lines[("questions", index, *path)] = line
    document = Document(data_, lines)
    spec, problems = validate_bank(data_)
    issues = [BankIssue(filename, n.line, _slug_or_none(bank), None, n.message) for n in errors]
    for problem in problems:
        question_id = None
        if len(problem.path) >= 2 and problem.path[0] == "questions":
            question_id = mapper.questions[problem.path[1]][0]["id"]
        line = document.line_of(problem.path)
        issues.append(BankIssue(filename, line, _slug_or_none(bank), question_id, problem.message))
    warnings = [GiftWarning(n.line, n.message) for n in _unique(reading.warnings)]
    return finished_import(filename, spec, issues, mapper.skipped, warnings)


class _DecodeError(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


#: The error decode_gift raises: a message and a line (the Moodle XML importer shares it).
DecodeError = _DecodeError


def decode_gift(data: bytes) -> str:
    """Return the file's text: UTF-8 only (a BOM dropped), no NUL or control characters."""
    if len(data) > MAX_BANK_BYTES:
        limit = MAX_BANK_BYTES // (1024 * 1024)
        raise _DecodeError(f"file is larger than the {limit} MiB limit", None)
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        raise _DecodeError("file must be UTF-8 (it is UTF-16 or UTF-32: save it as UTF-8)", 1)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_at(data[: exc.start].decode("utf-8", "replace"))
        raise _DecodeError(
            f"file must be UTF-8 (byte 0x{data[exc.start]:02X} is not UTF-8: "
            "was it saved as Latin-1 or Windows-1252?)",
            line,
        ) from None
    bad = _FORBIDDEN.search(text) or has_placeholder(text)
    if bad is not None:
        line = _line_at(text[: bad.start()])
        if bad.group() == "\x00":
            message = "file contains a NUL byte: it must be UTF-8 text (is it UTF-16?)"
        else:
            message = f"file contains the control character U+{ord(bad.group()):04X}"
        raise _DecodeError(message, line)
    return text


def _line_at(before: str) -> int:
    """Return the line that follows `before` (lines end with \\n, \\r\\n or \\r)."""
    return len(re.findall(r"\r\n|\r|\n", before)) + 1


def _slug_or_none(value: str) -> str | None:
    return (
        value
        if isinstance(value, str) and re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value)
        else None
    )


def _unique(notes: list[Note]) -> list[Note]:
    return list(dict.fromkeys(notes))


def finished_import(filename, spec, issues, skipped, warnings) -> GiftImport:
    """Return what a Moodle file (GIFT or XML) imports as, in line order; raise GiftError
    with every issue, skip and warning when it has issues or no bank."""
    warnings.sort(key=lambda warning: warning.line)
    skipped = sorted(skipped, key=lambda item: item.line)
    if issues or spec is None:
        issues.sort(key=lambda issue: issue.line or 0)
        raise GiftError(issues, skipped, warnings)
    loaded = LoadedBank(
        slug=spec.bank,
        title=spec.title,
        description=None,
        source=None,
        questions=[q.model_dump(mode="json", exclude_none=True) for q in spec.questions],
        file=filename,
    )
    return GiftImport(loaded, skipped, warnings)
