"""read_cloze_text: Moodle's embedded answers ({1:SHORTANSWER:=...}) read as plain data, for
the cloze type to come. Cloze questions are skipped on import for now; this reads them as
Moodle's multianswer type does, on the shared samples and on every construct."""

from __future__ import annotations

from pathlib import Path

import defusedxml.ElementTree as ElementTree
import pytest

from quizapp.banks.moodle_xml import ClozeAnswer, ClozeGap, read_cloze_text

SAMPLES = Path(__file__).parents[3] / "shared" / "data" / "moodle-xml-samples"


def cloze_texts(name: str) -> list[str]:
    """The question texts of a sample's cloze questions, as Moodle reads them (trimmed)."""
    if not SAMPLES.is_dir():  # pragma: no cover - the samples live beside the project
        pytest.skip(f"the shared Moodle XML samples are not at {SAMPLES}")
    root = ElementTree.parse(SAMPLES / name).getroot()
    return [
        (question.findtext("questiontext/text") or "").strip()
        for question in root.findall("question")
        if question.get("type") in ("cloze", "multianswer")
    ]


def only_gap(text: str) -> ClozeGap:
    reading = read_cloze_text(text)
    assert reading.problems == ()
    [gap] = reading.gaps
    return gap


def answers(text: str) -> list[tuple[str, float, str]]:
    return [(a.text, round(a.fraction, 7), a.feedback) for a in only_gap(text).answers]


# -- the shared samples ---------------------------------------------------------------------


def test_every_type_of_gap_in_moodle_s_fixture():
    [text] = cloze_texts("moodle-format-multianswer-all-types.xml")
    reading = read_cloze_text(text)
    assert reading.problems == ()
    assert [(g.number, g.kind, g.moodle_type, g.mark) for g in reading.gaps] == [
        (1, "choice", "MULTICHOICE", 1),
        (2, "choice", "MULTICHOICE_H", 1),
        (3, "choice", "MULTICHOICE_V", 1),
        (4, "choice", "MULTICHOICE_S", 1),
        (5, "choice", "MULTICHOICE_HS", 1),
        (6, "choice", "MULTICHOICE_VS", 1),
        (7, "choice", "MULTIRESPONSE", 1),
        (8, "choice", "MULTIRESPONSE_H", 1),
        (9, "choice", "MULTIRESPONSE_S", 1),
        (10, "choice", "MULTIRESPONSE_HS", 1),
        (11, "number", "NUMERICAL", 1),
        (12, "number", "NUMERICAL", 1),
        (13, "number", "NUMERICAL", 3),
        (14, "text", "SHORTANSWER", 1),
        (15, "text", "SHORTANSWER_C", 1),
        (16, "text", "SHORTANSWER", 1),
    ]
    layouts = [(g.layout, g.shuffle, g.several) for g in reading.gaps[:10]]
    assert layouts == [
        ("dropdown", False, False),
        ("horizontal", False, False),
        ("vertical", False, False),
        ("dropdown", True, False),
        ("horizontal", True, False),
        ("vertical", True, False),
        ("vertical", False, True),
        ("horizontal", False, True),
        ("vertical", True, True),
        ("horizontal", True, True),
    ]
    gaps = reading.gaps
    assert gaps[0].answers[1] == ClozeAnswer("50 B.C.", 1.0, "Correct")
    assert gaps[1].answers[0].feedback == "That's the dog of Obelix"
    # Several answers: the right ones share the marks; with no %grade% written, each wrong
    # one takes back what a right one gives.
    assert [a.fraction for a in gaps[6].answers] == [0.5, -0.5, 0.5, -0.5]
    # With %grades%, right ones are scaled to add up to 1 and the others kept.
    assert [round(a.fraction, 4) for a in gaps[7].answers] == [0.6667, 0.0, 0.3333]
    assert [round(a.fraction, 4) for a in gaps[9].answers] == [0.3333, 0.3333, 0.0, 0.3333]
    assert gaps[11].answers == (
        ClozeAnswer("212", 1.0, "Exact", 212.0, 0.0),
        ClozeAnswer("212", 0.5, "Close, you get at least half the points.", 212.0, 10.0),
    )
    assert [(a.fraction, a.tolerance) for a in gaps[12].answers] == [
        (1.0, 0.0),
        (0.66, 20.0),
        (0.33, 50.0),
    ]
    water = gaps[14]
    assert water.case_sensitive
    assert [a.text for a in water.answers] == ["H<sub>2</sub>O", "H2O", "h2O", "H2o", "h2o"]
    assert [a.fraction for a in gaps[15].answers] == [1.0, 1.0, 0.5, 0.25]


