"""What a person without a mouse does: Tab and Shift+Tab to a control, then Space, Enter,
arrow keys or typing. Nothing here clicks, fills or selects through Playwright's pointer
or form helpers; the page is only read, to know which key to press next."""

from __future__ import annotations

from playwright.sync_api import Page

#: More key presses than any page of quizapp needs to reach a control.
MAX_PRESSES = 150

_WHERE = """([selector, value]) => {
    const matches = (e) => e.matches(selector) && (value === null || e.value === value);
    const active = document.activeElement;
    if (active && matches(active)) return "here";
    const target = Array.from(document.querySelectorAll(selector)).find(matches);
    if (!target) return "missing";
    if (!active || active === document.body) return "after";
    return active.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_PRECEDING
        ? "before" : "after";
}"""


def tab_to(page: Page, selector: str, value: str | None = None) -> None:
    """Press Tab (Shift+Tab when the control lies above the focus) until the focused
    element matches `selector` (and has this value, when given)."""
    for _ in range(MAX_PRESSES):
        where = page.evaluate(_WHERE, [selector, value])
        if where == "here":
            return
        assert where != "missing", f"no {selector} (value {value!r}) on {page.url}"
        page.keyboard.press("Shift+Tab" if where == "before" else "Tab")
    raise AssertionError(f"the keyboard never reached {selector} (value {value!r}) on {page.url}")


def _focused(page: Page, script: str):
    return page.evaluate(f"() => {{ const e = document.activeElement; return {script}; }}")


def choose_in_select(page: Page, selector: str, value: str) -> None:
    """Reach a select and move its choice with the arrow keys to `value`."""
    tab_to(page, selector)
    wanted = page.eval_on_selector(
        selector, "(s, v) => Array.from(s.options).findIndex((o) => o.value === v)", value
    )
    assert wanted >= 0, f"{selector} has no option {value!r}"
    for _ in range(MAX_PRESSES):
        current = _focused(page, "e.selectedIndex")
        if current == wanted:
            return
        page.keyboard.press("ArrowDown" if current < wanted else "ArrowUp")
    raise AssertionError(f"the arrow keys never chose {value!r} in {selector}")


def choose_radio(page: Page, selector: str, value: str) -> None:
    """Tab into a radio group, then move through it with the arrow keys to `value`."""
    tab_to(page, selector)
    if _focused(page, "e.value") == value and not _focused(page, "e.checked"):
        page.keyboard.press("Space")
    for _ in range(MAX_PRESSES):
        if _focused(page, "e.value") == value and _focused(page, "e.checked"):
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"the arrow keys never reached the radio {value!r}")


def set_checkboxes(page: Page, selector: str, values: list[str]) -> None:
    """Tab to each checkbox whose state is wrong and toggle it with Space."""
    boxes = page.eval_on_selector_all(selector, "(es) => es.map((e) => [e.value, e.checked])")
    for box_value, checked in boxes:
        if checked != (box_value in values):
            tab_to(page, selector, box_value)
            page.keyboard.press("Space")


def type_into(page: Page, selector: str, text: str) -> None:
    """Reach a text box, select what it holds and type over it."""
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def fill_by_keyboard(page: Page, fields: dict) -> None:
    """Set the answer form's fields (a question type's form_fields) from the keyboard.

    Fields are set in order of the value they take: a script may renumber the other
    positions when one changes (ordering), and positions given first to last stay put.
    """
    for name, value in sorted(fields.items(), key=lambda kv: _as_position(kv[1])):
        selector = f'#answer-form [name="{name}"]'
        tag, kind = page.eval_on_selector(
            selector, "(e) => [e.tagName.toLowerCase(), (e.type || '').toLowerCase()]"
        )
        values = [str(v) for v in (value if isinstance(value, list) else [value])]
        if tag == "select":
            choose_in_select(page, selector, str(value))
        elif kind == "radio":
            choose_radio(page, selector, str(value))
        elif kind == "checkbox":
            set_checkboxes(page, selector, values)
        else:
            type_into(page, selector, str(value))


def _as_position(value: object) -> tuple[int, str]:
    text = str(value)
    return (int(text), text) if text.isdigit() else (0, text)


def press_enter_on(page: Page, selector: str) -> None:
    """Reach a button or link and press Enter on it."""
    tab_to(page, selector)
    page.keyboard.press("Enter")
