"""Where in the source each bundled question draws from: sentences, paragraphs, sections.

The editorial rules of the bundled banks (one fact one question, at most a few
questions per sentence, questions spread as the text is) are measured with this.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from quizapp.banks.loader import collapse_space

# A sentence ends at . ! or ? before a space and a capital, digit or quote; not after
# "Mr." and the like, and a table row or list item is a sentence of its own.
_SENTENCE_END = re.compile(r"(?<!\bMr\.)(?<!\bDr\.)(?<=[.!?])\s+(?=[A-Z0-9\"“(])")
#: The part of the article that is no text to ask about, and the name of its first part.
SEE_ALSO = "See also"
LEAD = "Lead"


@dataclass(frozen=True)
class Span:
    section: str
    paragraph: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class SourceMap:
    """The source cut into sentences (spans of its collapsed text), each in its paragraph
    and section."""

    text: str
    sentences: list[Span]
    paragraph_words: dict[int, int]
    paragraph_section: dict[int, str]

    def sentences_of(self, quote: str) -> list[Span]:
        """Return the sentences a quote overlaps (empty when it is not in the text)."""
        start = self.text.find(collapse_space(quote))
        if start < 0:
            return []
        end = start + len(collapse_space(quote))
        return [s for s in self.sentences if s.start < end and start < s.end]

    def section_words(self) -> Counter[str]:
        words: Counter[str] = Counter()
        for paragraph, count in self.paragraph_words.items():
            words[self.paragraph_section[paragraph]] += count
        return words


def read_source(raw: str) -> SourceMap:
    """Cut the article into sections (by its == headings ==), paragraphs and sentences."""
    section, paragraph = LEAD, -1
    blocks: list[tuple[str, int, str]] = []
    previous_blank = True
    for line in raw.splitlines():
        stripped = line.strip()
        if stripped.startswith("=="):
            section = stripped.strip("= ").strip() or section
            previous_blank = True
            continue
        if stripped.startswith("="):  # the title
            previous_blank = True
            continue
        if not stripped:
            previous_blank = True
            continue
        if section == SEE_ALSO:
            continue
        if previous_blank:
            paragraph += 1
        previous_blank = False
        blocks.append((section, paragraph, stripped))
    sentences: list[Span] = []
    words: Counter[int] = Counter()
    sections: dict[int, str] = {}
    offset = 0
    collapsed = collapse_space(raw)
    for section, paragraph, line in blocks:
        sections[paragraph] = section
        words[paragraph] += len(line.split())
        for piece in _SENTENCE_END.split(collapse_space(line)):
            start = collapsed.find(piece, offset)
            if start < 0:
                continue
            sentences.append(Span(section, paragraph, start, start + len(piece), piece))
            offset = start + len(piece)
    return SourceMap(collapsed, sentences, dict(words), sections)
