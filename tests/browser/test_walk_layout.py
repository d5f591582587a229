"""The walk at a laptop's and a phone's width: results at a glance, the time limit beside
its Test button, a header on one line, teachers' tables that use the screen, tables and
charts that scroll sideways on a phone rather than being cut or shrunk, and the reader's
way back to the quiz question it was opened from."""

from __future__ import annotations

import re

import pytest
from browser.learner import answer_in_browser, current_item
from browser.test_teacher_sets import log_in_as_teacher
from playwright.sync_api import Page, expect

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
WIDTHS = pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["1280", "390"])

#: A bank file whose preview table has a long question.
LONG_QUESTION = """\
bank: long-questions
title: Long questions
questions:
  - id: treaty
    type: text
    prompt: >-
      Which treaty, signed in 1569 between the Kingdom of Poland and the Grand Duchy of
      Lithuania, created a single state with one elected monarch and one parliament?
    answer: Union of Lublin
"""


def sign_up(page: Page, username: str) -> None:
    page.goto("/auth/signup")
    page.get_by_label("Your name").fill("Walker")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill("a long pass phrase")
    page.get_by_label("Type the password again").fill("a long pass phrase")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def no_sideways_scroll(page: Page) -> None:
    """The page itself never scrolls sideways: wide things scroll in their own box."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"the page is {overflow} px wider than the screen"


def every_column_within_reach(page: Page, wrapper) -> None:
    """A table on a phone is never cut: the page does not scroll sideways, and the table's
    box, focusable from the keyboard, brings its last column into view."""
    no_sideways_scroll(page)
    assert wrapper.get_attribute("tabindex") == "0"
    wrapper.focus()
    expect(wrapper).to_be_focused()
    if wrapper.evaluate("e => e.scrollWidth > e.clientWidth"):
        page.keyboard.press("ArrowRight")  # a focused box scrolls by the arrow keys
        # The scroll may be smooth: wait for it to move.
        page.wait_for_function("e => e.scrollLeft > 0", arg=wrapper.element_handle())
        wrapper.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    last = wrapper.locator("thead th").last.bounding_box()
    screen = page.viewport_size["width"]
    assert last["x"] >= 0 and last["x"] + last["width"] <= screen + 1, last


def practise_the_mixed_quiz(page: Page, app) -> None:
    """Answer the mixed quiz (every type once), the odd questions right, to its results."""
    page.goto("/")
    page.locator('li.card[data-bank="mixed"]').get_by_role("button", name="Practice").click()
    for position in range(1, 11):
        expect(page.get_by_text(f"Question {position} of 10")).to_be_visible()
        spec, view = current_item(app, page)
        answer_in_browser(page, spec, view, right=position % 2 == 1, use_buttons=False)
        page.get_by_role("button", name="Check answer").click()
        if position < 10:
            page.get_by_role("link", name="Next question").click()
    page.get_by_role("button", name="See your results").click()
    expect(page.get_by_role("heading", name=re.compile("^Results"))).to_be_visible()


@WIDTHS
def test_results_show_the_score_each_mark_and_the_next_steps_in_the_first_screen(
    page: Page, live_server, size
):
    page.set_viewport_size(size)
    sign_up(page, f"glance{size['width']}")
    practise_the_mixed_quiz(page, live_server.app)
    for thing in (
        page.locator("p.score"),
        page.locator("ol.strip"),
        page.get_by_role("button", name=re.compile(r"Retake my mistakes \(\d+\)")),
        page.get_by_role("link", name="Take another quiz"),
    ):
        box = thing.bounding_box()
        assert box and box["y"] + box["height"] <= size["height"], thing
    no_sideways_scroll(page)

    # A mark leads to its question's detail; a match answer is a table, row by row.
    your_match = page.locator("table.answer-table th", has_text="Your match")
    match = page.locator("ol.results > li", has=your_match).first
    number = match.get_attribute("id").removeprefix("question-")
    page.locator(f'ol.strip a[href="#question-{number}"]').click()
    expect(page).to_have_url(re.compile(rf"#question-{number}$"))
    expect(match.locator("h3")).to_be_in_viewport()
    rows = match.locator("table.answer-table tbody tr")
    expect(rows.first).to_be_visible()
    for index in range(rows.count()):
        expect(rows.nth(index).locator("td.mark")).to_have_text(re.compile(r"(right|wrong)$"))
    # The why and the source wait under one click.
    folded = match.locator("details.more")
    expect(folded.locator(".scoring-rule")).to_be_hidden()
    folded.locator("summary").click()
    expect(folded.locator(".scoring-rule")).to_be_visible()


@WIDTHS
def test_the_time_limit_sits_beside_the_test_button(page: Page, live_server, size):
    page.set_viewport_size(size)
    page.goto("/")
    card = page.locator('li.card[data-bank="dates"]')
    test = card.get_by_role("button", name="Test").bounding_box()
    limit = card.get_by_label("Test time limit").bounding_box()
    middle = limit["y"] + limit["height"] / 2
    assert test["y"] <= middle <= test["y"] + test["height"], "on the Test button's line"
    assert 0 <= limit["x"] - (test["x"] + test["width"]) <= 160, "right after it"
    no_sideways_scroll(page)


@pytest.mark.parametrize("width", [1024, 1280])
def test_a_teachers_header_keeps_to_one_line(page: Page, live_server, width):
    page.set_viewport_size({"width": width, "height": 800})
    log_in_as_teacher(page, live_server.app, f"tess-header-{width}")
    nav = page.get_by_role("navigation", name="Main")
    tops = {
        round(box["y"] + box["height"] / 2)
        for item in nav.locator(":scope > a, :scope > form").all()
        if (box := item.bounding_box())
    }
    assert max(tops) - min(tops) <= 4, f"items at {sorted(tops)}"


def test_an_upload_preview_gives_the_question_room_and_scrolls_on_a_phone(
    page: Page, live_server, tmp_path
):
    page.set_viewport_size(LAPTOP)
    log_in_as_teacher(page, live_server.app, "tess-wide")
    bank_file = tmp_path / "long.yaml"
    bank_file.write_text(LONG_QUESTION)
    page.goto("/teach/sets/upload")
    page.get_by_label(re.compile("^Question file")).set_input_files(str(bank_file))
    page.get_by_role("button", name=re.compile("^Upload")).click()
    expect(page.get_by_text("No problems found")).to_be_visible()
    question = page.locator("table.upload-questions tbody td").nth(2).bounding_box()
    assert question["width"] >= 400, f"the question column is {question['width']} px"
    assert page.locator("main").bounding_box()["width"] >= 1100

    page.set_viewport_size(PHONE)
    preview = page.get_by_role("region", name="Table of the questions to be created")
    every_column_within_reach(page, preview)


def test_on_a_phone_charts_keep_their_text_at_12px_and_tables_scroll(page: Page, live_server):
    sign_up(page, "charts")
    for _ in range(2):  # two finished tests: a line of scores
        page.goto("/")
        page.locator('li.card[data-bank="dates"]').get_by_role("button", name="Test").click()
        page.goto(page.url.rsplit("/q/", 1)[0] + "/finish")
        page.get_by_role("button", name="Finish and see results").click()
    page.set_viewport_size(PHONE)
    page.goto("/progress/")
    chart = page.locator("figure.chart svg").first
    expect(chart).to_be_attached()
    smallest = chart.evaluate(
        """svg => {
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          return Math.min(...[...svg.querySelectorAll('text')].map(
            t => parseFloat(getComputedStyle(t).fontSize) * scale));
        }"""
    )
    assert smallest >= 12, f"chart text drawn at {smallest:.1f} px"
    no_sideways_scroll(page)
    every_column_within_reach(page, page.get_by_role("region", name="Table of finished attempts"))


def test_read_in_context_brings_the_learner_back_to_the_same_question(page: Page, live_server):
    sign_up(page, "reader-back")
    page.goto("/")
    page.locator('li.card[data-bank="dates"]').get_by_role("button", name="Practice").click()
    expect(page.get_by_text("Question 1 of 10")).to_be_visible()
    spec, view = current_item(live_server.app, page)
    answer_in_browser(page, spec, view, right=True, use_buttons=False)
    page.get_by_role("button", name="Check answer").click()
    expect(page.get_by_text("Right!")).to_be_visible()
    question_url = page.url
    page.get_by_role("link", name="Read in context").first.click()
    expect(page.get_by_role("heading", name="Belarus–Lithuania relations")).to_be_visible()
    back = page.get_by_role("link", name="Back to question 1 of your quiz")
    expect(back).to_be_in_viewport()  # it stays in sight at the passage
    back.click()
    expect(page).to_have_url(question_url)
    expect(page.get_by_text("Right!")).to_be_visible()


def test_a_passages_questions_open_with_one_click_and_can_be_practised(page: Page, live_server):
    page.goto("/source/belarus-lithuania-relations")
    note = page.locator("li.note").first
    practise = note.get_by_role("button", name=re.compile("^Practise th"))
    expect(practise).to_be_hidden()  # folded until asked for
    note.locator("summary").click()
    expect(note.locator(".citing li").first).to_be_visible()
    practise.click()
    expect(page.get_by_text(re.compile(r"Question 1 of \d+"))).to_be_visible()
