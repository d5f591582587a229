"""Every parser runs in time linear in its input (shared/design/threats.md, "Parsers and the
single worker"): a file ten times larger takes at most about ten times longer.

For each entry point and each shape of input (pathological ones: a comment full of
`[tag:`, many tiny values, long lines, deep but allowed nesting, ...) an input is parsed,
then one ten times larger; the larger may take at most RATIO_LIMIT times as long. A
quadratic path makes that ratio about 100. Each time is processor time, the best of a few
runs with the garbage collector paused, so that a busy machine does not fail good code; the
inputs are small, so that the whole file runs in a few seconds.

Adding a parser is one line in ENTRY_POINTS: its name, a function
reading bytes, a function writing a bank (for the shapes every format shares) and its own
shapes.
"""

from __future__ import annotations

import copy
import gc
import json
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from quizapp.banks import LoadedBank, load_bank
from quizapp.banks.gift import dump_gift, parse_gift
from quizapp.banks.loader import BankError, dump_bank
from quizapp.banks.moodle_xml import parse_moodle_xml

#: How much longer an input ten times larger may take.
RATIO_LIMIT = 20
#: Runs of the small input; the larger one runs again (up to this often) only when its
#: first run looks too slow, so that a fast parser pays for one run of it.
REPEAT = 5

Make = Callable[[int], bytes]


@dataclass(frozen=True)
class Shape:
    """An input of `n` units of one shape (n questions, n tags, n values...)."""

    name: str
    make: Make
    n: int  # the small input's size; the large one is 10 × n


@dataclass(frozen=True)
class EntryPoint:
    """A parser of teachers' files: read bytes (a BankError is an answer too), write a bank."""

    name: str
    read: Callable[[bytes], object]
    write: Callable[[LoadedBank], bytes]
    shapes: tuple[Shape, ...]


# -- what every format can hold: banks written by the format's own writer ----------------

_EVERYTHING = Path(__file__).parent / "gift" / "every-optional-field.yaml"
_QUESTIONS = load_bank(_EVERYTHING.read_bytes(), "every.yaml", sources_dir=None).questions


def _bank(n: int, **changes) -> LoadedBank:
    """A bank of n questions of every type and field, each with its own id."""
    questions = []
    for index in range(n):
        question = copy.deepcopy(_QUESTIONS[index % len(_QUESTIONS)])
        question["id"] = f"{question['id']}-{index}"
        question.update(copy.deepcopy(changes))
        questions.append(question)
    return LoadedBank("linear", "Linear", None, None, questions)


def _shared(write: Callable[[LoadedBank], bytes]) -> tuple[Shape, ...]:
    long_prompt = "Word " * 390
    tags = [f"t{i}" for i in range(20)]
    return (
        Shape("questions of every type", lambda n: write(_bank(n)), 40),
        Shape("questions with long texts", lambda n: write(_bank(n, prompt=long_prompt)), 20),
        Shape("questions with many tags", lambda n: write(_bank(n, tags=tags)), 30),
    )


# -- GIFT ---------------------------------------------------------------------------------


def _read_gift(data: bytes) -> object:
    return parse_gift(data, "linear.gift", bank="linear", title="Linear")


def _times(piece: str, before: str = "", after: str = "") -> Make:
    return lambda n: (before + piece * n + after).encode()


