"""Load bank files: read, validate, check against the source, and report every problem.

One loader serves the bundled banks, the command line and teachers' uploads. A bank
loads whole or not at all: any problem raises BankError listing all of them, each
as `file:line: bank/id: message`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from quizapp.banks.issues import BankError, BankIssue
from quizapp.banks.schema import validate_bank
from quizapp.banks.yaml_reader import MAX_BANK_BYTES, Document, ReadError, read_document

BANK_SUFFIXES = (".yaml", ".yml", ".json")
SOURCE_SUFFIXES = (".txt", ".md")
_QUOTE_SHOWN = 60
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class LoadedBank:
    """A valid bank: its fields and its questions as normalised dicts, in file order."""

    slug: str
    title: str
    description: str | None
    source: str | None
    questions: list[dict[str, Any]]
    # Where it came from, for messages only: two loads of the same bank compare equal.
    file: str = field(default="", compare=False)
    bank_line: int | None = field(default=None, compare=False, repr=False)
    question_lines: tuple[int | None, ...] = field(default=(), compare=False, repr=False)

    def line_of_question(self, index: int) -> int | None:
        """Return the line where question `index` starts in its file, when known."""
        return self.question_lines[index] if index < len(self.question_lines) else None


class Sources:
    """Source documents by stem, read once and with white space collapsed for matching."""

    def __init__(self, directory: str | os.PathLike | None) -> None:
        self.directory = Path(directory) if directory is not None else None
        self._texts: dict[str, str | None] = {}

    def text(self, stem: str) -> str | None:
        """Return the normalised text of document `stem`, or None when there is none."""
        if stem not in self._texts:
            self._texts[stem] = self._read(stem)
        return self._texts[stem]

    def _read(self, stem: str) -> str | None:
        if self.directory is None:
            return None
        for suffix in SOURCE_SUFFIXES:
            # `stem` passed the slug check, so it cannot climb out of the directory.
            path = self.directory / f"{stem}{suffix}"
            if path.is_file():
                return collapse_space(path.read_text(encoding="utf-8"))
        return None


def collapse_space(text: str) -> str:
    """Return `text` with every run of white space made one space, and trimmed."""
    return " ".join(text.split())


def load_bank(
    data: bytes, filename: str, *, sources_dir: str | os.PathLike | Sources | None
) -> LoadedBank:
    """Read, validate and check one bank file's bytes; raise BankError with every issue."""
    return load_bank_with_lines(data, filename, sources_dir=sources_dir)[0]


def load_bank_with_lines(
    data: bytes, filename: str, *, sources_dir: str | os.PathLike | Sources | None
) -> tuple[LoadedBank, Document]:
    """Load a bank as load_bank does; also return the document read, whose lines further
    checks can point at without reading the file again."""
    sources = sources_dir if isinstance(sources_dir, Sources) else Sources(sources_dir)
    try:
        document = read_document(data, filename)
    except ReadError as exc:
        raise BankError([BankIssue(filename, exc.line, None, None, exc.message)]) from None
    return check_bank(document.data, sources_dir=sources, filename=filename, document=document), (
        document
    )


def check_bank(
    data: Any,
    *,
    sources_dir: str | os.PathLike | Sources | None,
    filename: str = "",
    document: Document | None = None,
) -> LoadedBank:
    """Check a bank's data (a dict as a bank file holds it) by every rule of the contract:
    the one way a bank is validated, for files, uploads, GIFT and the set editor alike.

    Return the bank, normalised; raise BankError with every issue, each with its path and,
    when the data was read from a file (`document`), its line.
    """
    sources = sources_dir if isinstance(sources_dir, Sources) else Sources(sources_dir)
    return _BankCheck(document or Document(data), filename, sources).run()


def load_bank_file(
    path: str | os.PathLike, *, sources_dir: str | os.PathLike | Sources | None
) -> LoadedBank:
    """Load one bank file from disk (see load_bank)."""
    name = os.fspath(path)
    return load_bank(_read_file(name), name, sources_dir=sources_dir)


