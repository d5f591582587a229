"""Read a bank file safely: YAML (or JSON) bytes to plain data, with the line of every value.

Hand-written files are read with PyYAML's safe parser, but we build the data from
the parser's events ourselves instead of letting PyYAML construct it. That way:

- anchors and aliases are refused at the line that declares them, before any value
  is shared, so an alias bomb or a self-referencing alias costs nothing;
- only plain YAML/JSON types are ever built (text, numbers, booleans, null, dates,
  lists, mappings): a `!!python/...` tag is refused, never constructed;
- duplicate keys, deep nesting, too many values and a second document are refused with
  their line, so that a file of millions of tiny values costs little;
- every value's line is recorded, so that later checks can point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode

try:  # libyaml's parser is several times faster; the pure-Python one is a fallback.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: Largest bank file accepted, checked before anything is parsed.
MAX_BANK_BYTES = 5 * 1024 * 1024
#: Deepest nesting of lists and mappings; a bank needs four levels.
MAX_DEPTH = 20
#: Most values in one file, keys, lists and mappings included: a bank of 10,000 questions
#: of 25 values each. Building each costs about a microsecond, checking it a few more; a
#: file of millions of tiny values is refused where it passes this.
MAX_VALUES = 250_000
#: Plain values this long or shorter are read once per file (keys, true, 2, choice...).
_CACHED_LENGTH = 64

DataPath = tuple[Any, ...]

_TAG = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL = _TAG + "str", _TAG + "null", _TAG + "bool"
_INT, _FLOAT, _TIMESTAMP = _TAG + "int", _TAG + "float", _TAG + "timestamp"
# Implicit tags PyYAML may resolve a plain scalar to that only make sense as text here:
# "=" (value), "<<" (merge, useless without aliases) and the reserved "!&*" forms.
_READ_AS_TEXT = frozenset({_STR, _TAG + "value", _TAG + "merge", _TAG + "yaml"})
_SCALAR_TAGS = frozenset({"!", _STR, _NULL, _BOOL, _INT, _FLOAT, _TIMESTAMP})

# Characters YAML forbids in a stream (anything but tab, newline, return and printables).
_FORBIDDEN_CHARACTER = re.compile(
    "[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
# YAML 1.1 reads 010 as octal 8 and 1:30 as 90; a teacher means the text "010", "1:30".
_SURPRISING_NUMBER = re.compile(r"[-+]?(?:0[0-7_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)$")


class ReadError(ValueError):
    """A file that cannot be read as a bank document; `line` is 1-based or None."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Document:
    """Parsed data of one file and the line where each value (or its key) starts."""

    data: Any
    lines: dict[DataPath, int] = field(default_factory=dict, repr=False)

    def line_of(self, path: DataPath) -> int | None:
        """Return the line of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            line = self.lines.get(path)
            if line is not None or not path:
                return line
            path = path[:-1]


def read_document(data: bytes, filename: str = "<bank>") -> Document:
    """Parse `data` as one YAML (or JSON) document of plain values; raise ReadError.

    `filename` only names the input (an upload's name is never used to open anything).
    """
    if len(data) > MAX_BANK_BYTES:
        raise ReadError(f"file is larger than the {MAX_BANK_BYTES // (1024 * 1024)} MiB limit")
    text = _decode(data)
    _check_characters(text)
    loader = _Loader(text)
    try:
        return _Builder(loader).build()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text) from None
    except yaml.YAMLError as exc:  # e.g. a reader error, which carries no line
        raise ReadError(f"YAML error: {exc}") from None
    finally:
        loader.dispose()


def _decode(data: bytes) -> str:
    """Return `data` as text: UTF-8 only, a UTF-8 BOM dropped."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        raise ReadError("file must be UTF-8 (it is UTF-16 or UTF-32: save it as UTF-8)", 1)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        raise ReadError(
            f"file must be UTF-8 (byte 0x{byte:02X} is not UTF-8: "
            "was it saved as Latin-1 or Windows-1252?)",
            line,
        ) from None


