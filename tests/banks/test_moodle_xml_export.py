"""dump_moodle_xml: a bank exported to Moodle XML and imported back grades every response
the same, and the file is written as Moodle 4.x's "Export questions" writes one.

Moodle XML has no date type and compares short answers as Moodle does; the export writes
the nearest Moodle type and a tag such as `quizapp:date`, which Moodle keeps and the
import reads back. The bank's title is the category, which comes back as a tag.
"""

from __future__ import annotations

import random
from typing import Any

import defusedxml.ElementTree as ElementTree
import pytest
from banks.test_gift_export import (
    TRICKY_TEXTS,
    WITH_EVERYTHING,
    _distinct,
    bank_of,
    normalised,
    questions_of_every_type,
    responses,
)
from hypothesis import example, given
from hypothesis import strategies as st

from quizapp.banks import LoadedBank, load_bank_files
from quizapp.banks.gift_map import slugify
from quizapp.banks.moodle_xml import parse_moodle_xml
from quizapp.banks.moodle_xml_export import dump_moodle_xml
from quizapp.config import PROJECT_ROOT
from quizapp.grading import grade
from quizapp.question_types import TYPES

#: What the import says of every file quizapp writes: Moodle's default penalty and a unit
#: are noted, nothing else.
EXPECTED_NOTES = ("penalties for wrong tries", "unit '")


def round_trip(bank: LoadedBank) -> list[dict]:
    """Export the bank and read it back: every question, as read back."""
    data, notes = dump_moodle_xml(bank)
    result = parse_moodle_xml(data, "export.xml", bank=bank.slug, title=bank.title)
    assert result.skipped == [], data.decode()
    unexpected = [w for w in result.warnings if not w.message.startswith(EXPECTED_NOTES)]
    assert unexpected == [], data.decode()
    assert not any("left out" in note for note in notes)
    return result.bank.questions


def assert_grades_alike(before: dict, after: dict, rng: random.Random) -> None:
    """The GIFT tests' check, with the responses of a cloze whose gaps have marks."""
    unmarked = dict(before)
    if before["type"] == "cloze":
        unmarked["gaps"] = [{k: v for k, v in g.items() if k != "mark"} for g in before["gaps"]]
    for response in responses(unmarked, rng):
        want, got = grade(before, response), grade(after, response)
        assert got.fraction == pytest.approx(want.fraction, abs=1e-9), (before["id"], response)
        assert got.feedback == want.feedback, (before["id"], response)


def expected(question: dict, title: str = "Export") -> dict:
    """A question as the import gives it back: as the loader keeps it, with its quote, but
    without what Moodle XML has no place for (a note, a family, exclusions), and the bank's
    title, its Moodle category, as a last tag."""
    dumped = normalised(question)
    spec = TYPES[question["type"]].Spec.model_validate(question)
    if spec.quote is not None:
        dumped["quote"] = spec.quote
    category = slugify(title)
    dumped["tags"] = [*dumped["tags"], *([category] if category not in dumped["tags"] else [])]
    return dumped


def parsed(question: dict, **bank: Any) -> ElementTree.Element:
    """The <question> element a question is written as."""
    data, _ = dump_moodle_xml(bank_of(question, **bank))
    root = ElementTree.fromstring(data)
    [element] = [q for q in root.findall("question") if q.get("type") != "category"]
    return element


def children(element: ElementTree.Element) -> list[str]:
    return [child.tag for child in element]


def answers(element: ElementTree.Element) -> list[tuple[str | None, str | None, str | None]]:
    """Each <answer>: (fraction, text, feedback)."""
    return [
        (a.get("fraction"), a.findtext("text"), a.findtext("feedback/text"))
        for a in element.findall("answer")
    ]


COMMON = ["name", "questiontext", "generalfeedback", "defaultgrade", "penalty", "hidden",
          "idnumber"]  # fmt: skip