def load_bank_files(
    paths: Iterable[str | os.PathLike], *, sources_dir: str | os.PathLike | None
) -> list[LoadedBank]:
    """Load every bank file in `paths` (a directory means its bank files, sorted).

    Raise one BankError with every issue of every file, including a bank slug that
    two files use; nothing is returned unless every file is fine.
    """
    sources = Sources(sources_dir)
    issues: list[BankIssue] = []
    banks: list[LoadedBank] = []
    first_file: dict[str, str] = {}
    for path in expand_paths(paths):
        name = os.fspath(path)
        try:
            bank = load_bank(_read_file(name), name, sources_dir=sources)
        except BankError as exc:
            issues.extend(exc.issues)
            continue
        if bank.slug in first_file:
            message = f"bank '{bank.slug}' is already defined in {first_file[bank.slug]}"
            issues.append(BankIssue(name, bank.bank_line, bank.slug, None, message))
            continue
        first_file[bank.slug] = name
        banks.append(bank)
    issues.extend(_unknown_exclusions(banks))
    if issues:
        raise BankError(issues)
    return banks


def _unknown_exclusions(banks: list[LoadedBank]) -> list[BankIssue]:
    """Return an issue for each `excludes` naming a question missing from a bank loaded
    here (a bank not loaded with them cannot be checked)."""
    ids = {bank.slug: {q["id"] for q in bank.questions} for bank in banks}
    issues = []
    for bank in banks:
        for index, question in enumerate(bank.questions):
            for ref in question.get("excludes") or ():
                other, _, name = ref.rpartition("/")
                if other and other != bank.slug and other in ids and name not in ids[other]:
                    line = bank.line_of_question(index)
                    message = f"excludes '{ref}', which is not a question of bank '{other}'"
                    issues.append(BankIssue(bank.file, line, bank.slug, question["id"], message))
    return issues


