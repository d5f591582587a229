"""GIFT as Moodle reads it: every construct of the format, mapped onto quizapp's types."""

from __future__ import annotations

import re
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.banks.gift import GiftError, GiftImport, parse_gift
from quizapp.banks.gift_parse import _fields
from quizapp.grading import grade


def read(text: str) -> GiftImport:
    return parse_gift(textwrap.dedent(text).encode(), "test.gift", bank="test", title="Test")


def questions(text: str) -> list[dict]:
    return read(text).bank.questions


def only(text: str) -> dict:
    [question] = questions(text)
    return question


def warnings(text: str) -> list[str]:
    return [f"{w.line}: {w.message}" for w in read(text).warnings]


def errors(text: str) -> list[str]:
    with pytest.raises(GiftError) as info:
        read(text)
    return [f"{issue.line}: {issue.message}" for issue in info.value.issues]


# -- the result ------------------------------------------------------------------------


def test_the_result_is_a_loaded_bank_with_the_given_slug_and_title_and_no_source():
    result = read("Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}")
    assert (result.bank.slug, result.bank.title) == ("test", "Test")
    assert result.bank.source is None and result.bank.description is None
    assert result.bank.file == "test.gift"
    assert result.skipped == [] and result.warnings == []


def test_questions_are_normalised_as_the_yaml_loader_normalises_them():
    question = only("Two plus two equals {=four =4}.")
    assert question["tags"] == [] and question["difficulty"] == 2  # defaults filled in
    assert question["exact"] is False


# -- multiple choice -------------------------------------------------------------------


def test_multiple_choice_with_one_right_answer_is_a_choice():
    question = only("Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}")
    assert question["type"] == "choice"
    assert question["options"] == ["Grant", "Jefferson", "no one"]
    assert question["answer"] == "no one"
    assert question["prompt"] == "Who's buried in Grant's tomb?"


def test_weights_on_a_single_choice_give_other_options_credit():
    question = only(
        "Difficult question.{~wrong answer ~%50%half credit answer =full credit answer}"
    )
    assert question["answer"] == "full credit answer"
    assert question["credit"] == {"half credit answer": 0.5}
    assert grade(question, "half credit answer").fraction == 0.5


def test_every_equals_answer_of_a_single_choice_is_fully_right():
    question = only("Specify the seasons\\: {= spring = summer ~ easter}")
    assert question["answer"] == "spring"
    assert question["credit"] == {"summer": 1.0}
    assert grade(question, "summer").fraction == 1.0


def test_negative_weights_on_a_single_choice_score_0_with_a_warning():
    text = "Pick one {=GET ~%-50%POST ~DELETE}"
    assert "credit" not in only(text)
    assert warnings(text) == [
        "1: negative weights score 0 here (quizapp never takes marks away on a single-answer "
        "question)"
    ]


def test_multiple_answers_with_weights_are_a_multi_with_weights():
    question = only(
        """\
        What two people are entombed in Grant's tomb? {
            ~No one
            ~%50%Grant
            ~%50%Grant's wife
            ~Grant's father }
        """
    )
    assert question["type"] == "multi"
    assert question["answers"] == ["Grant", "Grant's wife"]
    assert question["weights"] == {"Grant": 0.5, "Grant's wife": 0.5}
    assert grade(question, ["Grant", "Grant's wife", "No one"]).fraction == 1.0


def test_weights_of_plus_and_minus_one_over_n_are_quizapps_own_multi_rule():
    question = only("Entombed? {~%-50%No one ~%50%Grant ~%50%Grant's wife ~%-50%Grant's father}")
    assert question["type"] == "multi" and "weights" not in question
    assert grade(question, ["Grant", "No one"]).fraction == 0.0


def test_thirds_as_moodle_writes_them_are_the_plain_rule_too():
    question = only(
        "Continents? {~%33.33333%Africa ~%33.33333%Asia ~%33.33333%Europe ~%-33.33333%Peru}"
    )
    assert "weights" not in question


