"""Moodle's reading of a GIFT question mapped onto a quizapp question, line by line.

Each reading (gift_parse) becomes a question dict as a bank file would hold it, with the
file line of each of its values for messages; what quizapp cannot grade is skipped,
what Moodle reads unlike the teacher likely meant is warned about.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from quizapp.banks.gift_parse import Answer, Note, Reading, is_moodle_weight
from quizapp.banks.yaml_reader import shorten
from quizapp.question_types import TYPES, QuestionType

#: Longest id made from a question's title or text; an [id:...] may be up to 80.
_ID_LENGTH = 60
_MAX_TAGS = 20
_KIND_NAMES = {"essay": "essay", "description": "description", "unusable": "question"}


@dataclass(frozen=True)
class Skipped:
    """A question of the file that is not imported: its line, kind and name."""

    line: int
    kind: str  # "essay", "description", or "unusable": a question quizapp cannot grade
    title: str
    reason: str = ""

    @property
    def message(self) -> str:
        what = _KIND_NAMES.get(self.kind, self.kind)
        why = self.reason or {
            "essay": "quizapp has no essay questions",
            "description": "a description is text without a question",
        }.get(self.kind, "quizapp cannot grade it")
        return f"{what} '{shorten(self.title, 60)}' skipped: {why}"

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def slugify(text: str, limit: int = 80) -> str:
    """Return `text` as a slug: 'Jesus' hometown' → 'jesus-hometown', cut on a hyphen."""
    bare = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in bare if not unicodedata.combining(c)).casefold()
    slug = "-".join(re.findall(r"[a-z0-9]+", bare))
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug


def _percent(weight: float) -> str:
    return f"{weight * 100:.7g}%"


Places = dict[tuple, int]


