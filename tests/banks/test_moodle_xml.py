"""Moodle XML as Moodle reads it (shared/design/moodle-xml.md): every element the importer
reads, mapped onto quizapp's types, with what is skipped and warned about, by line."""

from __future__ import annotations

import textwrap
from collections import Counter
from pathlib import Path

import pytest

from quizapp.banks.gift import GiftError, GiftImport
from quizapp.banks.moodle_xml import parse_moodle_xml
from quizapp.grading import grade

HERE = Path(__file__).parent / "moodle_xml"


def quiz(body: str) -> bytes:
    """A file: <quiz> on line 1, `body` from line 2."""
    return ("<quiz>\n" + textwrap.dedent(body).strip("\n") + "\n</quiz>\n").encode()


def question(kind: str, inner: str = "", *, name: str = "Q", text: str = "Which?") -> str:
    """A question on one line, then `inner` on the lines after it."""
    head = (
        f'<question type="{kind}"><name><text>{name}</text></name>'
        f'<questiontext format="html"><text>{text}</text></questiontext>'
    )
    return head + "\n" + textwrap.dedent(inner).strip("\n") + "\n</question>"


def answer(text: str, fraction: float | str, feedback: str = "", more: str = "") -> str:
    holder = f"<feedback><text>{feedback}</text></feedback>" if feedback else ""
    return f'<answer fraction="{fraction}"><text>{text}</text>{holder}{more}</answer>'


def read(data: bytes, bank: str = "test", title: str = "Test") -> GiftImport:
    return parse_moodle_xml(data, "test.xml", bank=bank, title=title)


def questions(data: bytes) -> list[dict]:
    return read(data).bank.questions


def only(data: bytes) -> dict:
    [one] = questions(data)
    return one


def warnings(data: bytes) -> list[str]:
    return [f"{w.line}: {w.message}" for w in read(data).warnings]


def skipped(data: bytes) -> list[str]:
    return [str(item) for item in read(data).skipped]


def errors(data: bytes) -> list[str]:
    with pytest.raises(GiftError) as info:
        read(data)
    return [f"{issue.line}: {issue.message}" for issue in info.value.issues]


def truefalse(name: str = "Q", more: str = "") -> str:
    return question("truefalse", answer("true", 100) + answer("false", 0) + more, name=name)


# -- the result ---------------------------------------------------------------------------


def test_the_result_is_a_loaded_bank_with_the_given_slug_and_title_and_no_source():
    result = read(quiz(truefalse()), bank="grand-duchy", title="The Grand Duchy")
    assert (result.bank.slug, result.bank.title) == ("grand-duchy", "The Grand Duchy")
    assert result.bank.source is None and result.bank.description is None
    assert result.bank.file == "test.xml"
    assert result.skipped == [] and result.warnings == []
    assert result.bank.questions == [
        {
            "id": "q",
            "type": "truefalse",
            "prompt": "Which?",
            "tags": [],
            "difficulty": 2,
            "answer": True,
        }
    ]


def test_the_bank_and_title_are_checked_by_the_schema_with_its_messages():
    with pytest.raises(GiftError) as info:
        read(quiz(truefalse()), bank="Not a slug", title="")
    assert [(i.line, i.message) for i in info.value.issues] == [
        (
            None,
            "'bank' must be a slug: lower-case letters, digits and single hyphens, like "
            "'border-treaty'",
        ),
        (None, "'title' must not be empty"),
    ]


# -- a bank as Moodle exports it ----------------------------------------------------------


@pytest.fixture(scope="module")
def export() -> GiftImport:
    return read((HERE / "export-shapes.xml").read_bytes())


def test_an_export_reads_each_type_quizapp_has(export):
    assert [(q["id"], q["type"]) for q in export.bank.questions] == [
        ("capital-of-the-grand-duchy", "choice"),
        ("gd-2", "multi"),
        ("neighbours", "multi"),
        ("lublin", "truefalse"),
        ("the-great", "text"),
        ("grunwald", "number"),
        ("distance", "number"),
        ("treaties", "match"),
        ("dukes-order", "order"),
        ("partitions", "cloze"),
    ]


def test_an_export_lists_what_quizapp_has_no_type_for(export):
    assert [str(item) for item in export.skipped] == [
        "line 438: description 'About this quiz' skipped: a description is text without a question",
        "line 455: essay 'Why did the Commonwealth fall?' skipped: quizapp has no essay questions",
    ]


def test_an_export_says_once_what_quizapp_ignores_and_names_the_files_left_out(export):
    assert [str(w) for w in export.warnings] == [
        "line 26: penalties for wrong tries (<penalty>) are ignored: quizapp grades one try "
        "(10 questions; the first is here)",
        "line 26: hints (<hint>) are left out: quizapp shows no hints between tries",
        "line 26: the feedback for a right, partly right or wrong response (<correctfeedback>, "
        "<partiallycorrectfeedback>, <incorrectfeedback>) is left out: quizapp says so itself "
        "(2 questions; the first is here)",
        "line 30: file 'map of lithuania.png' left out: quizapp questions hold text only",
        "line 91: marks per question (<defaultgrade>) are ignored: every quizapp question counts "
        "the same",
        "line 303: unit 'km' kept: a learner may type it after the number; the other units are "
        "left out ('m' (×1000))",
    ]


