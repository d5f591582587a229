"""Anki decks: a bank as an .apkg, read back the way Anki reads it (a zip holding a SQLite
collection), one note per question with a GUID that survives edits."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import genanki
import pytest
from apkg import read_package

from quizapp.banks import anki
from quizapp.banks.loader import LoadedBank, load_bank, load_bank_file
from quizapp.config import PROJECT_ROOT
from quizapp.question_types import TYPES

QUESTIONS = PROJECT_ROOT / "questions"
SEEDS = PROJECT_ROOT / "seeds"
MARK = "<b>bold</b> & <script>alert(1)</script>"
ESCAPED = "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;"

#: A question of every type, every text a teacher writes carrying HTML.
EVERY_TYPE = f"""\
bank: every-type
title: "Every type: {MARK}"
description: "About {MARK}"
questions:
  - id: pick-one
    type: choice
    prompt: "Which city? {MARK}"
    options: ["Vilnius {MARK}", "Kaunas", "Alytus"]
    answer: "Vilnius {MARK}"
    credit: {{Kaunas: 0.5}}
    explanation: "Because {MARK}"
    note: "Contested {MARK}"
    quote: "A passage {MARK}"
    tags: [capitals]
  - id: pick-many
    type: multi
    prompt: "Which border Belarus? {MARK}"
    options: ["Lithuania {MARK}", "Estonia", "Poland"]
    answers: ["Lithuania {MARK}", "Poland"]
  - id: true-or-false
    type: truefalse
    prompt: "Vilnius is a capital. {MARK}"
    answer: true
  - id: typed-name
    type: text
    prompt: "Who? {MARK}"
    answer: "Smetona {MARK}"
    accept: ["Antanas Smetona"]
  - id: typed-number
    type: number
    prompt: "How long is the border? {MARK}"
    answer: 680
    tolerance: 5
    unit: km
  - id: typed-date
    type: date
    prompt: "When? {MARK}"
    answer: "1991-10-24"
  - id: in-order
    type: order
    prompt: "Earliest first. {MARK}"
    items: ["Union of Krewo {MARK}", "Union of Lublin", "Third Partition"]
  - id: pairs
    type: match
    prompt: "Match the capitals. {MARK}"
    pairs: {{"Lithuania {MARK}": "Vilnius {MARK}", "Belarus": "Minsk"}}
    distractors: ["Riga"]
  - id: gaps
    type: cloze
    prompt: "Fill in the gaps. {MARK}"
    text: "They share {{1}} of border; the capital is {{2}}. {MARK}"
    gaps:
      - {{type: number, answer: 680, tolerance: 5, unit: km}}
      - {{type: choice, options: ["Vilnius", "Kaunas {MARK}"], answer: "Vilnius"}}
"""


@pytest.fixture(scope="module")
def every_type() -> LoadedBank:
    return load_bank(EVERY_TYPE.encode(), "every-type.yaml", sources_dir=None)


def package_of(bank: LoadedBank, folder: Path, source: str | None = None, now=None):
    return read_package(anki.package_bytes(anki.bank_deck(bank, source), now), folder)


def by_id(bank: LoadedBank, package) -> dict[str, dict]:
    """The package's notes by the id of the question each was made from."""
    return {q["id"]: package.note(anki.note_guid(bank.slug, q["id"])) for q in bank.questions}


# The package


def test_a_bank_becomes_one_note_and_one_card_per_question_in_a_deck_named_after_it(tmp_path):
    bank = load_bank_file(QUESTIONS / "dates.yaml", sources_dir=SEEDS)
    package = package_of(bank, tmp_path)
    assert len(package.notes) == len(bank.questions) > 10
    assert len(package.cards) == len(package.notes)
    assert package.deck_names() == {bank.title}
    assert {deck for _, deck in package.cards} == {anki.deck_id(bank.slug)}
    for note, question in zip(package.notes, bank.questions, strict=True):
        assert html.unescape(note["fields"]["Front"]).startswith(question["prompt"])


def test_every_note_is_of_quizapps_own_note_type(tmp_path, every_type):
    package = package_of(every_type, tmp_path)
    assert {note["model"] for note in package.notes} == {anki.MODEL_ID}
    model = package.models[anki.MODEL_ID]
    assert model["name"] == "quizapp question"
    assert [field["name"] for field in model["flds"]] == [
        "Front", "Answer", "Back", "Quote", "Explanation", "Note", "Source"
    ]  # fmt: skip
    (template,) = model["tmpls"]
    assert "{{type:Answer}}" in template["qfmt"] and "{{type:Answer}}" in template["afmt"]


def test_each_note_has_a_guid_made_from_its_bank_and_question_id(tmp_path, every_type):
    package = package_of(every_type, tmp_path)
    wanted = [genanki.guid_for("quizapp", "every-type", q["id"]) for q in every_type.questions]
    assert package.guids == wanted
    assert len(set(wanted)) == len(wanted)