#: Texts grow up to 50,000 characters (MAX_RAW_TEXT), lines up to 100,000 (MAX_LINE);
#: the smaller one is over 2,000 characters, so that both are refused alike (too long).
GIFT_SHAPES = (
    Shape("a comment of [tag:", _times("[tag:", "// ", "\nWhich? {T}"), 1_500),
    Shape("a comment of [id:", _times("[id:", "// ", "\nWhich? {T}"), 1_500),
    Shape("comment lines of [tag:", _times("// [tag:\n", "", "Which? {T}"), 1_000),
    Shape("long comment lines of [tag:", _times("// " + "[tag:" * 100 + "\n", "", "Q {T}"), 20),
    Shape("a comment of tags", _times("[tag:t] ", "// ", "\nWhich? {T}"), 1_000),
    Shape("a comment of escapes", _times("\\\\\\]", "// [tag:", "\nWhich? {T}"), 1_500),
    Shape("questions of one name", _times("Which? {T}\n\n"), 150),
    Shape("questions with one [id:", _times("// [id:x]\nWhich? {T}\n\n"), 150),
    Shape("questions in one category", _times("$CATEGORY: a/b\n\nWhich? {T}\n\n"), 150),
    Shape("lines holding 0", _times("Which? {T}\n0\n"), 150),
    Shape("answers of 50 options", _times("Which? {=a " + "~b " * 49 + "}\n\n"), 20),
    Shape("a text of escapes", _times("\\{\\}\\=\\~\\#\\:\\\\", "Which ", " {T}"), 300),
    Shape("a text of backslashes", _times("\\", "Which ", " {T}"), 4_200),
    Shape("a long line", _times("word ", "Which ", " {T}"), 420),
    Shape("lines of one text", _times("word\n", "Which\n", "{T}"), 420),
    Shape("HTML tags", _times("<b>word</b> words ", "[html]Which ", " {T}"), 200),
    Shape(
        "HTML nested to the limit",
        _times("<i>word</i> words ", "[html]" + "<div>" * 95, "{T}"),
        200,
    ),
    Shape("HTML nested too deep", _times("<div>", "[html]Which ", " {T}"), 900),
    Shape("tags as text", _times("<x ", "Which ", " {T}"), 700),
    Shape("lone tags", _times("<b>x ", "Which ", " {T}"), 420),
    Shape("HTML comments", _times("<!-- ", "Which ", " {T}"), 420),
    Shape("entities", _times("&amp; word ", "[html]Which ", " {T}"), 300),
    Shape("no-break spaces", _times("words&nbsp;", "[html]Which ", " {T}"), 350),
    Shape("hashes in feedback", _times("#x", "Which? {=a ", " ~b}"), 1_050),
    Shape("equals in feedback", _times("#b=c", "Which? {=a", "}"), 2_000),
    Shape("arrows", _times("->", "Which? {=a -> b", " =c -> d}"), 1_050),
    Shape("a numerical answer", _times("1", "Which? {#", "}"), 1_000),
    Shape("open braces", _times("{", "Which ", "T}"), 2_100),
    Shape("colons of a title", _times(":", "::", "Which? {T}"), 2_100),
    Shape("a title never closed", _times("a:", "::", "Which? {T}"), 1_050),
    Shape("percent signs", _times("%", "Which? {~%", "50%a ~b}"), 2_100),
)


# -- YAML and JSON ------------------------------------------------------------------------


def _read_bank(name: str) -> Callable[[bytes], object]:
    return lambda data: load_bank(data, name, sources_dir=None)


def _yaml(before: str, piece: str, after: str = "") -> Make:
    return lambda n: (before + piece * n + after).encode()


_HEAD = "bank: linear\ntitle: Linear\n"


def _numbers(n: int) -> bytes:
    """Numbers YAML reads in every way: ints, floats, hex, sexagesimal, dates."""
    values = (f"{i}, {i}.5, 0x{i:x}, 1:{i % 60}, 2001-01-{1 + i % 28}" for i in range(n))
    return (_HEAD + "questions:\n  - [" + ", ".join(values) + "]\n").encode()


def _keys(n: int) -> bytes:
    return (
        _HEAD + "questions:\n  - {" + ", ".join(f"k{i:06}: v" for i in range(n)) + "}\n"
    ).encode()


def _unknown_keys(n: int) -> bytes:
    return (_HEAD + "questions: []\n" + "".join(f"k{i:06}: 1\n" for i in range(n))).encode()


