"""A set downloaded as an Anki deck (.apkg): its questions as notes that keep their GUIDs
when the set is edited, for its owner only."""

from __future__ import annotations

import html

import pytest
from apkg import read_package
from teach.set_helpers import (
    VALID_FORMS,
    add_question,
    bank_row,
    bundled_id,
    load_bundled,
    new_set,
    questions_of,
    sign_in,
)

from quizapp.banks.anki import MIMETYPE, note_guid
from quizapp.question_types import TYPES


@pytest.fixture
def teacher(app, client) -> int:
    return sign_in(app, client, "tess")


@pytest.fixture
def every_type(app, client, teacher) -> int:
    """Tess's set with a question of every type."""
    bank_id = new_set(client, "Capitals <i>and</i> borders")
    for type_name in TYPES:
        assert add_question(client, bank_id, type_name).status_code == 302, type_name
    return bank_id


def download(client, bank_id: int):
    return client.get(f"/teach/sets/{bank_id}/download.apkg")


def test_the_set_page_offers_the_anki_deck_beside_yaml_and_gift(client, every_type):
    page = client.get(f"/teach/sets/{every_type}").text
    assert f'href="/teach/sets/{every_type}/download.apkg">Download Anki deck</a>' in page


def test_a_set_downloads_as_a_deck_of_one_note_per_question(app, client, every_type, tmp_path):
    response = download(client, every_type)
    assert response.status_code == 200
    assert response.mimetype == MIMETYPE
    slug = bank_row(app, every_type)["slug"]
    assert response.headers["Content-Disposition"] == f"attachment; filename={slug}.apkg"
    package = read_package(response.data, tmp_path)
    questions = questions_of(app, every_type)
    assert package.guids == [note_guid(slug, q["slug"]) for q in questions]
    assert package.deck_names() == {"Capitals <i>and</i> borders"}
    for note, question in zip(package.notes, questions, strict=True):
        assert html.unescape(note["fields"]["Front"]).startswith(question["spec"]["prompt"])
        # A set with no source text names itself as the source.
        assert html.unescape(note["fields"]["Source"]) == "Capitals <i>and</i> borders"


def test_an_edited_question_keeps_its_note_so_anki_updates_it(app, client, every_type, tmp_path):
    before = read_package(download(client, every_type).data, tmp_path)
    question = questions_of(app, every_type)[0]
    edited = {**VALID_FORMS["choice"], "prompt": "Which city is Lithuania's capital?"}
    response = client.post(
        f"/teach/sets/{every_type}/questions/{question['id']}/edit",
        data={**edited, "difficulty": "2"},
    )
    assert response.status_code == 302
    after = read_package(download(client, every_type).data, tmp_path)
    assert after.guids == before.guids
    assert after.notes[0]["fields"]["Front"].startswith("Which city is Lithuania&#39;s capital?")
    assert [n["fields"] for n in after.notes[1:]] == [n["fields"] for n in before.notes[1:]]


def test_a_retired_question_leaves_the_deck(app, client, every_type, tmp_path):
    question = questions_of(app, every_type)[0]
    assert client.post(f"/teach/sets/{every_type}/questions/{question['id']}/retire").status_code
    package = read_package(download(client, every_type).data, tmp_path)
    assert len(package.notes) == len(TYPES) - 1
    slug = bank_row(app, every_type)["slug"]
    assert note_guid(slug, question["slug"]) not in package.guids


def test_a_bundled_banks_deck_names_its_source_text(app, client, teacher, tmp_path):
    load_bundled(app)
    package = read_package(download(client, bundled_id(app, "events")).data, tmp_path)
    assert {note["fields"]["Source"] for note in package.notes} == {"Belarus–Lithuania relations"}
    assert len({note["guid"] for note in package.notes}) == len(package.notes) > 10


def test_another_teacher_and_a_learner_are_refused_the_deck(app, client, every_type):
    theo = app.test_client()
    sign_in(app, theo, "theo")
    assert download(theo, every_type).status_code == 404
    lena = app.test_client()
    sign_in(app, lena, "lena", role="learner")
    assert download(lena, every_type).status_code == 403
    visitor = app.test_client()
    assert download(visitor, every_type).headers["Location"].startswith("/auth/login")
