"""Reading a learner's answer from a submitted form, per question type.

Each reader turns form fields into the response shape that `grade` expects, or
returns an error to show beside the re-rendered question. Only what the page
offered is read: an index outside the shown items is ignored, never trusted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.datastructures import MultiDict

MAX_TYPED = 500
Reader = Callable[[dict[str, Any], MultiDict], tuple[Any, str | None]]
OFFERED_ONLY = "Choose among the options shown."


def _index(raw: str) -> int | None:
    """Read a small whole number a page sent (ASCII digits only: no "²", no "٣")."""
    if raw.isascii() and raw.isdecimal() and len(raw) <= 3:
        return int(raw)
    return None


class Unanswered(Exception):
    """The learner left the question blank."""


def _typed(_view: dict, form: MultiDict) -> tuple[Any, str | None]:
    text = form.get("answer", "").strip()
    if not text:
        raise Unanswered
    if len(text) > MAX_TYPED:
        return text, f"Keep your answer under {MAX_TYPED} characters."
    return text, None


def _one_option(view: dict, form: MultiDict) -> tuple[Any, str | None]:
    value = form.get("answer")
    if not value:
        raise Unanswered
    if value not in view.get("options", []):
        return None, OFFERED_ONLY
    return value, None


def _truefalse(_view: dict, form: MultiDict) -> tuple[Any, str | None]:
    value = form.get("answer")
    if value not in ("true", "false"):
        raise Unanswered
    return value == "true", None


def _many_options(view: dict, form: MultiDict) -> tuple[Any, str | None]:
    values = form.getlist("answer")
    if not values:
        raise Unanswered
    offered = view.get("options", [])
    if len(values) > len(offered) or not set(values) <= set(offered):
        return None, OFFERED_ONLY
    return list(dict.fromkeys(values)), None


def _order(view: dict, form: MultiDict) -> tuple[Any, str | None]:
    items = view.get("items", [])
    positions = [form.get(f"position-{i}", "") for i in range(len(items))]
    if not any(positions):
        raise Unanswered
    numbers = [_index(p) for p in positions]
    if None in numbers:
        return None, "Give every item a position."
    if sorted(numbers) != list(range(1, len(items) + 1)):
        return None, f"Use each position from 1 to {len(items)} exactly once."
    return [item for _, item in sorted(zip(numbers, items, strict=True))], None


def _match(view: dict, form: MultiDict) -> tuple[Any, str | None]:
    lefts, rights = view.get("lefts", []), view.get("rights", [])
    chosen: dict[str, str] = {}
    for i, left in enumerate(lefts):
        index = _index(form.get(f"match-{i}", ""))
        if index is not None and index < len(rights):
            chosen[left] = rights[index]
    if not chosen:
        raise Unanswered
    if len(chosen) < len(lefts):
        return chosen, "Choose a match for every item."
    return chosen, None


READERS: dict[str, Reader] = {
    "choice": _one_option,
    "multi": _many_options,
    "truefalse": _truefalse,
    "text": _typed,
    "number": _typed,
    "date": _typed,
    "order": _order,
    "match": _match,
}


def read_response(type_name: str, view: dict[str, Any], form: MultiDict):
    """Return (response, error) for a submitted answer; raise Unanswered if blank."""
    return READERS[type_name](view, form)