YAML_SHAPES = (
    Shape("tiny values in a list", _yaml(_HEAD + "questions:\n  - [", "1, ", "]\n"), 5_000),
    Shape("tiny values in lines", _yaml(_HEAD + "questions:\n  - \n", "    - 1\n"), 5_000),
    Shape("numbers of every kind", _numbers, 1_000),
    Shape("keys of one mapping", _keys, 3_000),
    Shape(
        "deep but allowed nesting",
        _yaml(_HEAD + "questions:\n  - [", "[" * 16 + "1" + "]" * 16 + ", ", "]\n"),
        300,
    ),
    Shape("a long plain line", _yaml(_HEAD + "x: ", "word ", "\nquestions: []\n"), 5_000),
    Shape(
        "a long quoted line", _yaml(_HEAD + 'x: "', '\\u00e9\\t\\"', '"\nquestions: []\n'), 2_000
    ),
    Shape("a block of lines", _yaml(_HEAD + "x: |\n", "  word\n", "questions: []\n"), 5_000),
    Shape("comments", _yaml(_HEAD, "# [tag: &a *b !!python/x\n", "questions: []\n"), 5_000),
    Shape("unknown keys", _unknown_keys, 200),
)


def _json(before: str, piece: str, after: str = "") -> Make:
    """A JSON shape: `piece` n times, joined by commas."""
    return lambda n: (before + ", ".join([piece] * n) + after).encode()


_JSON_HEAD = '{"bank": "linear", "title": "Linear", '


def _json_keys(n: int) -> bytes:
    keys = ", ".join(f'"k{i:06}": 1' for i in range(n))
    return (_JSON_HEAD + '"questions": [{' + keys + "}]}").encode()


JSON_SHAPES = (
    Shape("tiny values in a list", _json(_JSON_HEAD + '"questions": [[', "1", "]]}"), 5_000),
    Shape("keys of one object", _json_keys, 3_000),
    Shape(
        "deep but allowed nesting",
        _json(_JSON_HEAD + '"questions": [', "[" * 16 + "1" + "]" * 16, "]}"),
        300,
    ),
    Shape("a long line", _json(_JSON_HEAD + '"x": "', "word", '", "questions": []}'), 5_000),
    Shape(
        "a long escaped line",
        _json(_JSON_HEAD + '"x": "', '\\u00e9\\"', '", "questions": []}'),
        2_000,
    ),
    Shape("one value a line", _json(_JSON_HEAD + '"questions": [[\n', "1\n", "]]}"), 5_000),
)


def _dump_json(bank: LoadedBank) -> bytes:
    data = {"bank": bank.slug, "title": bank.title, "questions": bank.questions}
    return json.dumps(data, ensure_ascii=False, indent=1).encode()


# -- Moodle XML ---------------------------------------------------------------------------


def _read_moodle_xml(data: bytes) -> object:
    return parse_moodle_xml(data, "linear.xml", bank="linear", title="Linear")


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _xml_text(text: str, tag: str = "", fmt: str = "") -> str:
    attribute = f' format="{fmt}"' if fmt else ""
    inner = f"<text>{_cdata(text)}</text>"
    return f"<{tag}{attribute}>{inner}</{tag}>" if tag else inner


def _xml_answer(text: str, fraction: float, feedback: str | None = None, more: str = "") -> str:
    feedback_xml = _xml_text(feedback, "feedback") if feedback else ""
    return (
        f'<answer fraction="{fraction * 100:.7g}" format="plain_text">{_xml_text(text)}'
        f"{feedback_xml}{more}</answer>\n"
    )