def _check_characters(text: str) -> None:
    """Refuse NUL bytes and control characters, which no hand-written bank contains."""
    match = _FORBIDDEN_CHARACTER.search(text)
    if match is None:
        return
    line = text.count("\n", 0, match.start()) + 1
    char = match.group()
    if char == "\x00":
        raise ReadError("file contains a NUL byte: it must be UTF-8 text (is it UTF-16?)", line)
    raise ReadError(f"file contains the control character U+{ord(char):04X}", line)


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> ReadError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    problem = exc.problem or "not valid YAML"
    message = f"YAML syntax error: {problem}"
    if exc.context:
        message += f" ({exc.context}"
        if exc.context_mark is not None and exc.context_mark.line + 1 != line:
            message += f" at line {exc.context_mark.line + 1}"
        message += ")"
    if line is not None and _starts_with_tab(text, line):
        message += "; indent with spaces, not tabs"
    return ReadError(message, line)


def _starts_with_tab(text: str, line: int) -> bool:
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return False
    end = text.find("\n", start)
    content = text[start : end if end >= 0 else len(text)]
    return "\t" in content[: len(content) - len(content.lstrip())]


def _show_tag(tag: str) -> str:
    return shorten("!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag, 80)


def shorten(value: object, limit: int = 40) -> str:
    """Return `value` as text short enough to quote in a message."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Frame:
    """A list or mapping being built, with its path and (for a mapping) the pending key."""

    __slots__ = ("container", "is_mapping", "key", "key_line", "path")

    def __init__(self, container: list | dict, path: DataPath) -> None:
        self.container = container
        self.is_mapping = type(container) is dict
        self.path = path
        self.key: Any = _NO_KEY
        self.key_line = 0


_NO_KEY = object()
_COLLECTION_STARTS = (SequenceStartEvent, MappingStartEvent)
# What PyYAML's scalar constructors raise on text that does not fit their tag.
_CONSTRUCTION_ERRORS = (ValueError, KeyError, IndexError, TypeError, AttributeError)


class _Builder:
    """Turn parser events into plain Python values, refusing what a bank never needs."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.lines: dict[DataPath, int] = {}
        # What a plain value reads as depends on its text alone: read each once.
        self.plain: dict[str, Any] = {}

    def build(self) -> Document:
        loader, lines = self.loader, self.lines
        get_event = loader.get_event
        stack: list[_Frame] = []
        frame: _Frame | None = None  # the innermost list or mapping being built
        root: Any = None
        documents = values = 0
        while True:
            event = get_event()
            kind = type(event)
            if kind is ScalarEvent or kind in _COLLECTION_STARTS or kind is AliasEvent:
                line = event.start_mark.line + 1
                values += 1
                if values > MAX_VALUES:
                    raise ReadError(
                        f"more than {MAX_VALUES:,} values (texts, numbers, keys, lists and "
                        "mappings): split the questions into smaller files",
                        line,
                    )
                if kind is AliasEvent or event.anchor is not None:
                    self._refuse_anchor(event, line)
                if frame is None:
                    path: DataPath = ()
                    lines[path] = line
                elif frame.is_mapping:
                    if frame.key is _NO_KEY:
                        self._take_key(frame, event, line)
                        continue
                    path = (*frame.path, frame.key)
                    # A key's line, not its value's: the value of `options:` starts below it.
                    lines[path] = frame.key_line
                else:
                    path = (*frame.path, len(frame.container))
                    lines[path] = line
                if kind is ScalarEvent:
                    value: Any = self._scalar(event, line)
                else:
                    value = self._collection(event, line)
                if frame is None:
                    root = value
                elif frame.is_mapping:
                    frame.container[frame.key] = value
                    frame.key = _NO_KEY
                else:
                    frame.container.append(value)
                if kind is not ScalarEvent:
                    if len(stack) >= MAX_DEPTH:
                        raise ReadError(f"nesting is deeper than {MAX_DEPTH} levels", line)
                    frame = _Frame(value, path)
                    stack.append(frame)
            elif kind is SequenceEndEvent or kind is MappingEndEvent:
                stack.pop()
                frame = stack[-1] if stack else None
                if frame is not None and frame.is_mapping:
                    frame.key = _NO_KEY
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise ReadError(
                        "a bank file holds one YAML document; a second one starts here",
                        event.start_mark.line + 1,
                    )
            elif kind is StreamEndEvent:
                return Document(root, lines)

    @staticmethod
    def _refuse_anchor(event: NodeEvent, line: int) -> None:
        if isinstance(event, AliasEvent):
            raise ReadError(f"YAML aliases (*{event.anchor}) are not allowed in bank files", line)
        if event.anchor is not None:
            raise ReadError(f"YAML anchors (&{event.anchor}) are not allowed in bank files", line)

    def _take_key(self, frame: _Frame, event: NodeEvent, line: int) -> None:
        if not isinstance(event, ScalarEvent):
            raise ReadError("a mapping key must be a plain value, not a list or mapping", line)
        key = self._scalar(event, line)
        if key in frame.container:
            first = self.lines.get((*frame.path, key))
            where = f" (first at line {first})" if first else ""
            raise ReadError(f"duplicate key '{shorten(key)}'{where}", line)
        frame.key = key
        frame.key_line = line

    def _collection(self, event: NodeEvent, line: int) -> list | dict:
        is_mapping = isinstance(event, MappingStartEvent)
        tag = event.tag  # type: ignore[attr-defined]
        if tag not in (None, "!", _TAG + ("map" if is_mapping else "seq")):
            raise ReadError(f"YAML tag '{_show_tag(tag)}' is not allowed in bank files", line)
        return {} if is_mapping else []

    def _scalar(self, event: ScalarEvent, line: int) -> Any:
        value = event.value
        tag = event.tag
        if tag is None:
            if not event.implicit[0]:  # quoted: always text
                return self._text(event, line)
            read = self.plain.get(value, _NO_KEY)
            if read is _NO_KEY:
                read = self._plain(value)
                if len(value) <= _CACHED_LENGTH:
                    self.plain[value] = read
            return read
        if tag == "!":
            return self._text(event, line)
        if tag not in _SCALAR_TAGS:
            raise ReadError(f"YAML tag '{_show_tag(tag)}' is not allowed in bank files", line)
        if tag == _STR:
            return self._text(event, line)
        try:
            return self._construct(tag, value, fallback=False)
        except _CONSTRUCTION_ERRORS:
            raise ReadError(f"'{shorten(value)}' is not a valid {_show_tag(tag)}", line) from None

    def _plain(self, value: str) -> Any:
        """Read a plain (unquoted, untagged) value as YAML resolves it, or as text."""
        tag = self.loader.resolve(ScalarNode, value, (True, False))
        if tag in _READ_AS_TEXT or (tag in (_INT, _FLOAT) and _SURPRISING_NUMBER.match(value)):
            return value
        # Implicitly typed values that fail to build (1991-02-30, a 5,000-digit number)
        # stay text: the question's own checks explain what is wrong.
        return self._construct(tag, value, fallback=True)

    def _construct(self, tag: str, value: str, *, fallback: bool) -> Any:
        node = ScalarNode(tag, value)
        try:
            if tag == _NULL:
                return None
            if tag == _BOOL:
                return self.loader.bool_values[value.lower()]
            if tag == _INT:
                return self.loader.construct_yaml_int(node)
            if tag == _FLOAT:
                return self.loader.construct_yaml_float(node)
            return self.loader.construct_yaml_timestamp(node)
        except _CONSTRUCTION_ERRORS:
            if fallback:
                return value
            raise

    @staticmethod
    def _text(event: ScalarEvent, line: int) -> str:
        value = event.value
        # Only double-quoted escapes ("\0", "\x07") can smuggle control characters in.
        if event.style == '"' and _FORBIDDEN_CHARACTER.search(value):
            raise ReadError("text contains a control character (from a \\ escape)", line)
        return value