def test_an_export_s_html_is_sanitised_to_text_and_its_fractions_become_credit(export):
    choice = export.bank.questions[0]
    assert choice["prompt"] == "Which city was the capital of the Grand Duchy?"
    assert choice["explanation"] == "Vilnius was the capital from 1323."
    assert choice["options"] == ["Vilnius", "Trakai", "Minsk", "Kraków"]
    assert choice["answer"] == "Vilnius"
    assert choice["credit"] == {"Trakai": 0.3333333}  # fraction="33.33333" is Moodle's 1/3
    assert choice["feedback"] == {"Vilnius": "Yes.", "Trakai": "An earlier seat."}
    assert grade(choice, "Trakai").fraction == pytest.approx(1 / 3, abs=1e-6)


def test_an_export_s_tags_come_from_tags_coursetags_and_the_category(export):
    by_id = {q["id"]: q for q in export.bank.questions}
    assert by_id["capital-of-the-grand-duchy"]["tags"] == [
        "capitals",
        "medieval-europe",
        "grand-duchy",
    ]
    assert by_id["gd-2"]["tags"] == ["grand-duchy"]
    # $course$/top/.../Rulers//Dynasties: // is a slash within a name.
    assert by_id["the-great"]["tags"] == ["course-tag", "rulers-dynasties"]


def test_an_export_s_escaped_html_reads_as_its_cdata_would(export):
    assert export.bank.questions[1]["prompt"] == "Which of these were grand dukes of Lithuania?"


def test_an_export_s_questions_grade_as_moodle_grades_them(export):
    by_id = {q["id"]: q for q in export.bank.questions}
    rulers = by_id["gd-2"]
    assert grade(rulers, ["Gediminas"]).fraction == 0.5
    assert grade(rulers, ["Gediminas", "Vytautas", "Peter the Great"]).fraction == 0.0
    neighbours = by_id["neighbours"]
    assert "weights" not in neighbours  # ±1/3 is quizapp's own rule
    assert grade(neighbours, ["Poland", "Muscovy", "France"]).fraction == pytest.approx(1 / 3)
    great = by_id["the-great"]
    assert grade(great, "vytautas THE great").fraction == 1.0
    assert grade(great, "Witold").fraction == 0.5
    assert grade(great, "Jogaila").fraction == 0.0
    assert "Grunwald" in grade(great, "Jogaila").feedback
    grunwald = by_id["grunwald"]
    assert grade(grunwald, "1410").fraction == 1.0
    assert grade(grunwald, "1412").fraction == 0.5
    assert grade(grunwald, "1416").fraction == 0.0
    assert grade(by_id["distance"], "30 km").fraction == 1.0
    assert grade(by_id["lublin"], False).fraction == 1.0


def test_an_export_s_matching_and_ordering(export):
    by_id = {q["id"]: q for q in export.bank.questions}
    assert by_id["treaties"]["pairs"] == {
        "Union of Krewo": "1385",
        "Union of Lublin": "1569",
        "Union of Horodło": "1413",
    }
    assert by_id["treaties"]["distractors"] == ["1791"]  # a subquestion with no text
    assert by_id["dukes-order"]["items"] == ["Mindaugas", "Gediminas", "Algirdas", "Vytautas"]


# -- <single>, spelled every way --------------------------------------------------------


def test_single_is_several_answers_only_when_false_0_or_empty():
    result = read((HERE / "single-spellings.xml").read_bytes())
    kinds = {
        q["prompt"].split("(single: ")[1].rstrip(")"): q["type"] for q in result.bank.questions
    }
    assert kinds == {
        "true": "choice",
        "false": "multi",
        "0": "multi",
        "1": "choice",
        "empty": "multi",
        "False": "choice",  # only "false" itself, as PHP compares
        "no": "choice",
        "TRUE": "choice",
        "padded false": "multi",  # trimmed first
        "missing": "choice",
        "self-closing": "multi",  # <single/> is empty
    }
    assert result.warnings == [] and result.skipped == []


# -- categories -------------------------------------------------------------------------


def category(path: str) -> str:
    return f'<question type="category"><category><text>{path}</text></category></question>'


def test_a_category_tags_the_questions_after_it_with_its_last_name():
    data = quiz(
        "\n".join(
            [
                truefalse("Before"),
                category("$course$/top/Default for History/Grand Duchy"),
                truefalse("After"),
                category("$module$/Sigma/Tau"),
                truefalse("Later"),
                category("Moodle QUIZ XML export"),  # no context: top/Moodle QUIZ XML export
                truefalse("Last"),
                category("$course$/top"),  # top itself names nothing
                truefalse("Top"),
            ]
        )
    )
    assert [q["tags"] for q in questions(data)] == [
        [],
        ["grand-duchy"],
        ["tau"],
        ["moodle-quiz-xml-export"],
        [],
    ]


def test_a_category_without_a_text_is_ignored_with_a_warning():
    data = quiz('<question type="category"><category>a/b</category></question>\n' + truefalse())
    assert warnings(data) == ["2: a category without <category><text> is ignored"]
    assert only(data)["tags"] == []


# -- names, ids, tags, feedback ------------------------------------------------------------