# Clozes of every kind of gap, with every optional field a gap has.
CLOZES = [
    {"id": "partitions", "type": "cloze", "prompt": "Fill in the gaps.",
     "text": "The Commonwealth was partitioned {1} times, the last in {2}, by {3}.",
     "gaps": [
         {"type": "number", "answer": 3, "mark": 2},
         {"type": "text", "answer": "1795", "accept": ["MDCCXCV"], "credit": {"1794": 0.5},
          "feedback": {"1794": "The uprising.", "1795": "Yes."}},
         {"type": "choice", "options": ["Russia, Prussia & Austria", "France", "Sweden"],
          "answer": "Russia, Prussia & Austria", "credit": {"France": 0.25},
          "feedback": {"Sweden": "No: # ~ } were not there."}},
     ]},
    {"id": "units", "type": "cloze", "prompt": "Distances.\nIn kilometres.",
     "text": "The border is {1} long; {2} is the capital.",
     "gaps": [
         {"type": "number", "answer": 680, "tolerance": "5%", "unit": "km",
          "feedback": {"right": "Yes.", "wrong": "About 680."}},
         {"type": "text", "answer": "Vilnius", "exact": True},
     ], "explanation": "From the article.", "tags": ["geography"], "difficulty": 1},
    {"id": "ranges", "type": "cloze", "prompt": "Years",
     "text": "{1} and, with {{braces}} and {#1} and ]]> about, {2}",
     "gaps": [
         {"type": "number", "answer": 1569, "ranges": [
             {"answer": 1569, "tolerance": 1, "fraction": 0.5, "feedback": "Close."}]},
         {"type": "text", "answer": "a*b", "compare": "moodle", "mark": 10},
     ]},
]  # fmt: skip


# -- the bundled banks ----------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> list[LoadedBank]:
    return load_bank_files([PROJECT_ROOT / "questions"], sources_dir=PROJECT_ROOT / "seeds")


def test_the_bundled_banks_come_back_question_for_question(bundled):
    for bank in bundled:
        back = round_trip(bank)
        assert back == [expected(q, bank.title) for q in bank.questions], bank.slug


def test_the_bundled_banks_grade_every_response_the_same_after_a_round_trip(bundled):
    rng = random.Random(2024)
    tried = 0
    for bank in bundled:
        for before, after in zip(bank.questions, round_trip(bank), strict=True):
            assert_grades_alike(before, after, rng)
            tried += 1
    assert tried == sum(len(bank.questions) for bank in bundled)
    assert {q["type"] for bank in bundled for q in bank.questions} == set(TYPES)


def test_the_bundled_banks_notes_name_what_moodle_xml_cannot_hold(bundled):
    notes = [note for bank in bundled for note in dump_moodle_xml(bank)[1]]
    with_note = [q["id"] for bank in bundled for q in bank.questions if q.get("note")]
    assert with_note
    assert [n for n in notes if "its note" in n] == [
        f"question {i}: its note is not in Moodle XML (quizapp's own)" for i in with_note
    ]
    assert all(" left out" not in note for note in notes)


# -- every optional field --------------------------------------------------------------


def test_every_optional_field_comes_back_and_grades_the_same():
    rng = random.Random(7)
    questions = [*WITH_EVERYTHING, *CLOZES]
    back = round_trip(bank_of(*questions))
    for before, after in zip(questions, back, strict=True):
        assert after == expected(before), before["id"]
        assert_grades_alike(before, after, rng)


XML_TEXTS = [
    *TRICKY_TEXTS,
    "]]> ends a CDATA section, <![CDATA[ starts one",
    "&nbsp; &amp;amp; &#123; &lt;b&gt;",
    "{1:SHORTANSWER:=not a gap}",
    "quizapp:date",
    '<blockquote class="quizapp-quote">not a quote</blockquote>',
]