def test_multiple_answer_weights_that_do_not_add_up_to_100_are_kept_with_a_warning():
    text = "Pick {~%-100%No one ~%50%Grant ~%40%Grant's wife}"
    assert only(text)["weights"] == {"No one": -1.0, "Grant": 0.5, "Grant's wife": 0.4}
    assert "1: the weights of the right answers add up to 90%, not 100%" in warnings(text)


def test_a_weight_moodle_does_not_offer_is_kept_with_a_warning():
    text = "Pick {=right ~%35%close ~wrong}"
    assert only(text)["credit"] == {"close": 0.35}
    [warning] = warnings(text)
    assert warning.startswith("1: weight 35% is not a grade Moodle offers")


def test_answer_feedback_follows_a_hash():
    question = only(
        """\
        What's the answer to this multiple-choice question?{
        ~wrong answer#feedback comment on the wrong answer
        =right answer#Very good!}
        """
    )
    assert question["feedback"] == {
        "wrong answer": "feedback comment on the wrong answer",
        "right answer": "Very good!",
    }
    assert grade(question, "right answer").feedback == "Correct. Very good!"


def test_an_empty_answer_is_left_out_as_moodle_does():
    text = "Which color is red? {=#ff0000 ~red ~blue}"
    question = only(text.replace("=#ff0000 ", "=red "))
    assert question["answer"] == "red"
    assert questions(text) == []
    result = read(text)
    assert [(s.line, s.kind, s.reason) for s in result.skipped] == [
        (1, "unusable", "no answer is fully right (the best scores 0%): mark one with =")
    ]
    assert warnings(text) == [
        "1: an empty answer is left out, as Moodle does (a '#' starts feedback: write \\# for a #)"
    ]


def test_an_option_listed_twice_is_kept_once():
    text = "Pick {=yes ~no ~No}"
    assert only(text)["options"] == ["yes", "no"]
    assert warnings(text) == ["1: answer 'No' is listed twice: the first is kept"]


def test_a_choice_with_no_answer_worth_full_marks_is_skipped_with_its_reason():
    result = read("::Layers::Which? {=~%50% Views =~%50% Models ~%-50% DNS}")
    assert result.bank.questions == []
    [skipped] = result.skipped
    assert (skipped.kind, skipped.title) == ("unusable", "Layers")
    assert skipped.message == (
        "question 'Layers' skipped: no answer is fully right (the best scores 50%): mark one with ="
    )


def test_a_multiple_answer_question_with_no_credit_at_all_is_skipped():
    [skipped] = read("Pick {~a ~b ~c}").skipped
    assert skipped.reason.startswith("no answer earns marks")


def test_multiple_choice_needs_two_answers():
    assert errors("Pick {~only}") == ["1: a multiple-choice question needs at least 2 answers"]


# -- true/false ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "answer"), [("T", True), ("TRUE", True), ("F", False), ("FALSE", False)]
)
def test_true_false_is_written_t_true_f_or_false(written, answer):
    question = only(f"The sun rises in the east.{{{written}}}")
    assert question["type"] == "truefalse" and question["answer"] is answer


def test_true_false_feedback_is_wrong_first_then_right():
    question = only("Grant is buried in Grant's tomb.{FALSE#feedback for true#feedback for false}")
    assert question["feedback"] == {"wrong": "feedback for true", "right": "feedback for false"}
    assert grade(question, True).feedback.endswith("feedback for true")
    only_right = only("Grant is buried in Grant's tomb.{TRUE# #feedback for false}")
    assert only_right["feedback"] == {"right": "feedback for false"}


@pytest.mark.parametrize("written", ["t", "True", "false"])
def test_true_false_in_other_case_is_a_short_answer_with_a_warning(written):
    text = f"Is it?{{{written}}}"
    question = only(text)
    assert question["type"] == "text" and question["answer"] == written
    [warning] = warnings(text)
    assert warning.startswith("1: did you mean ")
    assert warning.endswith(f"Moodle reads {{{written}}} as a short answer, not true/false")


# -- short answer ----------------------------------------------------------------------