def _xml_question(question: dict) -> str:
    """The nearest Moodle XML question, as test input only: quizapp does not write Moodle
    XML (yet), and this keeps only what a timing needs."""
    kind = question["type"]
    parts = []
    if kind in ("choice", "multi"):
        moodle = "multichoice"
        single = kind == "choice"
        parts.append(f"<single>{'true' if single else 'false'}</single>")
        feedback = question.get("feedback", {})
        if single:
            credit = question.get("credit", {})
            marks = {
                o: 1.0 if o == question["answer"] else credit.get(o, 0.0)
                for o in question["options"]
            }
        else:
            share = 1 / len(question["answers"])
            plain = {o: share if o in question["answers"] else -share for o in question["options"]}
            marks = {o: question.get("weights", plain).get(o, 0.0) for o in question["options"]}
        parts += [_xml_answer(o, marks[o], feedback.get(o)) for o in question["options"]]
    elif kind == "truefalse":
        moodle = "truefalse"
        answer = question["answer"]
        parts += [_xml_answer("true", float(answer)), _xml_answer("false", float(not answer))]
    elif kind in ("text", "date"):
        moodle = "shortanswer"
        forms = [question["answer"], *question.get("accept", [])]
        parts += [_xml_answer(form, 1.0) for form in forms]
        parts += [
            _xml_answer(f, c) for f, c in question.get("credit", {}).items() if f not in forms
        ]
    elif kind == "number":
        moodle = "numerical"
        tolerance = question.get("tolerance", 0)
        if isinstance(tolerance, str):
            tolerance = abs(question["answer"]) * float(tolerance.rstrip("%")) / 100
        parts.append(
            _xml_answer(
                f"{question['answer']:g}", 1.0, None, f"<tolerance>{tolerance:g}</tolerance>"
            )
        )
        if unit := question.get("unit"):
            parts.append(
                f"<units><unit><multiplier>1</multiplier><unit_name>{unit}</unit_name>"
                "</unit></units>"
            )
    elif kind == "order":
        moodle = "ordering"
        parts += [_xml_answer(item, n + 1) for n, item in enumerate(question["items"])]
    else:
        moodle = "matching"
        pairs = [*question["pairs"].items(), *(("", d) for d in question.get("distractors", []))]
        parts += [
            f'<subquestion format="plain_text">{_xml_text(left)}'
            f"<answer>{_xml_text(right)}</answer></subquestion>\n"
            for left, right in pairs
        ]
    tags = "".join(f"<tag>{_xml_text(tag)}</tag>" for tag in question.get("tags", []))
    explanation = question.get("explanation")
    return (
        f'<question type="{moodle}">\n{_xml_text(question["id"], "name")}\n'
        f"{_xml_text(question['prompt'], 'questiontext', 'markdown')}\n"
        + (_xml_text(explanation, "generalfeedback", "markdown") if explanation else "")
        + f"<idnumber>{question['id']}</idnumber><tags>{tags}</tags>\n"
        + "".join(parts)
        + "</question>\n"
    )


def _xml_of_bank(bank: LoadedBank) -> bytes:
    body = "".join(_xml_question(question) for question in bank.questions)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n{body}</quiz>\n'.encode()


_TF = (
    '<question type="truefalse"><name><text>{name}</text></name><questiontext format="html">'
    '<text>Which?</text></questiontext>{more}<answer fraction="100"><text>true</text></answer>'
    '<answer fraction="0"><text>false</text></answer></question>\n'
)


def _quiz(piece: str, before: str = "", after: str = "") -> Make:
    """A Moodle XML file: `piece` n times inside <quiz>, between `before` and `after`."""
    return lambda n: f"<quiz>\n{before}{piece * n}{after}</quiz>\n".encode()


def _in_text(piece: str, fmt: str = "html", kind: str = "truefalse", around: str = "") -> Make:
    """One question whose text holds `piece` n times (in a CDATA section); `around` is
    "before|after" the pieces."""
    answers = _TF.split("</questiontext>", 1)[1].split("</question>")[0]
    if kind == "cloze":
        answers = ""
    before, _, after = around.partition("|")

    def make(n: int) -> bytes:
        return (
            f'<quiz><question type="{kind}"><name><text>Q</text></name>'
            f'<questiontext format="{fmt}"><text><![CDATA[{before}{piece * n}{after}]]></text>'
            f"</questiontext>{answers}</question></quiz>"
        ).encode()

    return make


def _attributes(n: int) -> bytes:
    attributes = " ".join(f'a{i:06}="1"' for i in range(n))
    return f'<quiz><question {attributes} type="x"/></quiz>'.encode()


