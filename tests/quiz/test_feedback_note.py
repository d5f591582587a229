"""A question's `note` (a caveat on the source) is shown with its feedback, once answered."""

from __future__ import annotations

import yaml
from drive import start

from quizapp.banks import load_bank, sync_bank
from quizapp.extensions import db

NOTE = "The article gives 27 October 2010; contemporary reports give 20 October."


def test_the_note_on_the_source_is_shown_with_the_feedback_and_not_before(app, client):
    question = {"id": "visit", "type": "date", "prompt": "In what month did she visit?",
                "answer": "2010-10", "note": NOTE}  # fmt: skip
    data = {"bank": "visits", "title": "Visits", "questions": [question]}
    with app.app_context():
        sync_bank(load_bank(yaml.safe_dump(data).encode(), "visits.yaml", sources_dir=None))
        db.session.commit()
    attempt = start(client, "bank:visits")
    before = client.get(f"/quiz/{attempt}/q/1").text
    assert "27 October 2010" not in before
    client.post(f"/quiz/{attempt}/q/1", data={"answer": "October 2010"})
    after = client.get(f"/quiz/{attempt}/q/1").text
    assert "Note on the source:" in after and NOTE in after
