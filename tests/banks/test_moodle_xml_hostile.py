"""Hostile and broken Moodle XML files: a BankError with a line, never any other exception,
(shared/design/threats.md, "Uploads and files" and "Parsers"); that each is read in time
linear in its size is tests/banks/test_linear_time.py's part."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.banks import moodle_xml
from quizapp.banks.gift import GiftError
from quizapp.banks.moodle_xml import MAX_ELEMENTS, parse_moodle_xml
from quizapp.banks.yaml_reader import MAX_BANK_BYTES, MAX_DEPTH

QUESTION = (
    '<question type="truefalse"><name><text>Q</text></name><questiontext><text>Vilnius is a '
    'capital.</text></questiontext><answer fraction="100"><text>true</text></answer></question>'
)


def issues(data: bytes | str) -> list[tuple[int | None, str]]:
    if isinstance(data, str):
        data = data.encode()
    with pytest.raises(GiftError) as info:
        parse_moodle_xml(data, "hostile.xml", bank="hostile", title="Hostile")
    return [(issue.line, issue.message) for issue in info.value.issues]


# -- entities and DTDs --------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE quiz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<quiz><question type="truefalse"><name><text>&lol9;</text></name></question></quiz>
"""

ENTITIES = (
    "the file declares entities (<!DOCTYPE ... <!ENTITY ...>): they are not allowed in a "
    "Moodle XML file (they can expand without end or read other files)"
)


def test_a_billion_laughs_is_refused_at_its_doctype():
    assert issues(BILLION_LAUGHS) == [(2, ENTITIES)]


def test_an_external_entity_is_refused_and_never_read():
    data = (
        '<?xml version="1.0"?>\n<!DOCTYPE quiz [\n<!ENTITY secret SYSTEM "file:///etc/passwd">\n'
        ']>\n<quiz><question type="truefalse"><name><text>&secret;</text></name></question></quiz>'
    )
    assert issues(data) == [(2, ENTITIES)]


def test_a_parameter_entity_is_refused():
    data = (
        '<?xml version="1.0"?>\n<!DOCTYPE quiz [\n<!ENTITY % remote SYSTEM '
        '"http://example.org/evil.dtd">\n%remote;\n]>\n<quiz/>'
    )
    assert issues(data) == [(2, ENTITIES)]


def test_an_external_dtd_is_refused_and_never_fetched():
    data = '<?xml version="1.0"?>\n<!DOCTYPE quiz SYSTEM "http://example.org/quiz.dtd">\n<quiz/>'
    assert issues(data) == [
        (
            2,
            "the file names an external DTD ('http://example.org/quiz.dtd'): Moodle XML has no "
            "DTD, and quizapp reads none",
        )
    ]
    public = '<!DOCTYPE quiz PUBLIC "-//Evil//DTD" "http://example.org/q.dtd"><quiz/>'
    assert issues(public)[0][1].startswith("the file names an external DTD")


def test_any_doctype_is_refused():
    assert issues('<?xml version="1.0"?>\n\n<!DOCTYPE quiz>\n<quiz/>') == [
        (3, "the file has a <!DOCTYPE> declaration: Moodle XML has no DTD, and quizapp reads none")
    ]


def test_an_html_entity_outside_cdata_is_an_undefined_entity_with_advice():
    data = "<quiz>\n" + QUESTION.replace("a capital", "a&nbsp;capital") + "\n</quiz>"
    assert issues(data) == [
        (
            2,
            "an undefined entity: XML knows only &amp; &lt; &gt; &quot; &apos; (write HTML such "
            "as &nbsp; inside <![CDATA[ ... ]]>)",
        )
    ]


# -- sizes and shapes -------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_reading():
    assert issues(b"<quiz>" + b" " * MAX_BANK_BYTES + b"</quiz>") == [
        (None, "file is larger than the 5 MiB limit")
    ]


def test_elements_nested_too_deep_are_refused_at_the_line_of_the_deepest():
    deep = "<quiz>\n" + "<a>\n" * 40 + "</a>" * 40 + "</quiz>"
    assert issues(deep) == [(MAX_DEPTH + 1, "elements are nested deeper than 20 levels")]
    allowed = "<quiz>" + "<a>" * (MAX_DEPTH - 1) + "</a>" * (MAX_DEPTH - 1) + QUESTION + "</quiz>"
    parse_moodle_xml(allowed.encode(), "ok.xml", bank="ok", title="Ok")


def test_too_many_elements_are_refused_where_the_limit_is_passed():
    data = "<quiz>\n" + "<a/>" * (MAX_ELEMENTS + 10) + "\n</quiz>"
    assert issues(data) == [
        (2, "more than 250,000 XML elements: split the questions into smaller files")
    ]


def test_too_many_questions_are_refused_at_the_first_one_too_many():
    data = "<quiz>\n" + (QUESTION + "\n") * 10_001 + "</quiz>"
    assert issues(data) == [(10_002, "too many questions (10,001; a bank holds at most 10,000)")]


def test_too_much_html_is_refused():
    text = "<![CDATA[" + "<b>x</b>" * 6_000 + "]]>"
    question = QUESTION.replace("Vilnius is a capital.", text)
    data = "<quiz>\n" + (question + "\n") * 20 + "</quiz>"
    # 12,000 tags a question: the 17th passes 200,000.
    assert issues(data) == [(18, "too much HTML: more than 200,000 tags and entities in the file")]


def test_html_nested_too_deep_skips_its_question():
    question = QUESTION.replace("Vilnius is a capital.", "<![CDATA[" + "<div>" * 9_000 + "]]>")
    result = parse_moodle_xml(f"<quiz>{question}</quiz>".encode(), "d.xml", bank="d", title="D")
    assert [item.reason for item in result.skipped] == ["HTML nested more than 100 levels deep"]