def test_the_id_is_the_idnumber_slugified_else_the_name():
    data = quiz(
        "\n".join(
            [
                truefalse("One", "<idnumber>T &amp; F</idnumber>"),
                truefalse("Two", "<idnumber></idnumber>"),  # empty: dropped
                truefalse("Grand Duchy: the capital?"),
            ]
        )
    )
    assert [q["id"] for q in questions(data)] == ["t-f", "two", "grand-duchy-the-capital"]


def test_a_repeated_idnumber_is_warned_and_a_repeated_name_numbered():
    data = quiz(
        "\n".join(
            [
                truefalse("Same", "<idnumber>x</idnumber>"),
                truefalse("Same", "<idnumber>x</idnumber>"),
                truefalse("Same"),
            ]
        )
    )
    assert [q["id"] for q in questions(data)] == ["x", "same", "same-2"]
    assert warnings(data) == ["5: id 'x' is used twice: this question gets another"]


def test_a_question_without_a_name_refuses_the_file_as_moodle_does():
    data = quiz(
        '<question type="truefalse"><questiontext><text>Q</text></questiontext>\n'
        + answer("true", 100)
        + "\n</question>\n"
        + '<question type="truefalse"><name>No text element</name>\n</question>'
    )
    assert errors(data) == [
        '2: the question has no <name><text>: Moodle refuses the file ("no question name")',
        '5: the question has no <name><text>: Moodle refuses the file ("no question name")',
    ]


def test_a_name_is_plain_text_and_an_empty_one_gives_way_to_the_text():
    data = quiz(
        truefalse("<![CDATA[<b>Bold</b> &amp; plain]]>")
        + "\n"
        + question("truefalse", answer("true", 100), name="", text="Is Vilnius a capital?")
    )
    assert [q["id"] for q in questions(data)] == ["bold-plain", "is-vilnius-a-capital"]


def test_general_feedback_is_the_explanation_and_tags_are_tags():
    data = quiz(
        truefalse(
            more="""
            <generalfeedback format="html"><text><![CDATA[<p>Since <i>1323</i>.</p>]]></text>
            </generalfeedback>
            <coursetags><tag><text>Course</text></tag></coursetags>
            <tags><tag><text>Capitals</text></tag><tag><text></text></tag></tags>
            """
        )
    )
    result = only(data)
    assert result["explanation"] == "Since 1323."
    assert result["tags"] == ["course", "capitals"]


def test_hidden_answernumbering_and_other_display_options_change_nothing():
    plain = only(quiz(truefalse()))
    shown = "<hidden>1</hidden><answernumbering>iii</answernumbering><showstandardinstruction>1"
    shown += "</showstandardinstruction>"
    assert only(quiz(truefalse(more=shown))) == plain
    numbered = quiz(
        question(
            "multichoice",
            "<answernumbering></answernumbering><shuffleanswers>"
            "1</shuffleanswers>" + answer("a", 100) + answer("b", 0),
        )
    )
    assert only(numbered)["options"] == ["a", "b"]
    assert warnings(numbered) == []


# -- texts --------------------------------------------------------------------------------


def text_of(fmt: str | None, text: str) -> str:
    attribute = f' format="{fmt}"' if fmt is not None else ""
    data = quiz(
        f'<question type="truefalse"><name><text>Q</text></name><questiontext{attribute}>'
        f"<text>{text}</text></questiontext>\n" + answer("true", 100) + "\n</question>"
    )
    return only(data)["prompt"]


def test_html_inside_cdata_or_escaped_reads_the_same():
    cdata = text_of("html", "<![CDATA[<p>The <b>Union</b> of Lublin</p><ul><li>1569</li></ul>]]>")
    escaped = text_of(
        "html",
        "&lt;p&gt;The &lt;b&gt;Union&lt;/b&gt; of Lublin&lt;/p&gt;"
        "&lt;ul&gt;&lt;li&gt;1569&lt;/li&gt;&lt;/ul&gt;",
    )
    assert cdata == escaped == "The Union of Lublin\n- 1569"


def test_each_format_reads_as_moodle_shows_it():
    assert text_of(None, "<![CDATA[A <b>bold</b><br>line]]>") == "A bold\nline"  # html
    assert text_of("moodle_auto_format", "<![CDATA[One\nTwo <b>bold</b>]]>") == "One\nTwo bold"
    assert text_of("plain_text", "<![CDATA[x < y <b>]]>") == "x < y <b>"
    assert text_of("markdown", "*Emphasis* stays") == "*Emphasis* stays"
    assert text_of("wiki_like", "<![CDATA[Kept <as> written]]>") == "Kept <as> written"


def test_an_unknown_format_reads_as_html_with_a_warning():
    data = quiz(
        '<question type="truefalse"><name><text>Q</text></name>\n'
        '<questiontext format="rtf"><text><![CDATA[<b>Bold</b>]]></text></questiontext>\n'
        + answer("true", 100)
        + "\n</question>"
    )
    assert only(data)["prompt"] == "Bold"
    assert warnings(data) == ["3: text format 'rtf' is unknown: read as html, as Moodle does"]


def test_entities_are_decoded_once():
    assert text_of("plain_text", "&amp;delta; &lt;b&gt;") == "&delta; <b>"
    assert text_of("html", "&amp;delta;") == "δ"  # the HTML &delta;, as a browser shows it


