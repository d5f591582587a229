"""Real GIFT files that Moodle imports: each reads without error, as Moodle reads it.

The files are copies (tests/banks/gift/, licences beside them). For each: how many
questions of each type, how many skipped and why; for several, the texts, answers and
weights Moodle's importer makes of them.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from quizapp.banks.gift import GiftImport, parse_gift
from quizapp.grading import grade

GIFT = Path(__file__).parent / "gift"

EXPECTED = [
    ("gift-pegjs/TFTwoFeedback.gift", {"truefalse": 3}, {}),
    ("gift-pegjs/category1.gift", {}, {}),
    ("gift-pegjs/categorySpecialCharacter.gift", {}, {}),
    ("gift-pegjs/description1.gift", {"truefalse": 1}, {"description": 1}),
    ("gift-pegjs/descriptionTitleEscapedColon.gift", {"truefalse": 1}, {"description": 1}),
    ("gift-pegjs/descriptionWithID.gift", {"truefalse": 1}, {"description": 1}),
    ("gift-pegjs/escapeAll.gift", {"choice": 1}, {}),
    ("gift-pegjs/escapeColon.gift", {"choice": 1}, {}),
    ("gift-pegjs/escapeEquals.gift", {"choice": 1}, {}),
    ("gift-pegjs/essay1.gift", {}, {"essay": 1}),
    ("gift-pegjs/formatExamples.gift", {"choice": 1}, {}),
    ("gift-pegjs/markdown.gift", {}, {"description": 4}),
    ("gift-pegjs/matching1.gift", {"match": 2}, {}),
    ("gift-pegjs/mc1.gift", {"choice": 1}, {}),
    ("gift-pegjs/mc2.gift", {"choice": 1}, {}),
    ("gift-pegjs/mc4.gift", {"choice": 1}, {}),
    ("gift-pegjs/mc5.gift", {"choice": 4}, {}),
    ("gift-pegjs/mcHTMLComment.gift", {"choice": 1}, {}),
    ("gift-pegjs/multiLineFeedback1.gift", {"choice": 2}, {}),
    ("gift-pegjs/multipleAnswersFloat.gift", {"multi": 1}, {}),
    ("gift-pegjs/newlineAndLaTeX.gift", {}, {"essay": 1}),
    ("gift-pegjs/numerical1.gift", {"number": 10}, {}),
    ("gift-pegjs/options1.gift", {"number": 1, "text": 4, "choice": 6, "truefalse": 1, "multi": 2},
     {}),
    ("gift-pegjs/shortAnswer1.gift", {"text": 2}, {}),
    ("gift-pegjs/shortAnswer2.gift", {"text": 2}, {}),
    ("gift-pegjs/shortAnswerNotMatching.gift", {"choice": 2}, {}),
    ("gift-pegjs/shortFirstEmbedded.gift", {"text": 2}, {}),
    ("gift-pegjs/shortFirstEmbeddedUnderline.gift", {"text": 2}, {}),
    ("gift-pegjs/shortFirstEmbeddedUnderlineHTML.gift", {"text": 2}, {}),
    ("gift-pegjs/symbolsAll.gift", {"truefalse": 1}, {}),
    ("gift-pegjs/tag_id.gift", {}, {"essay": 1}),
    ("gift-pegjs/tag_id_and_two_tags.gift", {}, {"essay": 1}),
    ("gift-pegjs/tag_two_tags.gift", {}, {"essay": 1}),
    ("gift-pegjs/tf1.gift", {"truefalse": 1}, {}),
    ("gift-pegjs/tf1_html.gift", {"truefalse": 1}, {}),
    ("gift-pegjs/tf1_markdown.gift", {"truefalse": 1}, {}),
    ("gift-pegjs/tf2.gift", {"truefalse": 2}, {}),
    ("gift-pegjs/type_inferred_multiline_markdown.gift", {"text": 1}, {}),
    ("pygiftparser-mtommasi/categories.gift", {"text": 3}, {"essay": 2, "description": 1}),
    ("pygiftparser-mtommasi/inline.gift", {"choice": 2, "text": 1}, {"essay": 1}),
    ("pygiftparser-mtommasi/markdow.gift", {}, {"essay": 3}),
    ("pygiftparser-mtommasi/match.gift", {"match": 1}, {}),
    ("pygiftparser-mtommasi/moodleFormat.gift", {}, {"essay": 5}),
    ("pygiftparser-mtommasi/multiple.gift", {"multi": 1}, {}),
    ("pygiftparser-mtommasi/numerical.gift", {"number": 4}, {}),
    ("pygiftparser-mtommasi/short.gift", {"text": 4}, {}),
    ("pygiftparser-mtommasi/single.gift", {"choice": 3, "text": 1}, {}),
    ("pygiftparser-mtommasi/specials.gift", {"text": 3}, {}),
    ("pygiftparser-mtommasi/trueFalse.gift", {"truefalse": 3}, {}),
    ("tsugi/00-CSS.txt", {"choice": 19}, {"unusable": 1}),
    ("tsugi/00-HTML.txt", {"choice": 17, "text": 2}, {}),
    ("tsugi/00-Mini-Django-Essay.txt", {}, {"essay": 8, "description": 2}),
    ("tsugi/00-Mini-Django.txt", {"choice": 10}, {}),
    ("tsugi/00-Shell.txt", {"choice": 16}, {}),
    ("tsugi/01-Request-Response.txt", {"choice": 20}, {}),
    ("tsugi/04-SQL.txt", {"choice": 20}, {}),
    ("tsugi/05-MVC.txt", {"choice": 20}, {}),
    ("tsugi/06-Python-Assignments.txt", {"choice": 20}, {}),
    ("tsugi/06-Python-Objects.txt", {"choice": 20}, {}),
    ("tsugi/06-Views-Templates.txt", {"choice": 16, "text": 4}, {}),
    ("tsugi/07-Views-Generic.txt", {"choice": 20}, {}),
    ("tsugi/08-BigPicture.txt", {"choice": 20}, {}),
    ("tsugi/09-Cookies-Sessions.txt", {"choice": 20}, {}),
    ("tsugi/chatgpt-torture.txt", {"choice": 9, "truefalse": 2, "text": 4, "number": 4, "match": 3},
     {"unusable": 2, "essay": 1}),
    ("tsugi/example_matching.gift", {"match": 2}, {}),
    ("tsugi/example_multiple_choice.gift", {"choice": 4}, {"unusable": 1}),
    ("tsugi/example_numerical.gift", {"number": 5}, {}),
    ("tsugi/example_true_false.gift", {"truefalse": 4}, {}),
    ("tsugi/trouble.txt", {"choice": 3, "text": 1}, {}),
]  # fmt: skip


@cache
def read(name: str) -> GiftImport:
    path = GIFT / name
    return parse_gift(path.read_bytes(), path.name, bank="sample", title="Sample")


def by_id(name: str) -> dict[str, dict]:
    return {question["id"]: question for question in read(name).bank.questions}


def test_every_sample_file_is_in_the_table():
    files = {
        str(path.relative_to(GIFT))
        for folder in ("gift-pegjs", "pygiftparser-mtommasi", "tsugi")
        for path in (GIFT / folder).iterdir()
        if path.suffix in (".gift", ".txt") and not path.name.startswith("LICENSE")
    }
    assert files == {name for name, _, _ in EXPECTED}


@pytest.mark.parametrize(("name", "types", "skipped"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_each_sample_reads_without_error_with_the_questions_moodle_finds(name, types, skipped):
    result = read(name)
    assert Counter(q["type"] for q in result.bank.questions) == Counter(types)
    assert Counter(item.kind for item in result.skipped) == Counter(skipped)


def test_true_false_feedback_is_read_in_moodles_order():
    first, second, third = read("gift-pegjs/TFTwoFeedback.gift").bank.questions
    assert first["answer"] is False
    assert first["feedback"] == {"wrong": "feedback for true", "right": "feedback for false"}
    assert second["feedback"] == {"wrong": "feedback for true"}
    assert third["feedback"] == {"right": "feedback for false"}


def test_escaped_colons_end_neither_the_title_nor_the_text():
    [skipped] = read("gift-pegjs/descriptionTitleEscapedColon.gift").skipped
    assert skipped.title == "Description Title:"
    [question] = read("gift-pegjs/escapeColon.gift").bank.questions
    assert question["prompt"] == "Specify the seasons:"
    assert question["answer"] == "spring"
    assert question["credit"] == {"summer": 1.0, "winter": 1.0, "autumn": 1.0}


def test_every_control_character_escaped_reads_as_itself():
    [question] = read("gift-pegjs/escapeAll.gift").bank.questions
    assert question["options"] == ["~", "=", "#", "{", "}", ":", "\\"]
    assert question["answer"] == "\\"
    assert question["feedback"]["#"] == "# is a control character."


def test_a_description_with_an_id_is_skipped_and_named():
    [skipped] = read("gift-pegjs/descriptionWithID.gift").skipped
    assert (skipped.line, skipped.title) == (2, "Description Title")


def test_word_pasted_html_comes_out_as_plain_text():
    [question] = read("gift-pegjs/mcHTMLComment.gift").bank.questions
    assert question["prompt"].startswith("¿En qué supuestos podría el Fiscal")
    assert question["answer"] == "Nunca."
    assert question["explanation"].startswith("Artículo 5 Estatuto Orgánico del Ministerio Fiscal:")
    assert "<" not in question["explanation"] and "LE0000017566" not in question["explanation"]
    _, word = read("gift-pegjs/multiLineFeedback1.gift").bank.questions
    assert word["options"] == [
        "Client", "ConditionAbonnement", "Paiement", "Emprunt", "ContrôleurAbonnement", "CléAccess",
    ]  # fmt: skip
    assert word["answer"] == "ContrôleurAbonnement"
    assert "explanation" not in word  # only an image
    assert "  " not in word["prompt"]


def test_multi_line_feedback_stays_with_its_answer():
    first, _ = read("gift-pegjs/multiLineFeedback1.gift").bank.questions
    assert first["feedback"]["another wrong answer"] == (
        "feedback comment on this wrong answer\non multiple lines"
    )
    assert first["explanation"] == "Global feedback split\non multiple lines"


def test_float_weights_that_do_not_cancel_are_kept_as_weights():
    [question] = read("gift-pegjs/multipleAnswersFloat.gift").bank.questions
    assert question["answers"] == ["Africa", "Asia", "Antarctica"]
    assert question["weights"]["China"] == -1.0
    assert grade(question, ["Africa", "Asia", "Antarctica"]).fraction == 1.0
    assert grade(question, ["Africa", "China"]).fraction == 0.0


def test_numerical_forms_read_as_moodle_reads_them():
    questions = by_id("gift-pegjs/numerical1.gift")
    assert questions["what-is-the-value-of-1"]["answer"] == -1
    ranged = questions["pick-a-number-from-5-to-5"]
    assert (ranged["answer"], ranged["tolerance"]) == (0, 5)
    grasp = questions["combien-de-principes-grasp-y-a-t-il"]
    assert grasp["answer"] == 9
    assert [(r["answer"], r["fraction"]) for r in grasp["ranges"]] == [(5, 0.0), (23, 0.0)]
    assert grade(grasp, "5").feedback.endswith("il y a neuf (9) principes GRASP.")
    assert grade(grasp, "9").fraction == 1.0


def test_tsugis_numerical_examples():
    questions = by_id("tsugi/example_numerical.gift")
    assert (questions["q1"]["answer"], questions["q1"]["tolerance"]) == (3, 2)
    assert questions["q4"]["feedback"] == {"right": "Correct!"}
    assert questions["q5"]["ranges"][0]["feedback"] == "Half credit for being close."


def test_a_short_answer_that_mentions_an_arrow_is_multiple_choice_by_its_tilde():
    first, _ = read("gift-pegjs/shortAnswerNotMatching.gift").bank.questions
    assert first["type"] == "choice"
    assert first["options"] == [
        "go to starbucks -> order a coffee",
        "get coffee powder -> add water",
    ]


def test_missing_word_blanks_follow_the_closing_punctuation_rule():
    questions = read("gift-pegjs/shortFirstEmbedded.gift").bank.questions
    assert [q["prompt"] for q in questions] == ["_____ is the largest continent in the world."] * 2
    underline = read("gift-pegjs/shortFirstEmbeddedUnderlineHTML.gift").bank.questions
    assert [q["prompt"] for q in underline] == ["_____ is the largest continent."] * 2
    assert read("pygiftparser-mtommasi/short.gift").bank.questions[0]["prompt"] == (
        'Deep Thought said " _____ is the Ultimate Answer to the Ultimate Question of Life, '
        'The Universe, and Everything."'
    )


def test_categories_become_a_tag_of_the_questions_after_them():
    questions = read("pygiftparser-mtommasi/categories.gift").bank.questions
    assert [q["tags"] for q in questions] == [[], [], ["toutes"]]
    assert questions[1]["prompt"] == "text Q3 including {"
    assert questions[1]["answer"] == "answer Q3 with specials }"


def test_specials_are_read_as_moodle_reads_them():
    first, invalid, general = read("pygiftparser-mtommasi/specials.gift").bank.questions
    assert (first["answer"], first["accept"], first["explanation"]) == ("answer Q2#", ["s"], "gfb")
    assert invalid["answer"] == "anything"
    assert general["answer"] == "eo\nero#"
    assert general["explanation"] == "}"


def test_an_inline_answer_block_is_a_blank_in_the_text():
    first, second, short = read("pygiftparser-mtommasi/inline.gift").bank.questions
    assert first["prompt"] == "inline _____ question."
    assert (first["options"], first["answer"]) == (["zez", "sdfkj"], "zez")
    assert second["explanation"] == "cocuou"
    assert short["answer"] == "toto"


def test_mtommasis_multiple_answers_and_true_false():
    [question] = read("pygiftparser-mtommasi/multiple.gift").bank.questions
    assert question["id"] == "q8"
    assert question["weights"] == {
        "No one": -1.0,
        "Grant": 0.5,
        "Grant's wife": 0.5,
        "Grant's father": -1.0,
    }
    third = read("pygiftparser-mtommasi/trueFalse.gift").bank.questions[2]
    assert third["feedback"] == {
        "wrong": "42is the Ultimate Answer.",
        "right": "You gave the right answer.",
    }


def test_a_title_may_run_over_two_lines():
    first = read("pygiftparser-mtommasi/single.gift").bank.questions[0]
    assert first["id"] == "question-title-7"
    assert first["feedback"]["Wrong answer1"] == "A response to wrong"


def test_html_tags_meant_as_text_stay_text_in_tsugis_html_quiz():
    questions = by_id("tsugi/00-HTML.txt")
    assert questions["q2"]["options"] == [
        "Correct Answer", "<html>", "<body>", "<?xml version>", "<meta type>", "<xs:sequence>",
    ]  # fmt: skip
    assert questions["q1"]["prompt"].startswith("What is true about the following HMTL?\n")
    assert (
        '<a href="http://www.dr-chuck.com/page2.htm">Second Page</a>' in questions["q1"]["prompt"]
    )
    assert questions["q9"]["answer"] == "Correct Answer"
    assert "document's <head>" in questions["q9"]["prompt"]


def test_an_option_made_empty_by_a_hash_is_left_out_and_may_leave_too_few():
    result = read("tsugi/example_multiple_choice.gift")
    [skipped] = result.skipped
    assert (skipped.line, skipped.title) == (7, "Q3")
    assert skipped.reason == "it needs at least 2 answers with text"
    assert by_id("tsugi/example_multiple_choice.gift")["q5"]["answer"] == "Correct%100%"


def test_the_torture_test_as_moodle_reads_it():
    result = read("tsugi/chatgpt-torture.txt")
    questions = by_id("tsugi/chatgpt-torture.txt")
    assert all("gift-torture-test" in q["tags"] for q in questions.values())
    assert questions["tt-q07-shortanswer-withfeedback"]["answer"] == "{% csrf_token %"
    single = questions["tt-q08-multianswer-allornothing"]
    assert (single["type"], single["answer"], single["credit"]) == ("choice", "GET", {"HEAD": 1.0})
    assert questions["tt-q03-mcq-htmlliketext"]["options"] == ["<a>", "<link>", "<href>", "<url>"]
    assert questions["tt-q11-numeric-range"]["tolerance"] == 1
    assert questions["tt-q24-shortanswer-whitespacevariants"]["accept"] == ["Set Cookie"]
    assert {s.title for s in result.skipped if s.kind == "unusable"} == {
        "TT_Q09_MultiAnswer_PartialCredit",
        "TT_Q20_MultiAnswer_WithNegativeWeights",
    }


def test_a_matching_answer_with_a_hash_keeps_it_as_text():
    _, second = read("tsugi/example_matching.gift").bank.questions
    assert second["pairs"] == {"cat": "cat food#correct", "dog": "dog food#also correct"}


def test_tsugis_trouble_file_escapes():
    questions = by_id("tsugi/trouble.txt")
    prompt = questions["q3"]["prompt"]
    assert prompt.startswith("Difficult question backslash n\nshould be a new line\n")
    assert "double backslash n \\n should be backslash n" in prompt
    assert "escapes tilde ~ equals = hash # open curly { close curly } colon :" in prompt
    assert questions["q4"]["answer"] == "bob" and questions["q4"]["accept"] == ["sam", "42"]


def test_sample_imports_grade_as_moodle_would():
    jesus = by_id("gift-pegjs/options1.gift")["jesus-hometown"]
    assert [grade(jesus, o).fraction for o in jesus["options"]] == [0.0, 0.25, 0.5, 1.0]
    nobody = by_id("gift-pegjs/shortAnswer1.gift")["who-s-buried-in-grant-s-tomb"]
    assert grade(nobody, "NOBODY").fraction == 1.0
    assert grade(nobody, "no body").fraction == 0.0
