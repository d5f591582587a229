"""Read a GIFT file the way Moodle's importer does: blocks, escapes, names, answers, types.

The rules (shared/design/gift.md) were checked against Moodle 4.2's own importer; this
module follows them and keeps Moodle's terms: its question types, its weights as
fractions, its missing-word blank. `gift.py` then maps each reading onto quizapp's types.
Every part keeps the line it was written on, for messages a teacher can act on.
"""

from __future__ import annotations

import itertools
import math
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field

from quizapp.banks.gift_text import TooComplex, split_format, to_plain

#: PHP's trim(): Moodle trims with exactly these, not with every Unicode space.
TRIM = " \t\n\r\0\x0b"
#: Longest line read; a longer one is refused (Moodle's exports stay far below).
MAX_LINE = 100_000
#: The name Moodle makes from a question's text when it has no ::title::.
NAME_LENGTH = 80
#: Most answers read in one question: more than any quizapp type holds, far fewer than
#: a hostile file could make each cost.
MAX_ANSWERS = 50
#: Most question blocks read in one file (a bank holds at most 10,000 questions).
MAX_BLOCKS = 10_000
#: Longest text read before its HTML is removed (Word's HTML is long; this is plenty).
MAX_RAW_TEXT = 50_000
#: Most HTML tags and entities read in one file: each costs the sanitiser some work.
MAX_TAGS = 200_000

# Escaped control characters become one placeholder each, as in Moodle, so that they
# never act as syntax; Unicode noncharacters cannot clash with a teacher's text.
_ESCAPES = {":": "\ufdd0", "#": "\ufdd1", "=": "\ufdd2", "{": "\ufdd3", "}": "\ufdd4",
            "~": "\ufdd5", "n": "\ufdd6"}  # fmt: skip
_RESTORE = str.maketrans({v: ("\n" if k == "n" else k) for k, v in _ESCAPES.items()})
_ESCAPE = re.compile(r"\\([\\:#={}~n])")
_WEIGHT = re.compile(r"%-*[0-9]{1,2}\.?[0-9]*%")
_NUMERIC = re.compile(
    r"[ \t\n\r\v\f]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t\n\r\v\f]*"
)
# [id:...], [tag:...] and quizapp's own markers in comments: where one starts, and its
# value (a \ escapes the next character, a line end aside) up to the closing ].
_FIELD_START = re.compile(r"\[(id|tag|quizapp|unit|difficulty):")
_FIELD_VALUE = re.compile(r"(?:\\.|[^\]\\])*+")
TRUE_FALSE = ("T", "TRUE", "F", "FALSE")

#: The grades Moodle offers; an imported weight must be one of them (as a fraction).
MOODLE_WEIGHTS = (
    1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333,
    0.3, 0.25, 0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0,
)  # fmt: skip


@dataclass(frozen=True)
class Note:
    """A line and a message: an error, or a warning that something may not be meant."""

    line: int
    message: str


@dataclass
class Answer:
    """One answer of a multiple-choice or short-answer question, as Moodle reads it."""

    text: str
    line: int
    weight: float  # a fraction: 1.0 is 100 %
    weight_text: str | None = None  # "33.33333": the weight as written, when one was
    feedback: str | None = None


@dataclass
class Pair:
    """One line of a matching question; an empty left is an extra answer on the right."""

    left: str
    right: str
    line: int


@dataclass
class Number:
    """One answer of a numerical question; value None is Moodle's `*` (anything)."""

    value: float | None
    tolerance: float
    weight: float
    line: int
    written: str
    weight_text: str | None = None
    feedback: str | None = None


@dataclass
class Reading:
    """One question block as Moodle reads it."""

    line: int
    kind: str  # description, essay, multichoice, truefalse, shortanswer, match, numerical
    name: str
    text: str
    text_line: int
    category: str | None = None
    idnumber: str | None = None
    tags: list[str] = field(default_factory=list)
    markers: dict[str, str] = field(default_factory=dict)
    general_feedback: str | None = None
    feedback_line: int = 0
    answers: list[Answer] = field(default_factory=list)
    single: bool = True
    pairs: list[Pair] = field(default_factory=list)
    numbers: list[Number] = field(default_factory=list)
    otherwise: str | None = None  # numerical: feedback for any other number
    truth: bool = True
    right_feedback: str | None = None
    wrong_feedback: str | None = None
    #: The answers stood inside the text, which goes on after them ("missing word"): the
    #: text holds _____ where they were.
    missing_word: bool = False
    #: The passages the general feedback quotes (a Moodle XML file quizapp wrote).
    quotes: list[str] = field(default_factory=list)
    #: A cloze read from Moodle XML: (its text with {1}, {2}... for the gaps, the gaps as
    #: quizapp's gap dicts); the prompt is the text's first paragraph when it has no gap.
    cloze: tuple[str, list[dict]] | None = None