def test_short_answers_are_a_text_question_compared_as_moodle_does():
    question = only("Who's buried in Grant's tomb?{=no one =nobody}")
    assert question["type"] == "text"
    assert (question["answer"], question["accept"]) == ("no one", ["nobody"])
    assert question["compare"] == "moodle"
    assert grade(question, "No One").fraction == 1.0
    assert grade(question, "no-one").fraction == 0.0  # Moodle: punctuation counts


def test_a_single_short_answer_needs_no_equals_sign():
    question = only("How do you write the word for the number 1? {One}")
    assert (question["type"], question["answer"]) == ("text", "One")


def test_weighted_short_answers_earn_part_of_the_marks():
    question = only(
        """\
        ::Jesus' hometown:: Jesus Christ was from {
            =Nazareth#Yes! That's right!
            =%75%Nazereth#Right, but misspelled.
            =%25%Bethlehem#He was born here, but not raised here.}
        """
    )
    assert question["credit"] == {"Nazereth": 0.75, "Bethlehem": 0.25}
    assert question["feedback"]["Nazereth"] == "Right, but misspelled."
    assert grade(question, "nazereth").fraction == 0.75


def test_a_wildcard_answer_catches_the_rest():
    question = only("Capital of France? {=Paris =%0%*#No: it is Paris.}")
    assert grade(question, "Lyon").feedback.endswith("No: it is Paris.")
    assert grade(question, "paris").fraction == 1.0


def test_a_wildcard_before_a_better_answer_warns():
    [warning] = warnings("Capital? {=%0%P*#No =Paris}")
    assert warning.startswith("1: 'P*' comes before a better answer")


def test_short_answer_with_no_full_marks_is_skipped():
    [skipped] = read("Capital? {=%50%Paris}").skipped
    assert skipped.reason == "no answer is fully right"


# -- matching --------------------------------------------------------------------------


def test_matching_is_a_match_question():
    question = only(
        """\
        Match the following countries with their corresponding capitals. {
            =Canada -> Ottawa
            =Italy  -> Rome
            =Japan  -> Tokyo
            }
        """
    )
    assert question["type"] == "match"
    assert question["pairs"] == {"Canada": "Ottawa", "Italy": "Rome", "Japan": "Tokyo"}


def test_an_empty_left_side_is_an_extra_distractor_on_the_right():
    question = only("Capitals {=Canada -> Ottawa =Italy -> Rome = -> Madrid}")
    assert question["pairs"] == {"Canada": "Ottawa", "Italy": "Rome"}
    assert question["distractors"] == ["Madrid"]


def test_a_hash_in_a_matching_answer_is_text_with_a_warning():
    text = "Pets {=cat -> cat food#correct =dog -> dog food}"
    assert only(text)["pairs"]["cat"] == "cat food#correct"
    assert warnings(text) == [
        "1: '#' in a matching answer is text in Moodle: matching has no feedback"
    ]


def test_matching_errors_have_their_lines():
    assert errors("Match {\n=a -> b\n=c\n}") == [
        "3: a matching answer must be written 'left -> right'"
    ]
    assert errors("Match {=a -> b =a -> c}") == ["1: left item 'a' appears twice (first at line 1)"]


def test_a_single_pair_is_a_short_answer_in_moodle():
    # "=" and "->" but one pair: Moodle's reading is matching, which needs 2 pairs.
    assert errors("Match {=a -> b}") == ["1: a matching question needs at least 2 pairs"]


def test_a_right_side_used_twice_is_the_loaders_error():
    assert errors("Animals {=cat -> mammal =dog -> mammal}") == [
        "1: right item 'mammal' is the match of two left items"
    ]


# -- numerical -------------------------------------------------------------------------


def test_a_numerical_answer_with_a_tolerance_is_a_number():
    question = only("When was Ulysses S. Grant born?{#1822:5}")
    assert question["type"] == "number"
    assert (question["answer"], question["tolerance"]) == (1822, 5)
    assert question["ranges"] == []  # Moodle's rule: no half credit for near misses
    assert grade(question, "1827").fraction == 1.0
    assert grade(question, "1828").fraction == 0.0


