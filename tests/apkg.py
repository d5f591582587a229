"""Read an Anki package (.apkg) as Anki would: the zip, then its collection.anki2 with
sqlite3. Import it in a test: `from apkg import read_package`."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Package:
    """What a package holds: its notes (guid, fields by name, tags, note type), its
    cards (note, deck), its decks and note types by id."""

    notes: list[dict]
    cards: list[tuple[int, int]]
    decks: dict[int, dict]
    models: dict[int, dict]

    @property
    def guids(self) -> list[str]:
        return [note["guid"] for note in self.notes]

    def note(self, guid: str) -> dict:
        return next(note for note in self.notes if note["guid"] == guid)

    def deck_names(self) -> set[str]:
        """The decks that hold cards (Anki's "Default" deck holds none)."""
        return {self.decks[deck]["name"] for _, deck in self.cards}


def read_package(data: bytes, folder: Path | None) -> Package:
    """Open the package's zip, write its collection to `folder` and read it with sqlite3
    (with no folder, read it from memory)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert set(archive.namelist()) == {"collection.anki2", "media"}
        assert json.loads(archive.read("media")) == {}
        collection = archive.read("collection.anki2")
    if folder is None:
        connection = sqlite3.connect(":memory:")
        connection.deserialize(collection)
    else:
        path = folder / "collection.anki2"
        path.write_bytes(collection)
        connection = sqlite3.connect(path)
    try:
        decks_json, models_json = connection.execute("SELECT decks, models FROM col").fetchone()
        models = {int(k): v for k, v in json.loads(models_json).items()}
        notes = []
        for note_id, guid, model_id, fields, tags in connection.execute(
            "SELECT id, guid, mid, flds, tags FROM notes ORDER BY id"
        ):
            names = [field["name"] for field in models[model_id]["flds"]]
            notes.append({
                "id": note_id,
                "guid": guid,
                "model": model_id,
                "fields": dict(zip(names, fields.split("\x1f"), strict=True)),
                "tags": tags.split(),
            })  # fmt: skip
        cards = connection.execute("SELECT nid, did FROM cards ORDER BY id").fetchall()
    finally:
        connection.close()
    if folder is not None:
        path.unlink()
    decks = {int(k): v for k, v in json.loads(decks_json).items()}
    return Package(notes, [tuple(card) for card in cards], decks, models)


def comparable(data: bytes) -> str:
    """Return what a package tells a learner, as text: its decks, notes and their fields
    (not the times it was written at, which differ between two downloads)."""
    package = read_package(data, None)
    lines = [f"deck {name}" for name in sorted(package.deck_names())]
    for note in sorted(package.notes, key=lambda n: n["guid"]):
        lines.append(f"note {note['guid']} {' '.join(note['tags'])}")
        lines += [f"  {name}: {value}" for name, value in note["fields"].items()]
    return "\n".join(lines)