@dataclass
class GiftReading:
    """Every question block of a file, and the errors and warnings found reading it."""

    readings: list[Reading] = field(default_factory=list)
    errors: list[Note] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)
    blocks: int = 0  # blocks with anything but comments, categories included


def has_placeholder(text: str) -> re.Match | None:
    """Find a character of the placeholder range, which no GIFT file may hold."""
    return re.search("[\ufdd0-\ufdef]", text)


def read_gift(text: str) -> GiftReading:
    """Read decoded GIFT text into question readings; never raise on any text."""
    result = GiftReading()
    category: str | None = None
    tags = len(re.findall(r"<[A-Za-z/!?]|&[#A-Za-z]", text))
    if tags > MAX_TAGS:
        message = f"too much HTML: {tags:,} tags and entities (at most {MAX_TAGS:,} in a file)"
        result.errors.append(Note(1, message))
        return result
    blocks = _blocks(text, result)
    with_answers = [block for block in blocks if any("{" in line for _, line in block)]
    if len(with_answers) > MAX_BLOCKS:
        count = len(with_answers)
        message = f"too many questions ({count:,}; a bank holds at most {MAX_BLOCKS:,})"
        result.errors.append(Note(with_answers[MAX_BLOCKS][0][0], message))
        return result
    for lines in blocks:
        block = _Block(lines, result)
        try:
            read = block.read(category)
        except _TooLong:
            continue
        if isinstance(read, _Category):
            category = read.path
        elif read is not None:
            result.readings.append(read)
        if block.has_content:
            result.blocks += 1
    return result


@dataclass(frozen=True)
class _Category:
    path: str


class _TooLong(Exception):
    """A text too long or too deeply nested to read: reported, and its question left out."""