def test_texts_are_trimmed_and_html_white_space_collapsed():
    assert text_of("html", "\n   <![CDATA[  <p>  Two   words </p>  ]]>  \n") == "Two words"
    code = "<![CDATA[<p>Code:</p><pre>  indented\n    more</pre>]]>"
    assert text_of("html", code) == "Code:\n  indented\n    more"


def test_moodle_s_default_format_keeps_what_only_looks_like_a_tag_with_a_warning():
    data = quiz(
        '<question type="truefalse"><name><text>Q</text></name>\n'
        '<questiontext format="moodle_auto_format"><text>What does &lt;head&gt; hold?</text>'
        "</questiontext>\n" + answer("true", 100) + "\n</question>"
    )
    assert only(data)["prompt"] == "What does <head> hold?"
    [warning] = warnings(data)
    assert warning.startswith("3: '<head>' is kept as text: Moodle would read it as HTML")


def test_text_outside_text_is_ignored_as_moodle_ignores_it():
    data = quiz(truefalse(more="<generalfeedback>Well done!</generalfeedback>"))
    assert "explanation" not in only(data)
    assert warnings(data) == [
        "3: text directly inside <generalfeedback> is ignored, as Moodle ignores it: put it in "
        "<text>"
    ]


def test_raw_html_inside_text_refuses_the_file():
    data = quiz(
        '<question type="truefalse"><name><text>Q</text></name>\n'
        "<questiontext><text><p>Hi</p></text></questiontext>\n"
        + answer("true", 100)
        + "\n</question>"
    )
    assert errors(data) == [
        "3: <text> holds the XML element <p>: Moodle reads no text here; write HTML inside "
        "<![CDATA[ ... ]]>"
    ]


def test_files_are_left_out_with_their_names_and_old_images_too():
    data = quiz(
        '<question type="truefalse"><name><text>Q</text></name>\n'
        '<questiontext format="html"><text><![CDATA[<p>See the map and <a href='
        '"@@PLUGINFILE@@/song.mp3">listen</a>.<img src="@@PLUGINFILE@@/a%20map.png"></p>]]>'
        "</text>\n"
        '<file name="a map.png" encoding="base64">iVBORw0KGgo=</file></questiontext>\n'
        "<image>old.png</image>\n<image_base64>iVBORw0KGgo=</image_base64>\n"
        + answer("true", 100)
        + "\n</question>"
    )
    assert only(data)["prompt"] == "See the map and listen."
    assert warnings(data) == [
        "3: files 'song.mp3', 'a map.png' left out: quizapp questions hold text only",
        "5: image 'old.png' (<image>) left out: quizapp questions hold text only",
    ]


def test_an_image_from_elsewhere_is_left_out_with_gift_s_warning():
    assert warnings(
        quiz(
            truefalse(
                more='<generalfeedback><text><![CDATA[<img src="https://example.org/a.png">Yes]]></text>'
                "</generalfeedback>"
            )
        )
    ) == ["3: an image is not imported (quizapp questions hold text only)"]


def test_an_image_written_into_the_text_does_not_count_towards_its_length():
    photo = "data:image/png;base64," + "A" * 60_000
    data = quiz(
        question(
            "truefalse", answer("true", 100), text=f'<![CDATA[Who is this? <img src="{photo}">]]>'
        )
    )
    assert only(data)["prompt"] == "Who is this?"


def test_a_text_too_long_to_read_or_too_deep_skips_its_question():
    long = "x" * 50_001
    deep = "<div>" * 101 + "x"
    data = quiz(
        question("truefalse", answer("true", 100), name="Long", text=long)
        + "\n"
        + question("truefalse", answer("true", 100), name="Deep", text=f"<![CDATA[{deep}]]>")
        + "\n"
        + truefalse("Fine")
    )
    assert skipped(data) == [
        "line 2: question 'Long' skipped: a text of 50,001 characters (quizapp reads at most "
        "50,000)",
        "line 5: question 'Deep' skipped: HTML nested more than 100 levels deep",
    ]
    assert [q["id"] for q in questions(data)] == ["fine"]


# -- notes said once for the file ----------------------------------------------------------


def test_penalties_hints_marks_and_combined_feedback_are_noted_once_with_a_count():
    more = (
        "<penalty>0.3333333</penalty><defaultgrade>2</defaultgrade>"
        "<hint><text>Look again.</text></hint><correctfeedback><text>Well done.</text>"
        "</correctfeedback>"
    )
    data = quiz("\n".join([truefalse("A", more), truefalse("B", more), truefalse("C")]))
    assert warnings(data) == [
        "2: penalties for wrong tries (<penalty>) are ignored: quizapp grades one try "
        "(2 questions; the first is here)",
        "2: hints (<hint>) are left out: quizapp shows no hints between tries (2 questions; the "
        "first is here)",
        "2: marks per question (<defaultgrade>) are ignored: every quizapp question counts the "
        "same (2 questions; the first is here)",
        "2: the feedback for a right, partly right or wrong response (<correctfeedback>, "
        "<partiallycorrectfeedback>, <incorrectfeedback>) is left out: quizapp says so itself "
        "(2 questions; the first is here)",
    ]


