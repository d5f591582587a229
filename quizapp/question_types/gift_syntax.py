"""GIFT's syntax for writing questions out, as Moodle's importer reads it back: escapes,
weights, answers with feedback. Each question type writes its own answers with these
(QuestionType.gift_answers); quizapp.banks.gift_export puts the blocks together."""

from __future__ import annotations

import html
import re

_SPECIAL = re.compile(r"([\\~=#{}:])")
# A text that Moodle would read as a weight or a format if written bare.
_LOOKS_LIKE_WEIGHT = re.compile(r"%-*[0-9]{1,2}\.?[0-9]*%")


def escape(text: str) -> str:
    """Escape GIFT's special characters; a newline is written as \\n."""
    text = _SPECIAL.sub(r"\\\1", text)
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def comment_safe(text: str) -> str:
    return " ".join(text.split())


def field(name: str, value: str) -> str:
    value = value.replace("\\", "\\\\").replace("]", "\\]")
    return f"[{name}:{comment_safe(value)}]"


def written(text: str, *, arrow_safe: bool = False) -> str:
    """A text of the answer block, in the question's Markdown; an arrow (->) in it would
    make Moodle read a matching question, so such a text is written as HTML instead."""
    if arrow_safe and "->" in text:
        return "[html]" + escape(as_html(text))
    written = escape(text)
    if text.startswith("["):  # [html]… would be read as a format: say the format first
        written = "[markdown]" + written
    return written


def as_html(text: str) -> str:
    """Return `text` as HTML that shows exactly it: <, > and & escaped, a <br> between lines,
    and each space that a browser would merge or drop (two or more in a row, or any at
    either end of a line) written as &nbsp;, which the import reads back as a space."""
    lines = (html.escape(line, quote=False) for line in re.split(r"\r\n|\r|\n", text))
    return "<br>".join(_KEPT_SPACES.sub(lambda m: "&nbsp;" * len(m[0]), line) for line in lines)


_KEPT_SPACES = re.compile(r"^ +| {2,}| +$")


def number(value: float) -> str:
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def percent(fraction: float) -> str:
    """A fraction as GIFT's percentage, digits only (never an exponent)."""
    percent = round(fraction * 100, 8)
    text = f"{percent:.8f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def tilde(fraction: float | None, text: str) -> str:
    """A multiple-choice answer that is not the right one: `~text` or `~%50%text`."""
    if fraction or _LOOKS_LIKE_WEIGHT.match(text):  # keep a text such as "%50%" a text
        return f"~%{percent(fraction or 0.0)}%{written(text)}"
    return "~" + written(text)


def equals(fraction: float | None, text: str) -> str:
    """A short answer: `=text` (full marks) or `=%50%text`."""
    if fraction is None and _LOOKS_LIKE_WEIGHT.match(text):
        fraction = 1.0
    weight = "" if fraction is None else f"%{percent(fraction)}%"
    return f"={weight}{written(text, arrow_safe=True)}"


def with_feedback(answer: str, feedback: str | None, *, arrow_safe: bool = False) -> str:
    return f"{answer}#{written(feedback, arrow_safe=arrow_safe)}" if feedback else answer