def _blocks(text: str, result: GiftReading) -> list[list[tuple[int, str]]]:
    """Split the text into blocks of trimmed lines; a blank line ends a block."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, raw in enumerate(lines, start=1):
        if len(raw) > MAX_LINE:
            result.errors.append(
                Note(number, f"line is longer than {MAX_LINE:,} characters ({len(raw):,})")
            )
            raw = ""  # the line ends its block, so the rest of the file is still read
        line = raw.strip(TRIM)
        # PHP's empty(): a line holding only "0" is blank to Moodle as well.
        if line in ("", "0"):
            if line == "0" and current:
                result.warnings.append(
                    Note(number, "a line holding only 0 ends the question here, as in Moodle")
                )
            if current:
                blocks.append(current)
                current = []
        else:
            current.append((number, line))
    if current:
        blocks.append(current)
    return blocks


def post(text: str) -> str:
    """Turn placeholders back into the characters they escaped."""
    return text.translate(_RESTORE)


def shorten_name(text: str) -> str:
    """Return the start of `text` as a question name: 80 characters, cut on a word."""
    text = " ".join(text.split())
    if len(text) <= NAME_LENGTH:
        return text
    cut = text[:NAME_LENGTH].rsplit(" ", 1)[0]
    return (cut or text[:NAME_LENGTH]) + "…"


class _Block:
    """One block of lines: comments apart, escapes replaced, offsets mapped to lines."""

    def __init__(self, lines: list[tuple[int, str]], result: GiftReading) -> None:
        self.result = result
        self.numbers = [number for number, _ in lines]
        self.comments = "\n".join(text for _, text in lines if text.startswith("//"))
        # Moodle blanks a comment line and joins the rest with newlines.
        joined = "\n".join(" " if text.startswith("//") else text for _, text in lines)
        self.s = _ESCAPE.sub(lambda m: "\\" if m[1] == "\\" else _ESCAPES[m[1]], joined)
        self.newlines = [m.start() for m in re.finditer("\n", self.s)]
        self.has_content = bool(self.s.strip(TRIM))

    def line(self, offset: int) -> int:
        """Return the file line of an offset in the block's text."""
        index = bisect_left(self.newlines, offset)
        return self.numbers[min(index, len(self.numbers) - 1)]

    def warn(self, offset: int, message: str) -> None:
        self.result.warnings.append(Note(self.line(offset), message))

    def error(self, offset: int, message: str) -> None:
        self.result.errors.append(Note(self.line(offset), message))

    def trim(self, start: int, end: int) -> tuple[int, int]:
        """Narrow a span of the text to exclude what PHP's trim() would remove."""
        while start < end and self.s[start] in TRIM:
            start += 1
        while end > start and self.s[end - 1] in TRIM:
            end -= 1
        return start, end

    def plain(self, raw: str, default: str, offset: int) -> tuple[str, str]:
        """Return (text, format) of a text as Moodle's parse_text_with_format reads it,
        made plain; anything worth a warning is reported at the text's line."""
        fmt, raw = split_format(raw, default)
        if len(raw) > MAX_RAW_TEXT:
            self.error(offset, f"a text of {len(raw):,} characters (at most {MAX_RAW_TEXT:,})")
            raise _TooLong
        notes: list[str] = []
        try:
            text = to_plain(post(raw).strip(TRIM), fmt, notes)
        except TooComplex as exc:
            self.error(offset, str(exc))
            raise _TooLong from None
        for note in dict.fromkeys(notes):
            self.warn(offset, note)
        return text, fmt

    # -- the block --------------------------------------------------------------------

    def read(self, category: str | None) -> Reading | _Category | None:
        start, end = self.trim(0, len(self.s))
        if start == end:
            return None  # only comments
        s = self.s
        if s.startswith("$CATEGORY:", start):
            path = post(s[start + 10 : end]).strip(TRIM)
            if "\n" in path:
                self.warn(
                    start,
                    "Moodle reads the lines after $CATEGORY: as part of the category's name, "
                    "so the question there is lost: put a blank line after $CATEGORY:",
                )
                path = path.split("\n", 1)[0].strip(TRIM)
            return _Category(path)
        name: str | None = None
        if s.startswith("::", start):
            close = s.find("::", start + 2, end)
            if close < 0:
                self.warn(start, "the title has no closing '::': Moodle reads no title here")
                start += 2
            else:
                name = " ".join(post(s[start + 2 : close]).split())
                start, end = self.trim(close + 2, end)
        return self.read_question(start, end, name, category)

    def read_question(
        self, start: int, end: int, name: str | None, category: str | None
    ) -> Reading | None:
        s = self.s
        first_line = self.line(start)
        opening, closing = s.find("{", start, end), s.find("}", start, end)
        if opening < 0 and closing < 0:
            text, _ = self.plain(s[start:end], "moodle", start)
            return self._reading("description", first_line, name, text, start, category)
        if opening < 0 or closing < 0:
            brace, other = ("{", "}") if closing < 0 else ("}", "{")
            at = opening if closing < 0 else closing
            self.error(at, f"'{brace}' without a '{other}': write \\{brace} for a literal brace")
            return None
        if closing < opening:
            self.error(closing, "'}' before the first '{': write \\} for a literal brace")
            return None
        if s.find("{", opening + 1, closing) >= 0:
            self.warn(
                opening,
                "a second '{' before the first '}': Moodle reads the answers up to the first "
                "'}' (write \\{ for a literal brace)",
            )
        rest = s[closing + 1 : end]
        if "{" in rest or "}" in rest:
            self.warn(
                closing,
                "text after the answers holds another '{' or '}': Moodle reads only the first "
                "answer block and keeps the rest in the question text",
            )
        # The question text, with the answer block removed or made a blank.
        blank = "" if s[end - 1] == "}" else "_____"
        text_raw = s[start:opening] + blank + rest
        a_start, a_end = self.trim(opening + 1, closing)
        feedback_at = s.rfind("####", a_start, a_end)
        general_raw: str | None = None
        if feedback_at >= 0:
            general_raw = s[feedback_at + 4 : a_end]
            a_end = self.trim(a_start, feedback_at)[1]
        text, fmt = self.plain(text_raw, "moodle", start)
        reading = self._reading("", first_line, name, text, start, category)
        if general_raw is not None:
            reading.general_feedback = self.plain(general_raw, fmt, feedback_at)[0]
            reading.feedback_line = self.line(feedback_at)
        kind = self._kind(a_start, a_end, opening)
        reading.kind = kind
        reading.missing_word = bool(blank)
        read = getattr(self, f"_read_{kind}", None)
        if read is not None and not read(reading, a_start, a_end, fmt):
            return None
        return reading

    def _reading(
        self, kind: str, line: int, name: str | None, text: str, start: int, category: str | None
    ) -> Reading:
        idnumber, tags, markers = _comment_fields(self.comments)
        return Reading(
            line=line,
            kind=kind,
            name=name or shorten_name(text),
            text=text,
            text_line=self.line(start),
            category=category,
            idnumber=idnumber,
            tags=tags,
            markers=markers,
        )

    def _kind(self, start: int, end: int, opening: int) -> str:
        answers = self.s[start:end]
        kind = _kind_of(answers)
        # The # that starts a numerical question's answers is no feedback.
        checked = answers[1:] if kind == "numerical" else answers
        if kind != "truefalse" and (marker := _marker_in_feedback(checked)) is not None:
            self.warn(
                opening,
                f"unescaped {marker} in feedback? Moodle starts a new answer there, so this "
                f"reads as {_KIND_NAMES[kind]} question (write \\{marker} in feedback)",
            )
        if kind == "shortanswer":
            bare = answers.split("#", 1)[0].strip(TRIM)
            if bare.upper() in TRUE_FALSE and bare not in TRUE_FALSE:
                self.warn(
                    opening,
                    f"did you mean {'TRUE' if bare.upper().startswith('T') else 'FALSE'}? "
                    f"Moodle reads {{{bare}}} as a short answer, not true/false",
                )
        return kind

    # -- the answers of each type ----------------------------------------------------

    def _pieces(self, start: int, end: int, markers: str) -> list[tuple[int, int]] | None:
        """Split the answers at each marker character, a marker starting its piece; the
        first piece is dropped when it is blank, as Moodle's explode() does."""
        cuts = []
        for match in re.compile(f"[{markers}]").finditer(self.s, start, end):
            cuts.append(match.start())
            if len(cuts) > MAX_ANSWERS:
                self.error(match.start(), f"more than {MAX_ANSWERS} answers in one question")
                return None
        bounds = [start, *cuts, end]
        pieces = [self.trim(a, b) for a, b in itertools.pairwise(bounds)]
        if pieces and pieces[0][0] == pieces[0][1]:
            pieces.pop(0)
        return pieces

    def _weight(self, start: int, end: int) -> tuple[float | None, str | None, int]:
        """Read a %weight% at `start`: (fraction, as written, where the answer starts)."""
        match = _WEIGHT.match(self.s, start, end)
        if match is None:
            return None, None, start
        written = match.group()[1:-1]
        try:
            weight = float(written) / 100
        except ValueError:
            self.error(start, f"weight '%{written}%' is not a number")
            return 0.0, written, match.end()
        return weight, written, match.end()

    def _answer(self, start: int, end: int, weight: float, written: str | None, fmt: str) -> Answer:
        """An answer and its #feedback (Moodle's commentparser)."""
        hash_at = self.s.find("#", start, end)
        text_end = hash_at if hash_at >= 0 else end
        text_start, text_end = self.trim(start, text_end)
        text, _ = self.plain(self.s[text_start:text_end], fmt, start)
        feedback = None
        if hash_at >= 0:
            f_start, f_end = self.trim(hash_at + 1, end)
            feedback = self.plain(self.s[f_start:f_end], fmt, hash_at)[0] or None
        return Answer(text, self.line(start), weight, written, feedback)

    def _read_multichoice(self, reading: Reading, start: int, end: int, fmt: str) -> bool:
        reading.single = "=" in self.s[start:end]
        pieces = self._pieces(start, end, "~=")
        if pieces is None:
            return False
        if len(pieces) < 2:
            self.error(start, "a multiple-choice question needs at least 2 answers")
            return False
        for a, b in pieces:
            if self.s.startswith("~", a):
                a = self.trim(a + 1, b)[0]
            if self.s.startswith("=", a):
                reading.answers.append(self._answer(a + 1, b, 1.0, None, fmt))
                continue
            weight, written, a = self._weight(a, b)
            reading.answers.append(self._answer(a, b, weight or 0.0, written, fmt))
        return True

    def _read_shortanswer(self, reading: Reading, start: int, end: int, fmt: str) -> bool:
        for a, b in self._pieces(start, end, "=") or []:
            if self.s.startswith("=", a):
                a = self.trim(a + 1, b)[0]
            weight, written, a = self._weight(a, b)
            reading.answers.append(
                self._answer(a, b, 1.0 if weight is None else weight, written, fmt)
            )
        return bool(reading.answers)

    def _read_truefalse(self, reading: Reading, start: int, end: int, fmt: str) -> bool:
        parts = self.s[start:end].split("#", 2)
        offsets = [start]
        for part in parts[:-1]:
            offsets.append(offsets[-1] + len(part) + 1)
        answer, _ = self.plain(parts[0].strip(TRIM), fmt, start)
        reading.truth = answer in ("T", "TRUE")
        if len(parts) > 1:
            reading.wrong_feedback = self.plain(parts[1].strip(TRIM), fmt, offsets[1])[0] or None
        if len(parts) > 2:
            reading.right_feedback = self.plain(parts[2].strip(TRIM), fmt, offsets[2])[0] or None
        return True

    def _read_match(self, reading: Reading, start: int, end: int, fmt: str) -> bool:
        pieces = self._pieces(start, end, "=")
        if pieces is None:
            return False
        if len(pieces) < 2:
            self.error(start, "a matching question needs at least 2 pairs")
            return False
        ok = True
        for a, b in pieces:
            if self.s.startswith("=", a):
                a = self.trim(a + 1, b)[0]
            arrow = self.s.find("->", a, b)
            if arrow < 0:
                self.error(a, "a matching answer must be written 'left -> right'")
                ok = False
                continue
            left, _ = self.plain(self.s[a:arrow], fmt, a)
            right = post(self.s[arrow + 2 : b]).strip(TRIM)
            if "#" in self.s[arrow + 2 : b]:
                self.warn(a, "'#' in a matching answer is text in Moodle: matching has no feedback")
            reading.pairs.append(Pair(left, right, self.line(a)))
        return ok

    def _read_numerical(self, reading: Reading, start: int, end: int, fmt: str) -> bool:
        start += 1  # the leading #
        tilde = self.s.find("~", start, end)
        if tilde >= 0:
            hash_at = self.s.find("#", tilde, end)
            if hash_at >= 0:
                f_start, f_end = self.trim(hash_at + 1, end)
                reading.otherwise = self.plain(self.s[f_start:f_end], fmt, hash_at)[0] or None
            end = tilde
        pieces = self._pieces(start, end, "=")
        if pieces is None:
            return False
        if not pieces:
            self.error(start, "a numerical question needs an answer, such as {#1822} or {#1822:2}")
            return False
        ok = True
        after_feedback = False
        for a, b in pieces:
            if self.s.startswith("=", a):
                a = self.trim(a + 1, b)[0]
            weight, written, a = self._weight(a, b)
            answer = self._answer(a, b, 1.0 if weight is None else weight, written, fmt)
            number = self._number(answer, after_feedback)
            if number is None:
                ok = False
            else:
                reading.numbers.append(number)
            after_feedback = answer.feedback is not None
        return ok

    def _number(self, answer: Answer, after_feedback: bool) -> Number | None:
        """Read '1822', '1822:2' or '1820..1824' (Moodle's three forms of a numerical answer)."""
        text = answer.text
        hint = " (an unescaped = in the feedback before it? write \\=)" if after_feedback else ""
        line = answer.line
        if text == "*":
            return Number(None, 0.0, answer.weight, line, text, answer.weight_text, answer.feedback)
        if text.find("..") > 0:
            low, high = text.split("..", 1)
            if not (_NUMERIC.fullmatch(low) and _NUMERIC.fullmatch(high)):
                self.result.errors.append(
                    Note(line, f"numerical range '{text}' is not two numbers like 1820..1824{hint}")
                )
                return None
            value = _round((float(high) + float(low)) / 2)
            tolerance = _round(float(high) - value)
            if tolerance < 0:
                self.result.warnings.append(
                    Note(line, f"range '{text}' runs backwards: read as {high}..{low}")
                )
                tolerance = -tolerance
        else:
            if text.find(":") > 0:
                value_text, _, tolerance_text = text.partition(":")
            else:
                value_text, tolerance_text = text, "0"
            if not _NUMERIC.fullmatch(value_text):
                # Moodle quietly makes this "any answer is right"; a teacher means a number.
                self.result.errors.append(
                    Note(
                        line,
                        f"numerical answer '{text}' is not a number (write 1.5, not "
                        f"1,5, and no unit){hint}",
                    )
                )
                return None
            if not _NUMERIC.fullmatch(tolerance_text):
                self.result.errors.append(
                    Note(line, f"tolerance '{tolerance_text}' of '{text}' is not a number")
                )
                return None
            value, tolerance = float(value_text), abs(float(tolerance_text))
        if not (math.isfinite(value) and math.isfinite(tolerance)):
            self.result.errors.append(Note(line, f"numerical answer '{text}' is too large"))
            return None
        return Number(value, tolerance, answer.weight, line, text, answer.weight_text,
                      answer.feedback)  # fmt: skip


