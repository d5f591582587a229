"""The examples of Moodle's "GIFT format" documentation page, read as Moodle reads them.

The examples are written out in tests/banks/gift/moodle-docs/ (see its README).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.banks.gift import GiftImport, parse_gift
from quizapp.grading import grade
from quizapp.question_types.base import Grade

DOCS = Path(__file__).parent / "gift" / "moodle-docs"


def read(name: str) -> GiftImport:
    path = DOCS / name
    return parse_gift(path.read_bytes(), path.name, bank="docs", title="Moodle docs")


@pytest.fixture(scope="module")
def quick() -> dict[str, dict]:
    return {q["id"]: q for q in read("quick-reference.gift").bank.questions}


@pytest.fixture(scope="module")
def types() -> list[dict]:
    return read("question-types.gift").bank.questions


@pytest.fixture(scope="module")
def options() -> list[dict]:
    return read("options.gift").bank.questions


def test_every_documented_example_reads_without_warnings():
    for name in ("quick-reference.gift", "question-types.gift", "options.gift", "categories.gift"):
        assert read(name).warnings == [], name


def test_quick_reference_true_false(quick):
    assert quick["q1"] == {
        "id": "q1", "type": "truefalse", "prompt": "1+1=2", "tags": [], "difficulty": 2,
        "answer": True,
    }  # fmt: skip


def test_quick_reference_choice_with_feedback(quick):
    q2 = quick["q2"]
    assert (q2["options"], q2["answer"]) == (["yellow", "red", "blue"], "yellow")
    assert q2["feedback"] == {
        "yellow": "right; good!",
        "red": "wrong, it's yellow",
        "blue": "wrong, it's yellow",
    }
    assert grade(q2, "red").feedback == "Not this one. wrong, it's yellow"


def test_quick_reference_fill_in_the_blank(quick):
    q3 = quick["q3"]
    assert q3["prompt"] == "Two plus _____ equals four."
    assert (q3["type"], q3["answer"], q3["accept"]) == ("text", "two", ["2"])


def test_quick_reference_matching(quick):
    assert quick["q4"]["pairs"] == {"cat": "cat food", "dog": "dog food"}


def test_quick_reference_ranges_q5_and_q6_are_the_same_question(quick):
    q5, q6 = quick["q5"], quick["q6"]
    assert (q5["answer"], q5["tolerance"]) == (q6["answer"], q6["tolerance"]) == (3, 2)
    for response in ("0.9", "1", "3", "5", "5.1"):
        assert grade(q5, response) == grade(q6, response)
    assert grade(q5, "1").fraction == 1.0 and grade(q5, "5.1").fraction == 0.0


def test_quick_reference_partial_credit_numerical(quick):
    q7 = quick["q7"]
    assert q7["feedback"] == {"right": "Correct! Full credit."}
    assert grade(q7, "1822") == Grade(1.0, "Correct. Correct! Full credit.")
    assert grade(q7, "1821").fraction == 0.5
    assert grade(q7, "1821").feedback.endswith("He was born in 1822. Half credit for being close.")
    assert grade(q7, "1825").fraction == 0.0


def test_quick_reference_essay_is_skipped():
    [skipped] = read("quick-reference.gift").skipped
    assert (skipped.line, skipped.kind, skipped.title) == (28, "essay", "Q8")


def test_multiple_choice_examples(types):
    tomb, grant, thanksgiving, kanji, moodle = types[:5]
    assert (tomb["answer"], grant["answer"], thanksgiving["answer"], kanji["answer"]) == (
        "no one", "entombed", "fourth", "China",
    )  # fmt: skip
    assert grant["prompt"] == "Grant is _____ in Grant's tomb."
    assert (
        thanksgiving["prompt"]
        == "The American holiday of Thanksgiving is celebrated on the _____ Thursday of November."
    )
    assert kanji["options"] == ["India", "China", "Korea", "Egypt"]
    assert moodle["prompt"] == "Moodle costs _____ to download from moodle.org."
    assert moodle["answer"] == "nothing"


def test_true_false_and_short_answer_examples(types):
    false, true, nobody, four = types[5:9]
    assert (false["answer"], true["answer"]) == (False, True)
    assert (nobody["answer"], nobody["accept"]) == ("no one", ["nobody"])
    assert four["prompt"] == "Two plus two equals _____."
    assert grade(four, "FOUR").fraction == 1.0


def test_matching_example(types):
    capitals = types[9]
    assert capitals["pairs"] == {
        "Canada": "Ottawa",
        "Italy": "Rome",
        "Japan": "Tokyo",
        "India": "New Delhi",
    }


def test_numerical_examples(types):
    born, pi, pi_range, partial = types[10:14]
    assert (born["answer"], born["tolerance"]) == (1822, 5)
    assert (pi["answer"], pi["tolerance"]) == (3.1415, 0.0005)
    assert (pi_range["answer"], pi_range["tolerance"]) == (3.1415, 0.0005)
    assert grade(pi, "3.142").fraction == grade(pi_range, "3.142").fraction == 1.0
    assert partial["ranges"] == [{"answer": 1822, "tolerance": 2, "fraction": 0.5}]


def test_essay_and_description_examples_are_skipped():
    assert [(s.kind, s.title) for s in read("question-types.gift").skipped] == [
        ("essay", "Write a short biography of Dag Hammarskjöld."),
        ("description", "You can use your pencil and paper for these next math questions."),
    ]


def test_option_examples(options):
    by_prompt = {q["prompt"].split("\n")[0][:30]: q for q in options}
    two = options[0]
    assert (two["type"], two["answer"]) == ("number", 4)
    kanji, thanksgiving = options[1:3]
    assert (kanji["id"], kanji["answer"]) == ("kanji-origins", "China")
    assert thanksgiving["id"] == "thanksgiving-date"
    feedback = by_prompt["What's the answer to this mult"]
    assert feedback["feedback"]["right answer"] == "Very good!"
    tomb = by_prompt["Grant is buried in Grant's tom"]
    assert tomb["feedback"] == {"wrong": "No one is buried in Grant's tomb."}


def test_general_feedback_example_is_an_essay_with_feedback():
    [skipped] = read("options.gift").skipped
    assert (skipped.kind, skipped.title) == ("essay", "How are you?")


def test_percentage_weight_examples(options):
    difficult, hometown, hometown_short = options[6:9]
    assert difficult["credit"] == {"half credit answer": 0.5}
    assert hometown["credit"] == {"Bethlehem": 0.25, "Galilee": 0.5}
    assert hometown["prompt"] == "Jesus Christ was from _____."
    assert (hometown["id"], hometown_short["id"]) == ("jesus-hometown", "jesus-hometown-2")
    assert hometown_short["credit"] == {"Nazereth": 0.75, "Bethlehem": 0.25}


def test_text_format_example_keeps_markdown(options):
    markdown = options[9]
    assert markdown["prompt"] == (
        "The *American holiday of Thanksgiving* is celebrated on the _____ Thursday of November."
    )


def test_multiple_answers_example(options):
    entombed = options[10]
    assert entombed["type"] == "multi"
    assert entombed["weights"] == {
        "No one": -1.0,
        "Grant": 0.5,
        "Grant's wife": 0.5,
        "Grant's father": -1.0,
    }
    assert grade(entombed, ["Grant", "Grant's wife"]).fraction == 1.0
    assert grade(entombed, ["Grant", "No one"]).fraction == 0.0


def test_special_characters_examples(options):
    equals, control = options[11:13]
    assert equals["options"] == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]
    assert equals["answer"] == "= 2 + 3"
    assert control["answer"] == "\\"
    assert control["feedback"]["\\"].startswith(
        "Correct! \\ (backslash) is not a control character."
    )


def test_category_and_id_and_tag_examples():
    one, two = read("categories.gift").bank.questions
    assert (one["id"], one["tags"]) == ("q-one", ["arithmetic", "easy", "harry"])
    assert (two["id"], two["tags"]) == ("q2", ["default-for-maths-physics"])
