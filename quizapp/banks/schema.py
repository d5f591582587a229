"""The shape of a bank file, and pydantic's errors retold for the teacher who wrote it."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from quizapp.banks.issues import BankIssue
from quizapp.banks.yaml_reader import shorten
from quizapp.question_types import TYPES, QuestionUnion
from quizapp.question_types.base import QuestionSpec, Slug, Text

#: Most questions one bank may hold: a hostile file stops here, before validation.
MAX_QUESTIONS = 10_000


class BankSpec(BaseModel):
    """A bank file: its identity, its source and its questions, in file order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    bank: Slug
    # Bank.title holds 200 characters: refuse longer titles here, not in the database.
    title: Annotated[Text, Field(max_length=200)]
    description: Text | None = None
    source: Slug | None = None
    questions: list[QuestionUnion] = Field(max_length=MAX_QUESTIONS)


def validate_bank(data: Any) -> tuple[BankSpec | None, list[BankIssue]]:
    """Return the validated bank, or None and every problem found in `data`."""
    if data is None:
        return None, [BankIssue(path=(), message="the file is empty")]
    if not isinstance(data, dict):
        message = "a bank file must be a mapping with bank, title and questions"
        return None, [BankIssue(path=(), message=message)]
    questions = data.get("questions")
    if isinstance(questions, list) and len(questions) > MAX_QUESTIONS:
        message = f"too many questions ({len(questions):,}; a bank holds at most {MAX_QUESTIONS:,})"
        return None, [BankIssue(path=("questions",), message=message)]
    try:
        return BankSpec.model_validate(data), []
    except ValidationError as exc:
        return None, _explain(exc, data)


def _explain(exc: ValidationError, data: dict) -> list[BankIssue]:
    """Turn pydantic errors into problems; one per value even when a union tried several."""
    # Messages by (path, message) for fields, by (path, None) for values: a value that
    # failed every member of a union gets one message.
    by_place: dict[tuple, list[str]] = {}
    typos: set[tuple] = set()  # the "missing field" places that an unknown field misspells
    for error in exc.errors(include_url=False, include_input=False):
        path, node, rest = _walk(error["loc"], data)
        kind = error["type"]
        if kind == "invalid_key":  # a field name YAML read as a number: 1991: x
            kind = "extra_forbidden"
        if kind in ("missing", "extra_forbidden", "union_tag_not_found", "union_tag_invalid"):
            problem = _field_problem(kind, path, rest, error, data)
            by_place.setdefault((problem.path, problem.message), []).append(problem.message)
            if kind == "extra_forbidden" and (meant := _suggest(path[-1], path[:-1], data)):
                typos.add((path[:-1], f"missing field '{meant}'"))
            continue
        if kind in ("value_error", "assertion_error"):
            message = error["msg"].split(", ", 1)[-1]
            path = _blamed_field(path, node, message)
        else:
            if rest and rest[-1] == "[key]":  # the key of a mapping item, not its value
                node = path[-1]
            message = f"{_label(path)} {_describe(kind, node, error)}"
        by_place.setdefault((path, None), []).append(message)
    # `anwser:` is one mistake, not an unknown field plus a missing one.
    return [
        BankIssue(path=path, message=_merge(messages))
        for place, messages in by_place.items()
        if place not in typos
        for path in [place[0]]
    ]


def _walk(loc: tuple, data: Any) -> tuple[tuple, Any, list]:
    """Follow `loc` through the data; pydantic's own steps (union tags, validator names)
    are skipped. Return the path found, the value there and the steps not in the data."""
    path: list[Any] = []
    node = data
    rest: list[Any] = []
    for step in loc:
        if isinstance(node, dict) and step not in node and isinstance(step, str):
            # pydantic names a key 1991 or None by its text
            step = next((key for key in node if str(key) == step), step)
        in_mapping = isinstance(node, dict) and step in node
        in_list = isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        if in_mapping or in_list:
            path.append(step)
            node = node[step]
        else:
            rest.append(step)
    return tuple(path), node, rest


def _field_problem(kind: str, path: tuple, rest: list, error: dict, data: dict) -> BankIssue:
    if kind == "missing":
        return BankIssue(path=path, message=f"missing field '{rest[-1]}'")
    if kind == "union_tag_not_found":
        return BankIssue(path=path, message="missing field 'type'")
    if kind == "union_tag_invalid":
        known = ", ".join(sorted(TYPES))
        tag = shorten(error["ctx"]["tag"])
        return BankIssue(path=(*path, "type"), message=f"unknown type '{tag}' (one of: {known})")
    name = path[-1]
    message = f"unknown field '{shorten(name)}'"
    if suggestion := _suggest(name, path[:-1], data):
        message += f" (did you mean '{suggestion}'?)"
    return BankIssue(path=path, message=message)