def test_exporting_twice_gives_the_same_guids_deck_and_note_type(tmp_path, every_type):
    first = package_of(every_type, tmp_path, now=dt.datetime(2026, 1, 1))
    again = package_of(every_type, tmp_path, now=dt.datetime(2026, 6, 1, 12, 30))
    assert first.guids == again.guids
    assert first.deck_names() == again.deck_names()
    assert {d for _, d in first.cards} == {d for _, d in again.cards}
    assert first.models.keys() == again.models.keys()
    assert [n["fields"] for n in first.notes] == [n["fields"] for n in again.notes]


def test_a_questions_guid_survives_an_edit_of_its_text_and_answer(tmp_path):
    bank = load_bank_file(QUESTIONS / "people.yaml", sources_dir=SEEDS)
    edited_question = {**bank.questions[0], "prompt": "Reworded?", "explanation": "Rewritten."}
    edited = LoadedBank(bank.slug, bank.title, None, bank.source, [edited_question])
    before, after = package_of(bank, tmp_path), package_of(edited, tmp_path)
    assert after.guids == before.guids[:1]
    assert after.notes[0]["fields"]["Front"].startswith("Reworded?")
    assert before.notes[0]["fields"]["Front"] != after.notes[0]["fields"]["Front"]


def test_the_same_question_id_in_another_bank_is_another_note(every_type):
    other = anki.note_guid("copy-of-every-type", "pick-one")
    assert other != anki.note_guid("every-type", "pick-one")
    assert anki.deck_id("every-type") != anki.deck_id("copy-of-every-type")


def test_the_package_is_written_in_memory_and_holds_no_media(tmp_path, every_type):
    data = anki.package_bytes(anki.bank_deck(every_type))
    assert data[:4] == b"PK\x03\x04"
    read_package(data, tmp_path)  # checks the zip's entries and that media is empty


# What each note shows


def test_every_text_a_teacher_wrote_is_escaped_in_every_field(tmp_path, every_type):
    package = package_of(every_type, tmp_path)
    assert len(package.notes) == len(TYPES)
    for note in package.notes:
        fields = note["fields"]
        for name, value in fields.items():
            assert "<script" not in value and "<b>bold" not in value, (note["guid"], name)
        assert ESCAPED in fields["Front"], note["guid"]
    # A deck's name is plain text to Anki, not HTML; its description is HTML.
    assert package.deck_names() == {every_type.title}
    assert "<script" not in package.decks[anki.deck_id("every-type")]["desc"]


def test_text_number_and_date_ask_for_the_answer_typed_and_the_rest_do_not(tmp_path, every_type):
    notes = by_id(every_type, package_of(every_type, tmp_path))
    typed = {qid: n["fields"]["Answer"] for qid, n in notes.items() if n["fields"]["Answer"]}
    assert typed == {
        "typed-name": f"Smetona {ESCAPED}",
        "typed-number": "680",
        "typed-date": "24 October 1991",
    }


def test_a_choice_lists_its_options_on_the_front_in_an_order_that_owes_nothing_to_the_answer(
    tmp_path, every_type
):
    note = by_id(every_type, package_of(every_type, tmp_path))["pick-one"]["fields"]
    front = note["Front"]
    assert front.index("<li>Alytus") < front.index("<li>Kaunas") < front.index("<li>Vilnius")
    assert note["Back"].startswith("Vilnius &lt;b&gt;")
    assert "Kaunas (50%)" in note["Back"]


def test_a_multi_lists_its_options_and_says_several_are_right(tmp_path, every_type):
    note = by_id(every_type, package_of(every_type, tmp_path))["pick-many"]["fields"]
    assert note["Front"].count("<li>") == 3 and "Choose every right option" in note["Front"]
    assert note["Back"].count("<li>") == 2 and "Poland" in note["Back"]


def test_a_true_or_false_asks_so_and_answers_true_or_false(tmp_path, every_type):
    note = by_id(every_type, package_of(every_type, tmp_path))["true-or-false"]["fields"]
    assert "True or false?" in note["Front"] and note["Back"] == "True"


def test_a_typed_answer_names_the_other_forms_accepted_on_the_back(tmp_path, every_type):
    notes = by_id(every_type, package_of(every_type, tmp_path))
    assert "Also accepted: Antanas Smetona" in notes["typed-name"]["fields"]["Back"]
    assert "In km." in notes["typed-number"]["fields"]["Front"]
    assert notes["typed-number"]["fields"]["Back"] == "680 km"
    assert notes["typed-date"]["fields"]["Back"] == "24 October 1991"


