"""Real Moodle XML files: each imports (or is refused with its lines, as Moodle refuses it).

The files are the project's shared samples (shared/data/moodle-xml-samples/, SOURCES.md):
Moodle 5.1's own test fixtures and two real course-bank exports, read where they are and
never copied here. For each file: how many questions of each quizapp type, what is
skipped and why; for many, the texts, answers and warnings, checked against the facts of
shared/design/moodle-xml.md.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import defusedxml.ElementTree as ElementTree
import pytest

from quizapp.banks.gift import GiftError, GiftImport
from quizapp.banks.moodle_xml import parse_moodle_xml
from quizapp.grading import grade

SAMPLES = Path(__file__).parents[3] / "shared" / "data" / "moodle-xml-samples"

if not SAMPLES.is_dir():  # pragma: no cover - the samples live beside the project
    pytest.skip(f"the shared Moodle XML samples are not at {SAMPLES}", allow_module_level=True)


# file, quizapp types imported, kinds skipped, or the (line, start of the message) of each
# error when the file is refused.
EXPECTED = [
    (
        "ewoner-development-course-2020.xml",
        {
            "choice": 182,
            "multi": 17,
            "truefalse": 71,
            "text": 157,
            "number": 55,
            "match": 13,
            "cloze": 25,
        },  # 12 gapselect, 8 ddwtos, 7 cloze, of which two have 12 gaps
        {
            "calculated": 22,
            "calculatedmulti": 1,
            "randomsamatch": 4,
            "essay": 1,
            "coderunner": 1,
            "ddmatch": 2,
            "regexp": 1,
            "unusable": 16,
        },
    ),
    (
        "ewoner-programming-scripting-2022.xml",
        {"choice": 270, "truefalse": 70, "text": 86, "match": 5, "cloze": 65},
        {"multichoiceset": 54, "ddmatch": 5, "unusable": 3},
    ),
    (
        "moodef-example01.xml",
        {"choice": 1, "match": 1, "truefalse": 1, "text": 1, "order": 2, "number": 2, "cloze": 2},
        {"essay": 1},
    ),
    ("moodle-format-multianswer-all-types.xml", {}, {"unusable": 1}),  # 16 gaps
    ("moodle-format-xml-broken_cloze_questions.xml", {}, {"unusable": 5}),
    ("moodle-format-xml-categories_reverse_order.xml", {"text": 1}, {"essay": 1}),
    ("moodle-format-xml-category_with_description.xml", {"truefalse": 1}, {}),
    ("moodle-format-xml-deprecated_category.xml", {"truefalse": 1}, {}),
    (
        "moodle-format-xml-error_invalid_grades.xml",
        [(38, "grade 33% is not one Moodle offers")],
        {},
    ),
    ("moodle-format-xml-export_category.xml", {"truefalse": 1}, {}),
    ("moodle-format-xml-html_chars_in_idnumbers.xml", {"truefalse": 1}, {}),
    ("moodle-format-xml-multianswer.xml", {"cloze": 1}, {}),
    ("moodle-format-xml-multichoice.xml", {"choice": 1}, {}),
    ("moodle-format-xml-nested_categories.xml", {"truefalse": 1}, {}),
    ("moodle-format-xml-nested_categories_with_questions.xml", {"truefalse": 4}, {"essay": 1}),
    ("moodle-format-xml-old_format_file.xml", {"truefalse": 2}, {}),
    ("moodle-format-xml-sample_questions_with_old_image_tag.xml", {"choice": 1, "cloze": 1}, {}),
    ("moodle-format-xml-truefalse.xml", {"truefalse": 2}, {}),
    ("moodle-lib-sample_questions.xml", {}, {"stack": 19}),
    ("moodle-lib-sample_questions_with_old_image_tag.xml", {"choice": 1, "cloze": 1}, {}),
    (
        "moodle-lib-sample_questions_wrong.xml",
        [(18, "the file is not well-formed XML: mismatched tag")],
        {},
    ),
    ("moodle-mod-lesson-multichoice.xml", {"choice": 1}, {}),
    ("moodle-qtype-ddimageortext-testquestion.xml", {}, {"ddimageortext": 1}),
    ("moodle-qtype-ddmarker-testquestion.xml", {}, {"ddmarker": 1}),
    ("moodle-qtype-ddwtos-testquestion.xml", {"cloze": 1}, {}),  # it holds a gapselect
    ("moodle-qtype-description-testquestion.xml", {}, {"description": 1}),
    ("moodle-qtype-essay-testquestion.xml", {}, {"essay": 1}),
    ("moodle-qtype-gapselect-testquestion.xml", {"cloze": 1}, {}),
    ("moodle-qtype-match-testquestion.xml", {}, {"unusable": 1}),
    ("moodle-qtype-multichoice-testquestion.xml", {"multi": 1}, {}),
    ("moodle-qtype-numerical-testquestion.xml", {"number": 1}, {}),
    ("moodle-qtype-ordering-testexport.xml", [(2, "the file holds <question>, not <quiz>")], {}),
    ("moodle-qtype-ordering-testimport.xml", [(1, "the file holds <question>, not <quiz>")], {}),
    (
        "moodle-qtype-ordering-testimportlong.xml",
        [(1, "the file holds <question>, not <quiz>")],
        {},
    ),
    ("moodle-qtype-ordering-testoldquestion.xml", {"order": 1}, {}),
    ("moodle-qtype-ordering-testquestion.xml", {"order": 1}, {}),
    ("moodle-qtype-shortanswer-testquestion.xml", {"text": 1}, {}),
    ("moodle-qtype-truefalse-testquestion.xml", {"truefalse": 1}, {}),
    (
        "sonsoleslp-moodlexml-to-json-test.xml",
        [(326, "the question has no <name><text>: Moodle refuses the file")],
        {"essay": 3, "order": 1, "description": 1, "question": 1},
    ),
]


@cache
def outcome(name: str) -> GiftImport | GiftError:
    try:
        return parse_moodle_xml((SAMPLES / name).read_bytes(), name, bank="sample", title="S")
    except GiftError as exc:
        return exc


def imported(name: str) -> GiftImport:
    result = outcome(name)
    assert isinstance(result, GiftImport), result
    return result


def by_id(name: str) -> dict[str, dict]:
    return {question["id"]: question for question in imported(name).bank.questions}


def warnings(name: str) -> list[str]:
    return [f"{w.line}: {w.message}" for w in imported(name).warnings]


def test_every_sample_is_in_the_table():
    assert sorted(name for name, _, _ in EXPECTED) == sorted(p.name for p in SAMPLES.glob("*.xml"))


@pytest.mark.parametrize(("name", "types", "kinds"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_each_sample_imports_as_expected_or_is_refused_with_its_lines(name, types, kinds):
    result = outcome(name)
    if isinstance(types, list):
        assert isinstance(result, GiftError), f"{name} imported"
        got = [
            (issue.line, issue.message[: len(start)])
            for issue, (_, start) in zip(result.issues, types, strict=True)
        ]
        assert got == types
    else:
        assert isinstance(result, GiftImport), f"{name} refused: {result}"
        assert Counter(q["type"] for q in result.bank.questions) == types
    assert Counter(item.kind for item in result.skipped) == kinds


@pytest.mark.parametrize("name", [e[0] for e in EXPECTED if isinstance(e[1], dict)])
def test_every_question_of_a_sample_is_imported_or_listed(name):
    """Nothing is dropped silently: each <question> but a category is in the bank or skipped."""
    root = ElementTree.parse(SAMPLES / name).getroot()
    count = sum(1 for q in root.findall("question") if q.get("type") != "category")
    result = imported(name)
    assert len(result.bank.questions) + len(result.skipped) == count


# -- the real course exports ------------------------------------------------------------


def test_a_real_export_skips_only_what_quizapp_cannot_hold_each_with_its_reason():
    result = imported("ewoner-development-course-2020.xml")
    unusable = Counter(item.reason for item in result.skipped if item.kind == "unusable")
    shared = "quizapp cannot hold it: right item '{}' is the match of two left items"
    assert unusable == Counter(
        {
            # The same text twice, once right and once wrong: a teacher's slip.
            "option 'Requirements Analysis, Program Design, …' is there twice, earning different "
            "marks": 1,
            "quizapp cannot hold it: 'pairs' has too many items (at most 8)": 2,
            "it has 12 gaps; a quizapp cloze holds at most 10": 2,
            **{
                shared.format(right): 1
                for right in (
                    "4",
                    "Use Pointer Arithmetic",
                    "private",
                    "Yes",
                    "JIT/Gen III",
                    "Compilation",
                    "Assembly",
                    "Adaptive Maintenance",
                    "Corrective Maintenance",
                    "char",
                    "true",
                )
            },
        }
    )
    plug_ins = {item.kind: item.reason for item in result.skipped}
    assert plug_ins["coderunner"] == (
        "'coderunner' is not a question type of core Moodle (a plug-in's?): quizapp cannot read it"
    )
    later = imported("ewoner-programming-scripting-2022.xml")
    assert [str(item) for item in later.skipped if item.kind == "unusable"] == [
        "line 445: question 'M9D4HWQ10' skipped: quizapp cannot hold it: right item 'r' is the "
        "match of two left items",
        "line 3434: question 'Q11' skipped: options '(850)-\\D{3}-\\D{4}' and "
        "'(850)-\\d{3}-\\d{4}' differ in case only, and quizapp tells options apart ignoring case",
        "line 6239: question 'Q6' skipped: options '$\\s^' and '$\\S^' differ in case only, and "
        "quizapp tells options apart ignoring case",
    ]


def test_a_real_export_is_warned_about_once_for_what_every_question_carries():
    lines = warnings("ewoner-development-course-2020.xml")
    assert [w for w in lines if "penalties" in w] == [
        "2771: penalties for wrong tries (<penalty>) are ignored: quizapp grades one try "
        "(534 questions; the first is here)"
    ]
    # Case matters in Moodle for 57 short answers (usecase 1): each is named.
    assert sum("(<usecase>)" in w for w in lines) == 57
    # Four drag-and-drop texts whose words Moodle lets be used once become drop-downs.
    assert sum("dropped once" in w for w in lines) == 4
    assert len(lines) == 82


def test_a_real_export_s_categories_and_idnumbers_become_tags_and_ids():
    questions = by_id("ewoner-development-course-2020.xml")
    assert questions["3-01-02-qa"]["type"] == "match"  # <idnumber>3.01.02 QA</idnumber>
    tags = Counter(tag for q in questions.values() for tag in q["tags"])
    assert tags["17-file-input-output"] > 0  # $course$/top/Mod 3/Day 7/17 - File Input//Output
    assert tags["comprehensive-review"] == 78
    later = by_id("ewoner-programming-scripting-2022.xml")
    anchors = [q for q in later.values() if "3-5-6-start-end-of-string-anchors" in q["tags"]]
    assert anchors  # .../3.5&6 Start//End of String Anchors


def test_a_real_export_s_questions_read_as_moodle_shows_them():
    questions = by_id("ewoner-development-course-2020.xml")
    loop = questions["counting-loop"]
    assert loop["prompt"] == "Which of the following loops is also known as a counting loop?"
    assert (loop["options"], loop["answer"]) == (
        ["for", "do-while", "while", "foreach", "if"],
        "for",
    )
    code = questions["m3d3q06"]
    assert code["prompt"].splitlines()[1:] == [
        "int x = 0;",
        'std::string myString = "Hello!";',
        "x = myString.size();",
    ]
    assert (code["answer"], code["ranges"]) == (6, [])
    porting = questions["3-02-19-qa"]
    assert (porting["compare"], porting["answer"], porting["accept"]) == (
        "moodle",
        "Porting",
        ["Porting*"],
    )
    assert grade(porting, "porting code").fraction == 1.0  # * is Moodle's wildcard


def test_the_2022_export_skips_the_plug_in_multiple_answer_type():
    result = imported("ewoner-programming-scripting-2022.xml")
    reasons = {item.reason for item in result.skipped if item.kind == "multichoiceset"}
    assert reasons == {
        "'multichoiceset' is not a question type of core Moodle (a plug-in's?): quizapp cannot "
        "read it"
    }
    assert warnings("ewoner-programming-scripting-2022.xml") == [
        "311: penalties for wrong tries (<penalty>) are ignored: quizapp grades one try "
        "(499 questions; the first is here)",
        "311: the feedback for a right, partly right or wrong response (<correctfeedback>, "
        "<partiallycorrectfeedback>, <incorrectfeedback>) is left out: quizapp says so itself "
        "(339 questions; the first is here)",
        "1664: Moodle shows these options in the order written; quizapp shuffles them (does one "
        "say 'all of the above'?)",
        "1719: Moodle shows these options in the order written; quizapp shuffles them (does one "
        "say 'all of the above'?)",
        # The same answer twice, with the same marks: kept once.
        "9672: answer '0 1 2 3 4 5' is listed twice: the first is kept",
        "16398: Moodle compares these answers with case (<usecase>); quizapp ignores case",
        "16428: Moodle compares these answers with case (<usecase>); quizapp ignores case",
        "26253: answer 'text' is listed twice: the first is kept",
    ]


# -- a generator's file --------------------------------------------------------------------


def test_moodef_s_file_reads_every_type_quizapp_has():
    questions = by_id("moodef-example01.xml")
    order = questions["q-007-ordering-h-order-the-result-from-smallest-to-larges"]
    assert order["items"] == ["6/2", "6-2", "6+2", "6*2"]
    root = questions["q-009-numerical-what-is-the-result-of-sqrt-4"]
    assert (root["answer"], root["ranges"]) == (
        2,
        [
            {"answer": -2, "tolerance": 0, "fraction": 1.0}  # a second right answer
        ],
    )
    assert grade(root, "-2").fraction == 1.0
    choice = questions["q-001-multichoice-what-are-the-basic-arithmetic-operations"]
    assert choice["prompt"] == "What are the basic arithmetic operations?"  # comments dropped
    assert questions["q-003-truefalse-the-square-root-is-a-basic-arithmetic-op"]["answer"] is False
    assert warnings("moodef-example01.xml")[:1] == [
        "8: negative weights score 0 here (quizapp never takes marks away on a single-answer "
        "question)"
    ]


# -- Moodle's fixtures ----------------------------------------------------------------------


def test_categories_tag_the_questions_after_them_whatever_their_context():
    assert by_id("moodle-format-xml-categories_reverse_order.xml")["sigma-question"]["tags"] == [
        "sigma"
    ]
    assert by_id("moodle-format-xml-category_with_description.xml")["alpha-question"]["tags"] == [
        "alpha"
    ]
    assert by_id("moodle-format-xml-deprecated_category.xml")["alpha-question"]["tags"] == ["alpha"]
    assert by_id("moodle-format-xml-nested_categories.xml")["zeta-question"]["tags"] == ["zeta"]
    nested = by_id("moodle-format-xml-nested_categories_with_questions.xml")
    assert {qid: q["tags"] for qid, q in nested.items()} == {
        "iota-question": ["iota"],
        "kappa-question": ["kappa"],
        "lambda-question": ["lambda"],
        "mu-question": ["mu"],
    }
    old = by_id("moodle-format-xml-old_format_file.xml")
    assert [q["tags"] for q in old.values()] == [["pi"], ["rho"]]


def test_html_characters_in_an_idnumber_make_a_slug():
    assert list(by_id("moodle-format-xml-html_chars_in_idnumbers.xml")) == ["t-f"]


def test_invalid_grades_are_refused_as_moodle_refuses_them_and_valid_ones_read():
    result = outcome("moodle-format-xml-error_invalid_grades.xml")
    assert isinstance(result, GiftError)
    # fraction="33" is refused; -50 and 33.33333 (1/3) are grades Moodle offers.
    assert [(issue.line, issue.message.split(" (")[0]) for issue in result.issues] == [
        (38, "grade 33% is not one Moodle offers")
    ]


def test_files_and_images_are_left_out_and_named():
    question = next(iter(by_id("moodle-format-xml-multichoice.xml").values()))
    assert question["prompt"] == "Listen to this greeting:\n\nWhat language is being spoken?"
    assert question["options"] == ["English", "French", "German", "Danish"]
    assert question["answer"] == "French"
    assert question["feedback"]["French"] == "Yes, well done!"
    assert [w for w in warnings("moodle-format-xml-multichoice.xml") if "file" in w] == [
        "16: file 'bonjour.mp3' left out: quizapp questions hold text only",
        "37: file 'flag-uk.jpg' left out: quizapp questions hold text only",
        "43: file 'flag-france.jpg' left out: quizapp questions hold text only",
        "49: file 'flag-german.jpg' left out: quizapp questions hold text only",
        "55: file 'flag-denmark.jpg' left out: quizapp questions hold text only",
    ]
    assert by_id("moodle-mod-lesson-multichoice.xml") == by_id("moodle-format-xml-multichoice.xml")


def test_true_false_reads_the_answer_from_the_fractions_and_its_feedback():
    questions = by_id("moodle-format-xml-truefalse.xml")
    false, true = questions["moodle-acronym-false"], questions["moodle-acronym-true"]
    assert (false["answer"], true["answer"]) == (False, True)
    assert false["feedback"] == {
        "right": "Your answer is correct.",
        "wrong": "Your answer is incorrect.",
    }
    assert false["prompt"] == (
        "Moodle is an acronym for Modular Object-Oriented Dynamic Learning Education."
    )
    # The fixture's HTML is broken (</a without >): read as a browser reads it.
    assert true["explanation"] == "For further information, see the documentation about Moodle\n."
    assert false["explanation"] == "For further information, see the documentation about Moodle."
    fixture = by_id("moodle-qtype-truefalse-testquestion.xml")["true-false-001"]
    assert fixture["feedback"] == {
        "right": "This is the right answer.",
        "wrong": "This is the wrong answer.",
    }


def test_old_image_tags_are_left_out_and_answers_trimmed():
    for name in (
        "moodle-format-xml-sample_questions_with_old_image_tag.xml",
        "moodle-lib-sample_questions_with_old_image_tag.xml",
    ):
        question = by_id(name)["mcq-with-image"]
        assert question["options"] == ["wrong answer", "another wrong answer", "right answer"]
        assert question["answer"] == "right answer"
        assert "42: image 'moodle.png' (<image>) left out: quizapp questions hold text only" in (
            warnings(name)
        )


def test_a_matching_whose_left_items_share_a_right_one_is_skipped():
    [item] = imported("moodle-qtype-match-testquestion.xml").skipped
    assert str(item) == (
        "line 12: question 'matching-001' skipped: quizapp cannot hold it: right item "
        "'amphibian' is the match of two left items"
    )


def test_moodle_s_own_multiple_answer_numerical_and_short_answer_questions():
    multi = by_id("moodle-qtype-multichoice-testquestion.xml")["multi-choice-001"]
    assert (multi["answers"], multi["weights"]) == (
        ["London", "Paris"],
        {"London": 0.5, "Paris": 0.5},
    )
    assert grade(multi, ["London", "Tokyo"]).fraction == 0.5  # a wrong pick costs nothing
    number = by_id("moodle-qtype-numerical-testquestion.xml")["numerical-001"]
    assert (number["answer"], number["tolerance"], number["ranges"]) == (6.25, 0.05, [])
    assert number["explanation"] == "The average is 6.25"
    text = by_id("moodle-qtype-shortanswer-testquestion.xml")["shortanswer-001"]
    assert (text["answer"], text["credit"]) == ("frog", {"toad": 0.8, "*": 0.0})
    assert grade(text, "newt").feedback.endswith("That is a bad answer.")
    assert warnings("moodle-qtype-numerical-testquestion.xml") == [
        "12: penalties for wrong tries (<penalty>) are ignored: quizapp grades one try",
        "12: hints (<hint>) are left out: quizapp shows no hints between tries",
    ]


def test_ordering_reads_its_items_in_order_and_says_how_moodle_grades_it():
    for name in (
        "moodle-qtype-ordering-testquestion.xml",
        "moodle-qtype-ordering-testoldquestion.xml",
    ):
        [question] = imported(name).bank.questions
        assert question["items"] == [
            "Modular",
            "Object",
            "Oriented",
            "Dynamic",
            "Learning",
            "Environment",
        ]
        assert question["id"] == "dd1"
        assert (
            "12: Moodle grades this by ABSOLUTE_POSITION; quizapp by the share of item pairs in "
            "the right order"
        ) in warnings(name)


def test_a_file_without_a_quiz_root_is_refused_as_moodle_reads_nothing_from_it():
    result = outcome("moodle-qtype-ordering-testimport.xml")
    assert isinstance(result, GiftError)
    assert [str(issue) for issue in result.issues] == [
        "moodle-qtype-ordering-testimport.xml:1: sample: the file holds <question>, not <quiz>: "
        "Moodle reads questions only from a file whose root element is <quiz>"
    ]


def test_cloze_questions_moodle_refuses_are_skipped_with_moodle_s_reason():
    assert [str(item) for item in imported("moodle-format-multianswer-all-types.xml").skipped] == [
        "line 4: question 'All CLOZE types in one question' skipped: it has 16 gaps; a quizapp "
        "cloze holds at most 10"
    ]
    skipped = imported("moodle-format-xml-broken_cloze_questions.xml").skipped
    assert [(item.line, item.reason) for item in skipped] == [
        (4, "Moodle refuses it: it has no gaps such as {1:SHORTANSWER:=answer}"),
        (20, "Moodle refuses it: it has no gaps such as {1:SHORTANSWER:=answer} "
             "('{1:MULTICHOICE' is none)"),
        (36, "Moodle refuses it: gap 1 (MULTICHOICE): a choice needs at least 2 answers"),
        (52, "Moodle refuses it: gap 1 (MULTICHOICE): no answer is fully right"),
        (68, "Moodle refuses it: gap 1 (NUMERICAL): answer 'zero' is not a number or *"),
    ]  # fmt: skip


def test_plug_in_types_are_skipped_and_listed():
    result = imported("moodle-lib-sample_questions.xml")
    assert [item.line for item in result.skipped][:3] == [12, 105, 342]
    assert {item.reason for item in result.skipped} == {
        "'stack' is not a question type of core Moodle (a plug-in's?): quizapp cannot read it"
    }


def test_a_hand_written_file_is_refused_for_a_name_outside_text_and_lists_the_rest():
    result = outcome("sonsoleslp-moodlexml-to-json-test.xml")
    assert isinstance(result, GiftError)
    assert [str(item) for item in result.skipped][-3:] == [
        "line 365: order '10. Place in ascending order' skipped: 'order' is not a question "
        "type of core Moodle (a plug-in's?): quizapp cannot read it",
        "line 399: description '12. Open Office is the alternative to Microsoft Office.' "
        "skipped: a description is text without a question",
        "line 407: question 'Prueba' skipped: it has no type (Moodle refuses the file)",
    ]
    assert [str(w) for w in result.warnings] == [
        "line 61: Moodle shows these options in the order written; quizapp shuffles them (does "
        "one say 'all of the above'?)",
        "line 282: <image> without <image_base64> is ignored, as Moodle ignores it",
        "line 285: text directly inside <generalfeedback> is ignored, as Moodle ignores it: put "
        "it in <text>",
        "line 321: <image> without <image_base64> is ignored, as Moodle ignores it",
        "line 326: penalties for wrong tries (<penalty>) are ignored: quizapp grades one try",
        "line 339: <tolerance> is ignored here, as Moodle ignores it: it belongs in each <answer>",
    ]
