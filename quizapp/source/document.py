"""A source text as a readable document, with the passages that questions quote marked.

The source files use a little wiki markup: `= Title =`, `==Section==`,
`===Subsection===`, paragraphs separated by blank lines, table rows `| a | b |`
(the first row is the header) and list items `- item`. Quotes are matched the way
the bank loader checks them: with every run of white space made one space, so a
passage is found wherever the loader found it, line breaks or not.

Everything here is pure: text in, a tree of blocks out, for a template to draw.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from quizapp.banks.loader import collapse_space

_HEADING = re.compile(r"(=+)\s*(.*?)\s*\1")
_SLUG_PART = re.compile(r"[^a-z0-9]+")


def passage_key(quote: str) -> str:
    """Return the short stable key of a passage: the same for any spacing of its words."""
    return hashlib.sha256(collapse_space(quote).encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Piece:
    """A piece of a run of text: plain text, marked (quoted) text, or a passage's anchor
    (where it starts) or reference (where it ends, linking to its questions)."""

    kind: str  # "text", "mark", "anchor" or "ref"
    text: str = ""
    key: str = ""
    number: int = 0


@dataclass
class Run:
    """A stretch of text shown as one: a heading, a paragraph, a table cell, a list item.

    `start` and `end` are positions in the document's collapsed text."""

    start: int
    end: int
    pieces: list[Piece] = field(default_factory=list)


@dataclass
class Block:
    """A heading, paragraph, table or list, and the passages whose notes follow it."""

    kind: str  # "h1", "h2", "h3", "h4", "p", "table" or "ul"
    rows: list[list[Run]]  # one row of one run for headings and paragraphs
    id: str | None = None
    notes: list[str] = field(default_factory=list)  # keys of passages ending here

    @property
    def run(self) -> Run:
        return self.rows[0][0]

    @property
    def text(self) -> str:
        return " ".join(piece.text for row in self.rows for run in row for piece in run.pieces)


@dataclass(frozen=True)
class Passage:
    """A quoted passage found in the document: its number, key and where it is."""

    key: str
    number: int
    text: str
    spans: tuple[tuple[int, int], ...]  # every occurrence, in the collapsed text


@dataclass
class Document:
    """A source text laid out in blocks, with its quoted passages."""

    title: str
    blocks: list[Block]
    passages: dict[str, Passage]  # by key, in the order they appear
    missing: list[str]  # quotes given that the text does not contain

    @property
    def headings(self) -> list[Block]:
        return [b for b in self.blocks if b.kind in ("h2", "h3", "h4") and b.id]


def read_document(raw: str, quotes: Iterable[str] = ()) -> Document:
    """Lay out `raw` in blocks and mark every occurrence of each quote in it."""
    collapsed, positions = _collapse_with_positions(raw)
    blocks = _parse_blocks(raw, positions)
    runs = [run for block in blocks for row in block.rows for run in row]
    passages, missing = _find_passages(collapsed, quotes)
    _mark(runs, collapsed, passages)
    ends = {key: _last_run(runs, p.spans[0]) for key, p in passages.items()}
    owner = {id(run): block for block in blocks for row in block.rows for run in row}
    for key in passages:
        if ends[key] is not None:
            owner[id(ends[key])].notes.append(key)
    title = next((b.text for b in blocks if b.kind == "h1"), "Source")
    return Document(title, blocks, passages, missing)


def title_of(raw: str) -> str | None:
    """Return the title a source text gives itself (its first `= Title =` line), or None."""
    for line in raw.splitlines():
        heading = _HEADING.fullmatch(line.strip())
        if heading and len(heading.group(1)) == 1 and heading.group(2):
            return heading.group(2)
    return None


def _collapse_with_positions(raw: str) -> tuple[str, list[int]]:
    """Return the collapsed text and, for each character of `raw`, its position there."""
    positions = [0] * len(raw)
    length, space_pending = 0, False
    for index, char in enumerate(raw):
        if char.isspace():
            space_pending = length > 0
            positions[index] = length
            continue
        if space_pending:
            length += 1
            space_pending = False
        positions[index] = length
        length += 1
    collapsed = collapse_space(raw)
    assert len(collapsed) == length  # the same rule as the loader's, character for character
    return collapsed, positions


def _run(raw: str, positions: list[int], start: int, end: int) -> Run | None:
    """Return the run of raw[start:end] without its outer white space; None if empty."""
    while start < end and raw[start].isspace():
        start += 1
    while end > start and raw[end - 1].isspace():
        end -= 1
    if start == end:
        return None
    return Run(positions[start], positions[end - 1] + 1)


