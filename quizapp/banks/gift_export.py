"""Write a bank as a Moodle GIFT file that imports back into quizapp grading the same.

Every question is one block: a comment line with its id, tags and what GIFT cannot say
(`// [id:...] [tag:...] [quizapp:order] [unit:km]`, which Moodle ignores), its id as
the title, the prompt in Markdown (quizapp's own text format) and the answers. Types
GIFT lacks are written as the nearest Moodle type: a date as a short answer, an order
as a matching question of positions to items. See docs/question-banks.md.
"""

from __future__ import annotations

import html
import re
from typing import Any

from quizapp.banks.loader import LoadedBank
from quizapp.question_types.date import parse_iso

_SPECIAL = re.compile(r"([\\~=#{}:])")
# A text that Moodle would read as a weight or a format if written bare.
_LOOKS_LIKE_WEIGHT = re.compile(r"%-*[0-9]{1,2}\.?[0-9]*%")


def dump_gift(bank: LoadedBank) -> str:
    """Return the bank's questions as GIFT text (the bank's own fields are not in GIFT)."""
    blocks = [_block(question) for question in bank.questions]
    header = f"// {_comment_safe(bank.title)}\n// exported from quizapp: bank {bank.slug}\n"
    return header + "\n" + "\n\n".join(blocks) + ("\n" if blocks else "")


def escape(text: str) -> str:
    """Escape GIFT's special characters; a newline is written as \\n."""
    text = _SPECIAL.sub(r"\\\1", text)
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def _comment_safe(text: str) -> str:
    return " ".join(text.split())


def _field(name: str, value: str) -> str:
    value = value.replace("\\", "\\\\").replace("]", "\\]")
    return f"[{name}:{_comment_safe(value)}]"


def _text(text: str, *, arrow_safe: bool = False) -> str:
    """A text of the answer block, in the question's Markdown; an arrow (->) in it would
    make Moodle read a matching question, so such a text is written as HTML instead."""
    if arrow_safe and "->" in text:
        return "[html]" + escape(_as_html(text))
    written = escape(text)
    if text.startswith("["):  # [html]… would be read as a format: say the format first
        written = "[markdown]" + written
    return written


def _as_html(text: str) -> str:
    """Return `text` as HTML that shows exactly it: <, > and & escaped, a <br> between lines,
    and each space that a browser would merge or drop (two or more in a row, or any at
    either end of a line) written as &nbsp;, which the import reads back as a space."""
    lines = (html.escape(line, quote=False) for line in re.split(r"\r\n|\r|\n", text))
    return "<br>".join(_KEPT_SPACES.sub(lambda m: "&nbsp;" * len(m[0]), line) for line in lines)


_KEPT_SPACES = re.compile(r"^ +| {2,}| +$")


def _number(value: float) -> str:
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _percent(fraction: float) -> str:
    """A fraction as GIFT's percentage, digits only (never an exponent)."""
    percent = round(fraction * 100, 8)
    text = f"{percent:.8f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _tilde(fraction: float | None, text: str) -> str:
    """A multiple-choice answer that is not the right one: `~text` or `~%50%text`."""
    if fraction or _LOOKS_LIKE_WEIGHT.match(text):  # keep a text such as "%50%" a text
        return f"~%{_percent(fraction or 0.0)}%{_text(text)}"
    return "~" + _text(text)


def _equals(fraction: float | None, text: str) -> str:
    """A short answer: `=text` (full marks) or `=%50%text`."""
    if fraction is None and _LOOKS_LIKE_WEIGHT.match(text):
        fraction = 1.0
    weight = "" if fraction is None else f"%{_percent(fraction)}%"
    return f"={weight}{_text(text, arrow_safe=True)}"


def _with_feedback(answer: str, feedback: str | None, *, arrow_safe: bool = False) -> str:
    return f"{answer}#{_text(feedback, arrow_safe=arrow_safe)}" if feedback else answer


def _block(question: dict[str, Any]) -> str:
    kind = question["type"]
    fields = [_field("id", question["id"])]
    fields += [_field("tag", tag) for tag in question.get("tags", [])]
    marker = _MARKERS.get(kind)
    if kind == "text" and question.get("compare") != "moodle":
        marker = "text-exact" if question.get("exact") else "text"
    if marker:
        fields.append(_field("quizapp", marker))
    if kind == "number" and question.get("unit"):
        fields.append(_field("unit", question["unit"]))
    if question.get("difficulty", 2) != 2:
        fields.append(_field("difficulty", str(question["difficulty"])))
    lines = [
        f"// {' '.join(fields)}",
        f"::{question['id']}::[markdown]{escape(question['prompt'])}{{",
    ]
    lines += ["\t" + answer for answer in _ANSWERS[kind](question)]
    if question.get("explanation"):
        lines.append("\t####" + _text(question["explanation"]))
    lines.append("}")
    return "\n".join(lines)