@pytest.mark.parametrize("text", XML_TEXTS)
def test_texts_with_xml_s_special_characters_come_back_unchanged(text):
    others = [f"other {n}" for n in range(3)]
    questions = [
        {"id": "choice", "type": "choice", "prompt": text, "options": [text, *others],
         "answer": text, "feedback": {text: text}, "explanation": text, "quote": text},
        {"id": "multi", "type": "multi", "prompt": text, "options": [*others, text],
         "answers": [text]},
        {"id": "text", "type": "text", "prompt": text, "answer": "answer " + text,
         "compare": "moodle", "accept": [text], "feedback": {text: text}},
        {"id": "match", "type": "match", "prompt": text, "pairs": {text: text, "b": "c"}},
        {"id": "order", "type": "order", "prompt": text, "items": [text, "b"]},
        {"id": "tf", "type": "truefalse", "prompt": text, "answer": True,
         "feedback": {"right": text, "wrong": text}},
        {"id": "cloze", "type": "cloze", "prompt": text, "text": f"{text} {{1}} {text} {{2}}",
         "gaps": [{"type": "choice", "options": [text, "x"], "answer": text,
                   "feedback": {"x": text}},
                  {"type": "text", "answer": "answer " + text, "credit": {text: 0.5},
                   "compare": "moodle"}]},
    ]  # fmt: skip
    if "\n\n" in text:  # the first blank line ends a cloze's prompt (see the docs)
        questions[-1]["prompt"] = "Fill in."
    back = round_trip(bank_of(*questions))
    assert back == [expected(q) for q in questions]


def test_a_credited_option_before_the_answer_does_not_become_the_answer():
    question = {"id": "q", "type": "choice", "prompt": "Which?", "options": ["A", "B", "C"],
                "answer": "B", "credit": {"A": 1.0}}  # fmt: skip
    assert "quizapp-answer:2" in [t.findtext("text") for t in parsed(question).iter("tag")]
    [back] = round_trip(bank_of(question))
    assert back["answer"] == "B" and back["credit"] == {"A": 1.0}


# -- what the file looks like ----------------------------------------------------------


def test_the_file_starts_with_the_bank_s_category():
    data, _ = dump_moodle_xml(bank_of(CLOZES[0]))
    text = data.decode()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n')
    root = ElementTree.fromstring(data)
    category = root.findall("question")[0]
    assert category.get("type") == "category"
    assert category.findtext("category/text") == "$course$/top/Export"
    assert "<!-- question: partitions -->" in text


def test_a_title_with_a_slash_is_one_category():
    data, _ = dump_moodle_xml(
        LoadedBank(slug="io", title="Input/Output", description=None, source=None, questions=[])
    )
    assert ElementTree.fromstring(data).findtext("question/category/text") == (
        "$course$/top/Input//Output"
    )


def test_each_question_has_moodle_s_common_elements_in_moodle_s_order():
    for question in [*WITH_EVERYTHING, *CLOZES]:
        element = parsed(question)
        assert children(element)[:7] == COMMON, question["id"]
        assert element.findtext("name/text") == question["id"]
        assert element.findtext("idnumber") == question["id"]
        assert element.find("questiontext").get("format") == "html"
        assert element.findtext("defaultgrade") == "1.0000000"
        assert element.findtext("hidden") == "0"
        if element.find("tags") is not None:
            assert children(element)[-1] == "tags"


def test_markup_is_in_cdata_and_a_cdata_end_is_split():
    question = {"id": "q", "type": "text", "prompt": "a < b", "answer": "a < b ]]> c"}
    data, _ = dump_moodle_xml(bank_of(question))
    assert b"<text><![CDATA[a &lt; b]]></text>" in data  # HTML, as Moodle writes it
    assert b"<text><![CDATA[a < b ]]]]><![CDATA[> c]]></text>" in data  # a plain answer
    assert answers(parsed(question))[0][1] == "a < b ]]> c"