# -- not Moodle XML ---------------------------------------------------------------------


NOT_XML = (
    "the file is not XML: a Moodle XML file starts with <?xml ...?> and <quiz> (is it a GIFT file?)"
)


@pytest.mark.parametrize(
    "data",
    ["::Q1:: Who is buried in Grant's tomb? {=Grant}", "", "   \n\t", "bank: x\ntitle: y\n"],
    ids=["gift", "empty", "blank", "yaml"],
)
def test_a_file_that_is_not_xml_is_refused_at_line_1(data):
    assert issues(data) == [(1, NOT_XML)]


def test_a_file_without_a_quiz_root_is_refused():
    assert issues('<?xml version="1.0"?>\n' + QUESTION) == [
        (
            2,
            "the file holds <question>, not <quiz>: Moodle reads questions only from a file whose "
            "root element is <quiz>",
        )
    ]
    assert issues("<?xml version='1.0'?>\n<!-- nothing -->\n") == [
        (3, "the file holds no XML element (a Moodle XML file holds <quiz>)")
    ]


def test_a_quiz_without_questions_is_refused():
    assert issues("<quiz>\n</quiz>") == [
        (1, "the file holds no questions (no <question> in <quiz>)")
    ]


def test_broken_xml_is_refused_with_its_line():
    assert issues("<quiz>\n" + QUESTION + "\n<question>\n</quiz>") == [
        (4, "the file is not well-formed XML: mismatched tag (column 3)")
    ]
    assert issues("<quiz>\n" + QUESTION + "\n</quiz>\n<quiz/>") == [
        (4, "the file is not well-formed XML: junk after document element (column 1)")
    ]
    assert issues("<quiz>\n<question>\n") == [
        (3, "the file ends inside <question> (line 2): it is never closed (is the file cut short?)")
    ]
    assert issues('<quiz>\n<question type="a" type="b"/></quiz>') == [
        (2, "the file is not well-formed XML: duplicate attribute (column 20)")
    ]


# -- encodings ----------------------------------------------------------------------------


def test_invalid_utf8_is_refused_at_the_line_of_the_first_bad_byte():
    data = ("<quiz>\n" + QUESTION + "\n").encode() + "<!-- Café -->\n</quiz>".encode("latin-1")
    assert issues(data) == [
        (3, "file must be UTF-8 (byte 0xE9 is not UTF-8: was it saved as Latin-1 or Windows-1252?)")
    ]


def test_utf16_is_refused():
    data = ('<?xml version="1.0" encoding="UTF-16"?><quiz>' + QUESTION + "</quiz>").encode("utf-16")
    assert issues(data) == [(1, "file must be UTF-8 (it is UTF-16 or UTF-32: save it as UTF-8)")]


def test_nul_bytes_and_control_characters_are_refused_with_their_line():
    assert issues(b"<quiz>\n\x00</quiz>") == [
        (2, "file contains a NUL byte: it must be UTF-8 text (is it UTF-16?)")
    ]
    assert issues(b"<quiz>\n\n<a>\x07</a></quiz>") == [
        (3, "file contains the control character U+0007")
    ]


def test_a_utf8_bom_is_dropped_and_a_declared_encoding_does_not_matter():
    text = f'<?xml version="1.0" encoding="ISO-8859-1"?><quiz>{QUESTION}</quiz>'
    result = parse_moodle_xml(b"\xef\xbb\xbf" + text.encode(), "b.xml", bank="b", title="B")
    assert result.bank.questions[0]["prompt"] == "Vilnius is a capital."


# -- anything else ------------------------------------------------------------------------


def test_a_fault_of_quizapp_is_a_bank_error_not_a_server_error(monkeypatch):
    def broken(self, root):
        raise RuntimeError("a bug")

    monkeypatch.setattr(moodle_xml._FileReader, "read", broken)
    assert issues("<quiz>" + QUESTION + "</quiz>") == [
        (None, "the file could not be read: this is a fault in quizapp, please report it")
    ]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_a_bank_or_a_bank_error(data):
    with contextlib.suppress(GiftError):
        parse_moodle_xml(data, "fuzz.xml", bank="fuzz", title="Fuzz")


_PIECES = st.sampled_from(
    [
        "<quiz>",
        "</quiz>",
        "<question>",
        '<question type="truefalse">',
        '<question type="category">',
        '<question type="numerical">',
        '<question type="matching">',
        '<question type="ordering">',
        '<question type="multichoice">',
        '<question type="cloze">',
        "</question>",
        "<name>",
        "</name>",
        "<text>",
        "</text>",
        "<questiontext>",
        "</questiontext>",
        '<answer fraction="100">',
        '<answer fraction="-33.33333">',
        "</answer>",
        "<subquestion>",
        "</subquestion>",
        "<single>",
        "</single>",
        "<![CDATA[<b>x</b> {1:SA:=a~%50%b#c}]]>",
        "true",
        "false",
        "*",
        "1,5",
        "x",
        "<category>",
        "</category>",
        "<units><unit><unit_name>km</unit_name></unit></units>",
        "<tolerance>2</tolerance>",
        "&amp;",
        "&#233;",
        "<tags><tag><text>t</text></tag></tags>",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_any_mix_of_moodle_s_elements_gives_a_bank_or_a_bank_error(pieces):
    try:
        parse_moodle_xml("".join(pieces).encode(), "fuzz.xml", bank="fuzz", title="Fuzz")
    except GiftError as exc:
        assert all(issue.message for issue in exc.issues)
        assert not any("fault in quizapp" in issue.message for issue in exc.issues)