_MARKERS = {"date": "date", "order": "order"}


def _choice(question: dict) -> list[str]:
    credit = question.get("credit") or {}
    feedback = question.get("feedback") or {}
    answers = []
    for option in question["options"]:
        if option == question["answer"]:
            answer = "=" + _text(option)  # after =, Moodle reads no weight: "%5%" is text
        else:
            answer = _tilde(credit.get(option), option)
        answers.append(_with_feedback(answer, feedback.get(option)))
    return answers


def _multi(question: dict) -> list[str]:
    weights = question.get("weights")
    if weights is None:
        # quizapp's rule, (right − wrong) ÷ n floored at 0, is Moodle's with ±1/n weights.
        share = 1 / len(question["answers"])
        weights = {o: share if o in question["answers"] else -share for o in question["options"]}
    feedback = question.get("feedback") or {}
    return [_with_feedback(_tilde(weights.get(o), o), feedback.get(o)) for o in question["options"]]


def _truefalse(question: dict) -> list[str]:
    feedback = question.get("feedback") or {}
    answer = "TRUE" if question["answer"] else "FALSE"
    wrong, right = feedback.get("wrong"), feedback.get("right")
    if right:
        return [f"{answer}#{_text(wrong) if wrong else ''}#{_text(right)}"]
    return [_with_feedback(answer, wrong)]


def _text_answers(question: dict) -> list[str]:
    feedback = question.get("feedback") or {}
    forms: list[tuple[str, float | None]] = [(question["answer"], None)]
    forms += [(form, None) for form in question.get("accept", [])]
    forms += list((question.get("credit") or {}).items())
    return [
        _with_feedback(_equals(fraction, form), feedback.get(form), arrow_safe=True)
        for form, fraction in forms
    ]


def _date(question: dict) -> list[str]:
    answer = str(question["answer"])
    forms = [answer]
    try:
        when = parse_iso(answer)
    except ValueError:
        return ["=" + escape(answer)]
    # For Moodle's learners: the date as people write it (quizapp reads the first only).
    forms.append(when.words())
    if when.day is not None:
        forms.append(f"{when.day:02d}.{when.month:02d}.{when.year}")
    return ["=" + _text(form) for form in dict.fromkeys(forms)]


def _number_answers(question: dict) -> list[str]:
    answer = float(question["answer"])
    tolerance = _allowed(answer, question.get("tolerance", 0.0))
    feedback = question.get("feedback") or {}
    main = _with_feedback(f"={_number(answer)}:{_number(tolerance)}", feedback.get("right"))
    answers = [main]
    ranges = question.get("ranges")
    if ranges is None:
        near = 0.1 * abs(answer)
        if tolerance < near:  # quizapp's half credit within 10 %, as a Moodle answer
            answers.append(f"=%50%{_number(answer)}:{_number(near)}")
    else:
        for item in ranges:
            value = float(item["answer"])
            allowed = _allowed(value, item.get("tolerance", 0.0))
            written = f"=%{_percent(item['fraction'])}%{_number(value)}:{_number(allowed)}"
            answers.append(_with_feedback(written, item.get("feedback")))
    if feedback.get("wrong"):
        answers.append(f"~#{_text(feedback['wrong'])}")
    answers[0] = "#" + answers[0]
    return answers


def _allowed(answer: float, tolerance: float | str) -> float:
    if isinstance(tolerance, str):
        return abs(answer) * float(tolerance.rstrip("%")) / 100
    return float(tolerance)


def _order(question: dict) -> list[str]:
    # Positions on the left, items on the right: Moodle's learner picks the item for
    # each place; the [quizapp:order] marker brings it back as an order question.
    return [f"={n} -> {escape(item)}" for n, item in enumerate(question["items"], start=1)]


def _match(question: dict) -> list[str]:
    lines = [f"={_text(left, arrow_safe=True)} -> {escape(right)}"
             for left, right in question["pairs"].items()]  # fmt: skip
    lines += [f"= -> {escape(item)}" for item in question.get("distractors", [])]
    return lines


_ANSWERS = {
    "choice": _choice,
    "multi": _multi,
    "truefalse": _truefalse,
    "text": _text_answers,
    "number": _number_answers,
    "date": _date,
    "order": _order,
    "match": _match,
}