#: Texts stay under 50,000 characters (MAX_RAW_TEXT) and files under 250,000 elements.
MOODLE_XML_SHAPES = (
    Shape("questions of one name", _quiz(_TF.format(name="Same", more="")), 150),
    Shape(
        "questions of one idnumber", _quiz(_TF.format(name="Q", more="<idnumber>x</idnumber>")), 150
    ),
    Shape(
        "questions each after a category",
        _quiz(
            '<question type="category"><category><text>$course$/top/a/b</text></category>'
            "</question>\n" + _TF.format(name="Q", more="")
        ),
        100,
    ),
    Shape(
        "a long category path",
        _quiz(
            "a/",
            '<question type="category"><category><text>$course$/top/',
            "b</text></category></question>\n" + _TF.format(name="Q", more=""),
        ),
        2_000,
    ),
    Shape(
        "tags of one question",
        _quiz(
            "<tag><text>t</text></tag>", '<question type="truefalse"><tags>', "</tags></question>"
        ),
        1_000,
    ),
    Shape(
        "elements of one question",
        _quiz("<hint><text>h</text></hint>", '<question type="truefalse">', "</question>"),
        1_000,
    ),
    Shape(
        "answers of many questions",
        _quiz(
            '<question type="multichoice"><name><text>Q</text></name><questiontext>'
            "<text>Q</text></questiontext>"
            + "".join(_xml_answer(f"o{i}", 1.0 if i == 0 else 0.0) for i in range(8))
            + "</question>\n"
        ),
        40,
    ),
    Shape(
        "too many answers",
        _quiz(
            '<answer fraction="0"><text>a</text></answer>',
            '<question type="multichoice"><name><text>Q</text></name>',
            "</question>",
        ),
        500,
    ),
    Shape("deep but allowed nesting", _quiz("<a>" * 18 + "</a>" * 18), 400),
    Shape("attributes of one element", _attributes, 300),
    Shape("comments", _quiz("<!-- a comment -->\n"), 1_500),
    Shape("processing instructions", _quiz("<?pi data?>\n"), 1_500),
    Shape("unknown elements in <quiz>", _quiz("<x/>\n"), 1_500),
    Shape(
        "CDATA sections",
        _quiz(
            "<![CDATA[x]]>", '<question type="truefalse"><name><text>', "</text></name></question>"
        ),
        1_500,
    ),
    Shape(
        "character references",
        _quiz("&#233;&amp;", '<question type="x"><name><text>', "</text></name></question>"),
        1_500,
    ),
    Shape(
        "a long file",
        _quiz("QUJD" * 10, '<question type="truefalse"><file name="f">', "</file></question>"),
        1_500,
    ),
    Shape("a long text", _in_text("word "), 900),
    Shape("HTML tags", _in_text("<b>word</b> words "), 250),
    Shape("HTML nested too deep", _in_text("<div>"), 900),
    Shape("tags as text", _in_text("<x ", "moodle_auto_format"), 700),
    Shape("entities", _in_text("&amp; word "), 400),
    Shape("ampersands", _in_text("& "), 1_000),
    Shape("no-break spaces", _in_text("words&nbsp;"), 400),
    Shape("files of a text", _in_text('<img src="@@PLUGINFILE@@/a.png"> '), 120),
    Shape("images in a text", _in_text('<img src="data:image/png;base64,QUJD"> '), 120),
    Shape("cloze gaps", _in_text("{1:MULTICHOICE:=a#b~c#d~%50%e} ", "html", "cloze"), 150),
    Shape("cloze gaps never closed", _in_text("{1:SA:=a~b ", "html", "cloze"), 450),
    Shape("cloze escapes", _in_text("\\}\\#\\~&amp;#", "html", "cloze", "{1:SA:=a#|}"), 400),
    Shape("cloze look-alikes", _in_text("{1:MULTICHOICE ", "html", "cloze"), 300),
    Shape("cloze answers", _in_text("~%50%a#b", "html", "cloze", "{1:MR:=x|}"), 500),
)

# -- the entry points: one line each ------------------------------------------------------

