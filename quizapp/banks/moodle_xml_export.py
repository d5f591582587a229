"""Write a bank as a Moodle XML file, as Moodle 4.x's "Export questions" writes one, that
Moodle imports and that imports back into quizapp grading the same.

The file holds a category first (`$course$/top/<bank title>`), then each question: its id
as name and `idnumber`, the prompt as HTML, the explanation and the verbatim quote (with
the source named) as general feedback, marks, penalty, the type's own options and answers
(QuestionType.moodle_xml), and its tags. What Moodle has no place for but keeps as tags
(a date written as a short answer, how a typed answer is compared, the difficulty) is a
tag `quizapp:date`, `quizapp-difficulty:3`..., which the importer reads back. A question
Moodle XML cannot say is left out with a comment; what is lost (a note, a family,
exclusions) is listed in the notes. See docs/question-banks.md, "Moodle XML".
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element, SubElement
from xml.sax.saxutils import escape, quoteattr

from quizapp.banks.loader import LoadedBank
from quizapp.question_types import TYPES
from quizapp.question_types import moodle_xml_syntax as xml
from quizapp.question_types.base import CannotWrite

#: The class of the parts of a general feedback that the importer reads back.
QUOTE_CLASS = "quizapp-quote"
SOURCE_CLASS = "quizapp-source"
#: quizapp's fields that Moodle XML has no place for, as the notes name them.
_UNSAID = {
    "note": "its note is",
    "family": "its family is",
    "excludes": "the questions it excludes are",
}


def dump_moodle_xml(bank: LoadedBank) -> tuple[bytes, list[str]]:
    """Return the bank as a Moodle XML file (UTF-8) and notes for the teacher: each question
    left out (also a comment in the file) and each of quizapp's fields that is lost."""
    notes: list[str] = []
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    lines.append(f"<!-- {_comment(bank.title)}: exported from quizapp, bank {bank.slug} -->")
    category = Element("question", {"type": "category"})
    holder = SubElement(category, "category")
    SubElement(holder, "text").text = "$course$/top/" + bank.title.replace("/", "//")
    _write(category, 1, lines)
    for question in bank.questions:
        lines.append("")
        try:
            written = TYPES[question["type"]].moodle_xml(question)
            element = _question(question, written, bank)
        except CannotWrite as exc:
            note = f"question {question['id']} left out: {exc}"
            lines.append(f"<!-- {_comment(note)} -->")
            notes.append(note)
            continue
        lines.append(f"<!-- question: {question['id']} -->")
        if written.lost:
            lines.append(f"<!-- {_comment(written.lost)} -->")
        _write(element, 1, lines)
        notes += [
            f"question {question['id']}: {said} not in Moodle XML (quizapp's own)"
            for field, said in _UNSAID.items()
            if question.get(field)
        ]
    lines.append("</quiz>")
    return ("\n".join(lines) + "\n").encode("utf-8"), notes


def _question(question: dict[str, Any], written: xml.MoodleQuestion, bank: LoadedBank) -> Element:
    element = Element("question", {"type": written.kind})
    name = SubElement(element, "name")
    SubElement(name, "text").text = question["id"]
    element.append(
        xml.text("questiontext", written.text_html or xml.as_html_text(question["prompt"]))
    )
    element.append(xml.text("generalfeedback", general_feedback(question, bank.source)))
    element.append(xml.value("defaultgrade", "1.0000000"))
    element.append(xml.value("penalty", written.penalty))
    element.append(xml.value("hidden", "0"))
    element.append(xml.value("idnumber", question["id"]))
    element.extend(written.parts)
    markers = list(written.markers)
    if question.get("difficulty", 2) != 2:
        markers.append(("difficulty", str(question["difficulty"])))
    tags = [*question.get("tags", []), *(marker_tag(name, value) for name, value in markers)]
    if tags:
        holder = SubElement(element, "tags")
        for tag in tags:
            SubElement(SubElement(holder, "tag"), "text").text = tag
    return element


def marker_tag(name: str, value: str) -> str:
    """A marker as the tag Moodle keeps: `quizapp:date`, `quizapp-difficulty:3`."""
    return f"quizapp:{value}" if name == "quizapp" else f"quizapp-{name}:{value}"


def general_feedback(question: dict[str, Any], source: str | None) -> str:
    """The explanation, then each passage quoted (marked, so that the import reads it back
    as the quote) and the source it is from, as HTML."""
    parts = []
    if question.get("explanation"):
        parts.append(f"<p>{xml.as_html_text(question['explanation'])}</p>")
    quote = question.get("quote")
    quotes = [quote] if isinstance(quote, str) else list(quote or [])
    for passage in quotes:
        parts.append(f'<blockquote class="{QUOTE_CLASS}">{xml.as_html_text(passage)}</blockquote>')
    if quotes and source:
        parts.append(f'<p class="{SOURCE_CLASS}">Source: {xml.as_html_text(source)}</p>')
    return "".join(parts)


# -- serialising, as Moodle writes ------------------------------------------------------------


def _write(element: Element, depth: int, lines: list[str]) -> None:
    pad = "  " * depth
    attributes = "".join(f" {key}={quoteattr(value)}" for key, value in element.attrib.items())
    children = list(element)
    if children:
        lines.append(f"{pad}<{element.tag}{attributes}>")
        for child in children:
            _write(child, depth + 1, lines)
        lines.append(f"{pad}</{element.tag}>")
    else:
        content = _content(element.tag, element.text or "")
        lines.append(f"{pad}<{element.tag}{attributes}>{content}</{element.tag}>")


def _content(tag: str, text: str) -> str:
    """A text in CDATA when it holds markup, as Moodle writes it ("]]>" split across two
    sections); anything else escaped. A carriage return, which XML would turn into a line
    end inside CDATA, is kept as a character reference."""
    if tag == "text" and re.search(r"[<>&]", text) and "\r" not in text:
        return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"
    return escape(text, {"\r": "&#13;"})


def _comment(text: str) -> str:
    """A text safe inside <!-- -->: on one line, with no "--"."""
    text = " ".join(text.split())
    while "--" in text:
        text = text.replace("--", "- -")
    return text.rstrip("-")