def _slug(text: str, taken: set[str]) -> str:
    base = _SLUG_PART.sub("-", text.casefold()).strip("-") or "section"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _parse_blocks(raw: str, positions: list[int]) -> list[Block]:
    blocks: list[Block] = []
    taken: set[str] = set()
    paragraph: list[tuple[int, int]] = []  # raw spans of the current paragraph's lines

    def close_paragraph() -> None:
        if paragraph:
            run = _run(raw, positions, paragraph[0][0], paragraph[-1][1])
            if run is not None:
                blocks.append(Block("p", [[run]]))
            paragraph.clear()

    offset = 0
    for line in raw.splitlines(keepends=True):
        start, end = offset, offset + len(line.rstrip("\r\n"))
        offset += len(line)
        text = raw[start:end].strip()
        lead = start + (len(raw[start:end]) - len(raw[start:end].lstrip()))
        heading = _HEADING.fullmatch(text)
        if not text:
            close_paragraph()
        elif heading:
            close_paragraph()
            inner = lead + heading.start(2)
            run = _run(raw, positions, inner, inner + len(heading.group(2)))
            if run is not None:
                level = min(len(heading.group(1)), 4)
                block = Block(f"h{level}", [[run]])
                if level > 1:
                    block.id = _slug(heading.group(2), taken)
                blocks.append(block)
        elif text.startswith("|"):
            close_paragraph()
            cells, cell_start = [], lead + 1
            for match in re.finditer(r"\|", text[1:]):
                cell_end = lead + 1 + match.start()
                cells.append(_run(raw, positions, cell_start, cell_end) or Run(0, 0))
                cell_start = cell_end + 1
            if cell_start < end:  # a row without its closing bar
                cells.append(_run(raw, positions, cell_start, end) or Run(0, 0))
            if blocks and blocks[-1].kind == "table":
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Block("table", [cells]))
        elif text.startswith("- "):
            close_paragraph()
            run = _run(raw, positions, lead + 2, end)
            if run is None:
                continue
            if blocks and blocks[-1].kind == "ul":
                blocks[-1].rows.append([run])
            else:
                blocks.append(Block("ul", [[run]]))
        else:
            paragraph.append((start, end))
    close_paragraph()
    return blocks


def _find_passages(collapsed: str, quotes: Iterable[str]) -> tuple[dict[str, Passage], list[str]]:
    found: list[tuple[int, str, str, tuple[tuple[int, int], ...]]] = []
    missing: list[str] = []
    seen: set[str] = set()
    for quote in quotes:
        text = collapse_space(quote)
        key = passage_key(text)
        if not text or key in seen:
            continue
        seen.add(key)
        spans, at = [], collapsed.find(text)
        while at != -1:
            spans.append((at, at + len(text)))
            at = collapsed.find(text, at + 1)
        if spans:
            found.append((spans[0][0], key, text, tuple(spans)))
        else:
            missing.append(quote)
    found.sort(key=lambda f: (f[0], -len(f[2])))  # document order; the longer first
    passages = {
        key: Passage(key, number, text, spans)
        for number, (_, key, text, spans) in enumerate(found, start=1)
    }
    return passages, missing


def _first_run(runs: list[Run], span: tuple[int, int]) -> Run | None:
    return next((r for r in runs if r.end > span[0] and r.start < span[1]), None)


def _last_run(runs: list[Run], span: tuple[int, int]) -> Run | None:
    return next((r for r in reversed(runs) if r.end > span[0] and r.start < span[1]), None)


def _mark(runs: list[Run], collapsed: str, passages: dict[str, Passage]) -> None:
    """Cut each run at every passage boundary; mark what is quoted; place anchors and refs."""
    anchors: dict[tuple[int, int], list[str]] = {}  # (id of run, position) -> keys
    refs: dict[tuple[int, int], list[Passage]] = {}
    covering: list[tuple[int, int]] = []
    for passage in passages.values():
        covering.extend(passage.spans)
        first = _first_run(runs, passage.spans[0])
        if first is not None:
            anchors.setdefault((id(first), max(first.start, passage.spans[0][0])), []).append(
                passage.key
            )
        for span in passage.spans:
            last = _last_run(runs, span)
            if last is not None:
                refs.setdefault((id(last), min(last.end, span[1])), []).append(passage)
    for run in runs:
        cuts = {run.start, run.end}
        for start, end in covering:
            cuts.update(p for p in (start, end) if run.start < p < run.end)
        points = sorted(cuts)
        pieces: list[Piece] = []
        for left, right in itertools.pairwise(points):
            pieces.extend(Piece("anchor", key=key) for key in anchors.get((id(run), left), ()))
            quoted = any(start < right and end > left for start, end in covering)
            pieces.append(Piece("mark" if quoted else "text", collapsed[left:right]))
            ends_here = sorted(refs.get((id(run), right), ()), key=lambda p: p.number)
            pieces.extend(Piece("ref", key=p.key, number=p.number) for p in ends_here)
        run.pieces = pieces
