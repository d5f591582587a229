"""Write a bank as a Moodle GIFT file that imports back into quizapp grading the same.

Every question is one block: a comment line with its id, tags and what GIFT cannot say
(`// [id:...] [tag:...] [quizapp:order] [unit:km]`, which Moodle ignores), its id as
the title, the prompt in Markdown (quizapp's own text format) and the answers. Types
GIFT lacks are written as the nearest Moodle type: a date as a short answer, an order
as a matching question of positions to items. A question GIFT cannot say at all (a
cloze of several gaps) is left out, with a comment line saying why. See
docs/question-banks.md.
"""

from __future__ import annotations

from typing import Any

from quizapp.banks.loader import LoadedBank
from quizapp.question_types import TYPES
from quizapp.question_types import gift_syntax as gift
from quizapp.question_types.base import CannotWrite


def dump_gift(bank: LoadedBank, notes: list[str] | None = None) -> str:
    """Return the bank's questions as GIFT text (the bank's own fields are not in GIFT);
    each question left out is a comment in the text and a line added to `notes`."""
    blocks = []
    for question in bank.questions:
        try:
            blocks.append(_block(question))
        except CannotWrite as exc:
            note = f"question {question['id']} left out: {exc}"
            blocks.append(f"// {gift.comment_safe(note)}")
            if notes is not None:
                notes.append(note)
    header = f"// {gift.comment_safe(bank.title)}\n// exported from quizapp: bank {bank.slug}\n"
    return header + "\n" + "\n\n".join(blocks) + ("\n" if blocks else "")


def _block(question: dict[str, Any]) -> str:
    kind = TYPES[question["type"]]
    fields = [gift.field("id", question["id"])]
    fields += [gift.field("tag", tag) for tag in question.get("tags", [])]
    fields += [gift.field(name, value) for name, value in kind.gift_fields(question)]
    if question.get("difficulty", 2) != 2:
        fields.append(gift.field("difficulty", str(question["difficulty"])))
    before, after = kind.gift_prompt(question)
    lines = [f"// {' '.join(fields)}", f"::{question['id']}::[markdown]{gift.escape(before)}{{"]
    lines += ["\t" + answer for answer in kind.gift_answers(question)]
    if question.get("explanation"):
        lines.append("\t####" + gift.written(question["explanation"]))
    lines.append("}" + gift.escape(after))
    return "\n".join(lines)