def test_a_zero_penalty_a_mark_of_one_and_empty_hints_are_not_noted():
    more = "<penalty>0.0000000</penalty><defaultgrade>1.0000000</defaultgrade><hint><text/></hint>"
    assert warnings(quiz(truefalse(more=more))) == []


# -- multiple choice ----------------------------------------------------------------------


def multichoice(answers: str, single: str = "true", more: str = "") -> bytes:
    return quiz(
        question(
            "multichoice",
            f"<single>{single}</single><shuffleanswers>1</shuffleanswers>{more}\n{answers}",
        )
    )


def test_one_answer_is_a_choice_with_credit_and_feedback():
    result = only(
        multichoice(
            answer("Vilnius", 100, "Yes")
            + answer("Trakai", 50, "Close")
            + answer("Riga", 0)
            + answer("Wilno", 100)
        )
    )
    assert result["type"] == "choice"
    assert result["answer"] == "Vilnius"
    assert result["credit"] == {"Trakai": 0.5, "Wilno": 1.0}  # another 100 % answer is right too
    assert result["feedback"] == {"Vilnius": "Yes", "Trakai": "Close"}


def test_several_answers_is_a_multi_with_moodle_s_weights():
    result = only(
        multichoice(
            answer("a", 50) + answer("b", 50) + answer("c", -100, "No") + answer("d", 0),
            single="false",
        )
    )
    assert (result["type"], result["answers"]) == ("multi", ["a", "b"])
    assert result["weights"] == {"a": 0.5, "b": 0.5, "c": -1.0}
    assert result["feedback"] == {"c": "No"}


def test_one_answer_with_no_full_marks_is_skipped():
    data = multichoice(answer("a", 50) + answer("b", 0))
    assert skipped(data) == [
        "line 2: question 'Q' skipped: no answer is worth 100% (the best, 50%, gives part of "
        "the marks): quizapp's one-answer questions need a right one"
    ]


def test_several_answers_with_none_earning_marks_are_skipped():
    data = multichoice(answer("a", 0) + answer("b", -50), single="false")
    assert skipped(data) == ["line 2: question 'Q' skipped: no answer earns marks"]


def test_several_answers_whose_grades_do_not_add_up_are_kept_with_a_warning():
    data = multichoice(answer("a", 50) + answer("b", 0), single="false")
    assert only(data)["weights"] == {"a": 0.5}
    assert warnings(data) == ["2: the weights of the right answers add up to 50%, not 100%"]


def test_negative_grades_on_one_answer_score_zero_with_a_warning():
    data = multichoice(answer("a", 100) + answer("b", -50))
    assert "credit" not in only(data)
    assert warnings(data) == [
        "2: negative weights score 0 here (quizapp never takes marks away on a single-answer "
        "question)"
    ]


def test_options_moodle_shows_in_order_are_warned_about():
    data = quiz(
        question(
            "multichoice",
            "<shuffleanswers>0</shuffleanswers>\n"
            + answer("a", 100)
            + answer("All of the above", 0),
        )
    )
    assert warnings(data) == [
        "2: Moodle shows these options in the order written; quizapp shuffles them (does one "
        "say 'all of the above'?)"
    ]
    no_tag = quiz(question("multichoice", answer("a", 100) + answer("b", 0)))
    assert len(warnings(no_tag)) == 1  # missing means no shuffling for multiple choice


def test_an_empty_answer_is_left_out_as_moodle_does():
    data = quiz(
        question(
            "multichoice",
            "<shuffleanswers>1</shuffleanswers>\n"
            + answer("a", 100)
            + "\n"
            + answer("", 0)
            + "\n"
            + answer("b", 0),
        )
    )
    assert only(data)["options"] == ["a", "b"]
    assert warnings(data) == ["5: an empty answer is left out, as Moodle does"]


def test_options_quizapp_cannot_tell_apart_skip_the_question():
    case = multichoice(answer("$\\s^", 100) + answer("$\\S^", 0))
    assert skipped(case) == [
        "line 2: question 'Q' skipped: options '$\\s^' and '$\\S^' differ in case only, and "
        "quizapp tells options apart ignoring case"
    ]
    marks = multichoice(answer("<![CDATA[<p>Same<br></p>]]>", 100) + answer("Same", 0))
    assert skipped(marks) == [
        "line 2: question 'Q' skipped: option 'Same' is there twice, earning different marks"
    ]
    same = multichoice(answer("Same", 100) + answer("Same", 100) + answer("Other", 0))
    assert only(same)["options"] == ["Same", "Other"]
    assert warnings(same) == ["4: answer 'Same' is listed twice: the first is kept"]


def test_more_options_than_quizapp_shows_skip_the_question_with_the_schema_s_reason():
    data = multichoice("".join(answer(f"o{n}", 100 if n == 0 else 0) for n in range(9)))
    assert skipped(data) == [
        "line 2: question 'Q' skipped: quizapp cannot hold it: 'options' has too many items "
        "(at most 8)"
    ]


def test_a_question_with_more_than_50_answers_is_skipped_unread():
    data = multichoice("".join(answer("x", 0) for _ in range(51)))
    assert skipped(data) == [
        "line 2: question 'Q' skipped: it has 51 answers (quizapp reads at most 50 in a question)"
    ]


