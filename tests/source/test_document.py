"""Reading a source text into blocks and marking its quoted passages (no app needed)."""

from __future__ import annotations

import pytest

from quizapp.source.document import Document, passage_key, read_document

TEXT = """\
= A Title =

First paragraph, on
two lines.

==History==
===Early days===
In 1918 something happened. Then   more.

| Year | Count |
| 2017 | 72 |
| 2018 | 104 |

- Item one
- Item two
"""


def kinds(document: Document) -> list[str]:
    return [block.kind for block in document.blocks]


def marked(document: Document) -> str:
    """The marked text of the document, a bar between marks."""
    return "|".join(
        piece.text
        for block in document.blocks
        for row in block.rows
        for run in row
        for piece in run.pieces
        if piece.kind == "mark"
    )


def test_the_markup_becomes_headings_paragraphs_a_table_and_a_list():
    document = read_document(TEXT)
    assert document.title == "A Title"
    assert kinds(document) == ["h1", "p", "h2", "h3", "p", "table", "ul"]
    assert document.blocks[1].text == "First paragraph, on two lines."
    assert [h.id for h in document.headings] == ["history", "early-days"]
    table = document.blocks[5]
    assert [[cell.pieces[0].text for cell in row] for row in table.rows] == [
        ["Year", "Count"],
        ["2017", "72"],
        ["2018", "104"],
    ]
    assert [row[0].pieces[0].text for row in document.blocks[6].rows] == ["Item one", "Item two"]


@pytest.mark.parametrize(
    "quote",
    ["paragraph, on two lines", "paragraph,  on\ntwo   lines", "something happened. Then more."],
)
def test_quotes_are_found_whatever_their_spacing(quote):
    document = read_document(TEXT, [quote])
    assert document.missing == []
    assert " ".join(quote.split()) in marked(document).replace("|", "")


def test_a_passage_has_an_anchor_where_it_starts_and_a_note_number_where_it_ends():
    document = read_document(TEXT, ["In 1918 something happened."])
    pieces = document.blocks[4].run.pieces
    key = passage_key("In 1918 something happened.")
    assert [(p.kind, p.key or p.text) for p in pieces] == [
        ("anchor", key),
        ("mark", "In 1918 something happened."),
        ("ref", key),
        ("text", " Then more."),
    ]
    assert document.blocks[4].notes == [key]
    assert document.passages[key].number == 1


def test_overlapping_passages_each_keep_their_anchor_and_note():
    outer, inner = "In 1918 something happened. Then more.", "something happened"
    document = read_document(TEXT, [inner, outer])
    pieces = [(p.kind, p.text or p.number) for p in document.blocks[4].run.pieces]
    assert pieces == [
        ("anchor", 0),
        ("mark", "In 1918 "),
        ("anchor", 0),
        ("mark", "something happened"),
        ("ref", 2),
        ("mark", ". Then more."),
        ("ref", 1),
    ]
    assert [document.passages[k].number for k in document.blocks[4].notes] == [1, 2]


def test_a_quoted_table_row_marks_its_cells():
    document = read_document(TEXT, ["| 2018 | 104 |"])
    assert marked(document) == "2018|104"
    row = document.blocks[5].rows[2]
    assert row[0].pieces[0].kind == "anchor"
    assert row[1].pieces[-1].kind == "ref"


def test_a_quote_across_two_paragraphs_starts_in_one_and_ends_in_the_other():
    document = read_document("It ends here.\n\nIt starts here.\n", ["here. It starts"])
    assert marked(document) == "here.|It starts"
    assert [p.kind for p in document.blocks[0].run.pieces] == ["text", "anchor", "mark"]
    assert document.blocks[0].notes == []
    assert document.blocks[1].notes == [passage_key("here. It starts")]


def test_a_quote_found_twice_is_marked_twice_with_one_anchor():
    document = read_document("One two.\n\nOne two.\n", ["One two."])
    assert marked(document) == "One two.|One two."
    anchors = [p for b in document.blocks for p in b.run.pieces if p.kind == "anchor"]
    refs = [p for b in document.blocks for p in b.run.pieces if p.kind == "ref"]
    assert len(anchors) == 1 and len(refs) == 2


def test_a_quote_not_in_the_text_is_reported_missing():
    document = read_document(TEXT, ["Never written"])
    assert document.missing == ["Never written"]
    assert document.passages == {}


def test_a_passage_key_ignores_spacing_but_not_words():
    assert passage_key("a  b\nc") == passage_key("a b c")
    assert passage_key("a b c") != passage_key("a b d")
