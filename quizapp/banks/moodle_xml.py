"""Moodle XML question files: import them as a bank (`parse_moodle_xml`).

Moodle's "Export questions" writes Moodle XML by default, so it is what teachers bring.
A file is read as Moodle 4.x–5.1 reads it (shared/design/moodle-xml.md): each question
becomes a reading such as the GIFT importer makes (gift_parse.Reading), mapped onto the
quizapp type it means by the GIFT importer's own Mapper, and the result is validated by
the same schema as a YAML bank file. So the two importers read Moodle's types alike and
report alike: a GiftImport with what was skipped and what deserves a look, or a GiftError
with every problem and its line.

The line of a problem is the line of the XML element it concerns. A file is refused only
where Moodle refuses it (a grade Moodle does not offer, a question without a name, text
that is not XML) or where it is hostile (entities, a DTD, too big, too deep); a question
that Moodle reads but quizapp cannot hold (a type quizapp lacks, a plug-in type, more
options than quizapp shows) is skipped and listed with its reason, and the rest imports.

The XML is parsed with defusedxml: no DOCTYPE at all, hence no entities and no external
DTD; size, depth and element limits stop hostile files early; everything runs in time
linear in the file's size (tests/banks/test_linear_time.py). See docs/question-banks.md,
"Moodle XML".

Cloze questions (`cloze`/`multianswer`, `gapselect`, `ddwtos`) become quizapp's cloze
type: `read_cloze_text` reads Moodle's embedded answers ({1:SHORTANSWER:=...}), and each
gap is mapped as a question of its kind is; a gap quizapp cannot hold skips the question.
Tags `quizapp:...` that quizapp's own export writes (banks.moodle_xml_export) are read
back as its markers, as the GIFT importer reads [quizapp:...].
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote
from xml.parsers import expat

from defusedxml.common import DefusedXmlException, DTDForbidden
from defusedxml.ElementTree import DefusedXMLParser, ParseError

from quizapp.banks.gift import (
    DecodeError,
    GiftError,
    GiftImport,
    GiftWarning,
    decode_gift,
    finished_import,
)
from quizapp.banks.gift_map import Mapper, Skipped
from quizapp.banks.gift_parse import (
    MAX_ANSWERS,
    MAX_RAW_TEXT,
    MAX_TAGS,
    MOODLE_WEIGHTS,
    TRIM,
    Answer,
    Note,
    Number,
    Pair,
    Reading,
    shorten_name,
)
from quizapp.banks.gift_text import TooComplex, to_plain
from quizapp.banks.loader import BankIssue
from quizapp.banks.moodle_xml_export import QUOTE_CLASS, SOURCE_CLASS
from quizapp.banks.schema import MAX_QUESTIONS, validate_bank
from quizapp.banks.yaml_reader import MAX_DEPTH, Document, shorten
from quizapp.question_types.cloze import GAP_TYPES, MAX_GAPS

logger = logging.getLogger(__name__)

__all__ = [
    "ClozeAnswer",
    "ClozeGap",
    "ClozeReading",
    "parse_moodle_xml",
    "read_cloze_text",
]

#: Most XML elements read in one file: a bank of 10,000 questions of some twenty-five
#: elements each (Moodle's exports write about that many). A file of millions of empty
#: elements is refused where it passes this.
MAX_ELEMENTS = 250_000

# Moodle's text formats, by the name a file gives them, as gift_text reads them. Moodle's
# wiki-like format is gone: Moodle shows such a text as written, as quizapp does.
_FORMATS = {
    "html": "html",
    "moodle_auto_format": "moodle",
    "plain_text": "plain",
    "markdown": "markdown",
    "wiki_like": "plain",
}
#: Moodle's grades, as percentages: a fraction must be one of these or its negative.
_GRADES = tuple(round(weight * 100, 5) for weight in MOODLE_WEIGHTS)
_GRADE_SLACK = 0.001  # percentage points (Moodle: "within 0.001 %")
_GRADES_SHOWN = "100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, "
_GRADES_SHOWN += "16.66667, 14.28571, 12.5, 11.11111, 10, 5 or 0 (or their negatives)"
# A number as Moodle reads an answer: English, commas separating thousands, and whatever
# follows the number (a unit) left aside.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\"'<>\s?#]+)")
# An image: left out before the text is read, so that it leaves no gap between two words
# (and a photo written into the text, src="data:...", does not count towards its length).
# A < ends the search, so that a text of unclosed "<img" costs one pass.
_IMAGE = re.compile(r"<img\b[^<>]*>", re.I)
_IMAGE_NOTE = "an image is not imported (quizapp questions hold text only)"
# What costs the HTML sanitiser work: tags, and every & (nh3 takes longer than linear time
# over thousands of them in one text, so the file's budget of markup counts them all).
_MARKUP = re.compile(r"<[A-Za-z/!?]|&")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ANY_TAG = re.compile(r"<[^<>]*>")
#: Longest name and idnumber Moodle keeps.
_NAME_LENGTH = 255
_IDNUMBER_LENGTH = 100
_CONTEXT = re.compile(r"\$[a-z]+\$/")

#: Moodle's own question types that quizapp has no counterpart for, with the reason.
_NO_COUNTERPART = {
    "calculated": "quizapp has no calculated questions (their numbers are drawn at random)",
    "calculatedsimple": "quizapp has no calculated questions (their numbers are drawn at random)",
    "calculatedmulti": "quizapp has no calculated questions (their numbers are drawn at random)",
    "randomsamatch": "quizapp has no questions drawn from other questions",
    "random": "quizapp has no questions drawn from other questions",
    "ddimageortext": "quizapp has no drag-and-drop onto an image",
    "ddmarker": "quizapp has no drag-and-drop onto an image",
}
_MAPPED = {
    "multichoice": "multichoice",
    "truefalse": "truefalse",
    "shortanswer": "shortanswer",
    "numerical": "numerical",
    "matching": "match",
    "match": "match",
    "ordering": "ordering",
    "cloze": "cloze",
    "multianswer": "cloze",
    "gapselect": "gapselect",
    "ddwtos": "ddwtos",
}
#: Moodle's ordering grade that is quizapp's: the share of item pairs in the right order.
_PAIRS_IN_ORDER = "RELATIVE_ALL_PREVIOUS_AND_NEXT"


# -- the entry point ----------------------------------------------------------------------


def parse_moodle_xml(data: bytes, filename: str, *, bank: str, title: str) -> GiftImport:
    """Read a Moodle XML file as bank `bank` titled `title`; raise GiftError (a BankError)
    with every issue, each with its line. Never raises anything else, whatever the bytes."""
    try:
        return _parse(data, filename, bank, title)
    except GiftError:
        raise
    except Exception:
        # A defect of ours must not become a server error on a teacher's upload.
        logger.exception("Moodle XML import of %r failed", filename)
        message = "the file could not be read: this is a fault in quizapp, please report it"
        raise GiftError([BankIssue(filename, None, None, None, message)], [], []) from None


def _parse(data: bytes, filename: str, bank: str, title: str) -> GiftImport:
    slug = _slug_or_none(bank)
    try:
        text = decode_gift(data)
        root = _read_xml(text)
    except (DecodeError, _XmlError) as exc:
        raise GiftError([BankIssue(filename, exc.line, slug, None, exc.message)], [], []) from None
    reader = _FileReader()
    reader.read(root)
    mapper = reader.mapper
    # Questions Moodle reads but quizapp cannot hold are skipped with the schema's reasons;
    # what is left is validated again, as a whole, with the ids it will have.
    mapper.drop_unfit()
    mapper.assign_ids()
    errors = [*reader.errors, *mapper.errors]
    questions = [q for q, _ in mapper.questions]
    data_ = {"bank": bank, "title": title, "questions": questions}
    lines: dict[tuple, int] = {}
    for index, (_, places) in enumerate(mapper.questions):
        for path, line in places.items():
            lines[("questions", index, *path)] = line
    document = Document(data_, lines)
    spec, problems = validate_bank(data_)
    issues = [BankIssue(filename, n.line, slug, None, n.message) for n in errors]
    for problem in problems:
        question_id = None
        if len(problem.path) >= 2 and problem.path[0] == "questions":
            question_id = questions[problem.path[1]]["id"]
        line = document.line_of(problem.path)
        issues.append(BankIssue(filename, line, slug, question_id, problem.message))
    warnings = [GiftWarning(n.line, n.message) for n in dict.fromkeys(reader.all_warnings())]
    return finished_import(filename, spec, issues, mapper.skipped, warnings)


def _slug_or_none(value: str) -> str | None:
    return value if isinstance(value, str) and _SLUG.fullmatch(value) else None


# -- XML, safely --------------------------------------------------------------------------


class _XmlError(Exception):
    """A file that is not Moodle XML, or that is hostile; `line` is 1-based or None."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _Node:
    """One XML element: its tag, attributes, text (character data, CDATA included), child
    elements and the line its start tag is on. Lists are made only when needed: a file of
    many empty elements costs the garbage collector less."""

    __slots__ = ("_children", "_parts", "attrib", "line", "tag")

    def __init__(self, tag: str, attrib: dict[str, str], line: int) -> None:
        self.tag = tag
        self.attrib = attrib
        self.line = line
        self._children: list[_Node] | None = None
        self._parts: list[str] | None = None

    @property
    def children(self) -> list[_Node]:
        return self._children or []

    @property
    def text(self) -> str:
        return "".join(self._parts) if self._parts else ""

    def add_child(self, node: _Node) -> None:
        if self._children is None:
            self._children = [node]
        else:
            self._children.append(node)

    def add_text(self, text: str) -> None:
        if self._parts is None:
            self._parts = [text]
        else:
            self._parts.append(text)

    def find(self, tag: str) -> _Node | None:
        return next((child for child in self.children if child.tag == tag), None)

    def findall(self, tag: str) -> list[_Node]:
        return [child for child in self.children if child.tag == tag]

    def value(self, tag: str) -> str | None:
        """Return the trimmed text of the first child `tag`, or None when there is none."""
        child = self.find(tag)
        return None if child is None else child.text.strip(TRIM)