# -- grades -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fraction",
    ["33.33333", "33.333333", "-33.33333", "83.33333", "14.28571", "100.0000000", " 50 ", "0"],
)
def test_each_of_moodle_s_grades_is_read(fraction):
    read(multichoice(answer("a", 100) + answer("b", fraction)))


@pytest.mark.parametrize("fraction", ["33.3", "33.33", "33", "150", "1", "-110"])
def test_a_grade_moodle_does_not_offer_refuses_the_file(fraction):
    data = multichoice(answer("a", 100) + "\n" + answer("b", fraction))
    assert errors(data) == [
        f"5: grade {fraction}% is not one Moodle offers (Moodle refuses the file): use 100, 90, "
        "83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, "
        "12.5, 11.11111, 10, 5 or 0 (or their negatives)"
    ]


def test_a_missing_fraction_is_zero_and_one_that_is_no_number_an_error():
    data = multichoice(answer("a", 100) + "<answer><text>b</text></answer>")
    assert only(data)["options"] == ["a", "b"] and "credit" not in only(data)
    assert errors(multichoice(answer("a", 100) + "\n" + answer("b", "half"))) == [
        "5: fraction 'half' is not a number"
    ]


# -- true/false ---------------------------------------------------------------------------


def tf(answers: str, more: str = "") -> bytes:
    return quiz(question("truefalse", answers + more))


def test_true_is_right_only_when_its_fraction_is_exactly_100():
    assert only(tf(answer("true", 100) + answer("false", 0)))["answer"] is True
    assert only(tf(answer("true", 0) + answer("false", 100)))["answer"] is False
    assert only(tf(answer("true", "100.0000000") + answer("false", 0)))["answer"] is True
    # The last answer decides: false is "right" unless its fraction is exactly 100.
    assert only(tf(answer("true", 90) + answer("false", 10)))["answer"] is True


def test_the_last_answer_decides():
    # true says "true is right", then false says "false is right": the last wins.
    assert only(tf(answer("true", 100) + answer("false", 100)))["answer"] is False
    assert only(tf(answer("false", 100) + answer("true", 100)))["answer"] is True


def test_feedback_of_the_true_and_false_answers_is_right_and_wrong():
    result = only(tf(answer("true", 0, "No, 1569.") + answer("false", 100, "Yes.")))
    assert result["feedback"] == {"right": "Yes.", "wrong": "No, 1569."}


def test_answers_not_named_true_and_false_are_taken_in_order_with_a_warning():
    data = tf(answer("Vrai", 0) + answer("Faux", 100))
    assert only(data)["answer"] is False
    assert warnings(data) == [
        "2: the answers of a true/false question are 'true' and 'false': Moodle takes the first "
        "as true and the second as false, and so does quizapp (the answer is false)"
    ]


def test_a_true_false_question_without_answers_is_skipped():
    assert skipped(tf("")) == [
        "line 2: question 'Q' skipped: a true/false question with no <answer>"
    ]


# -- short answer ------------------------------------------------------------------------


def shortanswer(answers: str, more: str = "") -> bytes:
    return quiz(question("shortanswer", more + "\n" + answers))


def test_a_short_answer_is_a_text_compared_as_moodle_compares():
    result = only(
        shortanswer(
            answer("Vilnius", 100)
            + answer("Wilno", 100)
            + answer("Vilna", 50, "Old name")
            + answer("*", 0, "A city in Lithuania")
        )
    )
    assert result["compare"] == "moodle"
    assert (result["answer"], result["accept"]) == ("Vilnius", ["Wilno"])
    assert result["credit"] == {"Vilna": 0.5, "*": 0.0}
    assert result["feedback"] == {"Vilna": "Old name", "*": "A city in Lithuania"}
    assert grade(result, "VILNIUS").fraction == 1.0  # case ignored, as Moodle's usecase 0
    assert grade(result, "Vilnius!").fraction == 0.0  # no typo forgiven
    assert grade(result, "Kaunas").feedback.endswith("A city in Lithuania")


def test_answers_are_plain_text_whatever_their_format():
    data = shortanswer('<answer fraction="100" format="html"><text>&lt;p&gt;</text></answer>')
    assert only(data)["answer"] == "<p>"


def test_case_that_matters_in_moodle_is_warned_about():
    data = shortanswer(answer("Vilnius", 100), "<usecase>1</usecase>")
    assert warnings(data) == [
        "2: Moodle compares these answers with case (<usecase>); quizapp ignores case"
    ]
    assert warnings(shortanswer(answer("Vilnius", 100), "<usecase>0</usecase>")) == []


def test_a_wildcard_before_a_better_answer_is_warned_about():
    data = shortanswer(answer("V*", 50) + "\n" + answer("Vilnius", 100))
    assert warnings(data) == [
        "3: 'V*' comes before a better answer: Moodle checks answers in order and gives the "
        "first that matches, quizapp the best (put * last)"
    ]


def test_a_short_answer_with_no_full_marks_is_skipped():
    assert skipped(shortanswer(answer("Vilnius", 50))) == [
        "line 2: question 'Q' skipped: no answer is fully right"
    ]


# -- numerical ----------------------------------------------------------------------------


def numerical(answers: str, more: str = "") -> bytes:
    return quiz(question("numerical", more + "\n" + answers))


def tolerance(value: str) -> str:
    return f"<tolerance>{value}</tolerance>"


