"""A teacher writes a question in the browser, previews it, and imports a Moodle GIFT file."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from quizapp.accounts import create_user
from quizapp.extensions import db

PASSWORD = "a long pass phrase"

#: Written for Moodle; the first upload forgets a closing brace on line 4.
GIFT = """\
// Capitals of the region, exported from a Moodle course
$CATEGORY: $course$/Capitals

::Capital of Lithuania::What is the capital of Lithuania? {=Vilnius ~Kaunas ~Klaipėda}

::Border::How long is the border between Belarus and Lithuania, in km? {#680:20}

::Minsk::Minsk is the capital of Belarus. {T}

::Essay::Write about the Union of Lublin. {}
"""
BROKEN_GIFT = GIFT.replace("~Klaipėda}", "~Klaipėda")


def log_in_as_teacher(page: Page, app, username: str) -> None:
    with app.app_context():
        create_user(username, "Tess Teacher", PASSWORD, role="teacher")
        db.session.commit()
    page.goto("/auth/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def go_to_dashboard(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Teach", exact=True
    ).click()


def test_a_teacher_writes_a_question_previews_it_and_imports_a_gift_file(
    page: Page, live_server, tmp_path
):
    log_in_as_teacher(page, live_server.app, "tess-sets")

    # A new set, from the dashboard.
    go_to_dashboard(page)
    page.get_by_role("link", name="New set").click()
    page.get_by_label("Title").fill("Baltic capitals")
    page.get_by_role("button", name="Create set").click()
    expect(page.get_by_role("heading", name="Baltic capitals")).to_be_visible()

    # A question through its form: the loader's message first, then the fix.
    page.get_by_role("link", name="Add a question").click()
    page.get_by_role("link", name="Multiple choice, one right answer").click()
    page.get_by_label("Question").fill("Which city is the capital of Lithuania?")
    page.get_by_label("Option 1", exact=True).fill("Kaunas")
    page.get_by_label("Option 2", exact=True).fill("Vilnius")
    page.get_by_label("Option 3", exact=True).fill("Klaipėda")
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_text("This question was not saved")).to_be_visible()
    expect(page.get_by_text("Mark one option as right").first).to_be_visible()
    expect(page.get_by_label("Option 2", exact=True)).to_have_value("Vilnius")
    page.get_by_label("Option 2 is the right answer").check()
    page.get_by_role("button", name="Save question").click()

    # The preview: as learners see it, the answer hidden until asked for.
    preview = page.locator("li.question-preview").first
    expect(preview.get_by_role("heading")).to_have_text("Which city is the capital of Lithuania?")
    expect(preview.get_by_role("radio")).to_have_count(3)
    expect(page.locator(".correct-answer")).to_have_count(0)
    preview.get_by_role("link", name="Show answer").click()
    expect(page.locator(".correct-answer")).to_have_text("Vilnius")
    preview = page.locator("li.question-preview").first
    preview.get_by_label("Vilnius").check()
    preview.get_by_role("button", name="Check answer").click()
    expect(page.get_by_text("Right!")).to_be_visible()
    page.get_by_role("link", name="Back to the set").click()

    # A GIFT file: the preview shows its error; a corrected file imports.
    broken, fixed = tmp_path / "capitals.gift", tmp_path / "capitals-fixed.gift"
    broken.write_text(BROKEN_GIFT, encoding="utf-8")
    fixed.write_text(GIFT, encoding="utf-8")
    go_to_dashboard(page)
    page.get_by_role("link", name="Upload a question file").click()
    page.get_by_label("Question file").set_input_files(broken)
    page.get_by_label("Title of the new set").fill("Capitals from Moodle")
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_text("1 problem in capitals.gift: nothing was imported.")).to_be_visible()
    expect(page.locator(".upload-errors li")).to_have_text(
        ["4: '{' without a '}': write \\{ for a literal brace"]
    )
    expect(page.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)

    page.get_by_label("Question file").set_input_files(fixed)
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_text("No problems found")).to_be_visible()
    expect(
        page.get_by_text("essay 'Essay' skipped: quizapp has no essay questions")
    ).to_be_visible()
    expect(page.locator("table.upload-questions tbody tr")).to_have_count(3)
    page.get_by_role("button", name="Import 3 questions").click()

    expect(page.get_by_role("heading", name="Capitals from Moodle")).to_be_visible()
    expect(page.get_by_text("Imported 3 questions")).to_be_visible()
    expect(page.locator("li.question-preview")).to_have_count(3)
    expect(page.get_by_role("heading", name="Minsk is the capital of Belarus.")).to_be_visible()
    go_to_dashboard(page)
    expect(page.locator("ul.sets")).to_contain_text("Capitals from Moodle")
    expect(page.locator("ul.sets")).to_contain_text("Baltic capitals")