_NO_ATTRIBUTES: dict[str, str] = {}  # shared by the elements without any (never changed)


class _Builder:
    """Builds _Nodes with their lines from expat's events, within the depth and element
    limits (a hostile file is refused where it passes one, before it costs more)."""

    def __init__(self) -> None:
        self.expat: Any = None  # the expat parser, for the line of each start tag
        self.stack: list[_Node] = []
        self.root: _Node | None = None
        self.elements = 0

    def on_start(self, tag: str, attributes: list[str]) -> None:
        line = self.expat.CurrentLineNumber
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise _XmlError(
                f"more than {MAX_ELEMENTS:,} XML elements: split the questions into smaller files",
                line,
            )
        if len(self.stack) >= MAX_DEPTH:
            raise _XmlError(f"elements are nested deeper than {MAX_DEPTH} levels", line)
        # expat's ordered attributes: name, value, name, value...
        pairs = zip(attributes[::2], attributes[1::2], strict=True)
        attrib = dict(pairs) if attributes else _NO_ATTRIBUTES
        node = _Node(tag, attrib, line)
        if self.stack:
            self.stack[-1].add_child(node)
        else:
            self.root = node
        self.stack.append(node)

    def on_end(self, tag: str) -> None:
        self.stack.pop()

    def on_data(self, text: str) -> None:
        if self.stack:
            self.stack[-1].add_text(text)

    def close(self) -> None:
        """The parser's target: it has no start, end or data, so that ElementTree's own
        handlers are not installed; only close, which the parser calls at the end."""


_UNDEFINED_ENTITY = expat.errors.codes[expat.errors.XML_ERROR_UNDEFINED_ENTITY]
_SYNTAX = expat.errors.codes[expat.errors.XML_ERROR_SYNTAX]
_INVALID_TOKEN = expat.errors.codes[expat.errors.XML_ERROR_INVALID_TOKEN]
_NO_ELEMENTS = expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS]


def _read_xml(text: str) -> _Node:
    """Parse `text` as XML with defusedxml: no DOCTYPE (so no entities and no external
    DTD), within the depth and element limits. Return the root element."""
    if not text.lstrip(" \t\r\n").startswith("<"):
        raise _XmlError(
            "the file is not XML: a Moodle XML file starts with <?xml ...?> and <quiz> "
            "(is it a GIFT file?)",
            1,
        )
    builder = _Builder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    # defusedxml's handlers refuse a DOCTYPE, entities and external references; the tree is
    # built from expat's own events, which costs a third of ElementTree's way.
    builder.expat = parser.parser
    parser.parser.StartElementHandler = builder.on_start
    parser.parser.EndElementHandler = builder.on_end
    parser.parser.CharacterDataHandler = builder.on_data
    try:
        parser.feed(text)
        parser.close()
        root = builder.root
    except _XmlError:
        raise
    except DTDForbidden as exc:
        raise _XmlError(_doctype_message(exc, text), builder.expat.CurrentLineNumber) from None
    except DefusedXmlException:  # entities and external references need a DOCTYPE first
        message = "entities and external references are not allowed in a Moodle XML file"
        raise _XmlError(message, builder.expat.CurrentLineNumber) from None
    except ParseError as exc:
        if exc.code == _NO_ELEMENTS and builder.stack:  # the text ends inside an element
            node = builder.stack[-1]
            message = (f"the file ends inside <{shorten(node.tag)}> (line {node.line}): it is "
                       "never closed (is the file cut short?)")  # fmt: skip
            raise _XmlError(message, exc.position[0]) from None
        raise _XmlError(*_syntax_message(exc)) from None
    if root is None or root.tag != "quiz":
        tag = "nothing" if root is None else f"<{shorten(root.tag)}>"
        raise _XmlError(
            f"the file holds {tag}, not <quiz>: Moodle reads questions only from a file "
            "whose root element is <quiz>",
            root.line if root is not None else 1,
        )
    return root


def _doctype_message(exc: DTDForbidden, text: str) -> str:
    end = "Moodle XML has no DTD, and quizapp reads none"
    if exc.sysid or exc.pubid:
        return f"the file names an external DTD ('{shorten(exc.sysid or exc.pubid)}'): {end}"
    if "<!ENTITY" in text:
        return (
            "the file declares entities (<!DOCTYPE ... <!ENTITY ...>): they are not allowed "
            "in a Moodle XML file (they can expand without end or read other files)"
        )
    return f"the file has a <!DOCTYPE> declaration: {end}"


def _syntax_message(exc: ParseError) -> tuple[str, int | None]:
    line, column = exc.position
    code = getattr(exc, "code", None)
    if code == _UNDEFINED_ENTITY:
        return (
            "an undefined entity: XML knows only &amp; &lt; &gt; &quot; &apos; (write HTML "
            "such as &nbsp; inside <![CDATA[ ... ]]>)",
            line,
        )
    if code == _NO_ELEMENTS:
        return "the file holds no XML element (a Moodle XML file holds <quiz>)", line or None
    if code in (_SYNTAX, _INVALID_TOKEN) and line == 1 and column == 0:
        return "the file is not XML: a Moodle XML file starts with <?xml ...?> and <quiz>", 1
    reason = expat.errors.messages.get(code, "not well-formed") if code else "not well-formed"
    return f"the file is not well-formed XML: {reason} (column {column + 1})", line


