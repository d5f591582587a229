"""A teacher sets a quiz for a class, a learner joins with the code and takes it, and the
teacher reads the score in the gradebook, the CSV and the item analysis, in chromium."""

from __future__ import annotations

import csv
import io
import re

from browser.learner import answer_in_browser, current_item
from playwright.sync_api import Browser, Page, expect

from quizapp.accounts import create_user
from quizapp.classrooms.spreadsheet import BOM
from quizapp.extensions import db

PASSWORD = "a long pass phrase"
DATES_BANK = "Key dates in Belarus–Lithuania relations"


def watch_console(page: Page) -> list[str]:
    """Collect the page's console errors and uncaught exceptions."""
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def log_in(page: Page, username: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def sign_up(page: Page, username: str, name: str) -> None:
    page.goto("/auth/signup")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_a_teacher_assigns_a_quiz_a_learner_joins_and_takes_it_the_teacher_reads_the_results(
    page: Page, browser: Browser, live_server
):
    app = live_server.app
    with app.app_context():
        create_user("tamara", "Tamara Teacher", PASSWORD, role="teacher")
        db.session.commit()

    # The teacher creates a class and reads its join code.
    log_in(page, "tamara")
    page.get_by_role("link", name="Teach", exact=True).click()
    page.get_by_role("link", name="New class").click()
    page.get_by_label("Class name").fill("History 9B")
    page.get_by_role("button", name="Create class").click()
    expect(page.get_by_role("heading", name="History 9B")).to_be_visible()
    code = page.locator("[data-join-code]").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)

    # ... and assigns four questions of the dates bank, one attempt, closing in UTC.
    page.get_by_role("link", name="Assign a quiz").click()
    page.get_by_label("Title").fill("Dates test")
    page.get_by_label(DATES_BANK).check()
    page.get_by_label("Number of questions").fill("4")
    page.get_by_label("Test: answers shown at the end").check()
    page.get_by_label("Attempts allowed").fill("1")
    page.get_by_label("Closes (UTC)").fill("2099-12-31T18:00")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("“Dates test” assigned to History 9B.")).to_be_visible()
    expect(page.locator("table.assignments")).to_contain_text("until 31 Dec 2099 18:00 UTC")

    # A learner signs up in another browser, joins with the code and takes the quiz.
    context = browser.new_context(base_url=live_server.url)
    learner = context.new_page()
    learner_errors = watch_console(learner)
    sign_up(learner, "rasa", "Rasa Learner")
    learner.get_by_label("Join a class with its code").fill(code.lower())
    learner.get_by_role("button", name="Join", exact=True).click()
    expect(learner.get_by_text("Your teacher will see your name")).to_be_visible()
    learner.get_by_role("button", name="Join History 9B").click()
    expect(learner.get_by_text("You joined History 9B.")).to_be_visible()
    learner.get_by_role("link", name="Home").click()
    assignments = learner.locator(".my-assignments")
    expect(assignments).to_contain_text("Dates test")
    expect(assignments).to_contain_text("due 31 Dec 2099 18:00 UTC")
    expect(assignments).to_contain_text("0 of 1 attempt used")
    assignments.get_by_role("link", name="Dates test").click()
    learner.get_by_role("button", name="Start").click()
    for position in range(1, 5):
        expect(learner.get_by_text(f"Question {position} of 4")).to_be_visible()
        spec, view = current_item(app, learner)
        answer_in_browser(learner, spec, view, right=position != 2, use_buttons=False)
        label = "Save and next" if position < 4 else "Save and finish"
        learner.get_by_role("button", name=label).click()
    learner.get_by_role("button", name="Finish and see results").click()
    expect(learner.locator(".score")).to_contain_text("3 / 4")
    learner.get_by_role("link", name="Home").click()
    expect(learner.locator(".my-assignments")).to_contain_text("1 of 1 attempt used")
    expect(learner.locator(".my-assignments")).to_contain_text("best 75%")
    context.close()
    assert learner_errors == []

    # The teacher reads the score in the gradebook ...
    page.get_by_role("link", name="Gradebook").click()
    row = page.locator("table.gradebook tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Rasa Learner")
    expect(row.locator(".best")).to_have_text("75%")
    expect(row).to_contain_text("1 attempt")

    # ... downloads it as CSV ...
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert re.fullmatch(r"gradebook-\d+-history-9b\.csv", download.value.suggested_filename)
    data = download.value.path().read_bytes()
    assert data.startswith(BOM.encode("utf-8"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8").removeprefix(BOM))))
    assert rows[0][:4] == ["Learner", "Username", "Dates test: best %", "Dates test: attempts"]
    assert rows[1][:4] == ["Rasa Learner", "rasa", "75.0", "1"]
    assert len(rows) == 2

    # ... and opens the item analysis: four questions, the missed one with its wrong answer.
    page.get_by_role("link", name="Item analysis").click()
    questions = page.locator("table.analysis tbody tr")
    expect(questions).to_have_count(4)
    expect(page.get_by_text("Based on 1 attempt:")).to_be_visible()
    expect(questions.first.locator(".facility")).to_have_text("0%")
    expect(questions.first.locator(".wrong-answers li")).to_have_count(1)
    expect(page.locator(".wrong-answers li")).to_have_count(1)