def test_a_numerical_range_is_its_midpoint_plus_or_minus_half_its_width():
    question = only("What is the value of pi (to 3 decimal places)? {#3.141..3.142}.")
    assert (question["answer"], question["tolerance"]) == (3.1415, 0.0005)
    assert question["prompt"] == "What is the value of pi (to 3 decimal places)? _____."
    assert grade(question, "3.142").fraction == 1.0


def test_several_weighted_numerical_answers_become_ranges():
    question = only(
        """\
        When was Ulysses S. Grant born? {#
            =1822:0      # Correct! Full credit.
            =%50%1822:2  # He was born in 1822. Half credit for being close.
            ~#Not even close.
        }
        """
    )
    assert (question["answer"], question["tolerance"]) == (1822, 0)
    assert question["ranges"] == [
        {"answer": 1822, "tolerance": 2, "fraction": 0.5,
         "feedback": "He was born in 1822. Half credit for being close."}
    ]  # fmt: skip
    assert question["feedback"] == {"right": "Correct! Full credit.", "wrong": "Not even close."}
    assert grade(question, "1823").fraction == 0.5
    assert grade(question, "1700").feedback.endswith("Not even close.")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{#1,5}", "numerical answer '1,5' is not a number (write 1.5, not 1,5, and no unit)"),
        ("{#5 cm}", "numerical answer '5 cm' is not a number (write 1.5, not 1,5, and no unit)"),
        ("{#5:about 1}", "tolerance 'about 1' of '5:about 1' is not a number"),
        ("{#one..five}", "numerical range 'one..five' is not two numbers like 1820..1824"),
        ("{#}", "a numerical question needs an answer, such as {#1822} or {#1822:2}"),
        ("{#1e999}", "numerical answer '1e999' is too large"),
    ],
)
def test_a_numerical_answer_that_is_not_a_number_is_an_error(text, message):
    # Moodle would quietly accept any answer at all; a teacher means a number.
    assert errors(f"How many?\n{text}") == [f"2: {message}"]


def test_a_numerical_error_after_feedback_hints_at_an_unescaped_equals():
    [error] = errors("How many? {#5#it is 4+1 = five}")
    assert error.endswith("(an unescaped = in the feedback before it? write \\=)")


def test_a_backwards_range_is_read_forwards_with_a_warning():
    text = "Between? {#5..1}"
    assert (only(text)["answer"], only(text)["tolerance"]) == (3, 2)
    assert warnings(text) == ["1: range '5..1' runs backwards: read as 1..5"]


# -- missing word ----------------------------------------------------------------------


def test_answers_inside_the_text_leave_a_blank():
    question = only("Moodle costs {~lots of money =nothing ~a small amount} to download.")
    assert question["prompt"] == "Moodle costs _____ to download."
    assert question["type"] == "choice"


def test_answers_at_the_very_end_leave_no_blank_but_punctuation_after_them_does():
    assert only("Two plus two equals {=four =4}")["prompt"] == "Two plus two equals"
    assert only("Two plus two equals {=four =4}.")["prompt"] == "Two plus two equals _____."
    assert (
        only("{ =Asia } is the largest continent.")["prompt"] == "_____ is the largest continent."
    )


# -- names, ids, comments, tags, categories --------------------------------------------


def test_a_title_names_the_question_and_makes_its_id():
    question = only(
        "::Kanji Origins::Japanese characters originally\ncame from what country? {=China}"
    )
    assert question["id"] == "kanji-origins"
    assert question["prompt"] == "Japanese characters originally\ncame from what country?"


def test_without_a_title_the_id_comes_from_the_text_and_repeats_are_numbered():
    first, second = questions("Who's buried there?{T}\n\nWho's buried there?{F}")
    assert (first["id"], second["id"]) == ("who-s-buried-there", "who-s-buried-there-2")


def test_an_unclosed_title_is_text_with_a_warning():
    text = "::Broken title Who's there? {T}"
    assert only(text)["prompt"] == "Broken title Who's there?"
    assert warnings(text) == ["1: the title has no closing '::': Moodle reads no title here"]


