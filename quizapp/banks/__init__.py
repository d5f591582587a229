"""Question bank files: read them safely, validate them, and sync them into the database.

reader (bytes to plain data with lines) → schema (the file's shape) → loader (every
rule of the contract, every issue at once) → sync (versions in the database) → cli.
"""

from quizapp.banks.loader import (
    BankError,
    BankIssue,
    LoadedBank,
    dump_bank,
    load_bank,
    load_bank_file,
    load_bank_files,
)
from quizapp.banks.sync import SyncReport, sync_bank, sync_banks


def init_app(app) -> None:
    """Add the `banks` commands (check, load, convert)."""
    from quizapp.banks.cli import banks_cli

    app.cli.add_command(banks_cli)


__all__ = [
    "BankError",
    "BankIssue",
    "LoadedBank",
    "SyncReport",
    "dump_bank",
    "load_bank",
    "load_bank_file",
    "load_bank_files",
    "sync_bank",
    "sync_banks",
]
