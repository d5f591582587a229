"""Moodle XML's elements for writing questions out, as Moodle 4.x's "Export questions"
writes them and its importer reads them back. Each question type says how it is written
(QuestionType.moodle_xml) with these; quizapp.banks.moodle_xml_export puts the file
together and serialises it (CDATA for HTML, as Moodle does)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, SubElement

from quizapp.question_types.base import CannotWrite
from quizapp.question_types.gift_syntax import as_html

#: The grades Moodle offers, as it writes them in fraction="...": any other is refused.
GRADES = (
    "100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333",
    "30", "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5", "0",
)  # fmt: skip
_SLACK = 0.001  # percentage points: Moodle's own "within 0.001 %"
#: Moodle's default penalty for a wrong try (true/false questions: 1).
PENALTY = "0.3333333"


@dataclass
class MoodleQuestion:
    """How one question is written: Moodle's type, the elements that follow <idnumber>
    (options and answers), and what the common parts cannot say.

    `text_html` replaces the prompt as the question text (a cloze's gaps stand in it);
    `markers` are (name, value) pairs written as tags `quizapp:value` (name "quizapp")
    or `quizapp-name:value`, which Moodle keeps and the importer reads back; `lost` says,
    in a comment before the question, what a Moodle learner does not get of it.
    """

    kind: str
    parts: list[Element] = field(default_factory=list)
    text_html: str | None = None
    markers: list[tuple[str, str]] = field(default_factory=list)
    lost: str | None = None
    penalty: str = PENALTY


def grade(fraction: float, what: str = "a grade") -> str:
    """Return a fraction as Moodle's percentage ("33.33333"); raise CannotWrite when it is
    none of Moodle's grades (Moodle refuses such a file)."""
    percent = fraction * 100
    for written in GRADES:
        if abs(abs(percent) - float(written)) < _SLACK:
            return "-" + written if percent < 0 and written != "0" else written
    raise CannotWrite(
        f"{what} of {percent:.7g}% is not a grade Moodle offers (100, 90, 83.33333, 80, 75, "
        "70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, "
        "11.11111, 10, 5, 0 or their negatives)"
    )


def number(value: float) -> str:
    """A number as Moodle reads it: digits and a decimal point (an exponent for the huge)."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def as_html_text(text: str) -> str:
    """Return quizapp's plain text as HTML that shows exactly it (see gift_syntax.as_html)."""
    return as_html(text)


def text(tag: str, content: str, fmt: str | None = "html") -> Element:
    """An element holding <text>: <questiontext format="html"><text>...</text>."""
    element = Element(tag, {"format": fmt} if fmt else {})
    SubElement(element, "text").text = content
    return element


def value(tag: str, content: str) -> Element:
    """An element holding a bare value: <single>true</single>."""
    element = Element(tag)
    element.text = content
    return element


def answer(
    fraction: str,
    content: str,
    *,
    fmt: str = "html",
    feedback: str | None = None,
    extra: list[Element] | None = None,
) -> Element:
    """<answer fraction=".." format=".."><text>..</text><feedback>..</feedback>...; an
    html answer's text and every feedback are written as HTML."""
    element = Element("answer", {"fraction": fraction, "format": fmt})
    SubElement(element, "text").text = as_html(content) if fmt == "html" else content
    element.append(text("feedback", as_html(feedback) if feedback else ""))
    for part in extra or []:
        element.append(part)
    return element


# -- cloze: Moodle's embedded answers ------------------------------------------------------

# What Moodle's reading of an embedded answer would take for syntax: each is written as a
# numeric character reference, which its reading decodes (and which no lookbehind for
# "\", "&" or "&amp;" mistakes for an escape).
_GAP_SPECIAL = re.compile(r"[&<>~}#=%{\\:\n\r]")


def gap_text(content: str) -> str:
    """Write a text for a gap's answer or feedback, every special character as &#N;."""
    return _GAP_SPECIAL.sub(lambda m: f"&#{ord(m[0])};", content)


def gap_html(content: str) -> str:
    """Write a text as the HTML of a gap's choice or feedback (see as_html), every
    character Moodle's reading would take for syntax as &#N;."""
    return _GAP_TOKEN.sub(_gap_token, as_html(content))


# The entities as_html writes, and the characters of the gap syntax. "&amp;" is written
# "&#38;": Moodle's reading would take "&amp;" before a "}" for an escape.
_GAP_TOKEN = re.compile(r"&amp;|&[a-z]+;|[~}#=%{\\]")


def _gap_token(match: re.Match) -> str:
    token = match[0]
    if token == "&amp;":
        return "&#38;"
    return token if token.startswith("&") else f"&#{ord(token)};"


def gap(mark: int, kind: str, alternatives: list[str]) -> str:
    """An embedded answer: {2:SHORTANSWER:=Vilnius~%50%Wilno#Its Polish name}."""
    return f"{{{mark}:{kind}:{'~'.join(alternatives)}}}"


def gap_alternative(fraction: float, content: str, feedback: str | None = None) -> str:
    """One alternative: `=` for full marks, else `%50%`; then its text and #feedback."""
    if fraction >= 1.0:
        weight = "="
    else:
        percent = f"{round(fraction * 100, 8):.8f}".rstrip("0").rstrip(".")
        weight = f"%{'0' if percent in ('', '-0') else percent}%"
    said = f"#{gap_html(feedback)}" if feedback else ""
    return f"{weight}{content}{said}"


def embed_gaps(text: str, gaps: list[str]) -> str:
    """Return a cloze's text, its gaps marked {1}, {2}..., as HTML with each gap embedded
    (`gaps` in order) and every other brace an entity, so that Moodle sees no other gap."""

    def embedded(match: re.Match) -> str:
        return gaps[int(match[1]) - 1] if match[1] else f"&#{ord(match[0])};"

    return _BRACES.sub(embedded, as_html(text))


_BRACES = re.compile(r"\{([0-9]{1,2})\}|[{}]")


def escape_around_gaps(text: str) -> str:
    """Return plain text as HTML in which Moodle sees no gap: its braces as entities."""
    return as_html(text).replace("{", "&#123;").replace("}", "&#125;")


def choice_flags(*, single: bool) -> list[Element]:
    """A multiple-choice question's settings: one answer or several, options shuffled (as
    quizapp shows them), lettered a, b, c."""
    return [
        value("single", "true" if single else "false"),
        value("shuffleanswers", "true"),
        value("answernumbering", "abc"),
        value("showstandardinstruction", "0"),
    ]