def test_one_answer_is_all_or_nothing_as_in_moodle():
    result = only(numerical(answer("1569", 100, more=tolerance("0"))))
    assert (result["answer"], result["tolerance"], result["ranges"]) == (1569, 0, [])
    assert grade(result, "1570").fraction == 0.0  # no half marks for a near miss


def test_other_answers_become_ranges_and_a_star_the_feedback_for_any_other():
    result = only(
        numerical(
            answer("1569", 100, "Yes", tolerance("0"))
            + answer("1569", 50, "Close", tolerance("2"))
            + answer("1385", 0, "That is Krewo")
            + answer("*", 0, "No")
        )
    )
    assert result["ranges"] == [
        {"answer": 1569, "tolerance": 2, "fraction": 0.5, "feedback": "Close"},
        {"answer": 1385, "tolerance": 0, "fraction": 0.0, "feedback": "That is Krewo"},
    ]
    assert result["feedback"] == {"right": "Yes", "wrong": "No"}
    assert grade(result, "1570").fraction == 0.5
    assert grade(result, "1385").feedback.endswith("That is Krewo")


def test_answers_are_read_as_english_numbers_as_moodle_reads_them():
    data = numerical(answer("1,5", 100) + "\n" + answer("5 cm", 0) + "\n" + answer("3e2", 0))
    result = only(data)
    assert result["answer"] == 15
    assert [r["answer"] for r in result["ranges"]] == [5, 300]
    assert warnings(data) == [
        "3: '1,5' reads as 15: Moodle takes a comma for a thousands separator (write a decimal "
        "point)",
        "4: '5 cm' reads as 5: Moodle leaves 'cm' aside (units go in <units>)",
    ]


def test_an_answer_or_tolerance_that_is_no_number_skips_the_question():
    assert skipped(numerical(answer("many", 100))) == [
        "line 2: question 'Q' skipped: its answer 'many' (line 3) is not a number"
    ]
    assert skipped(numerical(answer("5", 100, more=tolerance("a few")))) == [
        "line 2: question 'Q' skipped: the tolerance 'a few' (line 3) is not a number"
    ]


def test_the_unit_of_multiplier_1_is_kept_and_the_others_left_out():
    units = "<units>{}</units>"
    unit = "<unit><multiplier>{}</multiplier><unit_name>{}</unit_name></unit>"
    one = numerical(answer("680", 100), units.format(unit.format(1, "km")))
    assert only(one)["unit"] == "km"
    assert warnings(one) == ["2: unit 'km' kept: a learner may type it after the number"]
    none = numerical(answer("680", 100), units.format(unit.format(1000, "m")))
    assert "unit" not in only(none)
    assert warnings(none) == [
        "2: units left out: none has the multiplier 1, and quizapp reads the number in one unit "
        "('m' (×1000))"
    ]


def test_a_tolerance_outside_the_answers_is_ignored_as_moodle_ignores_it():
    data = numerical(answer("5", 100), tolerance("1"))
    assert only(data)["tolerance"] == 0
    assert warnings(data) == [
        "3: <tolerance> is ignored here, as Moodle ignores it: it belongs in each <answer>"
    ]


def test_a_star_with_marks_and_no_full_answer():
    data = numerical(answer("*", 100))
    assert skipped(data) == ["line 2: question 'Q' skipped: no answer is fully right"]


# -- matching -----------------------------------------------------------------------------


def sub(left: str, right: str) -> str:
    return f"<subquestion><text>{left}</text><answer><text>{right}</text></answer></subquestion>"


def matching(subs: str) -> bytes:
    return quiz(question("matching", subs))


def test_subquestions_are_pairs_and_one_without_text_a_distractor():
    result = only(matching(sub("Krewo", "1385") + sub("Lublin", "1569") + sub("", "1791")))
    assert result["pairs"] == {"Krewo": "1385", "Lublin": "1569"}
    assert result["distractors"] == ["1791"]


def test_an_empty_pair_is_left_out():
    data = matching(sub("Krewo", "1385") + sub("Lublin", "1569") + "\n" + sub("", ""))
    assert only(data)["pairs"] == {"Krewo": "1385", "Lublin": "1569"}
    assert warnings(data) == ["4: an empty pair is left out, as Moodle does"]


def test_matchings_quizapp_cannot_hold_are_skipped():
    # Moodle lets two left items share a right one; quizapp's pairs are one to one.
    shared = matching(sub("frog", "amphibian") + sub("cat", "mammal") + sub("newt", "amphibian"))
    assert skipped(shared) == [
        "line 2: question 'Q' skipped: quizapp cannot hold it: right item 'amphibian' is the "
        "match of two left items"
    ]
    twice = matching(sub("frog", "amphibian") + sub("Frog", "mammal"))
    assert skipped(twice) == [
        "line 2: question 'Q' skipped: the left item 'Frog' is there twice: quizapp's pairs need "
        "each left item once"
    ]


# -- ordering -----------------------------------------------------------------------------


def ordering(answers: str, more: str = "") -> bytes:
    return quiz(question("ordering", more + "\n" + answers))


def test_ordering_items_are_read_in_the_order_written():
    result = only(ordering(answer("Krewo", 1) + answer("Horodło", 2) + answer("Lublin", 3)))
    assert (result["type"], result["items"]) == ("order", ["Krewo", "Horodło", "Lublin"])


