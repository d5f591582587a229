"""flask --app quizapp banks check|load [PATHS]: validate bank files, then sync them."""

from __future__ import annotations

import contextlib
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from quizapp.banks.giveaways import find_giveaways
from quizapp.banks.loader import BankError, LoadedBank, expand_paths, load_bank_files
from quizapp.banks.sync import SyncReport, sync_bank
from quizapp.cli import create_schema
from quizapp.extensions import db
from quizapp.question_types import TYPES

#: A report names the questions of a kind when there are at most this many.
IDS_SHOWN = 5
#: Banks smaller than this load too fast for a progress bar to mean anything.
PROGRESS_FROM = 500

banks_cli = AppGroup("banks", help="Check and load question bank files.")

paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
sources_option = click.option(
    "--sources",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of source documents that quotes are checked against (default: SEEDS_DIR).",
)


@banks_cli.command("check")
@paths_argument
@sources_option
def check_command(paths: tuple[Path, ...], sources: Path | None) -> None:
    """Validate bank files (default: the questions folder) and count their questions.

    Questions that give each other's answers away without saying so (`excludes` or a
    shared `family`) are problems too: the command lists them and exits with status 1.
    """
    banks = _load_or_exit(paths, sources)
    click.echo(count_table(banks))
    if giveaways := find_giveaways(banks):
        for giveaway in giveaways:
            click.echo(str(giveaway), err=True)
        click.echo(f"{len(giveaways)} undeclared giveaway(s).", err=True)
        click.get_current_context().exit(1)


@banks_cli.command("load")
@paths_argument
@sources_option
def load_command(paths: tuple[Path, ...], sources: Path | None) -> None:
    """Validate bank files (default: the questions folder), then sync them into the database.

    Nothing is loaded unless every file is valid.
    """
    create_schema()
    banks = _load_or_exit(paths, sources)
    for giveaway in find_giveaways(banks):
        click.echo(f"warning: {giveaway}", err=True)
    for loaded in banks:
        with _progress(len(loaded.questions), f"Loading {loaded.slug}") as advance:
            report = sync_bank(loaded, progress=advance)
        db.session.commit()  # each bank whole: a later bank's error keeps this one
        click.echo(describe_report(report))


def _load_or_exit(paths: tuple[Path, ...], sources: Path | None) -> list[LoadedBank]:
    """Load every bank file, or print every issue to stderr and exit with status 1."""
    if not paths:
        paths = (_shown(current_app.config["QUESTIONS_DIR"]),)
    if not expand_paths(paths):
        click.echo(f"No bank files in {', '.join(map(str, paths))}.", err=True)
        click.get_current_context().exit(1)
    try:
        return load_bank_files(paths, sources_dir=sources or current_app.config["SEEDS_DIR"])
    except BankError as exc:
        for issue in exc.issues:
            click.echo(str(issue), err=True)
        files = len({issue.file for issue in exc.issues})
        problems = "problem" if len(exc.issues) == 1 else "problems"
        click.echo(
            f"{len(exc.issues)} {problems} in {files} file{'s' * (files != 1)}; "
            "nothing was loaded.",
            err=True,
        )
        click.get_current_context().exit(1)


def _shown(directory: str) -> Path:
    """Return `directory` relative to the working directory when inside it, for short messages."""
    path = Path(directory)
    with contextlib.suppress(ValueError):
        return path.resolve().relative_to(Path.cwd())
    return path


def count_table(banks: list[LoadedBank]) -> str:
    """Return an aligned table of questions per bank and type, with totals."""
    types = list(TYPES)
    counts = {bank.slug: Counter(q["type"] for q in bank.questions) for bank in banks}
    totals: Counter[str] = Counter()
    for counter in counts.values():
        totals.update(counter)
    header = ["bank", *types, "total"]
    rows = [
        [slug, *(str(counter[t]) for t in types), str(counter.total())]
        for slug, counter in counts.items()
    ]
    rows.append(["total", *(str(totals[t]) for t in types), str(totals.total())])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest])

    return "\n".join([line(header), *(line(row) for row in rows)])


def describe_report(report: SyncReport) -> str:
    """Return one line saying what a sync did: counts always, ids when few."""
    parts = []
    for kind in ("added", "changed", "retired", "restored"):
        ids = getattr(report, kind)
        part = f"{len(ids)} {kind}"
        if 0 < len(ids) <= IDS_SHOWN:
            part += f" ({', '.join(ids)})"
        parts.append(part)
    parts.append(f"{len(report.unchanged)} unchanged")
    return f"{report.bank}: {', '.join(parts)}"