_KIND_NAMES = {
    "essay": "an essay",
    "numerical": "a numerical",
    "multichoice": "a multiple-choice",
    "match": "a matching",
    "truefalse": "a true/false",
    "shortanswer": "a short-answer",
}


def _kind_of(answers: str) -> str:
    """Moodle's type of a question by its answer text; the first rule that holds wins."""
    if not answers:
        return "essay"
    if answers[0] == "#":
        return "numerical"
    if "~" in answers:
        return "multichoice"
    if "=" in answers and "->" in answers:
        return "match"
    hash_at = answers.find("#")
    bare = answers[:hash_at].strip(TRIM) if hash_at > 0 else answers
    return "truefalse" if bare in TRUE_FALSE else "shortanswer"


def _round(number: float) -> float:
    """Round a computed number to 12 significant digits: (3.141 + 3.142) / 2 is 3.1415."""
    return float(f"{number:.12g}")


def _marker_in_feedback(answers: str) -> str | None:
    """Return the = or ~ that most likely sits inside feedback text ("2+2=4"), if any.

    An answer marker after a '#' (so within that answer's feedback) and glued to the
    word before it is rarely meant as a new answer; one after a space usually is.
    """
    in_feedback = False
    for index, char in enumerate(answers):
        if char == "#":
            in_feedback = True
        elif char in "=~":
            if in_feedback and index > 0 and answers[index - 1] not in TRIM:
                return char
            in_feedback = False
    return None