def expand_paths(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """Return the files named, a directory standing for its bank files in name order."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(
                sorted(p for p in path.iterdir() if p.suffix in BANK_SUFFIXES and p.is_file())
            )
        else:
            files.append(path)
    return files


def _read_file(name: str) -> bytes:
    """Read at most one byte over the limit: the reader refuses the file before parsing."""
    try:
        with open(name, "rb") as handle:
            return handle.read(MAX_BANK_BYTES + 1)
    except OSError as exc:
        raise BankError([BankIssue(name, None, None, None, exc.strerror or str(exc))]) from None


class _BankCheck:
    """Every check of one parsed file, collecting issues rather than stopping at the first."""

    def __init__(self, document: Document, filename: str, sources: Sources) -> None:
        self.document = document
        self.filename = filename
        self.sources = sources
        self.issues: list[BankIssue] = []
        data = document.data if isinstance(document.data, dict) else {}
        self.slug = _slug_or_none(data.get("bank"))
        questions = data.get("questions")
        self.questions = questions if isinstance(questions, list) else []

    def run(self) -> LoadedBank:
        spec, problems = validate_bank(self.document.data)
        for problem in problems:
            self.report(problem.path, problem.message)
        self.check_ids()
        self.check_exclusions()
        self.check_quotes()
        if self.issues or spec is None:
            self.issues.sort(key=lambda issue: issue.line or 0)
            raise BankError(self.issues)
        return LoadedBank(
            slug=spec.bank,
            title=spec.title,
            description=spec.description,
            source=spec.source,
            questions=[q.model_dump(mode="json", exclude_none=True) for q in spec.questions],
            file=self.filename,
            bank_line=self.document.line_of(("bank",)),
            question_lines=tuple(
                self.document.line_of(("questions", i)) for i in range(len(spec.questions))
            ),
        )

    def report(self, path: tuple, message: str) -> None:
        question_id = None
        if len(path) >= 2 and path[0] == "questions" and isinstance(path[1], int):
            question = self.questions[path[1]]
            if isinstance(question, dict):
                question_id = _slug_or_none(question.get("id"))
        line = self.document.line_of(path)
        self.issues.append(
            BankIssue(self.filename, line, self.slug, question_id, message, tuple(path))
        )

    def check_ids(self) -> None:
        """Ids are unique in the bank: the second use is the mistake."""
        first_line: dict[str, int | None] = {}
        for index, question in enumerate(self.questions):
            if not isinstance(question, dict) or not isinstance(question.get("id"), str):
                continue
            path = ("questions", index, "id")
            if question["id"] in first_line:
                where = first_line[question["id"]]
                first = f" (first used at line {where})" if where is not None else ""
                self.report(path, f"duplicate id '{question['id']}'{first}")
            else:
                first_line[question["id"]] = self.document.line_of(path)

    def check_exclusions(self) -> None:
        """`excludes` names other questions: of this bank (checked here), or of another
        bank (checked when banks are loaded together, see load_bank_files)."""
        # Only text ids count: an id that is a list or a mapping is the schema's error.
        ids = {
            q["id"] for q in self.questions if isinstance(q, dict) and isinstance(q.get("id"), str)
        }
        for index, question in enumerate(self.questions):
            refs = question.get("excludes") if isinstance(question, dict) else None
            if not isinstance(refs, list):
                continue
            for i, ref in enumerate(refs):
                if not isinstance(ref, str) or ("/" in ref and ref.split("/")[0] != self.slug):
                    continue
                name = ref.rsplit("/", 1)[-1]
                path = ("questions", index, "excludes", i)
                if name == question.get("id"):
                    self.report(path, "a question cannot exclude itself")
                elif name not in ids:
                    self.report(path, f"excludes '{ref}', which is not a question of this bank")

    def check_quotes(self) -> None:
        """A bank with a source quotes it in every question, word for word."""
        data = self.document.data
        stem = data.get("source") if isinstance(data, dict) else None
        if _slug_or_none(stem) is None:
            return  # no source, or a bad slug that the schema already reported
        text = self.sources.text(stem)
        if text is None:
            tried = " or ".join(f"{stem}{suffix}" for suffix in SOURCE_SUFFIXES)
            self.report(("source",), f"source document '{stem}' not found (looked for {tried})")
            return
        for index, question in enumerate(self.questions):
            if not isinstance(question, dict):
                continue
            quote = question.get("quote")
            if quote is None:
                message = "missing field 'quote' (every question quotes the bank's source)"
                self.report(("questions", index), message)
                continue
            passages = [(("questions", index, "quote"), quote)]
            if isinstance(quote, list):
                passages = [(("questions", index, "quote", i), q) for i, q in enumerate(quote)]
            for path, passage in passages:
                if isinstance(passage, str) and collapse_space(passage) not in text:
                    shown = _beginning(collapse_space(passage))
                    self.report(path, f"quote not found in source '{stem}': \"{shown}\"")


def _slug_or_none(value: object) -> str | None:
    """Return `value` when it is a slug; messages name banks and questions by slug only."""
    return value if isinstance(value, str) and _SLUG.fullmatch(value) else None


def _beginning(text: str) -> str:
    """Return the start of `text`, cut at a word, enough to find it in the file."""
    if len(text) <= _QUOTE_SHOWN:
        return text
    return text[:_QUOTE_SHOWN].rsplit(" ", 1)[0] + "…"


def dump_bank(loaded: LoadedBank) -> str:
    """Write a loaded bank back as YAML that loads as the same bank."""
    bank: dict[str, Any] = {"bank": loaded.slug, "title": loaded.title}
    if loaded.description is not None:
        bank["description"] = loaded.description
    if loaded.source is not None:
        bank["source"] = loaded.source
    bank["questions"] = loaded.questions
    return yaml.safe_dump(bank, allow_unicode=True, sort_keys=False, width=100)
