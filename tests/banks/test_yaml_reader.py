"""Reading bank files safely: plain data with lines, and hostile files refused early."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from quizapp.banks import yaml_reader as reader
from quizapp.banks.yaml_reader import MAX_BANK_BYTES, ReadError, read_document


def read(text: str):
    return read_document(textwrap.dedent(text).encode(), "bank.yaml")


def refusal(data: bytes | str) -> ReadError:
    if isinstance(data, str):
        data = textwrap.dedent(data).encode()
    with pytest.raises(ReadError) as caught:
        read_document(data, "bank.yaml")
    return caught.value


def test_gives_plain_data_and_the_line_of_every_path():
    document = read(
        """\
        bank: dates
        questions:
          - id: first
            options:
              - a
              - b
          - {id: second, answer: 3}
        """
    )
    assert document.data == {
        "bank": "dates",
        "questions": [{"id": "first", "options": ["a", "b"]}, {"id": "second", "answer": 3}],
    }
    assert document.line_of(("bank",)) == 1
    assert document.line_of(("questions", 0)) == 3
    # A key's own line, not the line where its value starts.
    assert document.line_of(("questions", 0, "options")) == 4
    assert document.line_of(("questions", 0, "options", 1)) == 6
    assert document.line_of(("questions", 1, "answer")) == 7


def test_line_of_a_path_not_in_the_data_is_that_of_its_nearest_ancestor():
    document = read("questions:\n  - id: first\n    type: date\n")
    assert document.line_of(("questions", 0, "answer")) == 2


def test_unquoted_dates_arrive_as_dates_and_impossible_ones_as_text():
    document = read("good: 1991-10-24\nbad: 1991-02-30\n")
    assert document.data == {"good": dt.date(1991, 10, 24), "bad": "1991-02-30"}


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("010", "010"),  # YAML 1.1 octal: a teacher means the text
        ("1:30", "1:30"),  # YAML 1.1 base 60
        ("1_000", 1000),
        ("12", 12),
        ("1.5", 1.5),
        ("true", True),
        ("~", None),
        ("=", "="),
        ("!!str 1991", "1991"),
        ("!!int '7'", 7),
        ("'quoted: 1991-10-24'", "quoted: 1991-10-24"),
    ],
)
def test_plain_values_are_read_as_a_teacher_means_them(written, value):
    assert read(f"answer: {written}\n").data == {"answer": value}


def test_an_empty_file_is_no_data():
    assert read_document(b"", "bank.yaml").data is None


def test_a_utf8_byte_order_mark_is_ignored():
    assert read_document(b"\xef\xbb\xbfbank: dates\n", "bank.yaml").data == {"bank": "dates"}


def test_an_alias_bomb_is_refused_at_its_first_anchor():
    # "Billion laughs": nine levels of ten aliases each would expand to 10**9 items.
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        aliases = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    error = refusal("\n".join(lines))  # at the first anchor: nothing is expanded
    assert "anchors (&a0) are not allowed" in error.message
    assert error.line == 1


def test_a_self_referencing_alias_is_refused():
    error = refusal("loop: &loop [*loop]\n")
    assert "not allowed" in error.message
    assert error.line == 1


def test_an_alias_is_refused_at_its_line():
    error = refusal("first: [1]\nsecond: *first\n")
    assert error.line == 2
    assert "aliases (*first) are not allowed" in error.message


def test_a_python_tag_is_refused_and_nothing_is_executed(tmp_path):
    marker = tmp_path / "pwned"
    error = refusal(f"answer: !!python/object/apply:os.system ['touch {marker}']\n")
    assert error.message == (
        "YAML tag '!!python/object/apply:os.system' is not allowed in bank files"
    )
    assert error.line == 1
    assert not marker.exists()


@pytest.mark.parametrize(
    "written",
    ["!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]", "!custom text", "!!timestamp x"],
)
def test_tags_outside_plain_yaml_types_are_refused(written):
    error = refusal(f"id: first\nanswer: {written}\n")
    assert error.line == 2


def test_a_file_over_the_limit_is_refused_before_parsing(monkeypatch):
    def no_parsing(*args, **kwargs):
        raise AssertionError("the parser was started")

    monkeypatch.setattr(reader, "_Loader", no_parsing)
    error = refusal(b"a: " + b"x" * (10 * 1024 * 1024))
    assert error.message == "file is larger than the 5 MiB limit"
    assert refusal(b"#" * (MAX_BANK_BYTES + 1)).message == error.message


def test_a_utf16_file_is_refused_as_not_utf8():
    error = refusal("bank: dates\n".encode("utf-16"))
    assert error.message.startswith("file must be UTF-8")
    assert error.line == 1


def test_a_latin1_file_is_refused_with_the_line_of_the_first_bad_byte():
    error = refusal("bank: dates\ntitle: Nauseda\nprompt: Café\n".encode("latin-1"))
    assert error.message.startswith("file must be UTF-8 (byte 0xE9")
    assert error.line == 3


def test_nul_bytes_are_refused_with_their_line():
    error = refusal(b"bank: dates\ntitle: a\x00b\n")
    assert error.message.startswith("file contains a NUL byte")
    assert error.line == 2


def test_control_characters_are_refused_even_when_escaped():
    assert refusal(b"title: a\x07b\n").message == "file contains the control character U+0007"
    assert "control character" in refusal(b'title: "a\\0b"\n').message


@pytest.mark.parametrize(
    "text",
    [
        "id: first\nprompt: a\nid: second\n",
        '{"id": "first",\n "prompt": "a",\n "id": "second"}',
    ],
    ids=["yaml", "json"],
)
def test_duplicate_keys_are_refused(text):
    error = refusal(text)
    assert error.message == "duplicate key 'id' (first at line 1)"
    assert error.line == 3


def test_nesting_deeper_than_the_limit_is_refused():
    error = refusal("a: " + "[" * 100 + "]" * 100)
    assert error.message == "nesting is deeper than 20 levels"


def test_too_many_values_are_refused_at_the_line_where_the_limit_is_passed():
    head = "bank: many\ntitle: Many\nquestions:\n"
    error = refusal(head + "- 1\n" * reader.MAX_VALUES)
    # The mapping, three keys, two values and the list come first: value 250,001 is the
    # list's item 249,994, on line 249,997.
    assert error.line == reader.MAX_VALUES - 3
    assert error.message == (
        "more than 250,000 values (texts, numbers, keys, lists and mappings): "
        "split the questions into smaller files"
    )
    assert read_document((head + "- 1\n" * (reader.MAX_VALUES - 7)).encode()).data


def test_a_file_of_tiny_values_is_refused_at_the_limit():
    # 4.8 MB of 1.6 million values once took 14 seconds to preview.
    data = b"bank: many\ntitle: Many\nquestions: [" + b"1, " * 1_600_000 + b"]\n"
    error = refusal(data)
    assert error.message.startswith("more than 250,000 values")
    assert error.line == 3


def test_a_list_as_a_mapping_key_is_refused():
    assert "key must be a plain value" in refusal("? [a, b]\n: c\n").message


def test_a_second_document_is_refused():
    error = refusal("bank: a\n---\nbank: b\n")
    assert error.line == 2


def test_a_syntax_error_is_reported_with_its_line():
    error = refusal("bank: dates\ntitle: [unclosed\nquestions: []\n")
    assert error.message.startswith("YAML syntax error:")
    assert error.line == 3


def test_tab_indentation_gets_a_hint():
    error = refusal("questions:\n\t- id: a\n")
    assert error.line == 2
    assert error.message.endswith("indent with spaces, not tabs")