def test_an_order_shows_its_items_on_the_front_and_a_table_of_the_order_on_the_back(
    tmp_path, every_type
):
    note = by_id(every_type, package_of(every_type, tmp_path))["in-order"]["fields"]
    front, back = note["Front"], note["Back"]
    assert front.index("Third Partition") < front.index("Union of Krewo")  # sorted, not in order
    assert back.startswith("<table>")
    rows = re.findall(r"<tr><td>(\d)</td><td>(.*?)</td></tr>", back)
    assert [(n, item.split(" &lt;")[0]) for n, item in rows] == [
        ("1", "Union of Krewo"), ("2", "Union of Lublin"), ("3", "Third Partition"),
    ]  # fmt: skip


def test_a_match_shows_both_columns_on_the_front_and_the_pairs_as_a_table_on_the_back(
    tmp_path, every_type
):
    note = by_id(every_type, package_of(every_type, tmp_path))["pairs"]["fields"]
    assert note["Front"].count("<tr>") == 1 + 3  # the header, then three rights for two lefts
    assert "Riga" in note["Front"] and "Riga" not in note["Back"]
    assert "<td>Belarus</td><td>Minsk</td>" in note["Back"]


def test_a_cloze_numbers_its_gaps_on_the_front_and_fills_them_on_the_back(tmp_path, every_type):
    note = by_id(every_type, package_of(every_type, tmp_path))["gaps"]["fields"]
    assert "<b>[1]</b> km of border" in note["Front"]
    assert "<b>[2]</b> (Kaunas &lt;b&gt;bold" in note["Front"]
    assert "share <b>680 km</b> of border; the capital is <b>Vilnius</b>." in note["Back"]


def test_the_back_holds_the_quote_the_explanation_the_note_and_the_source(tmp_path, every_type):
    note = by_id(every_type, package_of(every_type, tmp_path, source="A source"))["pick-one"]
    fields = note["fields"]
    assert fields["Quote"] == f"“A passage {ESCAPED}”"
    assert fields["Explanation"].startswith("Because &lt;b&gt;")
    assert fields["Note"].startswith("Contested &lt;b&gt;")
    assert fields["Source"] == "A source"
    assert note["tags"] == ["capitals", "quizapp::every-type"]


def test_a_bundled_banks_cards_name_the_source_text_by_its_title(tmp_path, runner):
    out = tmp_path / "people.apkg"
    result = runner.invoke(
        args=["banks", "convert", str(QUESTIONS / "people.yaml"), "--to", "anki", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    package = read_package(out.read_bytes(), tmp_path)
    assert {note["fields"]["Source"] for note in package.notes} == {"Belarus–Lithuania relations"}
    assert result.stdout == (
        f"{out}: {len(package.notes)} notes in the deck “{package.deck_names().pop()}”.\n"
    )


def test_a_bank_without_a_source_names_itself_as_the_source(tmp_path, every_type):
    package = package_of(every_type, tmp_path)
    (source,) = {note["fields"]["Source"] for note in package.notes}
    assert html.unescape(source) == every_type.title


# The command line


def test_convert_to_anki_writes_a_gift_file_as_a_deck_too(tmp_path, runner):
    gift = tmp_path / "Capitals.gift"
    gift.write_text("::capital::Capital of Lithuania? {=Vilnius ~Kaunas}\n")
    out = tmp_path / "capitals.apkg"
    result = runner.invoke(args=["banks", "convert", str(gift), "--to", "anki", "-o", str(out)])
    assert result.exit_code == 0, result.output
    package = read_package(out.read_bytes(), tmp_path)
    assert package.guids == [anki.note_guid("capitals", "capital")]
    assert package.deck_names() == {"Capitals"}


def test_convert_still_prints_gift_by_default(runner):
    result = runner.invoke(args=["banks", "convert", str(QUESTIONS / "dates.yaml")])
    assert result.exit_code == 0
    assert result.stdout.startswith("// Key dates")


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--to", "anki"], "--to anki writes a file: name it with -o OUT.apkg"),
        (["-o", "deck.apkg"], "-o names the file --to anki writes"),
    ],
)
def test_convert_to_anki_wants_the_file_named_and_o_wants_anki(runner, options, said, tmp_path):
    out = tmp_path / "deck.apkg"
    options = [str(out) if option == "deck.apkg" else option for option in options]
    result = runner.invoke(args=["banks", "convert", str(QUESTIONS / "dates.yaml"), *options])
    assert result.exit_code == 2
    assert said in result.stderr
    assert not out.exists()


def test_convert_to_anki_reports_a_bank_with_errors_and_writes_nothing(tmp_path, runner):
    broken = tmp_path / "broken.yaml"
    broken.write_text("bank: broken\ntitle: Broken\nquestions:\n  - {id: a, type: choice}\n")
    out = tmp_path / "broken.apkg"
    result = runner.invoke(args=["banks", "convert", str(broken), "--to", "anki", "-o", str(out)])
    assert result.exit_code == 1
    assert f"{broken}:4:" in result.stderr
    assert not out.exists()
