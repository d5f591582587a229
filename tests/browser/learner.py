"""What a learner does in the browser: answer each kind of question through its input."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from quizapp.extensions import db
from quizapp.models import Attempt
from quizapp.question_types import TYPES


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
    """Fill in the question's input the way a person would, right or wrong: the question's
    type says what a response is and which fields of its page hold it (form_fields).

    The ordering widget is driven as a person drives it (its script moves rows as their
    positions change): with its up/down buttons, or by choosing each row's position.
    """
    kind = TYPES[spec["type"]]
    response = kind.correct_response(spec) if right else kind.wrong_response(spec, view)
    if page.locator("#answer-form ol.ordering").count():
        _order(page, list(response), use_buttons)
        return
    fill_fields(page, kind.form_fields(view, response))


def fill_fields(page: Page, fields: dict) -> None:
    """Set the answer form's fields to these values, as a person would."""
    for name, value in fields.items():
        inputs = page.locator(f'#answer-form [name="{name}"]')
        first = inputs.first
        tag = first.evaluate("e => e.tagName.toLowerCase()")
        kind = (first.get_attribute("type") or "").lower()
        values = [str(v) for v in (value if isinstance(value, list) else [value])]
        if tag == "select":
            first.select_option(str(value))
        elif kind in ("radio", "checkbox"):
            for index in range(inputs.count()):
                box = inputs.nth(index)
                wanted = box.get_attribute("value") in values
                if kind == "checkbox" or wanted:  # a radio is unchecked by its neighbour
                    box.set_checked(wanted)
        else:
            first.fill(str(value))


def _order(page: Page, target: list[str], use_buttons: bool) -> None:
    rows = page.locator("ol.ordering > li")
    # The script shows the buttons once it listens to the selects: a position chosen
    # before then would not move its row.
    expect(rows.first.locator(".move-up")).to_be_visible()
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
