"""Loading bank files: every rule of the contract, every issue at once, with its line."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from quizapp.banks import (
    BankError,
    BankIssue,
    LoadedBank,
    dump_bank,
    load_bank,
    load_bank_file,
    load_bank_files,
)
from quizapp.banks.schema import MAX_QUESTIONS

DATA = Path(__file__).parent / "data"
SOURCES = DATA / "sources"

HEADER = """\
bank: grand-duchy
title: The Grand Duchy in brief
source: grand-duchy
questions:
"""
LUBLIN = """\
  - id: lublin-union-year
    type: date
    prompt: In what year was the Union of Lublin?
    answer: 1569
    quote: The Union of Lublin created the Polish–Lithuanian Commonwealth in 1569.
"""


def load(text: str, filename: str = "bank.yaml") -> LoadedBank:
    return load_bank(textwrap.dedent(text).encode(), filename, sources_dir=SOURCES)


def issues(text: str) -> list[str]:
    """Return the issues of a file that must not load, as `line: bank/id: message`."""
    with pytest.raises(BankError) as caught:
        load(text)
    return [str(issue).removeprefix("bank.yaml:") for issue in caught.value.issues]


def question(body: str) -> str:
    """Return a bank holding the Lublin question and then the question `body` (line 10 on)."""
    return HEADER + LUBLIN + textwrap.indent(textwrap.dedent(body), "  ")


def test_a_valid_bank_loads_with_its_questions_in_file_order():
    bank = load_bank_file(DATA / "good" / "grand-duchy.yaml", sources_dir=SOURCES)
    assert (bank.slug, bank.title, bank.source) == (
        "grand-duchy",
        "The Grand Duchy in brief",
        "grand-duchy",
    )
    assert bank.description == "A small bank that uses every question type once."
    assert [q["type"] for q in bank.questions] == [
        "date", "choice", "multi", "truefalse", "text", "number", "order", "match",
    ]  # fmt: skip


def test_questions_are_normalised_to_plain_json_once():
    bank = load_bank_file(DATA / "good" / "grand-duchy.yaml", sources_dir=SOURCES)
    lublin, vilnius, statutes = bank.questions[:3]
    assert lublin["answer"] == "1569"  # YAML read an int
    assert statutes["options"] == ["1529", "1566", "1588", "1600"]
    assert vilnius["difficulty"] == 2 and vilnius["tags"] == []
    assert "explanation" not in vilnius  # None is left out
    assert json.loads(json.dumps(bank.questions)) == bank.questions


def test_an_unquoted_date_answer_is_normalised_to_iso_text():
    bank = load(HEADER + LUBLIN.replace("answer: 1569", "answer: 1569-07-01"))
    assert bank.questions[0]["answer"] == "1569-07-01"


def test_a_json_bank_is_accepted():
    bank = load_bank_file(DATA / "good" / "grand-duchy-short.json", sources_dir=SOURCES)
    assert bank.slug == "grand-duchy-short"
    assert [q["id"] for q in bank.questions] == ["end-of-the-grand-duchy", "psalter-city"]


def test_an_unknown_field_is_reported_at_its_line_with_the_likely_spelling():
    text = HEADER + LUBLIN.replace("answer:", "anwser:")
    assert issues(text) == [
        "8: grand-duchy/lublin-union-year: unknown field 'anwser' (did you mean 'answer'?)"
    ]


def test_an_unknown_field_with_no_likely_spelling_is_just_unknown():
    assert issues(HEADER + LUBLIN + "    colour: red\n") == [
        "10: grand-duchy/lublin-union-year: unknown field 'colour'"
    ]


def test_a_missing_field_is_reported_at_its_question():
    text = HEADER + LUBLIN.replace("    answer: 1569\n", "")
    assert issues(text) == ["5: grand-duchy/lublin-union-year: missing field 'answer'"]


def test_a_choice_answer_not_among_its_options_points_at_the_answer():
    text = question(
        """\
          - id: vilnius-first-mentioned
            type: choice
            prompt: In whose letters was Vilnius first mentioned?
            options: [Gediminas, Mindaugas]
            answer: Jogaila
            quote: Vilnius was first mentioned in the letters of Grand Duke Gediminas in 1323.
        """
    )
    assert issues(text) == [
        "14: grand-duchy/vilnius-first-mentioned: answer 'Jogaila' is not one of the options"
    ]


def test_a_duplicate_id_points_at_its_second_use():
    assert issues(question(LUBLIN)) == [
        "10: grand-duchy/lublin-union-year: duplicate id 'lublin-union-year' (first used at line 5)"
    ]


def test_a_quote_not_in_the_source_shows_how_it_starts():
    text = HEADER + LUBLIN.replace(
        "quote: The Union of Lublin created",
        "quote: The Union of Lublin was signed by many nobles after long negotiations and",
    )
    assert issues(text) == [
        "9: grand-duchy/lublin-union-year: quote not found in source 'grand-duchy': "
        '"The Union of Lublin was signed by many nobles after long…"'
    ]


def test_quotes_match_across_white_space_but_not_across_case_or_words():
    spaced = "quote: The  Union\n      of Lublin created the Polish–Lithuanian"
    assert load(
        HEADER + LUBLIN.replace("quote: The Union of Lublin created the Polish–Lithuanian", spaced)
    )
    lowered = HEADER + LUBLIN.replace("The Union of Lublin", "the union of Lublin")
    assert len(issues(lowered)) == 1


def test_every_passage_of_a_list_of_quotes_is_checked():
    text = HEADER + LUBLIN.replace(
        "    quote: The Union",
        "    quote:\n      - Union of Lublin\n      - Union of Krewo\n      - The Union",
    )
    assert issues(text) == [
        "11: grand-duchy/lublin-union-year: quote not found in source 'grand-duchy': "
        '"Union of Krewo"'
    ]


def test_a_question_of_a_bank_with_a_source_must_quote_it():
    text = HEADER + LUBLIN.replace(LUBLIN.splitlines()[-1] + "\n", "")
    assert issues(text) == [
        "5: grand-duchy/lublin-union-year: "
        "missing field 'quote' (every question quotes the bank's source)"
    ]


def test_a_bank_without_a_source_needs_no_quotes():
    text = HEADER.replace("source: grand-duchy\n", "") + LUBLIN.replace(
        LUBLIN.splitlines()[-1] + "\n", ""
    )
    assert load(text).source is None


def test_a_source_document_that_does_not_exist_is_reported():
    text = HEADER.replace("source: grand-duchy", "source: lost-chronicle") + LUBLIN
    assert issues(text) == [
        "3: grand-duchy: source document 'lost-chronicle' not found "
        "(looked for lost-chronicle.txt or lost-chronicle.md)"
    ]


def test_a_date_that_does_not_parse_is_reported_at_the_answer():
    text = HEADER + LUBLIN.replace("answer: 1569", "answer: 1569-02-30")
    assert issues(text) == [
        "8: grand-duchy/lublin-union-year: date answer '1569-02-30' is not a real date"
    ]


def test_an_order_question_with_a_duplicate_item_is_reported():
    text = question(
        """\
          - id: grand-duchy-order
            type: order
            prompt: Put these events in order.
            items: [Union of Lublin, Third Partition of Poland, Union of Lublin]
            quote: The Grand Duchy ended with the Third Partition of Poland in 1795.
        """
    )
    assert issues(text) == [
        "13: grand-duchy/grand-duchy-order: order has a duplicate item 'Union of Lublin'"
    ]


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (
            "bank: grand-duchy",
            "bank: Grand Duchy",
            "1: 'bank' must be a slug: lower-case letters, digits and single hyphens, "
            "like 'border-treaty'",
        ),
        (
            "id: lublin-union-year",
            "id: Lublin_1569",
            "5: grand-duchy: 'id' must be a slug: lower-case letters, digits and single "
            "hyphens, like 'border-treaty'",
        ),
    ],
    ids=["bank", "question-id"],
)
def test_a_bad_slug_is_reported(before, after, expected):
    assert issues((HEADER + LUBLIN).replace(before, after)) == [expected]


def test_an_unknown_type_lists_the_known_ones():
    text = HEADER + LUBLIN.replace("type: date", "type: chioce")
    assert issues(text) == [
        "6: grand-duchy/lublin-union-year: unknown type 'chioce' "
        "(one of: choice, cloze, date, match, multi, number, order, text, truefalse)"
    ]


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("difficulty: 1", "difficulty: 5", "'difficulty' must be at most 3"),
        ("difficulty: 1", "difficulty: easy", "'difficulty' must be a whole number"),
        ("prompt: In what", "prompt: [In what", "'prompt' must be text"),
        (
            "tags: [unions]",
            "tags: [unions, yes]",
            "'tags' item 2 must be text (YAML read it as true or false: put it in quotes)",
        ),
    ],
)
def test_a_value_of_the_wrong_kind_gets_a_short_message(before, after, expected):
    text = (HEADER + LUBLIN + "    tags: [unions]\n    difficulty: 1\n").replace(before, after)
    (issue,) = issues(text.replace("[In what year was the Union of Lublin?", "[x, y]"))
    assert expected in issue


def test_every_issue_is_reported_at_once_in_line_order():
    text = HEADER.replace("title: The Grand Duchy in brief", "titel: x") + textwrap.dedent(
        """\
          - id: first
            type: truefalse
            prompt: The Statutes were written in Latin.
            answer: maybe
            quote: they were written in Ruthenian
          - id: second
            type: choice
            prompt: Which?
            options: [Gediminas]
            answer: Gediminas
            quote: not in the source at all
          - id: first
            type: text
            prompt: Who printed a Psalter in Prague?
            answer: Francysk Skaryna
            quote: Francysk Skaryna printed his Psalter in Prague in 1517
        """
    )
    assert issues(text) == [
        "2: grand-duchy: unknown field 'titel' (did you mean 'title'?)",
        "8: grand-duchy/first: answer must be true or false (unquoted)",
        "13: grand-duchy/second: 'options' needs at least 2 items",
        "15: grand-duchy/second: quote not found in source 'grand-duchy': "
        '"not in the source at all"',
        "16: grand-duchy/first: duplicate id 'first' (first used at line 5)",
    ]


def test_the_three_mistakes_file_is_refused_with_exactly_three_precise_messages():
    path = DATA / "bad" / "three-mistakes.yaml"
    with pytest.raises(BankError) as caught:
        load_bank_file(path, sources_dir=SOURCES)
    assert [str(issue) for issue in caught.value.issues] == [
        f"{path}:8: three-mistakes/lublin-union-year: "
        "unknown field 'anwser' (did you mean 'answer'?)",
        f"{path}:15: three-mistakes/vilnius-first-mentioned: "
        "answer 'Jogaila' is not one of the options",
        f"{path}:22: three-mistakes/psalter-printer: quote not found in source "
        "'grand-duchy': \"Francysk Skaryna printed his Bible in Vilnius in 1517\"",
    ]


@pytest.mark.parametrize("value", ["[a, b]", "{a: b}"], ids=["list", "mapping"])
def test_an_id_that_is_a_list_or_a_mapping_is_reported_not_a_crash(value):
    text = question(
        """\
        - id: x
          type: truefalse
          prompt: Vilnius is the capital.
          answer: true
          excludes: [lublin-union-year]
          quote: The Union of Lublin created the Polish–Lithuanian Commonwealth in 1569.
        """
    ).replace("id: x", f"id: {value}")
    assert issues(text) == ["10: grand-duchy: 'id' must be text"]


def test_a_file_with_one_bad_question_loads_nothing():
    good = DATA / "good" / "grand-duchy.yaml"
    text = good.read_text().replace("answer: Gediminas", "answer: Kęstutis")
    with pytest.raises(BankError) as caught:
        load_bank(text.encode(), "grand-duchy.yaml", sources_dir=SOURCES)
    assert len(caught.value.issues) == 1


def test_an_unreadable_file_becomes_an_issue_with_its_line():
    with pytest.raises(BankError) as caught:
        load_bank(b"bank: a\nquestions: !!python/name:os.system\n", "x.yaml", sources_dir=None)
    assert [str(issue) for issue in caught.value.issues] == [
        "x.yaml:2: YAML tag '!!python/name:os.system' is not allowed in bank files"
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "x.yaml: the file is empty"),
        (b"- a\n- b\n", "x.yaml:1: a bank file must be a mapping with bank, title and questions"),
        (
            b"bank: b\ntitle: t\nquestions: x\n",
            "x.yaml:3: b: 'questions' must be a list",
        ),
    ],
    ids=["empty", "list", "questions-not-a-list"],
)
def test_a_file_that_is_not_a_bank_says_so(data, expected):
    with pytest.raises(BankError) as caught:
        load_bank(data, "x.yaml", sources_dir=None)
    assert [str(issue) for issue in caught.value.issues] == [expected]


def test_too_many_questions_are_refused_before_validation():
    questions = "".join(f"- {i}\n" for i in range(MAX_QUESTIONS + 1))
    data = f"bank: big\ntitle: Big\nquestions:\n{questions}".encode()
    with pytest.raises(BankError) as caught:
        load_bank(data, "big.yaml", sources_dir=None)
    assert [issue.message for issue in caught.value.issues] == [
        "too many questions (10,001; a bank holds at most 10,000)"
    ]


@pytest.mark.parametrize(
    ("issue", "text"),
    [
        (BankIssue("a.yaml", 3, "dates", "first", "m"), "a.yaml:3: dates/first: m"),
        (BankIssue("a.yaml", 3, "dates", None, "m"), "a.yaml:3: dates: m"),
        (BankIssue("a.yaml", 3, None, "first", "m"), "a.yaml:3: ?/first: m"),
        (BankIssue("a.yaml", None, None, None, "m"), "a.yaml: m"),
    ],
)
def test_an_issue_reads_file_line_bank_id_message(issue, text):
    assert str(issue) == text


def test_many_files_report_every_issue_of_every_file_and_a_slug_used_twice(tmp_path):
    shutil.copy(DATA / "good" / "grand-duchy.yaml", tmp_path / "a.yaml")
    shutil.copy(DATA / "good" / "grand-duchy.yaml", tmp_path / "b.yml")
    shutil.copy(DATA / "bad" / "three-mistakes.yaml", tmp_path / "c.json")
    (tmp_path / "notes.txt").write_text("not a bank")
    with pytest.raises(BankError) as caught:
        load_bank_files([tmp_path], sources_dir=SOURCES)
    found = [(Path(issue.file).name, issue.line) for issue in caught.value.issues]
    assert found == [("b.yml", 1), ("c.json", 8), ("c.json", 15), ("c.json", 22)]
    assert caught.value.issues[0].message == (
        f"bank 'grand-duchy' is already defined in {tmp_path / 'a.yaml'}"
    )


def test_a_directory_stands_for_its_bank_files_in_name_order():
    banks = load_bank_files([DATA / "good"], sources_dir=SOURCES)
    assert [bank.slug for bank in banks] == ["grand-duchy-short", "grand-duchy"]


def test_a_missing_file_is_an_issue(tmp_path):
    with pytest.raises(BankError) as caught:
        load_bank_files([tmp_path / "nowhere.yaml"], sources_dir=SOURCES)
    assert str(caught.value) == f"{tmp_path / 'nowhere.yaml'}: No such file or directory"


def test_a_dumped_bank_loads_as_the_same_bank():
    for path in sorted((DATA / "good").iterdir()):
        bank = load_bank_file(path, sources_dir=SOURCES)
        again = load_bank(dump_bank(bank).encode(), "dump.yaml", sources_dir=SOURCES)
        assert again == bank


def test_a_field_name_yaml_reads_as_a_number_is_an_unknown_field():
    assert issues(HEADER + LUBLIN + "    1569: x\n") == [
        "10: grand-duchy/lublin-union-year: unknown field '1569'"
    ]


def test_a_value_that_fails_every_form_of_a_field_gets_one_message():
    text = HEADER + LUBLIN.replace(LUBLIN.splitlines()[-1], "    quote: {a: b}")
    assert issues(text) == ["9: grand-duchy/lublin-union-year: 'quote' must be text or a list"]
