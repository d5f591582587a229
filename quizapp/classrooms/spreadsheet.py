"""CSV that opens cleanly in a spreadsheet, with no cell that runs as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

#: A cell starting with one of these may run as a formula in Excel, LibreOffice or
#: Google Sheets (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralise(value: object) -> object:
    """Return a cell that a spreadsheet shows as written, never as a formula.

    Text that starts with a formula character, even after spaces, gets a leading
    apostrophe, which spreadsheets read as "this is text". Numbers pass as numbers.
    """
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        text = str(value)
        if text.startswith(FORMULA_STARTS) or text.lstrip(" ").startswith(FORMULA_STARTS):
            return "'" + text
        return text
    return value


def to_csv(rows: Iterable[Iterable[object]]) -> bytes:
    """Write rows as UTF-8 CSV with a byte-order mark, so Excel reads the accents right."""
    return b"".join(csv_lines(rows))


def csv_lines(rows: Iterable[Iterable[object]]) -> Iterator[bytes]:
    """Yield `to_csv(rows)` a row at a time (the mark first), for a streamed download."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    out.write(BOM)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
        yield out.getvalue().encode("utf-8")
        out.seek(0)
        out.truncate()