def test_the_explanation_and_the_quote_with_its_source_are_the_general_feedback():
    question = {"id": "q", "type": "truefalse", "prompt": "True?", "answer": True,
                "explanation": "Because.", "quote": ["One passage.", "Another."]}  # fmt: skip
    feedback = parsed(question, slug="people").find("generalfeedback")
    assert feedback.get("format") == "html"
    assert feedback.findtext("text") == (
        '<p>Because.</p><blockquote class="quizapp-quote">One passage.</blockquote>'
        '<blockquote class="quizapp-quote">Another.</blockquote>'
    )
    sourced = LoadedBank(slug="people", title="People", description=None,
                         source="belarus-lithuania-relations", questions=[question])  # fmt: skip
    data, _ = dump_moodle_xml(sourced)
    assert b'<p class="quizapp-source">Source: belarus-lithuania-relations</p>' in data


def test_a_choice_is_a_multichoice_of_one_answer():
    element = parsed(WITH_EVERYTHING[0])  # hometown: credit, feedback, tags, difficulty 3
    assert element.get("type") == "multichoice"
    assert children(element)[7:11] == [
        "single", "shuffleanswers", "answernumbering", "showstandardinstruction"
    ]  # fmt: skip
    assert element.findtext("single") == "true"
    assert element.findtext("shuffleanswers") == "true"
    assert element.findtext("penalty") == "0.3333333"
    assert [a.get("format") for a in element.findall("answer")] == ["html"] * 4
    assert answers(element) == [
        ("0", "Jerusalem", "Wrong city."),
        ("25", "Bethlehem", ""),
        ("100", "Galilee", ""),
        ("100", "Nazareth", "Yes!"),
    ]
    assert [t.findtext("text") for t in element.iter("tag")] == [
        "bible", "towns", "quizapp-answer:4", "quizapp-difficulty:3"
    ]  # fmt: skip


def test_a_multi_is_a_multichoice_of_several_answers_with_moodle_s_grades():
    element = parsed(WITH_EVERYTHING[2])  # thirds: three right of five
    assert element.findtext("single") == "false"
    assert [a[0] for a in answers(element)] == [
        "33.33333", "33.33333", "33.33333", "-33.33333", "-33.33333"
    ]  # fmt: skip
    weighted = parsed(WITH_EVERYTHING[1])  # entombed: its own weights
    assert [a[0] for a in answers(weighted)] == ["-100", "60", "40", "0"]


def test_a_true_false_question_says_true_and_false_with_the_feedback_of_each():
    element = parsed(WITH_EVERYTHING[3])  # tomb: false, with feedback
    assert element.get("type") == "truefalse"
    assert element.findtext("penalty") == "1"
    assert answers(element) == [("0", "true", "No one is."), ("100", "false", "Right.")]
    assert [a.get("format") for a in element.findall("answer")] == ["moodle_auto_format"] * 2


def test_a_text_question_is_a_short_answer_ignoring_case_with_its_forms():
    element = parsed(WITH_EVERYTHING[5])  # nazareth: accept, credit, feedback
    assert element.get("type") == "shortanswer"
    assert children(element)[7] == "usecase" and element.findtext("usecase") == "0"
    assert answers(element) == [
        ("100", "Nazareth", ""),
        ("100", "Nasaret", ""),
        ("75", "Nazereth", "Misspelled."),
        ("0", "Rome", "The capital."),
    ]
    assert [t.findtext("text") for t in element.iter("tag")] == ["quizapp:text"]
    exact = parsed(WITH_EVERYTHING[6])
    assert [t.findtext("text") for t in exact.iter("tag")] == ["quizapp:text-exact"]
    assert parsed(WITH_EVERYTHING[7]).find("tags") is None  # compare: moodle says nothing


