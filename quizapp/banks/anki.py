"""Anki decks (`.apkg`) of a bank or of chosen questions, built with genanki.

One note type of quizapp's own (a fixed model id, so that every deck quizapp writes
shares it) and one note per question, whose GUID is made from the bank's slug and the
question's id: importing a newer deck of the same questions updates their notes (and
keeps the learner's review history) instead of adding copies, however the questions'
wording changed. A set's deck id is made from its slug too, so it is the same deck
every time.

What a note shows comes from its type (`QuestionType.anki_fields`: the front, the
answer typed for `{{type:Answer}}`, the back); the quote, the explanation, the note on
the source and the source's name are the question's own. Every text is escaped: a
teacher's `<script>` shows as text on the card. See docs/question-banks.md, "Anki".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import sqlite3
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

import genanki

from quizapp.banks.loader import LoadedBank
from quizapp.question_types import TYPES
from quizapp.question_types.base import html_text

#: quizapp's note type: never change it, or decks imported before get a second one.
MODEL_ID = 1_738_205_914
MODEL_NAME = "quizapp question"
FIELDS = ("Front", "Answer", "Back", "Quote", "Explanation", "Note", "Source")
#: What a package is sent as (Anki registers no type of its own).
MIMETYPE = "application/apkg"
MISTAKES_DECK = "My mistakes (quizapp)"

_FRONT = '<div class="front">{{Front}}</div>\n{{#Answer}}{{type:Answer}}{{/Answer}}'
# The front again rather than {{FrontSide}}: Anki shows the typed answer's comparison
# where {{type:Answer}} stands on the back (as its own "type in the answer" note does).
_BACK = (
    _FRONT
    + '\n<hr id="answer">\n<div class="back">{{Back}}</div>\n'
    + '{{#Quote}}<blockquote class="quote">{{Quote}}</blockquote>{{/Quote}}\n'
    + '{{#Explanation}}<p class="explanation">{{Explanation}}</p>{{/Explanation}}\n'
    + '{{#Note}}<p class="note"><b>Note on the source:</b> {{Note}}</p>{{/Note}}\n'
    + '{{#Source}}<p class="source">Source: {{Source}}</p>{{/Source}}'
)
_CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: left; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { border: 1px solid #999; padding: .2em .6em; text-align: left; }
.back { font-weight: bold; }
.back table, .back li { font-weight: normal; }
.quote { font-style: italic; color: #444; }
.source, .note { font-size: 16px; color: #555; }
"""


@dataclass(frozen=True)
class Origin:
    """Where a question comes from: its bank's slug (with the question's id, its note's
    GUID) and the name its card gives as the source (the source text's title, or the
    bank's title when it names none)."""

    bank: str
    source: str


def note_guid(bank: str, question_id: str) -> str:
    """Return the GUID of a question's note: the same for the same bank and id, always."""
    return genanki.guid_for("quizapp", bank, question_id)


def deck_id(key: str) -> int:
    """Return a stable deck id for `key` (a bank's slug), in the range genanki advises."""
    digest = hashlib.sha256(f"quizapp deck {key}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def model() -> genanki.Model:
    """Return quizapp's note type: the fields above, one card, the answer typed when the
    question asks for typing."""
    return genanki.Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Question", "qfmt": _FRONT, "afmt": _BACK}],
        css=_CSS,
    )


def note_fields(question: dict) -> dict[str, str]:
    """Return the fields of a question's note, by name (without its source), as HTML."""
    shown = TYPES[question["type"]].anki_fields(question)
    quote = question.get("quote") or []
    quotes = [quote] if isinstance(quote, str) else list(quote)
    return {
        "Front": shown.front,
        "Answer": shown.typed or "",
        "Back": shown.back,
        "Quote": "<br>".join(f"“{html_text(passage)}”" for passage in quotes),
        "Explanation": html_text(question.get("explanation") or ""),
        "Note": html_text(question.get("note") or ""),
    }


def note_for(question: dict, origin: Origin, note_model: genanki.Model) -> genanki.Note:
    """Return a question's note: its fields, its tags and the bank's, its stable GUID."""
    fields = {**note_fields(question), "Source": html_text(origin.source)}
    return genanki.Note(
        model=note_model,
        fields=[fields[name] for name in FIELDS],
        sort_field=question["prompt"],
        tags=[*question.get("tags", []), f"quizapp::{origin.bank}"],
        guid=note_guid(origin.bank, question["id"]),
    )


def deck_of(
    name: str, key: str, questions: Iterable[tuple[dict, Origin]], description: str = ""
) -> genanki.Deck:
    """Return a deck named `name` (its id made from `key`) of the questions given."""
    # "::" would make Anki file the deck under another one.
    deck = genanki.Deck(deck_id(key), name.replace("::", ":"), description)
    note_model = model()
    for question, origin in questions:
        deck.add_note(note_for(question, origin, note_model))
    return deck


def bank_deck(bank: LoadedBank, source: str | None = None) -> genanki.Deck:
    """Return the deck of a bank (or set): its title, its questions in order, named as
    coming from `source` (the source text's title) or else from the bank itself."""
    origin = Origin(bank.slug, source or bank.title)
    description = html_text(bank.description or "") + (
        f"<p>Exported from quizapp: {html_text(bank.title)} ({html_text(bank.slug)}).</p>"
    )
    return deck_of(bank.title, bank.slug, ((q, origin) for q in bank.questions), description)


def mistakes_deck(questions: Iterable[tuple[dict, Origin]]) -> genanki.Deck:
    """Return the deck of a learner's mistakes: each note the same (same GUID) as in its
    bank's deck, so that importing both keeps one note per question."""
    description = "<p>The questions you got wrong on quizapp, as you last answered them.</p>"
    return deck_of(MISTAKES_DECK, "mistakes", questions, description)


def package_bytes(deck: genanki.Deck, now: dt.datetime | None = None) -> bytes:
    """Return the deck as an `.apkg` file: a zip of its `collection.anki2` (SQLite).

    `now` stamps the notes as changed: Anki updates a note it has from an imported one
    when the imported one is newer. Built in memory: nothing is left on disk.
    """
    now = now or dt.datetime.now(dt.UTC)
    # quizapp keeps naive times in UTC.
    timestamp = (now if now.tzinfo else now.replace(tzinfo=dt.UTC)).timestamp()
    connection = sqlite3.connect(":memory:")
    try:
        ids = itertools.count(int(timestamp * 1000))
        genanki.Package(deck).write_to_db(connection.cursor(), timestamp, ids)
        connection.commit()
        collection = connection.serialize()
    finally:
        connection.close()
    stamp = dt.datetime.fromtimestamp(timestamp, dt.UTC).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in (("collection.anki2", collection), ("media", b"{}")):
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    return buffer.getvalue()