def test_comment_lines_are_left_out_and_carry_the_id_and_tags():
    question = only(
        """\
        // [id:Q-42] [tag:Grant's tomb] [tag:easy]
        // a plain comment
        ::Q1:: Who's buried in Grant's tomb?
        // a comment inside the question
        {=no one}
        """
    )
    assert question["id"] == "q-42"
    assert question["tags"] == ["grant-s-tomb", "easy"]
    assert question["prompt"] == "Who's buried in Grant's tomb?"


def test_a_field_reads_up_to_the_first_unescaped_bracket_and_one_never_closed_is_none():
    question = only("// [tag:a [tag:b] [tag:c\\] d] [tag:e\n// [tag:f\\\n// [tag:g]\nQ {T}")
    assert question["tags"] == ["a-tag-b", "c-d", "g"]


# Moodle's reading of the fields, as a regular expression: the reference for _fields.
_FIELD = re.compile(r"\[(id|tag|quizapp|unit|difficulty):((?:\\.|[^\]\\])*)\]")


@given(
    st.lists(st.sampled_from(["[tag:", "[id:", "[x:", "[", "]", "\\", "\n", "a", ":"])).map("".join)
)
def test_fields_are_read_in_one_pass_as_the_regular_expression_reads_them(comments):
    assert list(_fields(comments)) == [m.groups() for m in _FIELD.finditer(comments)]


def test_a_double_slash_inside_a_line_is_text():
    assert only("See http://example.org for the answer {T}")["prompt"] == (
        "See http://example.org for the answer"
    )


def test_an_explicit_id_wins_over_a_title_and_a_repeated_one_warns():
    first, second, third = questions(
        "::dup::One {T}\n\n// [id:dup]\nTwo {T}\n\n// [id:dup]\nThree {T}"
    )
    assert (first["id"], second["id"], third["id"]) == ("dup-2", "dup", "three")
    assert warnings("// [id:x]\nOne {T}\n\n// [id:x]\nTwo {T}") == [
        "5: id 'x' is used twice: this question gets another"
    ]


def test_a_category_is_a_tag_from_its_last_part_on_the_questions_after_it():
    first, second, third = questions(
        """\
        Before {T}

        $CATEGORY: $course$/top/Default for History//Politics

        After {T}

        $CATEGORY: tom/dick/harry

        Later {T}
        """
    )
    assert first["tags"] == []
    assert second["tags"] == ["default-for-history-politics"]
    assert third["tags"] == ["harry"]


def test_a_question_in_the_block_of_its_category_is_lost_with_a_warning():
    text = "$CATEGORY: harry\nWho? {T}"
    assert questions(text) == []
    [warning] = warnings(text)
    assert warning.startswith("1: Moodle reads the lines after $CATEGORY: as part of")


# -- escapes, feedback, formats --------------------------------------------------------


def test_escaped_characters_are_literals_and_backslash_n_a_newline():
    question = only(r"a \~ b \= c \# d \{ e \} f \: g\nh \\ i \q {=x\=y}")
    assert question["prompt"] == "a ~ b = c # d { e } f : g\nh \\ i \\q"
    assert question["answer"] == "x=y"


def test_the_last_four_hashes_start_the_general_feedback_of_any_type():
    question = only("Grant? {TRUE####Buried with his wife.}")
    assert question["explanation"] == "Buried with his wife."
    numerical = only("Year? {#1822####Born in Ohio.}")
    assert numerical["explanation"] == "Born in Ohio."


def test_html_is_sanitised_to_plain_text():
    question = only(
        """\
        [html]<p>The <b>sun</b> rises<br>in <script>alert(1)</script>which &amp; direction?</p> {
            =<p>The east.</p>#<b>Awesome!</b>
            ~<p>The west.</p>#What planet did <em>you</em> grow up on?
        }
        """
    )
    assert question["prompt"] == "The sun rises\nin which & direction?"
    assert question["options"] == ["The east.", "The west."]
    assert question["feedback"]["The west."] == "What planet did you grow up on?"