def test_a_number_is_a_numerical_with_tolerances_half_credit_and_its_unit():
    element = parsed(WITH_EVERYTHING[9])  # border: 680 km, 5 %
    assert element.get("type") == "numerical"
    assert answers(element) == [("100", "680", ""), ("50", "680", "")]
    assert [a.findtext("tolerance") for a in element.findall("answer")] == ["34", "68"]
    assert element.findtext("units/unit/unit_name") == "km"
    assert element.findtext("units/unit/multiplier") == "1"
    assert children(element)[-5:] == [
        "units", "unitgradingtype", "unitpenalty", "showunits", "unitsleft"
    ]  # fmt: skip
    assert element.findtext("showunits") == "0"
    with_feedback = parsed(WITH_EVERYTHING[13])
    assert answers(with_feedback)[-1] == ("0", "*", "Think of 1991.")
    assert with_feedback.findtext("showunits") == "3"


def test_a_date_is_a_short_answer_marked_as_a_date_with_a_comment_on_what_is_lost():
    element = parsed(WITH_EVERYTHING[15])  # day: 1991-10-24
    assert element.get("type") == "shortanswer"
    assert [a[1] for a in answers(element)] == ["1991-10-24", "24 October 1991", "24.10.1991"]
    assert [t.findtext("text") for t in element.iter("tag")] == ["quizapp:date"]
    data, _ = dump_moodle_xml(bank_of(WITH_EVERYTHING[15]))
    assert b"<!-- quizapp date: Moodle accepts only the forms written here" in data


def test_an_order_is_moodle_s_ordering_question():
    element = parsed(WITH_EVERYTHING[16])  # steps
    assert element.get("type") == "ordering"
    assert children(element)[7:13] == [
        "layouttype", "selecttype", "selectcount", "gradingtype", "showgrading", "numberingstyle"
    ]  # fmt: skip
    assert element.findtext("gradingtype") == "RELATIVE_ALL_PREVIOUS_AND_NEXT"
    assert element.findtext("selecttype") == "ALL"
    assert [(a[0], a[1]) for a in answers(element)] == [
        ("1", "first = 1"), ("2", "second -&gt; 2"), ("3", "third")
    ]  # fmt: skip


def test_a_match_is_a_matching_question_with_its_distractors_as_empty_subquestions():
    element = parsed(WITH_EVERYTHING[17])  # capitals
    assert element.get("type") == "matching"
    assert element.findtext("shuffleanswers") == "true"
    subquestions = [
        (s.findtext("text"), s.findtext("answer/text")) for s in element.findall("subquestion")
    ]
    assert subquestions == [
        ("Canada", "Ottawa"), ("a -&gt; b", "c -> d"), ("[html]", "#1"), ("", "Madrid"),
        ("", "x = y"),
    ]  # fmt: skip


def test_a_cloze_is_a_multianswer_with_its_gaps_embedded_and_marked():
    element = parsed(CLOZES[0])
    assert element.get("type") == "multianswer"
    # Moodle keeps a cloze's gaps in its text: nothing follows the common elements but tags.
    assert children(element) == [*COMMON, "tags"]
    assert element.findtext("questiontext/text") == (
        "Fill in the gaps.<br><br>The Commonwealth was partitioned "
        "{2:NUMERICAL:=3:0~%50%3:0.30000000000000004} times, the last in "
        "{1:SHORTANSWER:=1795#Yes.~=MDCCXCV~%50%1794#The uprising.}, by "
        "{1:MULTICHOICE:=Russia, Prussia &#38; Austria~%25%France"
        "~%0%Sweden#No: &#35; &#126; &#125; were not there.}."
    )
    units = parsed(CLOZES[1])
    assert [t.findtext("text") for t in units.iter("tag")] == [
        "geography", "quizapp-gap1-unit:km", "quizapp-gap2:text-exact", "quizapp-difficulty:1"
    ]  # fmt: skip
    assert "{1:NUMERICAL:=680:34#Yes.~%50%680:68~%0%*#About 680.}" in units.findtext(
        "questiontext/text"
    )