# -- reading a file ---------------------------------------------------------------------


class _Unfit(Exception):
    """A question whose text cannot be read (too long, HTML too deep): it is skipped."""


class _TooMuchHtml(Exception):
    """More HTML in the file than quizapp reads: the file is refused."""


@dataclass
class _Text:
    """A text of a question as Moodle reads it: trimmed, with its format and line."""

    raw: str
    format: str  # gift_text's name of the format
    line: int


@dataclass
class _FileNotes:
    """What Moodle keeps and quizapp ignores, said once for the file: the lines it is on."""

    lines: dict[str, list[int]] = field(default_factory=dict)

    def add(self, message: str, line: int) -> None:
        self.lines.setdefault(message, []).append(line)

    def notes(self) -> list[Note]:
        notes = []
        for message, lines in self.lines.items():
            count = len(lines)
            where = f" ({count:,} questions; the first is here)" if count > 1 else ""
            notes.append(Note(lines[0], message + where))
        return notes


_PENALTY = "penalties for wrong tries (<penalty>) are ignored: quizapp grades one try"
_HINTS = "hints (<hint>) are left out: quizapp shows no hints between tries"
_MARKS = "marks per question (<defaultgrade>) are ignored: every quizapp question counts the same"
_COMBINED = (
    "the feedback for a right, partly right or wrong response (<correctfeedback>, "
    "<partiallycorrectfeedback>, <incorrectfeedback>) is left out: quizapp says so itself"
)


class _FileReader:
    """Read the <question> elements of a <quiz>: categories, then each question as a
    reading for the mapper, or skipped, with errors and warnings by line."""

    def __init__(self) -> None:
        self.errors: list[Note] = []
        self.warnings: list[Note] = []
        self.notes = _FileNotes()
        self.mapper = _XmlMapper(self.warnings)
        self.category: str | None = None
        self.markup = 0  # HTML tags and entities read so far, across the file

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(Note(line, message))

    def error(self, line: int, message: str) -> None:
        self.errors.append(Note(line, message))

    def all_warnings(self) -> list[Note]:
        return [*self.warnings, *self.notes.notes()]

    def read(self, root: _Node) -> None:
        questions = []
        for child in root.children:
            if child.tag == "question":
                questions.append(child)
            else:
                self.warn(child.line, f"<{shorten(child.tag)}> is ignored: Moodle reads only "
                          "<question> elements in <quiz>")  # fmt: skip
        if not questions:
            self.error(root.line, "the file holds no questions (no <question> in <quiz>)")
            return
        real = [q for q in questions if q.attrib.get("type") != "category"]
        if len(real) > MAX_QUESTIONS:
            message = f"too many questions ({len(real):,}; a bank holds at most {MAX_QUESTIONS:,})"
            self.error(real[MAX_QUESTIONS].line, message)
            return
        for question in questions:
            try:
                self.read_question(question)
            except _TooMuchHtml:
                message = f"too much HTML: more than {MAX_TAGS:,} tags and entities in the file"
                self.error(question.line, message)
                return

    def read_question(self, node: _Node) -> None:
        kind = node.attrib.get("type")
        if kind == "category":
            self.read_category(node)
            return
        question = _QuestionReader(self, node)
        if kind is None:
            question.skip("question", "it has no type (Moodle refuses the file)")
            return
        kind = kind.strip()
        if kind in ("essay", "description"):
            question.skip(kind)
        elif kind in _NO_COUNTERPART:
            question.skip(kind, _NO_COUNTERPART[kind])
        elif kind in _MAPPED:
            question.read(_MAPPED[kind])
        else:
            question.skip(
                shorten(kind),
                f"'{shorten(kind)}' is not a question type of core Moodle (a plug-in's?): "
                "quizapp cannot read it",
            )

    def read_category(self, node: _Node) -> None:
        """`$course$/top/A/B`: a context, then names split on / (// is a slash in a name),
        `top` first; the last name becomes a tag of the questions that follow."""
        holder = node.find("category")
        path = None if holder is None else holder.value("text")
        if path is None:
            self.warn(node.line, "a category without <category><text> is ignored")
            return
        context = _CONTEXT.match(path)
        rest = path[context.end() :] if context else path
        parts = rest.replace("//", "\x00").split("/")
        if parts and parts[0].strip(TRIM) == "top":
            parts = parts[1:]
        named = [part for part in parts if part.strip(TRIM)]
        self.category = "/".join(named).replace("\x00", "//") or None

    def plain(self, text: _Text) -> str:
        """Return a text as quizapp's plain text, sanitised as GIFT's are (gift_text.to_plain);
        files and images are left out, with a warning naming them."""
        raw = text.raw
        if not raw:
            return ""
        images = 0
        if text.format in ("html", "moodle"):
            raw, images = _IMAGE.subn("", raw)
        if len(raw) > MAX_RAW_TEXT:
            raise _Unfit(f"a text of {len(raw):,} characters (quizapp reads at most "
                         f"{MAX_RAW_TEXT:,})")  # fmt: skip
        if text.format in ("html", "moodle"):
            self.markup += len(_MARKUP.findall(raw))
            if self.markup > MAX_TAGS:
                raise _TooMuchHtml
        notes: list[str] = []
        try:
            plain = to_plain(raw, text.format, notes)
        except TooComplex as exc:
            raise _Unfit(str(exc)) from None
        files = list(dict.fromkeys(unquote(name) for name in _PLUGINFILE.findall(text.raw)))
        if files:
            named = ", ".join(f"'{shorten(name)}'" for name in files[:5])
            more = f" and {len(files) - 5} more" if len(files) > 5 else ""
            noun = "file" if len(files) == 1 else "files"
            self.warn(text.line, f"{noun} {named}{more} left out: quizapp questions hold "
                      "text only")  # fmt: skip
        elif images:
            notes.append(_IMAGE_NOTE)
        for note in dict.fromkeys(notes):
            self.warn(text.line, note)
        return plain