def _comment_fields(comments: str) -> tuple[str | None, list[str], dict[str, str]]:
    """Read [id:...] and [tag:...] (Moodle's) and quizapp's own markers from comments."""
    idnumber: str | None = None
    tags: list[str] = []
    markers: dict[str, str] = {}
    for key, raw in _fields(comments):
        value = raw.replace("\\]", "]").replace("\\\\", "\\").strip()
        if key == "id":
            idnumber = value if idnumber is None else idnumber
        elif key == "tag":
            tags.append(value)
        else:
            markers.setdefault(key, value)
    return idnumber, tags, markers


def _fields(comments: str) -> Iterator[tuple[str, str]]:
    """Yield (key, value as written) of each [key:value] in the comments, in one pass.

    A field whose value never finds its ] is no field; nor is any field that starts within
    that value, since its value would stop where this one did (a key holds no backslash,
    so both read the characters after it alike). So the search goes on from there, and a
    comment full of "[tag:" costs one pass, not one pass per "[tag:".
    """
    at = 0
    while (start := _FIELD_START.search(comments, at)) is not None:
        value = _FIELD_VALUE.match(comments, start.end())
        end = value.end()
        if comments.startswith("]", end):
            yield start.group(1), value.group()
            at = end + 1
        else:
            at = max(end, start.end())


def is_moodle_weight(weight: float) -> bool:
    """Tell whether Moodle offers this grade (or its negative) for an answer."""
    return any(abs(abs(weight) - grade) < 1e-6 for grade in MOODLE_WEIGHTS)