def test_what_moodle_s_ordering_does_unlike_quizapp_is_warned_about():
    data = ordering(
        answer("a", 2, "first") + answer("b", 1) + answer("c", 3),
        "<selecttype>RANDOM</selecttype><selectcount>2</selectcount>"
        "<gradingtype>ABSOLUTE_POSITION</gradingtype>",
    )
    assert only(data)["items"] == ["a", "b", "c"]
    assert warnings(data) == [
        "2: the answers are read in the order written, which is the right order (their "
        "fractions say another)",
        "2: the feedback of each item is left out: quizapp's order questions have none",
        "2: Moodle shows 2 of the 3 items; quizapp shows them all",
        "2: Moodle grades this by ABSOLUTE_POSITION; quizapp by the share of item pairs in the "
        "right order",
    ]


def test_an_ordering_with_one_item_is_skipped():
    assert skipped(ordering(answer("a", 1))) == [
        "line 2: question 'Q' skipped: it needs at least 2 items with text"
    ]


# -- what is skipped ----------------------------------------------------------------------


def test_every_type_quizapp_lacks_is_skipped_with_its_line_and_reason():
    result = read((HERE / "skipped-types.xml").read_bytes())
    # cloze and multianswer (the same type) are read; a gapselect and a ddwtos without
    # gaps are not.
    assert [q["id"] for q in result.bank.questions] == [
        "the-one-question-quizapp-reads",
        "a-cloze-question",
        "a-multianswer-question",
    ]
    assert [(s.line, s.kind, s.reason) for s in result.skipped] == [
        (17, "description", ""),
        (25, "essay", ""),
        (49, "unusable", "it has no gaps such as [[1]]"),
        (57, "unusable", "it has no gaps such as [[1]]"),
        (
            65,
            "calculated",
            "quizapp has no calculated questions (their numbers are drawn at random)",
        ),
        (
            73,
            "calculatedsimple",
            "quizapp has no calculated questions (their numbers are drawn at random)",
        ),
        (
            81,
            "calculatedmulti",
            "quizapp has no calculated questions (their numbers are drawn at random)",
        ),
        (89, "randomsamatch", "quizapp has no questions drawn from other questions"),
        (97, "ddimageortext", "quizapp has no drag-and-drop onto an image"),
        (105, "ddmarker", "quizapp has no drag-and-drop onto an image"),
        (
            113,
            "multichoiceset",
            "'multichoiceset' is not a question type of core Moodle (a "
            "plug-in's?): quizapp cannot read it",
        ),
        (121, "question", "it has no type (Moodle refuses the file)"),
    ]
    assert result.warnings == []
    assert str(result.skipped[-1]) == (
        "line 121: question 'A no type question' skipped: it has no type (Moodle refuses the file)"
    )


def test_a_cloze_question_moodle_refuses_is_skipped_with_moodle_s_reason():
    data = quiz(question("cloze", "", text="Pick {1:MULTICHOICE:=Vilnius#Yes}"))
    assert skipped(data) == [
        "line 2: question 'Q' skipped: Moodle refuses it: gap 1 (MULTICHOICE): a choice needs "
        "at least 2 answers"
    ]


def test_a_skipped_question_without_a_name_is_listed_by_its_text():
    data = quiz(
        '<question type="essay"><questiontext><text><![CDATA[<p>Write about '
        "<b>Vytautas</b>.</p>]]></text></questiontext></question>"
    )
    assert skipped(data) == [
        "line 2: essay 'Write about Vytautas .' skipped: quizapp has no essay questions"
    ]


def test_other_elements_of_quiz_are_ignored_with_a_warning():
    data = quiz("<info>Exported from Moodle</info>\n" + truefalse())
    assert warnings(data) == [
        "2: <info> is ignored: Moodle reads only <question> elements in <quiz>"
    ]


def test_a_question_the_schema_refuses_is_skipped_with_its_reasons():
    data = quiz(
        question("truefalse", answer("true", 100), name="Long", text="x" * 2_001)
        + "\n"
        + question(
            "truefalse",
            answer("true", 100),
            name="Image",
            text='<![CDATA[<img src="@@PLUGINFILE@@/map.png">]]>',
        )
        + "\n"
        + truefalse("Fine")
    )
    assert skipped(data) == [
        "line 2: question 'Long' skipped: quizapp cannot hold it: 'prompt' is too long (at most "
        "2,000 characters)",
        "line 5: question 'Image' skipped: quizapp cannot hold it: 'prompt' must not be empty",
    ]
    assert [q["id"] for q in questions(data)] == ["fine"]


def test_a_file_of_skipped_questions_is_an_empty_bank():
    result = read(quiz('<question type="essay"><name><text>E</text></name></question>'))
    assert result.bank.questions == [] and len(result.skipped) == 1


def test_the_kinds_of_a_mixed_file():
    result = read((HERE / "export-shapes.xml").read_bytes())
    assert Counter(q["type"] for q in result.bank.questions) == {
        "choice": 1,
        "multi": 2,
        "truefalse": 1,
        "text": 1,
        "number": 2,
        "match": 1,
        "order": 1,
        "cloze": 1,
    }