class Mapper:
    """Map Moodle's readings onto quizapp question dicts, noting each value's line."""

    def __init__(self, warnings: list[Note]) -> None:
        self.warnings = warnings
        self.errors: list[Note] = []
        self.skipped: list[Skipped] = []
        self.questions: list[tuple[dict[str, Any], Places]] = []
        self._names: list[tuple[str | None, str, int]] = []  # [id:...], name, line

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(Note(line, message))

    def skip(self, reading: Reading, kind: str, why: str = "") -> None:
        self.skipped.append(Skipped(reading.line, kind, reading.name, why))

    def add(self, reading: Reading) -> None:
        if reading.kind in ("essay", "description"):
            self.skip(reading, reading.kind)
            return
        places: Places = {(): reading.line, ("prompt",): reading.text_line}
        question: dict[str, Any] | None = getattr(self, f"_{reading.kind}")(reading, places)
        if question is None:
            return
        if (claimant := self._claimant(reading)) is not None:
            whole = {**question, "prompt": reading.text}
            taken = claimant.from_gift(whole, places, lambda said: self.warn(reading.line, said))
            question = question if taken is None else taken
        question = {"id": "", "type": question.pop("type"), "prompt": reading.text, **question}
        if reading.general_feedback:
            question["explanation"] = reading.general_feedback
            places[("explanation",)] = reading.feedback_line
        if reading.quotes:
            question["quote"] = reading.quotes[0] if len(reading.quotes) == 1 else reading.quotes
            places[("quote",)] = reading.feedback_line
        tags = self._tags(reading)
        if tags:
            question["tags"] = tags
        difficulty = reading.markers.get("difficulty")
        if difficulty is not None:
            if difficulty in ("1", "2", "3"):
                question["difficulty"] = int(difficulty)
            else:
                self.warn(reading.line, f"[difficulty:{difficulty}] ignored: it must be 1, 2 or 3")
        self.questions.append((question, places))
        self._names.append((reading.idnumber, reading.name, reading.line))

    def assign_ids(self) -> None:
        """Give every question a unique slug id: its [id:...], else its name."""
        used: set[str] = set()
        ids: list[str | None] = []
        for idnumber, _, line in self._names:
            slug = slugify(idnumber) if idnumber else ""
            if slug and slug in used:
                self.warn(line, f"id '{idnumber}' is used twice: this question gets another")
                slug = ""
            if slug:
                used.add(slug)
            ids.append(slug or None)
        # The last number tried for each base: ids are only ever added to `used`, so the
        # next question of the same name goes on from there (10,000 questions named
        # alike must not try 1, 2, 3... each).
        tried: dict[str, int] = {}
        for index, (_, name, _) in enumerate(self._names):
            slug = ids[index]
            if slug is None:
                base = slugify(name, _ID_LENGTH) or "question"
                slug, n = base, tried.get(base, 1)
                if n > 1:
                    slug = f"{base}-{n}"
                while slug in used:
                    n += 1
                    slug = f"{base}-{n}"
                tried[base] = n
                used.add(slug)
            self.questions[index][0]["id"] = slug

    def _tags(self, reading: Reading) -> list[str]:
        names = list(reading.tags)
        if reading.category:
            # Moodle's category paths use / between parts and // for a slash in a name.
            parts = [p.strip() for p in reading.category.replace("//", "\x00").split("/")]
            last = next((p for p in reversed(parts) if p.strip("\x00 ")), "")
            names.append(last.replace("\x00", "/"))
        tags = list(dict.fromkeys(slug for name in names if (slug := slugify(name))))
        if len(tags) > _MAX_TAGS:
            self.warn(reading.line, f"only the first {_MAX_TAGS} tags are kept")
        return tags[:_MAX_TAGS]

    def _marker(self, reading: Reading, wanted: tuple[str, ...]) -> str | None:
        """Return quizapp's [quizapp:...] refinement when it fits Moodle's reading: one of
        `wanted`, or a quizapp type that GIFT writes as this reading's kind. A question a
        quizapp type claims whole (a cloze) has its part's refinement in [gap:...]."""
        claimed = self._claimant(reading) is not None
        marker = reading.markers.get("gap" if claimed else "quizapp")
        if marker is None:
            return None
        carried = {name for name, kind in TYPES.items() if kind.gift_carrier == reading.kind}
        if marker in wanted or marker in carried:
            return marker
        name = "gap" if claimed else "quizapp"
        self.warn(reading.line, f"[{name}:{marker}] ignored: this is not such a question")
        return None

    def _claimant(self, reading: Reading) -> type[QuestionType] | None:
        """Return the quizapp type its [quizapp:<type>] marker names when that type takes
        the question whole by its form (see QuestionType.claims_gift), else None."""
        name = reading.markers.get("quizapp")
        kind = TYPES.get(name) if name else None
        return kind if kind is not None and kind.claims_gift(reading) else None

    def _taken_over(
        self, reading: Reading, marker: str | None, question: dict[str, Any], places: Places
    ) -> dict[str, Any] | None:
        """Let the quizapp type a [quizapp:<type>] marker names, one GIFT has no type for,
        take over the question read as its carrier (a short answer, a matching...)."""
        kind = TYPES.get(marker) if marker else None
        if kind is None or kind.gift_carrier != reading.kind:
            return None
        return kind.from_gift(question, places, lambda message: self.warn(reading.line, message))

    def _unit(self, reading: Reading) -> None:
        if "unit" in reading.markers and reading.kind != "numerical":
            self.warn(reading.line, "[unit:...] ignored: only a numerical question has a unit")

    # -- answers with texts and weights ----------------------------------------------

    def _usable(self, reading: Reading) -> list[Answer]:
        """Answers with text, each text once; empty ones dropped as Moodle drops them."""
        kept: list[Answer] = []
        seen: set[str] = set()
        for answer in reading.answers:
            if answer.weight_text is not None and not is_moodle_weight(answer.weight):
                self.warn(
                    answer.line,
                    f"weight {_percent(answer.weight)} is not a grade Moodle offers "
                    "(Moodle refuses the file; use 100, 90, 80, 75, 70, 66.66667, 60, 50, "
                    "40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, 10, 5 or 0)",
                )
            if not answer.text:
                hint = " (a '#' starts feedback: write \\# for a #)" if answer.feedback else ""
                self.warn(answer.line, f"an empty answer is left out, as Moodle does{hint}")
                continue
            key = answer.text.casefold()
            if key in seen:
                self.warn(answer.line, f"answer '{shorten(answer.text)}' is listed twice: "
                          "the first is kept")  # fmt: skip
                continue
            seen.add(key)
            kept.append(answer)
        return kept

    def _multichoice(self, reading: Reading, places: Places) -> dict[str, Any] | None:
        self._unit(reading)
        self._marker(reading, ())
        options = self._usable(reading)
        if len(options) < 2:
            self.skip(reading, "unusable", "it needs at least 2 answers with text")
            return None
        for index, option in enumerate(options):
            places[("options", index)] = option.line
            places[("feedback", option.text)] = option.line
        question: dict[str, Any] = {"type": "", "options": [o.text for o in options]}
        feedback = {o.text: o.feedback for o in options if o.feedback}
        if reading.single:
            # The first answer marked = is the answer; a ~%100% one is another right one.
            full = [o for o in options if o.weight >= 1.0]
            right = next((o for o in full if o.weight_text is None), full[0] if full else None)
            if right is None:
                best = max(o.weight for o in options)
                self.skip(reading, "unusable", f"no answer is fully right (the best scores "
                          f"{_percent(best)}): mark one with =")  # fmt: skip
                return None
            if any(o.weight < 0 for o in options):
                self.warn(reading.line, "negative weights score 0 here (quizapp never takes "
                          "marks away on a single-answer question)")  # fmt: skip
            credit = {
                o.text: min(o.weight, 1.0) for o in options if o is not right and o.weight > 0
            }
            for option in credit:
                places[("credit", option)] = next(o.line for o in options if o.text == option)
            places[("answer",)] = right.line
            question.update(type="choice", answer=right.text)
            if credit:
                question["credit"] = credit
        else:
            positive = [o for o in options if o.weight > 0]
            if not positive:
                self.skip(reading, "unusable", "no answer earns marks: mark the right ones "
                          "with = or a weight such as ~%50%")  # fmt: skip
                return None
            total = sum(o.weight for o in positive)
            if abs(total - 1.0) > 0.005:
                self.warn(reading.line, f"the weights of the right answers add up to "
                          f"{_percent(total)}, not 100%")  # fmt: skip
            question.update(type="multi", answers=[o.text for o in positive])
            share = 1 / len(positive)
            # (right − wrong) ÷ number of right answers is a weight of ±1/n on every option.
            plain = all(abs(o.weight - (share if o.weight > 0 else -share)) < 1e-6 for o in options)
            if not plain:
                question["weights"] = {
                    o.text: max(-1.0, min(1.0, o.weight)) for o in options if o.weight != 0
                }
        if feedback:
            question["feedback"] = feedback
        return question

    def _shortanswer(self, reading: Reading, places: Places) -> dict[str, Any] | None:
        self._unit(reading)
        marker = self._marker(reading, ("text", "text-exact"))
        forms = self._usable(reading)
        full = [form for form in forms if form.weight >= 1.0]
        if not full:
            why = "it has no answer with text" if not forms else "no answer is fully right"
            self.skip(reading, "unusable", why)
            return None
        places[("answer",)] = full[0].line
        question: dict[str, Any] = {"type": "text", "answer": full[0].text}
        if (taken := self._taken_over(reading, marker, question, places)) is not None:
            return taken
        for index, form in enumerate(full[1:]):
            places[("accept", index)] = form.line
        if len(full) > 1:
            question["accept"] = [form.text for form in full[1:]]
        if marker == "text-exact":
            question["exact"] = True
        if marker is None:
            question["compare"] = "moodle"
            self._check_wildcards(forms)
        partial = [form for form in forms if form.weight < 1.0]
        if any(form.weight < 0 for form in partial):
            self.warn(reading.line, "negative weights score 0 here")
        if partial:
            question["credit"] = {form.text: max(0.0, form.weight) for form in partial}
        feedback = {form.text: form.feedback for form in forms if form.feedback}
        if feedback:
            question["feedback"] = feedback
        for form in forms:
            places[("credit", form.text)] = places[("feedback", form.text)] = form.line
        return question

    def _check_wildcards(self, forms: list[Answer]) -> None:
        for index, form in enumerate(forms):
            if re.search(r"(?<!\\)\*", form.text) and any(
                later.weight > form.weight for later in forms[index + 1 :]
            ):
                self.warn(
                    form.line,
                    f"'{shorten(form.text)}' comes before a better answer: Moodle checks answers "
                    "in order and gives the first that matches, quizapp the best (put * last)",
                )

    def _truefalse(self, reading: Reading, places: Places) -> dict[str, Any] | None:
        self._unit(reading)
        self._marker(reading, ())
        question: dict[str, Any] = {"type": "truefalse", "answer": reading.truth}
        feedback = {"right": reading.right_feedback, "wrong": reading.wrong_feedback}
        feedback = {key: text for key, text in feedback.items() if text}
        if feedback:
            question["feedback"] = feedback
        return question

    def _match(self, reading: Reading, places: Places) -> dict[str, Any] | None:
        self._unit(reading)
        marker = self._marker(reading, ())
        pairs: dict[str, str] = {}
        distractors: list[str] = []
        seen: dict[str, int] = {}
        broken = False
        for pair in reading.pairs:
            if not pair.left:
                if pair.right:
                    distractors.append(pair.right)
                    places[("distractors", len(distractors) - 1)] = pair.line
                else:
                    self.warn(pair.line, "an empty pair is left out, as Moodle does")
                continue
            key = pair.left.casefold()
            if key in seen:
                self.errors.append(Note(pair.line, f"left item '{shorten(pair.left)}' appears "
                                        f"twice (first at line {seen[key]})"))  # fmt: skip
                broken = True
                continue
            seen[key] = pair.line
            pairs[pair.left] = pair.right
            places[("pairs", pair.left)] = pair.line
        if broken:
            return None
        question: dict[str, Any] = {"type": "match", "pairs": pairs}
        if distractors:
            question["distractors"] = distractors
        taken = self._taken_over(reading, marker, question, places)
        return question if taken is None else taken

    def _numerical(self, reading: Reading, places: Places) -> dict[str, Any] | None:
        self._marker(reading, ())
        otherwise = reading.otherwise
        ranges = []
        for number in reading.numbers:
            if number.weight_text is not None and not is_moodle_weight(number.weight):
                self.warn(number.line, f"weight {_percent(number.weight)} is not a grade "
                          "Moodle offers (Moodle refuses the file)")  # fmt: skip
            if number.value is not None:
                ranges.append(number)
            elif number.weight > 0:
                self.warn(number.line, "a * answer with marks: quizapp gives marks only to "
                          "numbers within a range")  # fmt: skip
            elif number.feedback and otherwise is None:
                otherwise = number.feedback
        main = next((n for n in ranges if n.weight >= 1.0), None)
        if main is None:
            self.skip(reading, "unusable", "no answer is fully right")
            return None
        assert main.value is not None
        places[("answer",)] = places[("tolerance",)] = main.line
        question: dict[str, Any] = {"type": "number", "answer": main.value}
        if main.tolerance:
            question["tolerance"] = main.tolerance
        if unit := reading.markers.get("unit"):
            question["unit"] = unit
        others = [n for n in ranges if n is not main]
        if any(n.weight < 0 for n in others):
            self.warn(reading.line, "negative weights score 0 here")
        feedback = {"right": main.feedback, "wrong": otherwise}
        feedback = {key: text for key, text in feedback.items() if text}
        if not _is_near_miss_rule(main.value, main.tolerance, others):
            question["ranges"] = []
            for index, number in enumerate(others):
                item: dict[str, Any] = {
                    "answer": number.value,
                    "tolerance": number.tolerance,
                    "fraction": max(0.0, min(1.0, number.weight)),
                }
                if number.feedback:
                    item["feedback"] = number.feedback
                question["ranges"].append(item)
                places[("ranges", index)] = number.line
        if feedback:
            question["feedback"] = feedback
        return question


def _is_near_miss_rule(value: float, tolerance: float, others: list) -> bool:
    """Tell whether Moodle's answers say what quizapp's default number rule says: full marks
    within the tolerance, half within 10 % of the answer (as dump_gift writes it)."""
    near = 0.1 * abs(value)
    if not others:
        return tolerance >= near  # no room left for a near miss
    if len(others) != 1:
        return False
    other = others[0]
    return (
        other.weight == 0.5
        and other.value == value
        and other.feedback is None
        and abs(other.tolerance - near) <= 1e-9 * max(1.0, abs(value))
        and tolerance < other.tolerance
    )
