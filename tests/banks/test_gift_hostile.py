"""Hostile and broken GIFT files: a BankError with a line, never any other exception."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.banks.gift import GiftError, dump_gift, parse_gift
from quizapp.banks.yaml_reader import MAX_BANK_BYTES

QUESTION = "::Q1::Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}\n"


def issues(data: bytes) -> list[tuple[int | None, str]]:
    with pytest.raises(GiftError) as info:
        parse_gift(data, "hostile.gift", bank="hostile", title="Hostile")
    return [(issue.line, issue.message) for issue in info.value.issues]


def test_utf16_with_a_bom_is_refused_at_line_1():
    assert issues(QUESTION.encode("utf-16")) == [
        (1, "file must be UTF-8 (it is UTF-16 or UTF-32: save it as UTF-8)")
    ]


def test_utf16_without_a_bom_is_refused_for_its_nul_bytes():
    assert issues(QUESTION.encode("utf-16-le")) == [
        (1, "file contains a NUL byte: it must be UTF-8 text (is it UTF-16?)")
    ]


def test_latin1_is_refused_at_the_line_of_the_first_bad_byte():
    data = ("Sun? {T}\n\nCafé? {=crème}\n").encode("latin-1")
    assert issues(data) == [
        (3, "file must be UTF-8 (byte 0xE9 is not UTF-8: was it saved as Latin-1 or Windows-1252?)")
    ]


def test_a_nul_byte_or_a_control_character_is_refused_with_its_line():
    assert issues(b"Sun? {T}\n\nA\x00B {T}") == [
        (3, "file contains a NUL byte: it must be UTF-8 text (is it UTF-16?)")
    ]
    assert issues(b"Sun? {T}\nBell\x07 {T}") == [(2, "file contains the control character U+0007")]


def test_a_utf8_bom_is_dropped():
    result = parse_gift(b"\xef\xbb\xbf" + QUESTION.encode(), "bom.gift", bank="b", title="B")
    assert result.bank.questions[0]["id"] == "q1"


def test_windows_and_old_mac_line_ends_read_like_unix_ones():
    for end in ("\r\n", "\r"):
        data = f"One {{T}}{end}{end}Two {{{end}=a{end}~b{end}}}".encode()
        result = parse_gift(data, "ends.gift", bank="e", title="E")
        assert [q["type"] for q in result.bank.questions] == ["truefalse", "choice"]


def test_unbalanced_braces_in_many_questions_are_all_reported():
    data = b"One {=a\n\nTwo =b}\n\nThree {T}\n\nFour {{=c"
    assert [line for line, _ in issues(data)] == [1, 3, 7]


def test_a_megabyte_line_is_refused_with_its_line():
    data = QUESTION.encode() + b"\n" + b"x" * 1_000_000 + b" {T}\n"
    [(line, message)] = issues(data)
    assert line == 3
    assert message == "line is longer than 100,000 characters (1,000,004)"


def test_a_long_prompt_is_the_loaders_error_at_its_line():
    data = QUESTION.encode() + b"\n" + b"y" * 20_000 + b" {T}\n"
    [(line, message)] = issues(data)
    assert (line, message) == (3, "'prompt' is too long (at most 2,000 characters)")


def test_a_text_too_long_to_read_is_refused_before_its_html_is_removed():
    data = QUESTION.encode() + b"\n[html]" + b"<b>y</b>" * 10_000 + b" {T}\n"
    assert issues(data) == [(3, "a text of 80,001 characters (at most 50,000)")]


def test_a_flood_of_html_tags_is_refused_at_once():
    data = b"[html]" + b"<b>y</b>\n" * 120_000 + b" {T}\n"
    message = "too much HTML: 240,000 tags and entities (at most 200,000 in a file)"
    assert issues(data) == [(1, message)]
    assert issues(b"&amp;" * 200_001) == [(1, message.replace("240,000", "200,001"))]


@pytest.mark.parametrize(
    "html",
    [
        "<div>" * 9_000,  # every block start tag looks through all the open elements
        "".join(f"<b title={n}>x" for n in range(3_000)),  # each a formatting element
        "".join(f"<div><b title={n}></div>x" for n in range(1_800)),  # reopened by each x
        "<span>" * 4_500 + "<div>" * 4_500,
    ],
    ids=["blocks", "formatting", "reopened", "spans-then-blocks"],
)
def test_deeply_nested_html_is_refused_at_its_line_before_it_is_parsed(html):
    # An HTML parser's work per tag grows with the elements left open: 100,000 nested tags
    # in a 5 MB file would take minutes. No editor nests anywhere near 100 deep.
    data = QUESTION.encode() + b"\n" + f"[html]{html} {{T}}".encode()
    [(line, message)] = issues(data)
    assert line == 3
    assert message == "HTML nested more than 100 levels deep"


def test_html_nested_within_the_limit_reads_as_before():
    html = "<div>" * 60 + "<b>x</b>" * 99 + "</div>" * 60 + "<i>" * 50
    question = parse_gift(f"[html]{html}{{T}}".encode(), "n.gift", bank="n", title="N")
    assert question.bank.questions[0]["prompt"] == "x" * 99


def test_a_file_over_the_size_limit_is_refused_before_reading():
    assert issues(b"x" * (MAX_BANK_BYTES + 1)) == [(None, "file is larger than the 5 MiB limit")]


def test_many_braces_and_tags_stay_fast_and_fail_cleanly():
    # Quadratic work on any of these would take minutes; each is read in well under that.
    for data in (
        b"{" * 1_000_000,
        b"[html]" + b"<b>" * 200_000 + b"{T}",
        b"a #" * 300_000 + b"{T}",
    ):
        with contextlib.suppress(GiftError):
            parse_gift(data, "big.gift", bank="big", title="Big")


def test_the_placeholder_characters_used_for_escapes_are_refused():
    assert issues("Sneaky \ufdd2 {T}".encode()) == [
        (1, "file contains the control character U+FDD2")
    ]


GIFTISH = st.text(
    alphabet=st.sampled_from(list("{}~=#:\\%->[]/.T F0123456789abc \n\t\r*$<>&;"))
    | st.characters(),
    max_size=300,
)


@given(GIFTISH)
def test_any_text_gives_a_bank_or_a_gift_error_never_another_exception(text):
    try:
        result = parse_gift(
            text.encode("utf-8", "surrogatepass"), "fuzz.gift", bank="fuzz", title="Fuzz"
        )
    except GiftError as exc:
        assert exc.issues
        assert all(issue.line is None or issue.line >= 1 for issue in exc.issues)
        assert not any("fault in quizapp" in issue.message for issue in exc.issues)
        return
    # What imports exports and imports again.
    dump_gift(result.bank)


@given(st.binary(max_size=300))
def test_any_bytes_give_a_bank_or_a_gift_error_never_another_exception(data):
    try:
        parse_gift(data, "fuzz.gift", bank="fuzz", title="Fuzz")
    except GiftError as exc:
        assert exc.issues
        assert not any("fault in quizapp" in issue.message for issue in exc.issues)


def test_a_fault_in_the_importer_is_a_gift_error_and_is_logged(monkeypatch, caplog):
    def broken(text):
        raise RuntimeError("a bug")

    monkeypatch.setattr("quizapp.banks.gift.read_gift", broken)
    assert issues(b"Sun? {T}") == [
        (None, "the file could not be read: this is a fault in quizapp, please report it")
    ]
    assert "GIFT import of 'hostile.gift' failed" in caplog.text


def test_old_mac_line_ends_count_as_lines_in_messages():
    assert issues(b"One {T}\r\rTwo\x07 {T}") == [(3, "file contains the control character U+0007")]