def test_the_text_keeps_a_marker_where_each_gap_was():
    [text] = cloze_texts("moodle-format-multianswer-all-types.xml")
    reading = read_cloze_text(text)
    assert "Whenever we talk about Asterix we have to imagine the times {#1}</p>" in reading.text
    assert [f"{{#{n}}}" in reading.text for n in range(1, 17)] == [True] * 16
    assert "{1:" not in reading.text and "{3:" not in reading.text
    for gap in reading.gaps:
        assert text[gap.start] == "{" and text[gap.end - 1] == "}"


def test_the_broken_fixtures_are_refused_as_moodle_refuses_them():
    problems = [
        read_cloze_text(text).problems
        for text in cloze_texts("moodle-format-xml-broken_cloze_questions.xml")
    ]
    assert problems == [
        ("it has no gaps such as {1:SHORTANSWER:=answer}",),
        ("it has no gaps such as {1:SHORTANSWER:=answer} ('{1:MULTICHOICE' is none)",),
        ("gap 1 (MULTICHOICE): a choice needs at least 2 answers",),
        ("gap 1 (MULTICHOICE): no answer is fully right",),
        ("gap 1 (NUMERICAL): answer 'zero' is not a number or *",),
    ]


@pytest.mark.parametrize(
    ("name", "gaps"),
    [
        ("moodle-format-xml-multianswer.xml", [5]),
        ("moodle-format-xml-sample_questions_with_old_image_tag.xml", [5]),
        ("moodle-lib-sample_questions_with_old_image_tag.xml", [5]),
        ("sonsoleslp-moodlexml-to-json-test.xml", [1]),
        ("ewoner-development-course-2020.xml", [1, 1, 1, 1, 1, 1, 3]),
        ("ewoner-programming-scripting-2022.xml", [7, 7, 6, 3]),
    ],
)
def test_the_other_samples_read_without_problems(name, gaps):
    readings = [read_cloze_text(text) for text in cloze_texts(name)]
    assert [len(reading.gaps) for reading in readings] == gaps
    assert all(reading.problems == () for reading in readings)


def test_a_real_export_s_gaps():
    readings = [read_cloze_text(text) for text in cloze_texts("ewoner-development-course-2020.xml")]
    shortened = readings[3].gaps[0]  # {1:NM:...}, the short name of NUMERICAL
    assert (shortened.kind, shortened.moodle_type) == ("number", "NM")
    assert all(a.value is not None for a in shortened.answers)


# -- the constructs -------------------------------------------------------------------------


def test_grades_feedback_and_marks():
    gap = only_gap("Capital: {2:SHORTANSWER:=Vilnius#Yes~%50%Wilno#Old~Kaunas#Once}.")
    assert gap.mark == 2
    assert answers("{:SA:=Vilnius#Yes~%50%Wilno#Old~Kaunas#Once}") == [
        ("Vilnius", 1.0, "Yes"),
        ("Wilno", 0.5, "Old"),
        ("Kaunas", 0.0, "Once"),
    ]
    assert only_gap("{:SA:=x}").mark == 1  # no mark written is 1
    assert answers("{1:SA:%33,5%x~=y}") == [("x", 0.335, ""), ("y", 1.0, "")]  # , or .
    assert answers("{1:SA:=y~%-50%x}") == [("y", 1.0, ""), ("x", -0.5, "")]