class _QuestionReader:
    """One <question>: its common parts (name, text, feedback, tags, id) and its answers,
    read as Moodle's importer reads them into a gift_parse.Reading."""

    def __init__(self, file: _FileReader, node: _Node) -> None:
        self.file = file
        self.node = node
        self.line = node.line
        self.failed = False  # an error was found: the question is not mapped

    def warn(self, line: int, message: str) -> None:
        self.file.warn(line, message)

    def error(self, line: int, message: str) -> None:
        self.file.error(line, message)
        self.failed = True

    # -- texts --------------------------------------------------------------------------

    def text(self, owner: _Node | None, default_format: str = "html") -> _Text:
        """Moodle's import_text_with_files: the first <text> of `owner` and its format."""
        if owner is None:
            return _Text("", _FORMATS.get(default_format, "html"), self.line)
        name = owner.attrib.get("format", default_format).strip(TRIM)
        fmt = _FORMATS.get(name)
        if fmt is None:
            self.warn(owner.line, f"text format '{shorten(name)}' is unknown: read as html, as "
                      "Moodle does")  # fmt: skip
            fmt = "html"
        return _Text(self.raw_text(owner), fmt, owner.line)

    def raw_text(self, owner: _Node) -> str:
        """The trimmed content of the first <text> in `owner` ('' when there is none)."""
        holder = owner.find("text")
        if holder is None:
            if owner.text.strip(TRIM):
                self.warn(owner.line, f"text directly inside <{owner.tag}> is ignored, as "
                          "Moodle ignores it: put it in <text>")  # fmt: skip
            return ""
        if holder.children:
            tag = holder.children[0].tag
            self.error(
                holder.line,
                f"<text> holds the XML element <{shorten(tag)}>: Moodle reads no text here; "
                "write HTML inside <![CDATA[ ... ]]>",
            )
            return ""
        return holder.text.strip(TRIM)

    def format_of(self, node: _Node | None) -> str:
        """The question text's format, by Moodle's name (the default of its other texts)."""
        if node is None:
            return "html"
        name = node.attrib.get("format", "html").strip(TRIM)
        return name if name in _FORMATS else "html"

    def name(self) -> str | None:
        holder = self.node.find("name")
        if holder is None or holder.find("text") is None:
            return None
        return _plain_name(self.raw_text(holder))

    def title(self) -> str:
        """A name for the lists: the question's name, else the start of its text."""
        name = self.name()
        if name:
            return name
        text = self.node.find("questiontext")
        raw = "" if text is None else (text.value("text") or "")
        return shorten_name(_plain_name(raw)) or "(no name)"

    def skip(self, kind: str, reason: str = "") -> None:
        self.file.mapper.skipped.append(Skipped(self.line, kind, self.title(), reason))

    # -- the question -------------------------------------------------------------------

    def read(self, kind: str) -> None:
        node = self.node
        name = self.name()
        if name is None:
            self.error(node.line, "the question has no <name><text>: Moodle refuses the file "
                       "(\"no question name\")")  # fmt: skip
        text_node = node.find("questiontext")
        qformat = self.format_of(text_node)
        answers = len(node.findall("answer")) + len(node.findall("subquestion"))
        if answers > MAX_ANSWERS:
            self.skip("unusable", f"it has {answers:,} answers (quizapp reads at most "
                      f"{MAX_ANSWERS} in a question)")  # fmt: skip
            return
        try:
            reading = self.reading(kind, name or "", text_node, qformat)
            getattr(self, f"read_{kind}")(reading, qformat)
        except _Unfit as exc:
            self.skip("unusable", str(exc))
            return
        self.file_notes()
        if self.failed:
            return
        self.file.mapper.add(reading)

    def reading(self, kind: str, name: str, text_node: _Node | None, qformat: str) -> Reading:
        node = self.node
        text = self.text(text_node, qformat)
        prompt = self.file.plain(text)
        self.old_image()
        feedback_node = node.find("generalfeedback")
        general_text = self.text(feedback_node, qformat)
        quotes = self.quotes(general_text)
        general = self.file.plain(general_text) or None
        # Moodle keeps 100 characters of an idnumber.
        idnumber = (node.value("idnumber") or "")[:_IDNUMBER_LENGTH] or None
        tags = []
        for holder in ("coursetags", "tags"):
            for tag in (node.find(holder) or _EMPTY).findall("tag"):
                tags.append(tag.value("text") or "")
        markers = {}
        for tag in tags:
            if marker := _MARKER_TAG.fullmatch(tag):
                markers[marker[1] or "quizapp"] = marker[2]
        return Reading(
            line=node.line,
            kind=kind,
            name=name or shorten_name(prompt),
            text=prompt,
            text_line=text.line,
            category=self.file.category,
            idnumber=idnumber,
            tags=[tag for tag in tags if tag and not _MARKER_TAG.fullmatch(tag)],
            markers=markers,
            general_feedback=general,
            feedback_line=feedback_node.line if feedback_node is not None else node.line,
            quotes=quotes,
        )

    def quotes(self, general: _Text) -> list[str]:
        """Take the passages quizapp's export quotes out of a general feedback (each a
        <blockquote class="quizapp-quote">, the source named after them): the rest is
        the explanation."""
        if general.format != "html" or QUOTE_CLASS not in general.raw:
            return []
        passages = [self.file.plain(_Text(found, "html", general.line))
                    for found in _QUOTE.findall(general.raw)]  # fmt: skip
        general.raw = _SOURCE.sub("", _QUOTE.sub("", general.raw)).strip(TRIM)
        return [passage for passage in passages if passage]

    def old_image(self) -> None:
        """Moodle 1.9's <image> and <image_base64>: Moodle adds an image to the text."""
        image = self.node.find("image")
        if image is None:
            return
        name = image.text.strip(TRIM)
        if self.node.find("image_base64") is not None:
            self.warn(image.line, f"image '{shorten(name)}' (<image>) left out: quizapp "
                      "questions hold text only")  # fmt: skip
        else:
            self.warn(image.line, "<image> without <image_base64> is ignored, as Moodle "
                      "ignores it")  # fmt: skip

    def file_notes(self) -> None:
        """What Moodle keeps of a question and quizapp ignores: said once for the file."""
        node, notes = self.node, self.file.notes
        penalty = node.value("penalty")
        if penalty and _number_or_none(penalty):
            notes.add(_PENALTY, node.line)
        if any(self.raw_text(hint) for hint in node.findall("hint")):
            notes.add(_HINTS, node.line)
        grade = node.value("defaultgrade")
        if grade and _number_or_none(grade) not in (None, 1.0):
            notes.add(_MARKS, node.line)
        combined = ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")
        if any(node.find(tag) is not None and self.raw_text(node.find(tag)) for tag in combined):
            notes.add(_COMBINED, node.line)

    def fraction(self, answer: _Node) -> float:
        """An answer's fraction="..." as a fraction (missing is 0); a grade Moodle does not
        offer is an error, as Moodle refuses the file."""
        written = answer.attrib.get("fraction")
        if written is None:
            return 0.0
        value = _number_or_none(written.strip(TRIM))
        if value is None:
            self.error(answer.line, f"fraction '{shorten(written)}' is not a number")
            return 0.0
        # Moodle keeps the grade of its list that the fraction is (33.33333 is 1/3).
        grade = next((g for g in _GRADES if abs(abs(value) - g) < _GRADE_SLACK), None)
        if grade is None:
            self.error(
                answer.line,
                f"grade {shorten(written.strip(TRIM))}% is not one Moodle offers (Moodle "
                f"refuses the file): use {_GRADES_SHOWN}",
            )
            return value / 100
        return MOODLE_WEIGHTS[_GRADES.index(grade)] * (-1 if value < 0 else 1)

    def answers(self, answer_format: str | None, qformat: str) -> list[tuple[_Node, str, str]]:
        """Each <answer> with text: (node, text, feedback). `answer_format` None means plain
        text (short-answer and numerical answers); an empty answer is left out, as Moodle
        leaves it out when it saves the question."""
        kept = []
        for answer in self.node.findall("answer"):
            if answer_format is None:
                text = self.raw_text(answer)
            else:
                text = self.file.plain(self.text(answer, answer_format))
            feedback = self.file.plain(self.text(answer.find("feedback"), qformat))
            if not text:
                self.warn(answer.line, "an empty answer is left out, as Moodle does")
                continue
            kept.append((answer, text, feedback))
        return kept

    # -- each type ----------------------------------------------------------------------

    def read_multichoice(self, reading: Reading, qformat: str) -> None:
        node = self.node
        single = node.value("single")
        reading.single = single is None or single not in ("false", "0", "")
        shuffle = node.value("shuffleanswers")
        if shuffle is None or shuffle in ("false", "0", ""):
            self.warn(node.line, "Moodle shows these options in the order written; quizapp "
                      "shuffles them (does one say 'all of the above'?)")  # fmt: skip
        for answer, text, feedback in self.answers(qformat, qformat):
            weight = self.fraction(answer)
            reading.answers.append(Answer(text, answer.line, weight, None, feedback or None))
        # quizapp's export names the answer when an option before it earns full marks too.
        position = reading.markers.pop("answer", "")
        if reading.single and position.isdecimal():
            for index, option in enumerate(reading.answers):
                if option.weight >= 1.0 and index != int(position) - 1:
                    option.weight_text = "100"

    def read_truefalse(self, reading: Reading, qformat: str) -> None:
        """'true' is right when its fraction is exactly 100; the last <answer> decides;
        answers not named true and false are taken as true, then false (with a warning)."""
        truth = None
        feedback: dict[bool, str | None] = {True: None, False: None}
        odd = False
        for index, answer in enumerate(self.node.findall("answer")):
            said = self.raw_text(answer)
            if said not in ("true", "false"):
                odd = True
                said = "true" if index == 0 else "false"
            fraction = _number_or_none(answer.attrib.get("fraction", "0").strip(TRIM))
            full = fraction == 100
            truth = full if said == "true" else not full
            text = self.file.plain(self.text(answer.find("feedback"), qformat))
            feedback[said == "true"] = text or None
        if truth is None:
            raise _Unfit("a true/false question with no <answer>")
        if odd:
            self.warn(self.node.line, "the answers of a true/false question are 'true' and "
                      "'false': Moodle takes the first as true and the second as false, and so "
                      f"does quizapp (the answer is {'true' if truth else 'false'})")  # fmt: skip
        reading.truth = truth
        reading.right_feedback = feedback[truth]
        reading.wrong_feedback = feedback[not truth]

    def read_shortanswer(self, reading: Reading, qformat: str) -> None:
        if self.node.value("usecase") not in (None, "", "0"):
            self.warn(self.node.line, "Moodle compares these answers with case (<usecase>); "
                      "quizapp ignores case")  # fmt: skip
        for answer, text, feedback in self.answers(None, qformat):
            weight = self.fraction(answer)
            reading.answers.append(Answer(text, answer.line, weight, None, feedback or None))

    def read_numerical(self, reading: Reading, qformat: str) -> None:
        for answer, text, feedback in self.answers(None, qformat):
            weight = self.fraction(answer)
            tolerance = self.tolerance(answer)
            value = None if text == "*" else self.number(answer.line, text)
            number = Number(value, tolerance, weight, answer.line, text, None, feedback or None)
            reading.numbers.append(number)
        if unit := self.units():
            reading.markers["unit"] = unit
        stray = self.node.find("tolerance")
        if stray is not None:
            self.warn(stray.line, "<tolerance> is ignored here, as Moodle ignores it: it "
                      "belongs in each <answer>")  # fmt: skip

    def number(self, line: int, text: str) -> float:
        value, rest, commas = _moodle_number(text)
        if value is None:
            raise _Unfit(f"its answer '{shorten(text)}' (line {line}) is not a number")
        if commas:
            self.warn(line, f"'{shorten(text)}' reads as {_shown(value)}: Moodle takes a comma "
                      "for a thousands separator (write a decimal point)")  # fmt: skip
        if rest:
            self.warn(line, f"'{shorten(text)}' reads as {_shown(value)}: Moodle leaves "
                      f"'{shorten(rest)}' aside (units go in <units>)")  # fmt: skip
        return value

    def tolerance(self, answer: _Node) -> float:
        written = answer.value("tolerance")
        if not written:
            return 0.0
        value, rest, _ = _moodle_number(written)
        if value is None or rest:
            raise _Unfit(f"the tolerance '{shorten(written)}' (line {answer.line}) is not a number")
        if value < 0:
            self.warn(
                answer.line, f"tolerance {shorten(written)} is negative: read as {_shown(-value)}"
            )
        return abs(value)

    def units(self) -> str | None:
        """The unit whose multiplier is 1 becomes the question's unit; the others are left
        out (quizapp reads the number in one unit), with a warning."""
        units = []
        for unit in (self.node.find("units") or _EMPTY).findall("unit"):
            name = unit.value("unit_name") or ""
            multiplier = _number_or_none(unit.value("multiplier") or "1")
            if name:
                units.append((name, 1.0 if multiplier is None else multiplier))
        if not units:
            return None
        base = next((name for name, multiplier in units if multiplier == 1.0), None)
        others = [f"'{shorten(name)}' (×{_shown(m)})" for name, m in units if name != base]
        if base is None:
            self.warn(self.node.line, "units left out: none has the multiplier 1, and quizapp "
                      f"reads the number in one unit ({', '.join(others)})")  # fmt: skip
            return None
        message = f"unit '{shorten(base)}' kept: a learner may type it after the number"
        if others:
            message += f"; the other units are left out ({', '.join(others[:5])})"
        self.warn(self.node.line, message)
        return base

    def read_match(self, reading: Reading, qformat: str) -> None:
        for sub in self.node.findall("subquestion"):
            left = self.file.plain(self.text(sub, qformat))
            holder = sub.find("answer")
            right = "" if holder is None else self.raw_text(holder)
            reading.pairs.append(Pair(left, right, sub.line))

    def read_ordering(self, reading: Reading, qformat: str) -> None:
        node = self.node
        positions = []
        with_feedback = False
        for answer, text, feedback in self.answers(qformat, qformat):
            reading.answers.append(Answer(text, answer.line, 1.0))
            positions.append(_number_or_none(answer.attrib.get("fraction", "").strip(TRIM)))
            with_feedback = with_feedback or bool(feedback)
        if all(p is not None for p in positions) and positions != sorted(positions):
            self.warn(node.line, "the answers are read in the order written, which is the "
                      "right order (their fractions say another)")  # fmt: skip
        if with_feedback:
            self.warn(node.line, "the feedback of each item is left out: quizapp's order "
                      "questions have none")  # fmt: skip
        select = node.value("selecttype")
        count = _number_or_none(node.value("selectcount") or "0") or 0
        if select not in (None, "", "ALL", "0") and 0 < count < len(reading.answers):
            self.warn(node.line, f"Moodle shows {count:g} of the {len(reading.answers)} items; "
                      "quizapp shows them all")  # fmt: skip
        grading = node.value("gradingtype")
        if grading and grading != _PAIRS_IN_ORDER:
            self.warn(node.line, f"Moodle grades this by {shorten(grading)}; quizapp by the "
                      "share of item pairs in the right order")  # fmt: skip

    # -- cloze: a text with gaps ----------------------------------------------------------

    def read_cloze(self, reading: Reading, qformat: str) -> None:
        """Moodle's embedded answers ({1:SHORTANSWER:=...}): each gap becomes a quizapp gap
        (a typed answer, a drop-down or a number) read as a question of its kind is; what
        a gap cannot hold (several answers, a mark above 10, more than 10 gaps) or what
        Moodle refuses skips the question, with the reason."""
        holder = self.node.find("questiontext")
        text = self.text(holder, qformat)
        if len(text.raw) > MAX_RAW_TEXT:
            raise _Unfit(f"a text of {len(text.raw):,} characters (quizapp reads at most "
                         f"{MAX_RAW_TEXT:,})")  # fmt: skip
        cloze = read_cloze_text(text.raw)
        if cloze.problems:
            raise _Unfit("Moodle refuses it: " + "; ".join(cloze.problems[:3]))
        _check_gap_count(len(cloze.gaps))
        gaps = [self.cloze_gap(reading, gap) for gap in cloze.gaps]
        # Each gap becomes a mark no text holds (a literal {#1} is text), kept through the
        # HTML's reading.
        if _PLACEHOLDER.search(text.raw):
            raise _Unfit("its text holds a character of Unicode's noncharacter range")
        marked, copied = [], 0
        for gap in cloze.gaps:
            marked.append(f"{text.raw[copied : gap.start]}\ufdd0{gap.number}\ufdd1")
            copied = gap.end
        text.raw = "".join(marked) + text.raw[copied:]
        plain, found = self.gapped(text, _EMBEDDED)
        if found != [str(n) for n in range(1, len(gaps) + 1)]:  # pragma: no cover - kept whole
            raise _Unfit("its gaps could not be placed in its text")
        reading.cloze = (plain, gaps)

    def cloze_gap(self, reading: Reading, gap: ClozeGap) -> dict[str, Any]:
        """One embedded answer as a quizapp gap, read by the importer's own mapping of a
        short answer, a numerical or a one-answer multiple choice; a marker quizapp's export
        wrote for it (quizapp-gap2:text, quizapp-gap2-unit:km) refines it."""
        where = f"gap {gap.number} ({gap.moodle_type})"
        if gap.several:
            raise _Unfit(f"{where} takes several answers; a quizapp gap takes one")
        if not 1 <= gap.mark <= MAX_GAP_MARK:
            raise _Unfit(f"{where} weighs {gap.mark} marks; a quizapp gap weighs 1 to "
                         f"{MAX_GAP_MARK}")  # fmt: skip
        if gap.case_sensitive:
            self.warn(self.line, f"{where}: Moodle compares this answer with case; quizapp "
                      "ignores case")  # fmt: skip
        kind = _GAP_KINDS[gap.kind]
        sub = Reading(line=self.line, kind=kind, name=reading.name, text="", text_line=self.line)
        for name, marker in ((f"gap{gap.number}", "quizapp"), (f"gap{gap.number}-unit", "unit")):
            if name in reading.markers:
                sub.markers[marker] = reading.markers[name]
        for answer in gap.answers:
            feedback = self.file.plain(_Text(answer.feedback_html, "html", self.line)) or None
            if gap.kind == "number":
                sub.numbers.append(Number(answer.value, answer.tolerance or 0.0, answer.fraction,
                                          self.line, answer.text, None, feedback))  # fmt: skip
                continue
            # A choice is HTML (H<sub>2</sub>O); a typed answer is plain text.
            said = answer.text.strip(TRIM)
            if gap.kind == "choice":
                said = self.file.plain(_Text(answer.html.strip(TRIM), "html", self.line))
            sub.answers.append(Answer(said, self.line, answer.fraction, None, feedback))
        mapper = _XmlMapper(self.file.warnings)
        question = getattr(mapper, f"_{kind}")(sub, {})
        if question is None:
            why = mapper.skipped[0].reason if mapper.skipped else "it cannot be read"
            raise _Unfit(f"{where}: {why}")
        if question["type"] not in GAP_TYPES:
            raise _Unfit(f"{where} reads as a {question['type']} question, which no gap is")
        if gap.mark != 1:
            question["mark"] = gap.mark
        return question

    def read_gapselect(self, reading: Reading, qformat: str) -> None:
        """Moodle's "select missing words": each [[n]] a drop-down of the options of the
        group option n is in, option n right."""
        self.read_choice_gaps(reading, qformat, "selectoption")

    def read_ddwtos(self, reading: Reading, qformat: str) -> None:
        """Moodle's "drag and drop into text", read as drop-downs (see read_gapselect)."""
        boxes = self.node.findall("dragbox")
        if any(box.find("infinite") is None for box in boxes):
            self.warn(self.line, "Moodle lets each word be dropped once; quizapp's drop-downs "
                      "let a word be chosen for several gaps")  # fmt: skip
        self.read_choice_gaps(reading, qformat, "dragbox")

    def read_choice_gaps(self, reading: Reading, qformat: str, tag: str) -> None:
        options = []
        for option in self.node.findall(tag):
            options.append((html.unescape(self.raw_text(option)), option.value("group") or "1"))
        text = self.text(self.node.find("questiontext"), qformat)
        plain, found = self.gapped(text, _CHOICE_GAP)
        if not found:
            raise _Unfit("it has no gaps such as [[1]]")
        _check_gap_count(len(found))
        gaps = []
        for n, number in enumerate(found, start=1):
            index = int(number) - 1
            if not 0 <= index < len(options) or not options[index][0]:
                raise _Unfit(f"gap {n} ([[{number}]]) names no <{tag}> with text")
            right, group = options[index]
            choices = list(dict.fromkeys(t for t, g in options if g == group and t))
            if len(choices) < 2:
                raise _Unfit(f"gap {n} ([[{number}]]) has one choice only (group {group})")
            gaps.append({"type": "choice", "options": choices, "answer": right})
        reading.cloze = (plain, gaps)

    def gapped(self, text: _Text, gap: re.Pattern) -> tuple[str, list[str]]:
        """Return the text as plain text with its gaps (found by `gap`) as {1}, {2}...,
        and what each gap's mark held."""
        pieces = gap.split(self.file.plain(text))
        found = pieces[1::2]
        out = [pieces[0]]
        for n, after in enumerate(pieces[2::2], start=1):
            out.append(f"{{{n}}}{after}")
        return "".join(out), found


