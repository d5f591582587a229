"""A learner answers a practice question, reads its passage in the source text, comes
back, and jumps from the timeline to a question."""

from __future__ import annotations

import re

from browser.learner import answer_in_browser, current_item
from playwright.sync_api import Page, expect

from quizapp.source.document import passage_key


def sign_up(page: Page, username: str) -> None:
    page.goto("/auth/signup")
    page.get_by_label("Your name").fill("Rita Reader")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill("a long pass phrase")
    page.get_by_label("Type the password again").fill("a long pass phrase")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_a_feedback_passage_opens_in_the_source_text_and_the_learner_comes_back(
    page: Page, live_server
):
    sign_up(page, "rita")
    page.goto("/")
    page.locator('li.card[data-bank="dates"]').get_by_role("button", name="Practice").click()
    expect(page.get_by_text("Question 1 of 10")).to_be_visible()
    question_url = page.url
    spec, view = current_item(live_server.app, page)
    answer_in_browser(page, spec, view, right=True, use_buttons=False)
    page.get_by_role("button", name="Check answer").click()
    expect(page.get_by_text("Right!")).to_be_visible()

    quote = spec["quote"] if isinstance(spec["quote"], str) else spec["quote"][0]
    key = passage_key(quote)
    page.get_by_role("link", name="Read in context").first.click()
    expect(page).to_have_url(
        re.compile(rf"/source/belarus-lithuania-relations\?attempt=\d+&question=1#passage-{key}$")
    )
    expect(page.get_by_role("heading", name="Belarus–Lithuania relations")).to_be_visible()
    passage = page.locator(f"#passage-{key} ~ mark").first
    expect(passage).to_be_in_viewport()

    # The passage's note lists the question just answered, by its prompt.
    page.locator(f'sup.ref a[href="#cites-{key}"]').first.click()
    note = page.locator(f"#cites-{key}")
    expect(note).to_be_in_viewport()
    expect(note.locator(".citing")).to_contain_text(spec["prompt"])

    page.go_back()
    page.go_back()
    expect(page).to_have_url(question_url)
    expect(page.get_by_text("Right!")).to_be_visible()
    expect(page.get_by_role("link", name="Next question")).to_be_visible()


def test_the_timeline_leads_to_a_question(page: Page, live_server):
    page.goto("/")
    page.get_by_role("link", name="Timeline").first.click()
    expect(page.get_by_role("heading", name="Timeline", exact=True)).to_be_visible()
    first = page.locator("li.event").first
    expect(first).to_contain_text("From the 13th century to the end of the 14th century")
    first.get_by_role("button", name="Practise this question").click()
    expect(page.get_by_text("Question 1 of 1")).to_be_visible()
    expect(page.locator("#prompt")).to_contain_text("Grand Duchy of Lithuania")