def _suggest(name: object, owner_path: tuple, data: dict) -> str | None:
    """Return the known field that `name` is most likely a typo of, if one is close."""
    owner: Any = data
    for step in owner_path:
        owner = owner[step]
    if owner_path == ():
        fields = BankSpec.model_fields
    elif len(owner_path) == 2 and owner_path[0] == "questions":
        module = TYPES.get(owner.get("type")) if isinstance(owner.get("type"), str) else None
        fields = (module.Spec if module else QuestionSpec).model_fields
    else:
        return None
    candidates = [field for field in fields if field not in owner]
    close = difflib.get_close_matches(str(name), candidates, n=1, cutoff=0.6)
    return close[0] if close else None


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`")


def _blamed_field(path: tuple, node: Any, message: str) -> tuple:
    """Point a whole-question check ("answer 'X' is not one of the options") at the field
    it names, so its line is the field's; the question's own line otherwise."""
    if not isinstance(node, dict) or len(path) != 2:
        return path
    for word in re.findall(r"[a-z]+", _QUOTED.sub(" ", message)):
        for field in (word, word + "s"):
            if field in node and field not in ("id", "type"):
                return (*path, field)
    return path


def _label(path: tuple) -> str:
    """Name the value at `path` as a teacher sees it: 'tags' item 2, 'pairs' 'Vilnius'."""
    if len(path) >= 2 and path[0] == "questions":
        path = path[2:]
        if not path:
            return "the question"
    if not path:
        return "the bank"
    label = f"'{path[0]}'"
    for step in path[1:]:
        label += f" item {step + 1}" if isinstance(step, int) else f" '{shorten(step)}'"
    return label


_SLUG_HINT = "a slug: lower-case letters, digits and single hyphens, like 'border-treaty'"


def _describe(kind: str, node: Any, error: dict) -> str:
    """Say briefly what is wrong with a value, for the most common pydantic error kinds."""
    ctx = error.get("ctx") or {}
    if kind in ("too_short", "string_too_short"):
        if isinstance(node, str):
            return "must not be empty"
        return f"needs at least {ctx.get('min_length')} items"
    if kind in ("too_long", "string_too_long"):
        if isinstance(node, str):
            return f"is too long (at most {ctx.get('max_length'):,} characters)"
        return f"has too many items (at most {ctx.get('max_length'):,})"
    if kind == "string_pattern_mismatch":
        return f"must be {_SLUG_HINT}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"must be at least {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"must be at most {ctx.get('le', ctx.get('lt'))}"
    if kind == "literal_error":
        return f"must be {ctx.get('expected')}"
    simple = {
        "string_type": "text",
        "list_type": "a list",
        "dict_type": "a mapping",
        "model_type": "a mapping of fields",
        "model_attributes_type": "a mapping of fields",
        "int_type": "a whole number",
        "int_parsing": "a whole number",
        "int_from_float": "a whole number",
        "float_type": "a number",
        "float_parsing": "a number",
        "finite_number": "a finite number",
        "bool_type": "true or false",
        "bool_parsing": "true or false",
    }
    if kind == "string_type" and isinstance(node, (int, float, bool, dt.date)):
        # An unquoted 2021, yes or 1991-10-24 is not text to YAML.
        return f"must be text (YAML read it as {_yaml_kind(node)}: put it in quotes)"
    if kind in simple:
        return f"must be {simple[kind]}"
    return error["msg"][0].lower() + error["msg"][1:]


def _yaml_kind(value: object) -> str:
    if isinstance(value, bool):
        return "true or false"
    return "a date" if isinstance(value, dt.date) else "a number"


def _merge(messages: list[str]) -> str:
    """One message per value: 'quote' must be text / a list → must be text or a list."""
    unique = list(dict.fromkeys(messages))
    if len(unique) == 1:
        return unique[0]
    prefix = re.match(r"(.*? must be )", unique[0])
    if prefix and all(message.startswith(prefix.group(1)) for message in unique):
        return prefix.group(1) + " or ".join(m[len(prefix.group(1)) :] for m in unique)
    return unique[0]