def test_a_grade_moodle_does_not_offer_leaves_the_question_out_with_a_note():
    question = {"id": "odd", "type": "choice", "prompt": "Which?", "options": ["A", "B"],
                "answer": "A", "credit": {"B": 0.37}}  # fmt: skip
    data, notes = dump_moodle_xml(bank_of(question, WITH_EVERYTHING[3]))
    assert notes == [
        "question odd left out: the credit for 'B' of 37% is not a grade Moodle offers (100, "
        "90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, "
        "14.28571, 12.5, 11.11111, 10, 5, 0 or their negatives)"
    ]
    assert b"<!-- question odd left out: the credit for 'B' of 37%" in data
    result = parse_moodle_xml(data, "x.xml", bank="export", title="Export")
    assert [q["id"] for q in result.bank.questions] == ["tomb"]


def test_what_moodle_xml_cannot_hold_is_in_the_notes():
    question = {**WITH_EVERYTHING[3], "note": "Contested.", "family": "tombs",
                "excludes": ["other"]}  # fmt: skip
    _, notes = dump_moodle_xml(bank_of(question))
    assert notes == [
        "question tomb: its note is not in Moodle XML (quizapp's own)",
        "question tomb: its family is not in Moodle XML (quizapp's own)",
        "question tomb: the questions it excludes are not in Moodle XML (quizapp's own)",
    ]


def test_an_empty_bank_is_a_category_alone():
    data, notes = dump_moodle_xml(bank_of())
    root = ElementTree.fromstring(data)
    assert [q.get("type") for q in root.findall("question")] == ["category"]
    assert notes == []


# -- any question at all ----------------------------------------------------------------


_WORD = st.text(st.sampled_from("abcdefghij XYZ~}#=%{\\&<>;:*-"), min_size=1, max_size=12).filter(
    lambda s: any(c.isalpha() for c in s.strip())
)


@st.composite
def clozes(draw) -> dict:
    """A cloze of one to four gaps of every kind, with marks, credit and feedback."""
    count = draw(st.integers(1, 4))
    pieces = draw(st.lists(_WORD, min_size=count + 1, max_size=count + 1))
    text = "".join(f"{piece} {{{n}}} " for n, piece in enumerate(pieces[:-1], 1)) + pieces[-1]
    gaps = []
    for _ in range(count):
        kind = draw(st.sampled_from(["text", "choice", "number"]))
        mark = draw(st.integers(1, 10))
        if kind == "text":
            forms = draw(_distinct(1, 3))
            gap = {"type": "text", "answer": forms[0], "accept": forms[1:],
                   "compare": draw(st.sampled_from(["moodle", None]))}  # fmt: skip
        elif kind == "choice":
            options = draw(_distinct(2, 5))
            gap = {"type": "choice", "options": options, "answer": options[0],
                   "feedback": {options[-1]: draw(_WORD)}}  # fmt: skip
        else:
            answer = draw(st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: round(f, 3)))
            gap = {"type": "number", "answer": answer,
                   "tolerance": draw(st.sampled_from([0, 0.5, "5%"]))}  # fmt: skip
        gaps.append({**gap, "mark": mark})
    return {"id": "q", "type": "cloze", "prompt": draw(_WORD).strip(), "text": text.strip(),
            "gaps": gaps}  # fmt: skip


@given(st.one_of(questions_of_every_type(), clozes()))
@example({"id": "q", "type": "match", "prompt": "p", "pairs": {"->  a": "x", "b": "y"}})
def test_any_valid_question_comes_back_unchanged(question):
    try:
        want = expected(question)
    except ValueError:
        return  # not a valid question (e.g. a text form with no letters to compare)
    [back] = round_trip(bank_of(question))
    assert back == want


@given(clozes())
def test_any_cloze_grades_every_response_the_same(question):
    try:
        expected(question)
    except ValueError:
        return
    [back] = round_trip(bank_of(question))
    assert_grades_alike(question, back, random.Random(3))