ENTRY_POINTS = (
    EntryPoint("gift", _read_gift, lambda bank: dump_gift(bank).encode(), GIFT_SHAPES),
    EntryPoint("yaml", _read_bank("linear.yaml"), lambda b: dump_bank(b).encode(), YAML_SHAPES),
    EntryPoint("json", _read_bank("linear.json"), _dump_json, JSON_SHAPES),
    EntryPoint("moodle-xml", _read_moodle_xml, _xml_of_bank, MOODLE_XML_SHAPES),
)


# -- the measurement ----------------------------------------------------------------------


def outcome(read: Callable[[bytes], object], data: bytes) -> tuple[str, ...]:
    """What reading gave, sizes aside: ("ok",) or the kinds of problems reported."""
    try:
        read(data)
    except BankError as exc:
        return tuple(sorted({re.sub(r"[0-9][0-9,.]*", "#", i.message) for i in exc.issues}))
    return ("ok",)


def timed(read: Callable[[bytes], object], data: bytes) -> tuple[float, tuple[str, ...]]:
    """Return the processor time reading takes (a busy machine that makes the test wait
    adds none of it) and what it gave."""
    start = time.thread_time()
    result = outcome(read, data)
    return time.thread_time() - start, result


def growth(read: Callable[[bytes], object], make: Make, n: int) -> tuple[float, float, float]:
    """Return (ratio, small time, large time) of reading make(10 n) and make(n).

    Both inputs must be read alike (both fine, or both refused for the same reasons): a
    larger input refused early by a limit would say nothing about linearity.
    """
    small_data, large_data = make(n), make(10 * n)
    small = large = math.inf
    gc.disable()  # a collection in the middle of one run would count against it
    try:
        for _ in range(REPEAT):
            took, small_outcome = timed(read, small_data)
            small = min(small, took)
        for _ in range(REPEAT):
            took, large_outcome = timed(read, large_data)
            large = min(large, took)
            if large < RATIO_LIMIT * small:
                break
    finally:
        gc.enable()
    assert large_outcome == small_outcome, "the larger input is read unlike the smaller one"
    return large / max(small, 1e-6), small, large


def _id(entry: EntryPoint, shape: Shape) -> str:
    return entry.name + "-" + re.sub("[^a-z0-9]+", "-", shape.name).strip("-")


CASES = [
    pytest.param(entry.read, shape, id=_id(entry, shape))
    for entry in ENTRY_POINTS
    for shape in (*_shared(entry.write), *entry.shapes)
]


@pytest.mark.parametrize(("read", "shape"), CASES)
def test_an_input_ten_times_larger_takes_at_most_about_ten_times_longer(read, shape):
    ratio, small, large = growth(read, shape.make, shape.n)
    assert ratio < RATIO_LIMIT, (
        f"{shape.name}: {shape.n:,} took {small * 1000:.1f} ms, {10 * shape.n:,} took "
        f"{large * 1000:.1f} ms ({ratio:.0f} times as long)"
    )


def test_the_measure_fails_a_quadratic_parser():
    def quadratic(data: bytes) -> None:
        # Python steps alone, each the same cost: at these sizes the work, not the call's
        # fixed cost or the clock's grain, decides the ratio (about 100).
        pairs = 0
        for i in range(len(data)):
            for _ in range(i):
                pairs += 1

    ratio, _, _ = growth(quadratic, lambda n: b"x" * n, 400)
    assert ratio > RATIO_LIMIT


def test_every_entry_point_has_shapes_of_its_own_and_reads_its_own_writing():
    for entry in ENTRY_POINTS:
        assert entry.shapes
        data = entry.write(_bank(len(_QUESTIONS)))
        assert outcome(entry.read, data) == ("ok",), entry.name


def test_each_shape_makes_an_input_about_ten_times_larger():
    for entry in ENTRY_POINTS:
        for shape in (*_shared(entry.write), *entry.shapes):
            small, large = len(shape.make(shape.n)), len(shape.make(10 * shape.n))
            assert 7 < large / small < 11, (entry.name, shape.name, large / small)