def test_html_lists_and_preformatted_text_keep_their_lines():
    # Moodle trims every line of the file: indentation survives only as \n.
    question = only(r"[html]<ul><li>one</li><li>two</li></ul><pre>a  b\n  c</pre>{T}")
    assert question["prompt"] == "- one\n- two\na  b\n  c"


def test_html_white_space_reads_as_a_browser_shows_it():
    # A run of spaces (a newline too) is one space, none at either end of a line; the lines
    # of <br>, blank ones too, stay.
    assert only("[html] a \\n  b   c {T}")["prompt"] == "a b c"
    assert only("[html]a<br>  b<br><br><br>c {T}")["prompt"] == "a\nb\n\n\nc"
    # No-break spaces alone are shown as written, at the start of a line too...
    assert only("[html]a&nbsp;&nbsp;b<br>&nbsp;&nbsp;c&nbsp;{T}")["prompt"] == "a  b\n  c"
    # ...but editors write a second space as "&nbsp; ": with an ordinary space, one space.
    assert only("[html]créé&nbsp;?&nbsp; Qui&nbsp; <br> &nbsp;x {T}")["prompt"] == "créé ? Qui\nx"


def test_an_image_is_left_out_with_a_warning():
    text = '[html]Which? <img src="x.png" alt="a map"> {T}'
    assert only(text)["prompt"] == "Which?"
    assert warnings(text) == ["1: an image is not imported (quizapp questions hold text only)"]


def test_moodle_format_is_html_too_with_a_newline_a_line_break():
    question = only("[moodle]Line <i>one</i>\nline two &lt;b&gt; {T}")
    assert question["prompt"] == "Line one\nline two <b>"


def test_moodle_format_keeps_what_only_looks_like_a_tag_as_text_with_a_warning():
    text = "Which tag starts a page? {=<html> ~<body> ~<b>bold</b>}"
    question = only(text)
    assert question["options"] == ["<html>", "<body>", "bold"]
    assert warnings(text)[0] == (
        "1: '<html>' is kept as text: Moodle would read it as HTML and not show it "
        "(write &lt;html> to show it there)"
    )


def test_markdown_and_plain_text_are_kept_as_written():
    assert only("[markdown]Who's buried in **Grant's tomb**?{=no one}")["prompt"] == (
        "Who's buried in **Grant's tomb**?"
    )
    assert only("[plain]1 < 2 & <b>? {T}")["prompt"] == "1 < 2 & <b>?"


def test_answers_inherit_the_questions_format_unless_they_name_their_own():
    question = only("[html]<p>Pick</p>{=<b>yes</b> ~[plain]<b>no</b>}")
    assert question["options"] == ["yes", "<b>no</b>"]


# -- warnings for what Moodle reads unlike the teacher means -----------------------------


def test_an_unescaped_equals_in_feedback_warns():
    text = "Sum? {~3#no, 2+2=4 ~5}"
    [warning] = warnings(text)
    assert warning.startswith("1: unescaped = in feedback? Moodle starts a new answer there")


def test_compact_answers_do_not_warn():
    assert warnings("Pick {=a#good ~b#bad ~c}") == []
    assert warnings("Pick {=Correct Answer~Windows ~MacOS}") == []


def test_a_line_holding_only_zero_ends_the_question_as_in_moodle():
    text = "Which is nothing? {\n=zero\n0\n~one}"
    with pytest.raises(GiftError) as info:
        read(text)
    assert [str(w) for w in info.value.warnings] == [
        "line 3: a line holding only 0 ends the question here, as in Moodle"
    ]


def test_braces_beyond_the_first_answer_block_warn():
    text = "What does {{ x }} do? {T}"
    assert only(text)["type"] == "text"  # Moodle reads "{ x" as the answer
    assert len(warnings(text)) == 2


# -- skipped ---------------------------------------------------------------------------


