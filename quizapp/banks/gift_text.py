"""The texts of a GIFT file in their four formats, made into quizapp's plain text.

Moodle reads a text as `moodle` (its default auto-format: HTML, a newline is a line
break), `html`, `plain` or `markdown`. quizapp's prompts and options are plain text
(Markdown emphasis allowed) and never hold raw HTML, so `html` and `moodle` texts are
sanitised with nh3 down to a few block tags and then written out as text; `plain` and
`markdown` texts are kept exactly as written (the pages escape them).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from html.parser import HTMLParser

import nh3

FORMATS = ("moodle", "html", "plain", "markdown")
#: Deepest nesting of HTML elements read. An HTML parser's work for each tag grows with
#: the elements left open (it looks through them), so deeper nesting makes a file of
#: tags cost the square of their number; editors nest a few levels, Word some twenty.
MAX_NESTING = 100


class TooComplex(ValueError):
    """A text whose HTML would cost too much to read; the message says why."""


# Tags that shape the text: a line break before and after their content.
def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


_BLOCKS = _names(
    "address article aside blockquote caption dd div dl dt figcaption figure footer h1 h2 h3 "
    "h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot th thead tr ul"
)
# What nh3 leaves for the text writer: blocks, line breaks and images (to report them).
_KEPT = _BLOCKS | {"br", "img"}

# The HTML a teacher writes by hand in Moodle's default format. Anything else that looks
# like a tag (<html>, <head>, <xs:sequence>) is meant as text in a quiz about HTML.
_FORMATTING = _names(
    "a abbr b big blockquote br center cite code dd del dfn div dl dt em font h1 h2 h3 h4 h5 "
    "h6 hr i img ins kbd li mark ol p pre q s samp small span strike strong sub sup table "
    "tbody td tfoot th thead tr tt u ul var"
)
_VOID = frozenset({"br", "hr", "img", "wbr"})
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:_-]*)(?=[\s/>])[^<>]*>")
_CLOSING = re.compile(r"</([A-Za-z][A-Za-z0-9:_-]*)\s*>")
_LONE_LT = re.compile(r"<(?![A-Za-z/!?])")
# A < meant as text, marked so that the sanitiser passes it through untouched (a Unicode
# noncharacter: GIFT files holding one are refused before this).
_TEXT_LT = "\ufdd7"
# HTML's white space: a browser shows a run of it as one space, and none at the ends of a
# line. A no-break space (&nbsp;) it shows as written: a run of them is kept, space for
# space (quizapp's export writes spaces that way). But Word and Moodle's editors write a
# second space as "&nbsp; ", a no-break space beside an ordinary one: such a run is one
# space, like any other run of white space.
_HTML_SPACE = " \t\r\n\f\v"
_SPACE_RUN = re.compile(f"[{_HTML_SPACE}\xa0]+")


def split_format(text: str, default: str) -> tuple[str, str]:
    """Return (format, text) for a text that may start with [html], [markdown] and so on.

    As Moodle reads it: only a known name right at the start counts; otherwise the text
    is unchanged and has the `default` format.
    """
    if text.startswith("["):
        end = text.find("]")
        if end > 0 and text[1:end] in FORMATS:
            return text[1:end], text[end + 1 :]
    return default, text


def to_plain(text: str, fmt: str, notes: list[str]) -> str:
    """Return `text`, written in GIFT format `fmt`, as quizapp's plain text.

    What a teacher should know (a tag kept as text, an image left out) is appended to
    `notes`.
    """
    if fmt in ("plain", "markdown"):
        return text  # quizapp's own format: kept exactly as written
    if "<" not in text and "&" not in text:
        # No markup at all: what the sanitiser would give, without running it.
        lines = text.split("\n") if fmt == "moodle" else [text]
        return tidy("\n".join(collapse_spaces(line).strip(" ") for line in lines))
    if fmt == "moodle":
        # Moodle's auto-format turns each newline into a line break.
        text = _literal_tags(text, notes).replace("\n", "<br>")
        return html_to_text(text, notes).replace(_TEXT_LT, "<")
    return html_to_text(text, notes)


def html_to_text(html: str, notes: list[str]) -> str:
    """Return the text a reader sees in `html`: tags gone, lines and list items kept.

    Raise TooComplex for HTML that may nest deeper than MAX_NESTING, before parsing it.
    """
    if too_deep(html):
        raise TooComplex(f"HTML nested more than {MAX_NESTING} levels deep")
    cleaned = nh3.clean(
        html,
        tags=set(_KEPT),
        attributes={"img": {"alt"}},
        clean_content_tags={"script", "style", "title"},
        strip_comments=True,
        link_rel=None,
    )
    writer = _TextWriter()
    writer.feed(cleaned)
    writer.close()
    if writer.images:
        notes.append("an image is not imported (quizapp questions hold text only)")
    return tidy("".join(writer.parts))


# What an HTML parser keeps open, by tag name: void elements never are; those whose end
# tag may be left out (p, li, td...) are closed by the next of their kind, so they do not
# pile up; formatting elements also stay on a list of their own after an enclosing
# element closes (and are opened again before the next text), up to three alike.
_VOID_TAGS = _names(
    "area base basefont bgsound br col embed frame hr img input keygen link meta param "
    "source track wbr"
)
_SELF_CLOSING = _names(
    "body caption colgroup dd dt head html li optgroup option p rb rp rt rtc tbody td tfoot "
    "th thead tr"
)
_FORMATTING_TAGS = _names("a b big code em font i nobr s small strike strong tt u")
_MARKUP_START = re.compile(r"<(?:(!--)|(/?)([A-Za-z][A-Za-z0-9]*))")


def too_deep(html: str, limit: int = MAX_NESTING) -> bool:
    """Tell whether the elements of `html` may nest deeper than `limit`: its open elements
    and the formatting ones an HTML parser would open again, in one pass over the tags.

    It errs on the deep side (a tag inside <script> counts), never on the shallow one: a
    parser's lists of open elements grow by no more than what is counted here.
    """
    stack: list[str] = []
    open_by_name: dict[str, int] = {}
    # Formatting elements by name: [attributes, how many alike (at most 3)], oldest first.
    formatting: dict[str, list[list]] = {}
    formatting_count = 0
    at = 0
    while (start := _MARKUP_START.search(html, at)) is not None:
        if start.group(1):  # a comment, to its end or to the end of the text
            end = html.find("-->", start.end())
            if end < 0:
                break
            at = end + 3
            continue
        close = html.find(">", start.end())
        if close < 0:
            break  # no tag can follow: each needs a > after it
        at = close + 1
        name = start.group(3).lower()
        if name in _VOID_TAGS or name in _SELF_CLOSING:
            continue
        if start.group(2):  # an end tag: closes its element and those opened after it
            if open_by_name.get(name):
                while (last := stack.pop()) != name:
                    open_by_name[last] -= 1
                open_by_name[name] -= 1
            if formatting.get(name):
                entry = formatting[name][-1]
                entry[1] -= 1
                formatting_count -= 1
                if not entry[1]:
                    formatting[name].pop()
            continue
        stack.append(name)
        open_by_name[name] = open_by_name.get(name, 0) + 1
        if name in _FORMATTING_TAGS:
            attributes = html[start.end() : close]
            entries = formatting.setdefault(name, [])
            alike = next((entry for entry in entries if entry[0] == attributes), None)
            if alike is None:
                entries.append([attributes, 1])
                formatting_count += 1
            elif alike[1] < 3:
                alike[1] += 1
                formatting_count += 1
        if len(stack) + formatting_count > limit:
            return True
    return False


def _literal_tags(text: str, notes: list[str]) -> str:
    """Escape what looks like a tag but is meant as text, in Moodle's default format.

    A tag counts as HTML when it is a formatting tag that is void or closed later in the
    text; `<head>`, `<xs:bold>` or a lone `<b>` in a question about HTML are text. Moodle
    would hide them (and a learner would see a blank option), so each is reported.
    """
    # A < that starts no tag, comment or declaration is text: marked in one pass.
    text = _LONE_LT.sub(_TEXT_LT, text)
    # Where each tag is last closed: one pass, so a file of many tags stays linear.
    last_close = {m.group(1).lower(): m.start() for m in _CLOSING.finditer(text)}
    comment_ends = [m.start() for m in re.finditer("-->", text)] or [-1]
    out: list[str] = []
    copied = kept_until = 0
    for lt in re.finditer("<", text):
        at = lt.start()
        if at < kept_until:
            continue
        if text.startswith("<!--", at):
            end = comment_ends[bisect_left(comment_ends, at)] if comment_ends[-1] >= at else -1
            if end >= 0:
                kept_until = end + 3
                continue
        tag = _TAG.match(text, at)
        if tag is not None:
            closing, name = tag.group(1), tag.group(2).lower()
            if name in _FORMATTING and (closing or name in _VOID or last_close.get(name, -1) > at):
                kept_until = tag.end()
                continue
        out.append(text[copied:at] + _TEXT_LT)
        copied = at + 1
        looks_like = tag.group() if tag else _bracketed(text, at)
        if looks_like:
            notes.append(
                f"'{_shown(looks_like)}' is kept as text: Moodle would read it as HTML and "
                f"not show it (write &lt;{_shown(looks_like[1:], 30)} to show it there)"
            )
    out.append(text[copied:])
    return "".join(out)


def _bracketed(text: str, at: int) -> str | None:
    """Return '<?xml version>' or '<!DOCTYPE html>' at `at`: markup HTML would swallow."""
    if not text.startswith(("<?", "<!", "</"), at):
        return None
    end = text.find(">", at, at + 200)
    return text[at : end + 1] if end >= 0 else None


def _shown(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _TextWriter(HTMLParser):
    """Write sanitised HTML as text: blocks on their own lines, list items as '- '."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.pre = 0
        self.images = 0

    def _newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "img":
            self.images += 1
        elif tag in _BLOCKS:
            self._newline()
            if tag == "li":
                self.parts.append("- ")
            elif tag == "pre":
                self.pre += 1

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
            self._newline()

    def handle_data(self, data: str) -> None:
        if self.pre:
            self.parts.append(data)
            return
        data = collapse_spaces(data)
        if not self.parts or self.parts[-1].endswith("\n"):
            data = data.lstrip(" ")
        if data:
            self.parts.append(data)


def collapse_spaces(text: str) -> str:
    """Make each run of white space one space, as a browser shows it; a run of no-break
    spaces alone is kept as it is (see _SPACE_RUN)."""
    return _SPACE_RUN.sub(_one_space, text)


def _one_space(run: re.Match) -> str:
    return run[0] if run[0].strip("\xa0") == "" else " "


def tidy(text: str) -> str:
    """Return `text` as a browser shows it: white space at the end of a line dropped, no-break
    spaces made plain (after that, so that they stay), leading and trailing blank lines
    dropped."""
    lines = [line.rstrip(_HTML_SPACE) for line in text.split("\n")]
    return "\n".join(lines).replace("\xa0", " ").strip()
