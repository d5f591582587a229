"""Hypothesis strategies for hostile and odd input: text, YAML-ish documents, any JSON shape."""

from __future__ import annotations

from hypothesis import strategies as st

#: Strings YAML reads as something other than text, or that break a naive writer.
YAML_SPECIAL = [
    "yes",
    "No",
    "on",
    "off",
    "null",
    "~",
    "true",
    "False",
    "1e3",
    "0x1F",
    "010",
    "1:30",
    ".inf",
    "-.nan",
    "2021-01-01",
    "- item",
    "key: value",
    "#comment",
    "&anchor",
    "*alias",
    "!!python/name:os.system",
    "|",
    ">",
    "'",
    '"',
    "{",
    "}",
    "[",
    "]",
    "%",
    "@",
    "`",
    "?",
    "=1+1",
    " leading",
    "trailing ",
    "tab\there",
    "line\nbreak",
    "\u2028",
    "\ufeff",
    "Grybauskaitė",
    "Лукашэнка",
    "ｆｕｌｌ",
    "😀",
    "a" * 300,
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(YAML_SPECIAL),
)

#: Any JSON-like value: what a client could send as a response, or a file could hold.
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=6)
        | st.dictionaries(
            st.text(max_size=12) | st.sampled_from(YAML_SPECIAL), children, max_size=6
        )
    ),
    max_leaves=25,
)

#: Text built from the characters that matter to YAML and GIFT, plus anything at all.
SYNTAX = "{}[]=~#:>-|&*!%@`'\"\\\n\t ,.?$/0123456789TFtrue"
syntax_text = st.text(alphabet=st.sampled_from(list(SYNTAX)) | st.characters(), max_size=400)
