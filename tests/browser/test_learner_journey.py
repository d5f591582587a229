"""A new learner signs up, takes a practice quiz and a timed test, and reads their progress."""

from __future__ import annotations

import re

from browser.learner import answer_in_browser, current_item
from playwright.sync_api import Page, expect


def sign_up(page: Page, username: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Your name").fill("Ona Learner")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill("a long pass phrase")
    page.get_by_label("Type the password again").fill("a long pass phrase")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def start_quiz(page: Page, card: str, mode: str, time_limit: str | None = None) -> None:
    page.goto("/")
    quiz = page.locator(f'li.card[data-bank="{card}"]')
    if time_limit:
        quiz.get_by_label("Test time limit").select_option(label=time_limit)
    quiz.get_by_role("button", name=mode).click()
    expect(page.get_by_text("Question 1 of 10")).to_be_visible()


def test_a_learner_signs_up_practises_takes_a_test_and_sees_both_on_the_progress_page(
    page: Page, live_server
):
    app = live_server.app
    sign_up(page, "ona")
    seen_types: set[str] = set()

    # Practice: feedback after every answer, all of them right.
    start_quiz(page, "mixed", "Practice")
    for position in range(1, 11):
        expect(page.get_by_text(f"Question {position} of 10")).to_be_visible()
        spec, view = current_item(app, page)
        seen_types.add(spec["type"])
        answer_in_browser(page, spec, view, right=True, use_buttons=True)
        page.get_by_role("button", name="Check answer").click()
        expect(page.get_by_text("Right!")).to_be_visible()
        expect(page.locator(".correct-answer")).to_be_visible()
        expect(page.locator("blockquote.source").first).to_be_visible()
        if position < 10:
            page.get_by_role("link", name="Next question").click()
        else:
            page.get_by_role("button", name="See your results").click()
    expect(page.locator(".score")).to_contain_text("10 / 10")

    # Test: a 10-minute limit, no feedback, the first question revisited; 6 right.
    start_quiz(page, "mixed", "Test", time_limit="10 minutes")
    expect(page.locator(".countdown")).to_have_text(re.compile(r"^(10:00|9:\d\d)$"))
    for position in range(1, 11):
        expect(page.get_by_text(f"Question {position} of 10")).to_be_visible()
        spec, view = current_item(app, page)
        seen_types.add(spec["type"])
        answer_in_browser(
            page, spec, view, right=position <= 6 and position != 1, use_buttons=False
        )
        expect(page.get_by_text("Right!")).to_have_count(0)
        label = "Save and next" if position < 10 else "Save and finish"
        page.get_by_role("button", name=label).click()
    page.get_by_role("link", name="Back to the quiz").click()
    page.get_by_role("button", name="Question 1, answered").click()
    expect(page.get_by_text("Question 1 of 10")).to_be_visible()
    spec, view = current_item(app, page)
    answer_in_browser(page, spec, view, right=True, use_buttons=False)
    page.get_by_role("button", name="Save and next").click()
    page.get_by_role("button", name="Question 10, answered").click()
    page.get_by_role("button", name="Save and finish").click()
    page.get_by_role("button", name="Finish and see results").click()
    expect(page.locator(".score")).to_contain_text("6 / 10")
    # Every answer is shown: on a line of its own, or, for a match or an order, as a table.
    expect(page.locator("ol.results > li .verdict")).to_have_count(10)
    tables = page.locator("ol.results table.answer-table").count()
    assert tables >= 2  # the match and the order question at least
    expect(page.get_by_text("Your answer:")).to_have_count(10 - tables)

    assert seen_types == {
        "choice",
        "multi",
        "truefalse",
        "text",
        "number",
        "date",
        "order",
        "match",
        "cloze",
    }

    # Progress: both attempts, with their scores.
    page.get_by_role("link", name="My progress").click()
    rows = page.locator("table.attempts tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Test")
    expect(rows.nth(0)).to_contain_text("60%")
    expect(rows.nth(1)).to_contain_text("Practice")
    expect(rows.nth(1)).to_contain_text("100%")