def _check_gap_count(count: int) -> None:
    if count > MAX_GAPS:
        raise _Unfit(f"it has {count} gaps; a quizapp cloze holds at most {MAX_GAPS}")


#: The importer's reading of a question as each kind of gap.
_GAP_KINDS = {"text": "shortanswer", "number": "numerical", "choice": "multichoice"}
MAX_GAP_MARK = 10
_EMBEDDED = re.compile("\ufdd0([0-9]+)\ufdd1")
_PLACEHOLDER = re.compile("[\ufdd0-\ufdef]")
_CHOICE_GAP = re.compile(r"\[\[([0-9]+)\]\]")
#: A gap's mark in quizapp's cloze text.
_GAP_MARK = re.compile(r"\{[0-9]+\}")


_EMPTY = _Node("", {}, 0)
#: A tag that holds a quizapp marker (banks.moodle_xml_export): quizapp:date,
#: quizapp-difficulty:3, quizapp-gap2:text-exact...
_MARKER_TAG = re.compile(r"quizapp(?:-([a-z0-9]+(?:-[a-z0-9]+)*))?:(.+)")
# The passages of a general feedback and the source they are from, as the export writes
# them; the export escapes every < of a passage, so none holds </blockquote>.
_QUOTE = re.compile(rf'<blockquote class="{QUOTE_CLASS}">([^<]*(?:<br>[^<]*)*)</blockquote>')
_SOURCE = re.compile(rf'<p class="{SOURCE_CLASS}">[^<]*</p>')


