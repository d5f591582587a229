"""What axe cannot see, tried as a person would: a skip link, every question type answered
by keyboard alone, focus never hidden (WCAG 2.4.11), targets of at least 24 × 24 px
(2.5.8), ordering and matching without dragging (2.5.7)."""

from __future__ import annotations

import itertools

import pytest
from browser.keyboard import fill_by_keyboard, press_enter_on, tab_to
from browser.learner import answer_in_browser, current_item
from playwright.sync_api import Page, expect

from quizapp.accounts import create_user
from quizapp.extensions import db
from quizapp.question_types import TYPES

PASSWORD = "a long pass phrase"
ALL_TYPES = {"choice", "multi", "truefalse", "text", "number", "date", "order", "match", "cloze"}
_names = itertools.count()


def log_in_new(page: Page, app, role: str = "learner") -> str:
    username = f"{role}{next(_names)}"
    with app.app_context():
        create_user(username, f"{role.title()} {username}", PASSWORD, role=role)
        db.session.commit()
    page.goto("/auth/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    return username


def start_practice(page: Page) -> None:
    page.goto("/")
    page.locator('li.card[data-bank="mixed"]').get_by_role("button", name="Practice").click()
    expect(page.get_by_text("Question 1 of 10")).to_be_visible()


# ------------------------------------------------------------------------ skip link


@pytest.mark.parametrize("path", ["/", "/source/", "/timeline", "/auth/login", "/auth/signup"])
def test_the_first_tab_reaches_skip_to_content_and_enter_moves_focus_to_the_main_content(
    page: Page, live_server, path
):
    page.goto(path)
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to content")
    expect(skip).to_be_visible()  # shown while focused, though hidden until then
    page.keyboard.press("Enter")
    # The next Tab goes on from the main content, past the header's links.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


# ------------------------------------------------------------------------- keyboard


def test_every_question_type_is_answered_checked_and_left_by_keyboard_alone(
    page: Page, live_server
):
    """The right answer of each type, given with Tab, arrows, Space and typing; each
    question checked and left with Enter."""
    app = live_server.app
    log_in_new(page, app)
    start_practice(page)
    seen: set[str] = set()
    for position in range(1, 11):
        expect(page.get_by_text(f"Question {position} of 10")).to_be_visible()
        spec, view = current_item(app, page)
        seen.add(spec["type"])
        kind = TYPES[spec["type"]]
        fill_by_keyboard(page, kind.form_fields(view, kind.correct_response(spec)))
        press_enter_on(page, '#answer-form button[value="next"]')
        expect(page.get_by_text("Right!")).to_be_visible()
        if position < 10:
            press_enter_on(page, "main .actions a.button")
        else:
            press_enter_on(page, "main .actions button[type=submit]")
    expect(page.locator(".score")).to_contain_text("10 / 10")
    assert seen == ALL_TYPES


def test_an_ordering_is_put_right_with_its_move_buttons_and_the_keyboard(page: Page, live_server):
    """The up buttons, reached with Tab and pressed with Space, order the items."""
    app = live_server.app
    log_in_new(page, app)
    start_practice(page)
    for position in range(1, 11):
        expect(page.get_by_text(f"Question {position} of 10")).to_be_visible()
        if page.locator("ol.ordering").count():
            break
        spec, view = current_item(app, page)
        answer_in_browser(page, spec, view, right=True, use_buttons=False)
        page.get_by_role("button", name="Check answer").click()
        expect(page.locator(".correct-answer")).to_be_visible()
        page.locator("main .actions").get_by_role("link").click()
    spec, _ = current_item(app, page)
    target = list(TYPES[spec["type"]].correct_response(spec))
    rows = page.locator("ol.ordering > li .item-text")
    for index, text in enumerate(target):
        while (current := [t.strip() for t in rows.all_inner_texts()].index(text)) > index:
            label = f"Move “{text}” up"
            tab_to(page, f'ol.ordering button[aria-label="{label}"]')
            page.keyboard.press("Space")
            assert [t.strip() for t in rows.all_inner_texts()].index(text) == current - 1
    press_enter_on(page, '#answer-form button[value="next"]')
    expect(page.get_by_text("Right!")).to_be_visible()


# ------------------------------------------------------------------ focus and targets

#: Each focused element's box, and the boxes of what stays on screen as the page
#: scrolls (position fixed or sticky) and does not contain it.
_FOCUS_BOXES = """() => {
    const focused = document.activeElement;
    const box = focused.getBoundingClientRect();
    const covers = [];
    for (const e of document.querySelectorAll("body *")) {
        const position = getComputedStyle(e).position;
        if ((position === "fixed" || position === "sticky") && !e.contains(focused)) {
            const r = e.getBoundingClientRect();
            if (r.width && r.height) covers.push([e.tagName, r.top, r.bottom, r.left, r.right]);
        }
    }
    return {tag: focused.tagName, text: (focused.textContent || "").trim().slice(0, 40),
            top: box.top, bottom: box.bottom, left: box.left, right: box.right,
            height: innerHeight, covers};
}"""


def _hidden_focus(page: Page, stops: int) -> list[str]:
    """Tab through the first `stops` focus stops; return those not fully in view or
    (even in part) under a fixed or sticky element such as a sticky header."""
    hidden = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        seen = page.evaluate(_FOCUS_BOXES)
        where = f"{seen['tag']} “{seen['text']}”"
        # Half a pixel either way is rounding, not hiding.
        if seen["top"] < -0.5 or seen["bottom"] > seen["height"] + 0.5:
            hidden.append(f"{where} is outside the window ({seen['top']:.0f}–{seen['bottom']:.0f})")
        for tag, top, bottom, left, right in seen["covers"]:
            overlaps = top < seen["bottom"] and seen["top"] < bottom
            overlaps = overlaps and left < seen["right"] and seen["left"] < right
            if overlaps:
                hidden.append(f"{where} is under a {tag} ({top:.0f}–{bottom:.0f})")
    return hidden


@pytest.mark.parametrize("width", [1280, 390])
def test_focus_is_never_hidden_under_the_header_while_tabbing_down_long_pages(
    page: Page, live_server, width
):
    page.set_viewport_size({"width": width, "height": 700})
    log_in_new(page, live_server.app)
    for path in ("/source/", "/timeline", "/progress/"):
        page.goto(path)
        assert _hidden_focus(page, 60) == [], path


#: Buttons, form controls and links standing alone in lists or the header, visible,
#: that are smaller than 24 × 24 px (WCAG 2.5.8; links inside sentences are exempt).
_SMALL_TARGETS = """() => {
    const selector = "button, input:not([type=hidden]), select, textarea, li > a, header a";
    const small = [];
    for (const e of document.querySelectorAll(selector)) {
        const r = e.getBoundingClientRect();
        const style = getComputedStyle(e);
        if (!r.width || !r.height || style.visibility === "hidden") continue;
        if (e.matches(".visually-hidden, .visually-hidden *, .skip-link")) continue;
        if (e.matches("li > a") && e.parentElement.textContent.trim() !== e.textContent.trim()
            && style.display === "inline") continue;  // a link in a sentence
        if (r.width < 24 || r.height < 24) {
            small.push(`${e.tagName.toLowerCase()}${e.type ? "[" + e.type + "]" : ""} `
                + `“${(e.textContent || e.value || e.name || "").trim().slice(0, 30)}” `
                + `${r.width.toFixed(0)}×${r.height.toFixed(0)}`);
        }
    }
    return small;
}"""


def small_targets(page: Page) -> list[str]:
    page.wait_for_load_state()  # measured with the stylesheet applied
    return page.evaluate(_SMALL_TARGETS)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_learners_targets_are_at_least_24_px_square(page: Page, live_server, width):
    app = live_server.app
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/auth/login")
    assert small_targets(page) == [], "log in"
    log_in_new(page, app)
    assert small_targets(page) == [], "home"
    start_practice(page)
    for position in range(1, 11):
        expect(page.get_by_text(f"Question {position} of 10")).to_be_visible()
        spec, view = current_item(app, page)
        assert small_targets(page) == [], f"question {position} ({spec['type']})"
        answer_in_browser(page, spec, view, right=position != 3, use_buttons=True)
        page.get_by_role("button", name="Check answer").click()
        expect(page.locator(".correct-answer")).to_be_visible()
        assert small_targets(page) == [], f"feedback {position} ({spec['type']})"
        if position < 10:
            page.get_by_role("link", name="Next question").click()
        else:
            page.get_by_role("button", name="See your results").click()
    expect(page.locator(".score")).to_be_visible()
    assert small_targets(page) == [], "results"
    for path in ("/review/", "/progress/", "/timeline"):
        page.goto(path)
        assert small_targets(page) == [], path


@pytest.mark.parametrize("width", [1280, 390])
def test_a_teachers_targets_are_at_least_24_px_square(page: Page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in_new(page, live_server.app, role="teacher")
    page.goto("/teach/")
    assert small_targets(page) == [], "dashboard"
    page.get_by_role("link", name="New class").click()
    page.get_by_label("Class name").fill("Targets")
    page.get_by_role("button", name="Create class").click()
    assert small_targets(page) == [], "class"
    page.get_by_role("link", name="Assign a quiz").click()
    assert small_targets(page) == [], "assign"
    page.get_by_label("Title").fill("Targets test")
    page.get_by_label("Key dates in Belarus–Lithuania relations").check()
    page.get_by_label("Number of questions").fill("3")
    page.get_by_role("button", name="Assign").click()
    page.get_by_role("link", name="Edit Targets test").click()
    assert small_targets(page) == [], "assignment page"
    page.goto("/teach/sets/upload")
    assert small_targets(page) == [], "upload"


# ------------------------------------------------------------------------- dragging


def test_ordering_and_matching_need_no_dragging(page: Page, live_server):
    """Nothing on a question page is draggable; ordering is done with single clicks on its
    move buttons and matching with drop-down choices, both scored right."""
    app = live_server.app
    log_in_new(page, app)
    start_practice(page)
    for position in range(1, 11):
        expect(page.get_by_text(f"Question {position} of 10")).to_be_visible()
        assert page.locator("[draggable=true]").count() == 0
        spec, view = current_item(app, page)
        answer_in_browser(page, spec, view, right=True, use_buttons=True)
        page.get_by_role("button", name="Check answer").click()
        expect(page.get_by_text("Right!")).to_be_visible()
        if position < 10:
            page.get_by_role("link", name="Next question").click()
    expect(page.locator("[draggable=true]")).to_have_count(0)
