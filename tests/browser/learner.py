"""What a learner does in the browser: answer each kind of question through its input."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from quizapp.extensions import db
from quizapp.models import Attempt


def current_item(app, page: Page) -> tuple[dict, dict]:
    """Return (spec, view) of the question the page shows, read from the database."""
    match = re.search(r"/quiz/(\d+)/q/(\d+)", page.url)
    assert match, page.url
    attempt_id, position = int(match.group(1)), int(match.group(2))
    with app.app_context():
        item = db.session.get(Attempt, attempt_id).items[position - 1]
        return item.version.spec, item.view


def answer_in_browser(
    page: Page, spec: dict, view: dict, *, right: bool, use_buttons: bool
) -> None:
    """Fill in the question's input the way a person would, right or wrong."""
    kind = spec["type"]
    if kind == "choice":
        pick = spec["answer"] if right else next(o for o in view["options"] if o != spec["answer"])
        page.get_by_label(pick, exact=True).check()
    elif kind == "multi":
        picks = (
            spec["answers"]
            if right
            else [o for o in view["options"] if o not in spec["answers"]][:1]
        )
        # Set every box, not only the picks: a revisited question keeps its saved ticks.
        for option in view["options"]:
            page.get_by_label(option, exact=True).set_checked(option in picks)
    elif kind == "truefalse":
        truth = spec["answer"] if right else not spec["answer"]
        page.get_by_label("True" if truth else "False", exact=True).check()
    elif kind in ("text", "number", "date"):
        typed = {"text": "Nobody at all", "number": "999999", "date": "1066"}[kind]
        page.get_by_label("Your answer").fill(_as_typed(spec) if right else typed)
    elif kind == "order":
        target = spec["items"] if right else list(reversed(spec["items"]))
        _order(page, target, use_buttons)
    elif kind == "match":
        rights = view["rights"]
        for left, right_text in spec["pairs"].items():
            choice = right_text if right else rights[(rights.index(right_text) + 1) % len(rights)]
            page.get_by_label(left, exact=True).select_option(label=choice)


def _as_typed(spec: dict) -> str:
    """Write the answer the way a learner types it, not the way the file stores it."""
    answer = spec["answer"]
    if spec["type"] == "date" and len(str(answer)) == 10:
        year, month, day = str(answer).split("-")
        months = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ]
        return f"{int(day)} {months[int(month) - 1]} {year}"
    if spec["type"] == "number" and float(answer) >= 1000:
        return f"{float(answer):,.0f}" + (f" {spec['unit']}" if spec.get("unit") else "")
    return str(answer)


def _order(page: Page, target: list[str], use_buttons: bool) -> None:
    rows = page.locator("ol.ordering > li")
    for index, text in enumerate(target):
        if use_buttons:
            while (current := _texts(rows).index(text)) > index:
                button = rows.nth(current).get_by_role("button", name=f"Move “{text}” up")
                button.press("Enter") if current % 2 else button.click()
        else:
            page.get_by_label(f"Position of “{text}”").select_option(str(index + 1))
    expect(rows.locator(".item-text")).to_have_text(target)


def _texts(rows) -> list[str]:
    return [t.strip() for t in rows.locator(".item-text").all_inner_texts()]