def _plain_name(raw: str) -> str:
    """A name as Moodle keeps it (clean_question_name): tags stripped, entities read,
    white space made single spaces, 255 characters at most. In one pass: a name is never
    sanitised as HTML (a hostile one would cost the sanitiser too much)."""
    text = html.unescape(_ANY_TAG.sub(" ", raw[: 4 * _NAME_LENGTH]))
    return " ".join(text.split())[:_NAME_LENGTH].strip()


def _number_or_none(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _moodle_number(text: str) -> tuple[float | None, str, bool]:
    """Read an answer as Moodle reads a number: (value, what follows it, had commas).

    English numbers: a comma separates thousands (so 1,5 is 15), a point is the decimal
    mark, an exponent may follow (3e2); whatever follows the number is a unit, left aside.
    """
    bare = text.strip(TRIM)
    commas = "," in bare
    bare = bare.replace(",", "")
    match = _NUMBER.match(bare)
    if match is None:
        return None, "", commas
    value = float(match.group())
    if value != value or abs(value) == float("inf"):
        return None, "", commas
    return value, bare[match.end() :].strip(TRIM), commas


def _shown(value: float) -> str:
    return f"{value:.12g}"


# -- the mapping ------------------------------------------------------------------------


class _XmlMapper(Mapper):
    """The GIFT importer's Mapper, with Moodle's ordering type, and questions quizapp
    cannot hold skipped (with the schema's reasons) rather than refusing the file."""

    def __init__(self, warnings: list[Note]) -> None:
        super().__init__(warnings)
        self.readings: list[Reading] = []

    def add(self, reading: Reading) -> None:
        count = len(self.questions)
        super().add(reading)
        if len(self.questions) > count:
            self.readings.append(reading)

    def _multichoice(self, reading: Reading, places: dict[tuple, int]) -> dict[str, Any] | None:
        weights = [answer.weight for answer in reading.answers]
        if reading.single and weights and max(weights) < 1.0:
            self.skip(reading, "unusable", f"no answer is worth 100% (the best, "
                      f"{max(weights) * 100:.7g}%, gives part of the marks): quizapp's "
                      "one-answer questions need a right one")  # fmt: skip
            return None
        if not reading.single and weights and max(weights) <= 0:
            self.skip(reading, "unusable", "no answer earns marks")
            return None
        if (why := _alike(reading.answers)) is not None:
            self.skip(reading, "unusable", why)
            return None
        return super()._multichoice(reading, places)

    def _match(self, reading: Reading, places: dict[tuple, int]) -> dict[str, Any] | None:
        seen: dict[str, str] = {}
        for pair in reading.pairs:
            key = pair.left.casefold()
            if pair.left and key in seen:
                self.skip(reading, "unusable", f"the left item '{shorten(pair.left)}' is there "
                          "twice: quizapp's pairs need each left item once")  # fmt: skip
                return None
            seen[key] = pair.left
        return super()._match(reading, places)

    def _ordering(self, reading: Reading, places: dict[tuple, int]) -> dict[str, Any] | None:
        if len(reading.answers) < 2:
            self.skip(reading, "unusable", "it needs at least 2 items with text")
            return None
        for index, item in enumerate(reading.answers):
            places[("items", index)] = item.line
        return {"type": "order", "items": [item.text for item in reading.answers]}

    def _cloze(self, reading: Reading, places: dict[tuple, int]) -> dict[str, Any] | None:
        """A cloze read (see _QuestionReader.read_cloze): the first paragraph of its text is
        the prompt when it has no gap (as quizapp's export writes it), else the prompt is
        "Fill in the gaps." and the text all of it."""
        assert reading.cloze is not None
        whole, gaps = reading.cloze
        prompt, blank, rest = whole.partition("\n\n")
        if blank and prompt.strip() and rest.strip() and not _GAP_MARK.search(prompt):
            prompt, text = prompt.strip(), rest.strip()
        else:
            prompt, text = "Fill in the gaps.", whole
        places[("text",)] = reading.text_line
        for index in range(len(gaps)):
            places[("gaps", index)] = reading.line
        return {"type": "cloze", "prompt": prompt, "text": text, "gaps": gaps}

    _gapselect = _ddwtos = _cloze

    def drop_unfit(self) -> None:
        """Skip each question that the schema refuses, with its reasons: a question Moodle
        reads but quizapp cannot hold (9 options, two left items with one match, a text
        that is only an image...) is listed, and the rest imports."""
        checked = [{**question, "id": f"q{index}"} for index, (question, _) in
                   enumerate(self.questions)]  # fmt: skip
        _, problems = validate_bank({"bank": "check", "title": "Check", "questions": checked})
        reasons: dict[int, list[str]] = {}
        for problem in problems:
            if len(problem.path) >= 2 and problem.path[0] == "questions":
                reasons.setdefault(problem.path[1], []).append(problem.message)
        if not reasons:
            return
        kept = []
        for index in range(len(self.questions)):
            if index in reasons:
                why = "; ".join(dict.fromkeys(reasons[index]))
                self.skip(self.readings[index], "unusable", f"quizapp cannot hold it: {why}")
            else:
                kept.append(index)
        self.questions = [self.questions[i] for i in kept]
        self.readings = [self.readings[i] for i in kept]
        self._names = [self._names[i] for i in kept]


def _alike(answers: list[Answer]) -> str | None:
    """Say why options that quizapp cannot tell apart (they differ in case only, or read
    the same and earn different marks) make a question unusable; None when none do.
    Options alike in every way are left to the Mapper, which keeps the first."""
    first: dict[str, Answer] = {}
    for answer in answers:
        other = first.setdefault(answer.text.casefold(), answer)
        if other is answer:
            continue
        if other.text != answer.text:
            return (f"options '{shorten(other.text)}' and '{shorten(answer.text)}' differ in "
                    "case only, and quizapp tells options apart ignoring case")  # fmt: skip
        if other.weight != answer.weight:
            return f"option '{shorten(answer.text)}' is there twice, earning different marks"
    return None


# -- cloze: Moodle's embedded answers -----------------------------------------------------


@dataclass(frozen=True)
class ClozeAnswer:
    """One answer of a gap as Moodle reads it.

    `text` is as written, HTML entities decoded and \\} \\# unescaped (HTML tags are kept:
    a choice may be "H<sub>2</sub>O"); `fraction` is the marks it earns, from 1 (= or
    %100%) down to -1, after Moodle's normalisation of several-answer choices; `value` and
    `tolerance` are set for a number gap's numeric answers (`*`, any other number, has
    neither).
    """

    text: str
    fraction: float
    feedback: str = ""
    value: float | None = None
    tolerance: float | None = None
    #: The answer and its feedback as HTML, as written (only \\} and \\# unescaped): a
    #: choice's answer and every feedback are HTML in Moodle.
    html: str = field(default="", compare=False)
    feedback_html: str = field(default="", compare=False)


@dataclass(frozen=True)
class ClozeGap:
    """One gap {mark:TYPE:answers} of a cloze text.

    `kind` is "text", "number" or "choice"; `case_sensitive` is set for SHORTANSWER_C,
    `several` for MULTIRESPONSE, `shuffle` for the _S variants; `layout` is "dropdown",
    "vertical" or "horizontal" for a choice. `start` and `end` are its offsets in the text
    read; `moodle_type` is the type as written (SA, MULTICHOICE_VS...).
    """

    number: int
    kind: str
    moodle_type: str
    mark: int
    answers: tuple[ClozeAnswer, ...]
    start: int
    end: int
    case_sensitive: bool = False
    several: bool = False
    shuffle: bool = False
    layout: str = ""


@dataclass(frozen=True)
class ClozeReading:
    """A cloze text read: `text` with each gap replaced by {#1}, {#2}... (as Moodle stores
    it), the gaps, and why Moodle would refuse the question (`problems`, empty when Moodle
    accepts it)."""

    text: str
    gaps: tuple[ClozeGap, ...]
    problems: tuple[str, ...]


# Each type: (kind, case sensitive, several, shuffle, layout).
_CLOZE_TYPES: dict[str, tuple[str, bool, bool, bool, str]] = {}
for _names, _spec in (
    (("NUMERICAL", "NM"), ("number", False, False, False, "")),
    (("SHORTANSWER", "SA", "MW"), ("text", False, False, False, "")),
    (("SHORTANSWER_C", "SAC", "MWC"), ("text", True, False, False, "")),
    (("MULTICHOICE", "MC"), ("choice", False, False, False, "dropdown")),
    (("MULTICHOICE_S", "MCS"), ("choice", False, False, True, "dropdown")),
    (("MULTICHOICE_V", "MCV"), ("choice", False, False, False, "vertical")),
    (("MULTICHOICE_VS", "MCVS"), ("choice", False, False, True, "vertical")),
    (("MULTICHOICE_H", "MCH"), ("choice", False, False, False, "horizontal")),
    (("MULTICHOICE_HS", "MCHS"), ("choice", False, False, True, "horizontal")),
    (("MULTIRESPONSE", "MR"), ("choice", False, True, False, "vertical")),
    (("MULTIRESPONSE_H", "MRH"), ("choice", False, True, False, "horizontal")),
    (("MULTIRESPONSE_S", "MRS"), ("choice", False, True, True, "vertical")),
    (("MULTIRESPONSE_HS", "MRHS"), ("choice", False, True, True, "horizontal")),
):
    for _name in _names:
        _CLOZE_TYPES[_name] = _spec
del _names, _spec, _name

_GAP_START = re.compile(
    r"\{([0-9]*):(" + "|".join(sorted(_CLOZE_TYPES, key=len, reverse=True)) + r"):"
)
# What looks like a gap but is none (no colon after the type, a type in lower case...).
_GAP_LIKE = re.compile(r"\{[0-9]*:[A-Za-z_]+\b[^{}]{0,40}")
_GAP_FRACTION = re.compile(r"=|%(-?[0-9]+(?:[.,][0-9]*)?)%")
# An answer ends before ~, # or } unless an escape (\) or an entity (& or &amp;) comes
# just before it; feedback ends before ~ or } unless \ comes before it.
_ANSWER_END = re.compile(r"(?<!\\)(?<!&)(?<!&amp;)[~#}]")
_FEEDBACK_END = re.compile(r"(?<!\\)[~}]")
_CLOZE_NUMBER = r"-?(?:[0-9]+[.,]?[0-9]*|[.,][0-9]+)(?:[eE][-+]?[0-9]+)?"
_CLOZE_NUMERIC = re.compile(rf"({_CLOZE_NUMBER})(?::-?({_CLOZE_NUMBER[2:]}))?")


def read_cloze_text(text: str) -> ClozeReading:
    """Read the gaps of a cloze question's text as Moodle does (question/type/multianswer).

    A gap is `{mark:TYPE:alternatives}`: the mark may be left out (1), TYPE is one of
    SHORTANSWER (SA, MW), SHORTANSWER_C, NUMERICAL (NM), MULTICHOICE (MC) and its _V, _H,
    _S, _VS, _HS variants, MULTIRESPONSE (MR) and its _H, _S, _HS variants. Alternatives
    are separated by ~; each may start with = (right) or %50% (its marks), and end with
    #feedback; a number is written 1822 or 1822:2 (with its tolerance).

    Moodle reads a gap as its pattern does; a gap that pattern could only read by
    stretching an answer over the rest of the text (an unclosed gap) is reported as a
    problem and ends the reading. Runs in time linear in the text.
    """
    gaps: list[ClozeGap] = []
    problems: list[str] = []
    out: list[str] = []
    copied = at = 0
    while (start := _GAP_START.search(text, at)) is not None:
        gap = _read_gap(text, start, len(gaps) + 1)
        if gap is None:
            shown = shorten(text[start.start() : start.start() + 40])
            problems.append(f"the gap '{shown}' is never closed with }}")
            break
        gaps.append(gap)
        out.append(text[copied : gap.start] + f"{{#{gap.number}}}")
        copied = at = gap.end
    out.append(text[copied:])
    if not gaps and not problems:
        like = _GAP_LIKE.search(text)
        hint = f" ('{shorten(like.group(), 30)}' is none)" if like else ""
        problems.append(f"it has no gaps such as {{1:SHORTANSWER:=answer}}{hint}")
    for gap in gaps:
        problems.extend(_gap_problems(gap))
    return ClozeReading("".join(out), tuple(gaps), tuple(problems))


def _read_gap(text: str, start: re.Match, number: int) -> ClozeGap | None:
    """Read the gap whose {mark:TYPE: is `start`; None when it is never closed."""
    moodle_type = start.group(2)
    kind, case_sensitive, several, shuffle, layout = _CLOZE_TYPES[moodle_type]
    raw: list[tuple[str, str, str]] = []  # (fraction as written, answer, feedback)
    at = start.end()
    if text.startswith("~", at):
        at += 1  # Moodle's reading of the alternatives allows a ~ before the first
    while True:
        fraction = _GAP_FRACTION.match(text, at)
        written = ""
        if fraction is not None:
            written = fraction.group()
            at = fraction.end()
        # An answer has at least one character: the first is taken before looking for its end.
        if at >= len(text):
            return None
        end = _ANSWER_END.search(text, at + 1)
        if end is None:
            return None
        answer = text[at : end.start()]
        feedback = ""
        at = end.start()
        if text[at] == "#":
            close = _FEEDBACK_END.search(text, at + 1)
            if close is None:
                return None
            feedback = text[at + 1 : close.start()]
            at = close.start()
        raw.append((written, answer, feedback))
        if text[at] == "}":
            break
        at += 1  # the ~ before the next alternative
    answers = _gap_answers(raw, kind, several)
    mark = int(start.group(1)) if start.group(1) else 1
    return ClozeGap(
        number=number,
        kind=kind,
        moodle_type=moodle_type,
        mark=mark,
        answers=answers,
        start=start.start(),
        end=at + 1,
        case_sensitive=case_sensitive,
        several=several,
        shuffle=shuffle,
        layout=layout,
    )


def _gap_answers(raw: list[tuple[str, str, str]], kind: str, several: bool) -> tuple:
    fractions = []
    specific = False
    for written, _, _ in raw:
        if written == "=":
            fractions.append(1.0)
        elif written:
            fractions.append(float(written[1:-1].replace(",", ".")) / 100)
            specific = True
        else:
            fractions.append(0.0)
    if several:
        # Moodle makes the positive grades of a several-answer choice add up to 1; with no
        # %grade% written, each wrong answer takes back what one right answer gives.
        total = sum(f for f in fractions if f > 0)
        if total:
            fractions = [
                f / total if f > 0 else (f if specific else -1.0 / total) for f in fractions
            ]
    answers = []
    for (_, answer, written), fraction in zip(raw, fractions, strict=True):
        feedback = _unescape(written)
        html_ = {"html": _unbackslash(answer), "feedback_html": _unbackslash(written)}
        numeric = _CLOZE_NUMERIC.fullmatch(answer) if kind == "number" else None
        if numeric is not None:
            value, _, _ = _moodle_number(numeric.group(1))
            tolerance = _moodle_number(numeric.group(2))[0] if numeric.group(2) else 0.0
            answers.append(
                ClozeAnswer(numeric.group(1), fraction, feedback, value, tolerance, **html_)
            )
        else:
            answers.append(ClozeAnswer(_unescape(answer), fraction, feedback, **html_))
    return tuple(answers)


def _unescape(text: str) -> str:
    return html.unescape(_unbackslash(text))


def _unbackslash(text: str) -> str:
    return text.replace("\\}", "}").replace("\\#", "#")


def _gap_problems(gap: ClozeGap) -> list[str]:
    """Moodle's checks of a gap (qtype_multianswer_validate_question)."""
    problems = []
    where = f"gap {gap.number} ({gap.moodle_type})"
    given = [a for a in gap.answers if a.text.strip(TRIM)]
    for answer in given:
        if gap.kind == "number" and answer.value is None and answer.text.strip(TRIM) != "*":
            problems.append(f"{where}: answer '{shorten(answer.text)}' is not a number or *")
    if gap.kind == "choice" and len(given) < 2:
        problems.append(f"{where}: a choice needs at least 2 answers")
    elif not given:
        problems.append(f"{where}: it has no answer")
    full = any(a.fraction == 1.0 for a in given) or (
        gap.several and any(a.fraction > 0 for a in given)
    )
    if given and not full:
        problems.append(f"{where}: no answer is fully right")
    return problems