def test_short_names_and_case():
    kinds = [only_gap(f"{{1:{name}:=1~2}}").kind for name in ("SA", "MW", "NM", "MC", "MR")]
    assert kinds == ["text", "text", "number", "choice", "choice"]
    assert only_gap("{1:SAC:=Vilnius}").case_sensitive
    assert only_gap("{1:MWC:=Vilnius}").case_sensitive
    assert not only_gap("{1:SA:=Vilnius}").case_sensitive
    assert only_gap("{1:MCVS:=a~b}").layout == "vertical"
    assert only_gap("{1:MRHS:=a~b}").several


def test_escapes_and_entities():
    # \} and \# are literals; a # after & (an entity such as &#123;) starts no feedback.
    assert answers(r"{1:SA:=a\}b#c\#d\}e}") == [("a}b", 1.0, "c#d}e")]
    assert answers("{1:SA:=&#65;&amp;b#fb}") == [("A&b", 1.0, "fb")]
    # \~ is no separator, and Moodle leaves its backslash in place.
    assert answers(r"{1:SA:=a\~b}") == [(r"a\~b", 1.0, "")]


def test_a_tilde_may_open_the_answers():
    assert answers("{1:MC:~=a~b}") == [("a", 1.0, ""), ("b", 0.0, "")]


def test_numbers_and_their_tolerances():
    gap = only_gap("{1:NUMERICAL:=1410:5#Yes~%50%1410:10~*#No}")
    assert gap.answers == (
        ClozeAnswer("1410", 1.0, "Yes", 1410.0, 5.0),
        ClozeAnswer("1410", 0.5, "", 1410.0, 10.0),
        ClozeAnswer("*", 0.0, "No"),
    )
    assert only_gap("{1:NM:=-2.5e1:-1}").answers[0] == ClozeAnswer("-2.5e1", 1.0, "", -25.0, 1.0)


def test_what_moodle_refuses():
    assert read_cloze_text("{1:NUMERICAL:=ten}").problems == (
        "gap 1 (NUMERICAL): answer 'ten' is not a number or *",
    )
    assert read_cloze_text("{1:MULTICHOICE:=a}").problems == (
        "gap 1 (MULTICHOICE): a choice needs at least 2 answers",
    )
    assert read_cloze_text("{1:SA:%50%a} and {1:MR:~a~b}").problems == (
        "gap 1 (SA): no answer is fully right",
        "gap 2 (MR): no answer is fully right",
    )
    assert read_cloze_text("{1:MR:%50%a~b}").problems == ()  # one earning marks is enough
    assert read_cloze_text("No gaps at all.").problems == (
        "it has no gaps such as {1:SHORTANSWER:=answer}",
    )
    assert read_cloze_text("{1:shortanswer:=x}").problems == (
        "it has no gaps such as {1:SHORTANSWER:=answer} ('{1:shortanswer:=x' is none)",
    )


def test_a_gap_never_closed_ends_the_reading():
    reading = read_cloze_text("{1:SA:=a} then {1:SA:=b~c and no end")
    assert len(reading.gaps) == 1
    assert reading.problems == ("the gap '{1:SA:=b~c and no end' is never closed with }",)


def test_an_empty_answer_runs_on_as_moodle_s_pattern_does():
    # Moodle's answers have at least one character: "~}" takes the } and reads on.
    reading = read_cloze_text("{1:SA:=a~} text {1:SA:=b}")
    assert [a.text for a in reading.gaps[0].answers] == ["a", "} text {1:SA:=b"]
    assert len(reading.gaps) == 1


def test_a_long_text_of_gaps_is_read_in_linear_time():
    text = "{1:MC:=a#b~c#d~%50%e} " * 5_000
    reading = read_cloze_text(text)
    assert len(reading.gaps) == 5_000 and reading.problems == ()