def test_essays_and_descriptions_are_skipped_never_dropped_silently():
    result = read(
        """\
        ::Intro::You can use your pencil and paper for these next questions.

        ::Bio::Write a short biography of Dag Hammarskjöld. {}

        Why? {####General feedback only}

        Sun? {T}
        """
    )
    assert [(s.line, s.kind, s.title) for s in result.skipped] == [
        (1, "description", "Intro"),
        (3, "essay", "Bio"),
        (5, "essay", "Why?"),
    ]
    assert [q["id"] for q in result.bank.questions] == ["sun"]
    assert str(result.skipped[1]) == "line 3: essay 'Bio' skipped: quizapp has no essay questions"


# -- errors ----------------------------------------------------------------------------


def test_unbalanced_braces_are_errors_at_their_line():
    assert errors("One {T}\n\nTwo\n{=a") == ["4: '{' without a '}': write \\{ for a literal brace"]
    assert errors("Three =a}") == ["1: '}' without a '{': write \\} for a literal brace"]
    assert errors("Four } and {T}") == [
        "1: '}' before the first '{': write \\} for a literal brace"
    ]


def test_every_error_of_the_file_is_reported_at_once_with_skipped_and_warnings():
    with pytest.raises(GiftError) as info:
        read("A {=a\n\nEssay {}\n\nB {#x}\n\nC {t}\n\nD }")
    assert [(i.line, i.message) for i in info.value.issues] == [
        (1, "'{' without a '}': write \\{ for a literal brace"),
        (5, "numerical answer 'x' is not a number (write 1.5, not 1,5, and no unit)"),
        (9, "'}' without a '{': write \\} for a literal brace"),
    ]
    assert [s.kind for s in info.value.skipped] == ["essay"]
    assert [w.line for w in info.value.warnings] == [7]
    assert str(info.value.issues[0]) == (
        "test.gift:1: test: '{' without a '}': write \\{ for a literal brace"
    )


def test_the_loaders_rules_apply_with_the_line_of_the_question():
    options = " ".join(f"~o{n}" for n in range(9))
    with pytest.raises(GiftError) as info:
        read(f"First {{T}}\n\n::Too many::Pick\n{{=right {options}}}")
    [issue] = info.value.issues
    assert (issue.line, issue.question_id) == (3, "too-many")
    assert issue.message == "'options' has too many items (at most 8)"


def test_too_many_questions_are_refused_at_the_line_of_the_first_one_too_many():
    # Descriptions and comments do not count: the 10,001st question is on line 5 + 2 × 10,000.
    text = "Intro\n\n// a comment\n\n" + "Sun? {T}\n\n" * 10_001
    assert errors(text) == ["20005: too many questions (10,001; a bank holds at most 10,000)"]


def test_a_file_with_no_questions_is_an_error():
    assert errors("// only a comment\n\n   \n") == ["1: the file holds no questions"]
    assert read("$CATEGORY: tom").bank.questions == []  # a category is something


def test_a_bad_bank_slug_is_reported_like_the_loaders():
    with pytest.raises(GiftError) as info:
        parse_gift(b"Sun? {T}", "x.gift", bank="Not A Slug", title="X")
    assert "must be a slug" in info.value.issues[0].message


# -- quizapp's own markers -------------------------------------------------------------


def test_markers_in_comments_refine_moodles_reading():
    date, order, number = questions(
        """\
        // [quizapp:date] [difficulty:3]
        When? {=1991-10-24 =24 October 1991}

        // [quizapp:order]
        Order these {=2 -> later =1 -> earlier}

        // [unit:km]
        How far? {#680}
        """
    )
    assert (date["type"], date["answer"], date["difficulty"]) == ("date", "1991-10-24", 3)
    assert (order["type"], order["items"]) == ("order", ["earlier", "later"])
    assert number["unit"] == "km"


def test_a_marker_that_does_not_fit_is_ignored_with_a_warning():
    text = "// [quizapp:order]\nPick {=a ~b}"
    assert only(text)["type"] == "choice"
    assert warnings(text) == ["2: [quizapp:order] ignored: this is not such a question"]