@contextlib.contextmanager
def _progress(length: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """Yield a function that advances a progress bar, shown for a large bank on a terminal."""
    stream = sys.stderr  # the bar goes to stderr; stdout keeps the report
    if length < PROGRESS_FROM or not _is_terminal(stream):
        yield None
        return
    with click.progressbar(length=length, label=label, file=stream) as bar:
        yield bar.update


def _is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


@banks_cli.command("convert")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--bank", "slug", help="Slug of the bank made from a GIFT file (default: from the file name)."
)
@click.option(
    "--title", help="Title of the bank made from a GIFT file (default: from the file name)."
)
@sources_option
@click.option(
    "--to",
    "target",
    type=click.Choice(["anki", "gift", "xml", "yaml"]),
    help="What to write: GIFT, Moodle XML or a bank file (printed), or an Anki deck "
    "(.apkg, to -o). Default: GIFT for a bank file, a bank file for a GIFT or Moodle XML file.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file --to anki writes (OUT.apkg).",
)
def convert_command(
    file: Path,
    slug: str | None,
    title: str | None,
    sources: Path | None,
    target: str | None,
    output: Path | None,
) -> None:
    """Print a Moodle GIFT or Moodle XML file as a bank file (YAML), or a bank file as GIFT
    (or as Moodle XML with --to xml); with `--to anki -o OUT.apkg`, write either as an Anki
    deck instead.

    What a file holds that has no counterpart here (essays, descriptions) and what
    deserves a look goes to stderr; errors go there too, as file:line: message, and the
    command exits with status 1. What an export leaves out or loses goes to stderr too.
    """
    from quizapp.banks.loader import BANK_SUFFIXES

    if target == "anki" and output is None:
        raise click.UsageError("--to anki writes a file: name it with -o OUT.apkg")
    if output is not None and target != "anki":
        raise click.UsageError("-o names the file --to anki writes; the rest goes to stdout")
    name = str(file)
    if file.suffix in BANK_SUFFIXES:
        bank = _load_or_exit((file,), sources)[0]
    else:
        bank = _imported_or_exit(file, slug, title)
    if target == "anki":
        _write_anki(bank, output, sources)
        return
    _print_as(bank, target or ("gift" if file.suffix in BANK_SUFFIXES else "yaml"), name)


def _imported_or_exit(file: Path, slug: str | None, title: str | None) -> LoadedBank:
    """Read a GIFT file (a Moodle XML file by its .xml suffix) as a bank; on errors print
    them and exit with status 1."""
    from quizapp.banks.gift import GiftError, parse_gift, slugify
    from quizapp.banks.issues import nothing_to_import
    from quizapp.banks.moodle_xml import parse_moodle_xml
    from quizapp.banks.yaml_reader import MAX_BANK_BYTES

    name = str(file)
    try:
        with open(file, "rb") as handle:
            data = handle.read(MAX_BANK_BYTES + 1)
    except OSError as exc:
        click.echo(f"{name}: {exc.strerror or exc}", err=True)
        click.get_current_context().exit(1)
    words = " ".join(file.stem.replace("_", " ").replace("-", " ").split())
    parse, default = (parse_moodle_xml, "moodle") if file.suffix == ".xml" else (parse_gift, "gift")
    try:
        result = parse(data, name, bank=slug or slugify(words) or default,
                       title=title or words or default.upper())  # fmt: skip
    except GiftError as exc:
        _notes(name, exc.skipped, exc.warnings)
        for issue in exc.issues:
            click.echo(str(issue), err=True)
        problems = "problem" if len(exc.issues) == 1 else "problems"
        click.echo(f"{len(exc.issues)} {problems} in {name}; nothing was converted.", err=True)
        click.get_current_context().exit(1)
    _notes(name, result.skipped, result.warnings)
    if not result.bank.questions:
        click.echo(str(nothing_to_import(name, result.skipped)), err=True)
        click.get_current_context().exit(1)
    return result.bank


def _print_as(bank: LoadedBank, target: str, name: str) -> None:
    """Print the bank as GIFT, Moodle XML or a bank file; what the export leaves out or
    loses goes to stderr as file: note."""
    from quizapp.banks.gift import dump_gift
    from quizapp.banks.loader import dump_bank
    from quizapp.banks.moodle_xml_export import dump_moodle_xml

    notes: list[str] = []
    if target == "gift":
        click.echo(dump_gift(bank, notes), nl=False)
    elif target == "xml":
        data, notes = dump_moodle_xml(bank)
        click.echo(data.decode("utf-8"), nl=False)
    else:
        click.echo(dump_bank(bank), nl=False)
    for note in notes:
        click.echo(f"{name}: {note}", err=True)


def _write_anki(bank: LoadedBank, output: Path | None, sources: Path | None) -> None:
    """Write the bank as an Anki deck to `output`, its cards naming the bank's source."""
    from quizapp.banks.anki import bank_deck, package_bytes
    from quizapp.source.citations import source_title

    folder = sources or current_app.config["SEEDS_DIR"]
    deck = bank_deck(bank, source_title(bank.source, folder=folder))
    try:
        Path(output).write_bytes(package_bytes(deck))
    except OSError as exc:
        click.echo(f"{output}: {exc.strerror or exc}", err=True)
        click.get_current_context().exit(1)
    click.echo(f"{output}: {len(deck.notes)} notes in the deck “{deck.name}”.")


def _notes(name: str, skipped: list, warnings: list) -> None:
    """Print what a GIFT or Moodle XML import skipped and warns about, as file:line: message."""
    for item in skipped:
        click.echo(f"{name}:{item.line}: {item.message}", err=True)
    for warning in warnings:
        click.echo(f"{name}:{warning.line}: warning: {warning.message}", err=True)
