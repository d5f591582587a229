"""A learner and a teacher walk through every page they use, on a laptop (1280 px) and a
phone (390 px): axe-core finds no WCAG 2.2 A or AA violation in any state they reach, and
each state is saved as a full-page screenshot under tests/browser/screenshots/."""

from __future__ import annotations

import pytest
from browser.accessibility import check_page
from browser.learner import answer_in_browser, current_item
from playwright.sync_api import Page, expect

from quizapp.accounts import create_user
from quizapp.classrooms import extra_time, rosters
from quizapp.classrooms import gradebook as gradebook_module
from quizapp.extensions import db
from quizapp.models import Assignment, Classroom, User

PASSWORD = "a long pass phrase"
WIDTHS = [1280, 390]
ALL_TYPES = {"choice", "multi", "truefalse", "text", "number", "date", "order", "match", "cloze"}

GIFT = """\
::Capital of Lithuania::What is the capital of Lithuania? {=Vilnius ~Kaunas ~Klaipėda}

::Border::How long is the border between Belarus and Lithuania, in km? {#680:20}

::Minsk::Minsk is the capital of Belarus. {T}
"""
BROKEN_GIFT = GIFT.replace("~Klaipėda}", "~Klaipėda")


class Walk:
    """Checks each page state of one walk with axe, numbering its screenshots."""

    def __init__(self, page: Page, name: str) -> None:
        self.page, self.name, self.count = page, name, 0

    def check(self, state: str) -> None:
        self.count += 1
        check_page(self.page, f"{self.name}-{self.count:02d}-{state}")


def start_quiz(page: Page, card: str, mode: str, time_limit: str | None = None) -> None:
    page.get_by_role("link", name="Home").first.click()
    quiz = page.locator(f'li.card[data-bank="{card}"]')
    if time_limit:
        quiz.get_by_label("Test time limit").select_option(label=time_limit)
    quiz.get_by_role("button", name=mode).click()
    expect(page.get_by_text("Question 1 of")).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_learners_walk_meets_wcag_22_aa_in_every_state(page: Page, live_server, width):
    app = live_server.app
    page.set_viewport_size({"width": width, "height": 900})
    walk = Walk(page, f"learner-{width}")

    page.goto("/")
    walk.check("home signed out")
    page.get_by_role("link", name="Sign up").first.click()
    walk.check("sign up")
    page.get_by_label("Your name").fill("Ona Learner")
    page.get_by_label("Username").fill(f"ona{width}")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Type the password again").fill("another pass phrase")
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator(".has-errors").first).to_be_visible()
    walk.check("sign up with errors")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    walk.check("home signed in")

    # A class joined by its link, with a timed assignment and extra time on it.
    code = _class_with_a_timed_assignment(app, f"ona{width}", f"History 9A {width}")
    page.goto(f"/join/{code}")
    walk.check("join by link")
    page.get_by_role("button", name=f"Join History 9A {width}").click()
    walk.check("classes")
    expect(page.get_by_role("button", name="Leave this class")).to_be_visible()
    page.get_by_role("link", name="Home").first.click()
    page.locator(".my-assignments").get_by_role("link", name="Timed dates").click()
    expect(page.get_by_text("you have 20 minutes")).to_be_visible()
    walk.check("assignment with extra time")

    # Practice of every type, two answers wrong, each question and its feedback checked.
    start_quiz(page, "mixed", "Practice")
    seen: set[str] = set()
    for position in range(1, 11):
        expect(page.get_by_text(f"Question {position} of 10")).to_be_visible()
        spec, view = current_item(app, page)
        seen.add(spec["type"])
        walk.check(f"practice {spec['type']}")
        answer_in_browser(page, spec, view, right=position not in (2, 5), use_buttons=True)
        page.get_by_role("button", name="Check answer").click()
        expect(page.locator(".correct-answer")).to_be_visible()
        walk.check(f"practice {spec['type']} feedback")
        if position < 10:
            page.get_by_role("link", name="Next question").click()
        else:
            page.get_by_role("button", name="See your results").click()
    assert seen == ALL_TYPES
    expect(page.locator(".score")).to_contain_text("8 / 10")
    walk.check("practice results")

    page.get_by_role("button", name="Retake my mistakes (2)").click()
    expect(page.get_by_text("Question 1 of 2")).to_be_visible()
    walk.check("retake my mistakes")

    # A timed test: its countdown, the finish page and the results.
    start_quiz(page, "mixed", "Test", time_limit="10 minutes")
    expect(page.locator(".countdown")).to_be_visible()
    walk.check("timed test question")
    for position in range(1, 11):
        expect(page.get_by_text(f"Question {position} of 10")).to_be_visible()
        spec, view = current_item(app, page)
        answer_in_browser(page, spec, view, right=position % 3 != 0, use_buttons=False)
        page.get_by_role(
            "button", name="Save and next" if position < 10 else "Save and finish"
        ).click()
    walk.check("timed test finish")
    page.get_by_role("button", name="Finish and see results").click()
    expect(page.locator(".score")).to_be_visible()
    walk.check("timed test results")

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Review").click()
    walk.check("review")
    nav.get_by_role("link", name="My progress").click()
    walk.check("progress")
    nav.get_by_role("link", name="Source").click()
    walk.check("reader")
    nav.get_by_role("link", name="Timeline").click()
    walk.check("timeline")


def _class_with_a_timed_assignment(app, learner: str, class_name: str) -> str:
    """Make a teacher's class with a 10-minute test on which the learner has × 2 (kept for
    when they join); return the class's join code."""
    with app.app_context():
        teacher = create_user(f"t-{learner}", "Teo Teacher", PASSWORD, role="teacher")
        classroom = rosters.create_class(teacher, class_name)
        assignment = Assignment(
            classroom_id=classroom.id, title="Timed dates", bank_ids=[], tags=[],
            question_count=3, mode="test", time_limit=600, attempts_allowed=1,
        )  # fmt: skip
        db.session.add(assignment)
        db.session.flush()
        user = db.session.scalar(db.select(User).where(User.username == learner))
        extra_time.give(assignment, user.id, "x2")
        db.session.commit()
        return classroom.join_code


def _teacher_and_learner(app, width: int) -> tuple[str, str]:
    teacher, learner = f"tara{width}", f"lina{width}"
    with app.app_context():
        create_user(teacher, "Tara Teacher", PASSWORD, role="teacher")
        create_user(learner, "Lina Learner", PASSWORD)
        db.session.commit()
    return teacher, learner


def _enrol(app, class_name: str, username: str) -> None:
    with app.app_context():
        classroom = db.session.scalar(db.select(Classroom).where(Classroom.name == class_name))
        learner = db.session.scalar(db.select(User).where(User.username == username))
        rosters.join(classroom, learner, consented=True)
        db.session.commit()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_teachers_walk_meets_wcag_22_aa_in_every_state(
    page: Page, live_server, width, tmp_path, monkeypatch
):
    app = live_server.app
    page.set_viewport_size({"width": width, "height": 900})
    walk = Walk(page, f"teacher-{width}")
    teacher, learner = _teacher_and_learner(app, width)

    page.goto("/auth/login")
    walk.check("log in")
    page.get_by_label("Username").fill(teacher)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    teach = page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Teach", exact=True
    )
    teach.click()
    walk.check("dashboard")

    # A set written by form: the type list, the editor, its errors, the preview.
    page.get_by_role("link", name="New set").click()
    walk.check("new set")
    page.get_by_label("Title").fill(f"Baltic capitals {width}")
    page.get_by_role("button", name="Create set").click()
    walk.check("empty set")
    page.get_by_role("link", name="Add a question").click()
    walk.check("question types")
    page.get_by_role("link", name="Multiple choice, one right answer").click()
    walk.check("choice editor")
    page.get_by_label("Question").fill("Which city is the capital of Lithuania?")
    page.get_by_label("Option 1", exact=True).fill("Kaunas")
    page.get_by_label("Option 2", exact=True).fill("Vilnius")
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_text("This question was not saved")).to_be_visible()
    walk.check("choice editor with errors")
    page.get_by_label("Option 2 is the right answer").check()
    page.get_by_role("button", name="Save question").click()
    page.get_by_role("link", name="Show answer").first.click()
    expect(page.locator(".correct-answer")).to_be_visible()
    walk.check("set with a question, answer shown")

    # GIFT: a broken file, the fixed one, the import; then the set's YAML, uploaded twice.
    broken, fixed = tmp_path / "capitals.gift", tmp_path / "capitals-fixed.gift"
    broken.write_text(BROKEN_GIFT, encoding="utf-8")
    fixed.write_text(GIFT, encoding="utf-8")
    teach.click()
    page.get_by_role("link", name="Upload a question file").click()
    walk.check("upload")
    page.get_by_label("Question file").set_input_files(broken)
    page.get_by_label("Title of the new set").fill(f"Capitals from Moodle {width}")
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.locator(".upload-errors li")).to_have_count(1)
    walk.check("gift upload with an error")
    page.get_by_label("Question file").set_input_files(fixed)
    page.get_by_role("button", name="Upload and preview").click()
    walk.check("gift preview")
    page.get_by_role("button", name="Import 3 questions").click()
    expect(page.get_by_text("Imported 3 questions")).to_be_visible()
    walk.check("gift imported")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download YAML").click()
    yaml_file = tmp_path / "capitals.yaml"
    download.value.save_as(yaml_file)
    for upload in ("yaml upload", "yaml re-upload"):
        teach.click()
        page.get_by_role("link", name="Upload a question file").click()
        page.get_by_label("Question file").set_input_files(yaml_file)
        page.get_by_role("button", name="Upload and preview").click()
        walk.check(f"{upload} preview")
        page.get_by_role("button", name="Import 3 questions").click()
        expect(page.get_by_text("Imported 3 questions")).to_be_visible()
    walk.check("yaml re-uploaded")

    # A class, an assignment (its errors first), extra time for a learner, the results.
    teach.click()
    page.get_by_role("link", name="New class").click()
    walk.check("new class")
    class_name = f"History 9B {width}"
    page.get_by_label("Class name").fill(class_name)
    page.get_by_role("button", name="Create class").click()
    _enrol(app, class_name, learner)
    page.reload()
    walk.check("class")
    page.get_by_role("link", name="Assign a quiz").click()
    walk.check("assign")
    page.get_by_label("Title").fill("Dates test")
    page.get_by_role("button", name="Assign").click()
    expect(
        page.get_by_text("Tick at least one question set, or a tag under “Narrow by tags”.")
    ).to_be_visible()
    walk.check("assign with errors")
    page.get_by_label("Key dates in Belarus–Lithuania relations").check()
    page.get_by_label("Number of questions").fill("4")
    page.get_by_label("Time limit in minutes").fill("20")
    page.get_by_role("button", name="Assign").click()
    walk.check("class with an assignment")
    page.get_by_role("link", name="Edit Dates test").click()
    walk.check("assignment page")
    page.get_by_label("+ a number of minutes").check()
    page.get_by_role("button", name="Give extra time").click()
    expect(page.get_by_text("Say how many extra minutes")).to_be_visible()
    walk.check("extra time with an error")
    page.get_by_label("Extra minutes").fill("10")
    page.get_by_role("button", name="Give extra time").click()
    expect(
        page.get_by_text(
            "Lina Learner now has extra time on “Dates test”: + 10 minutes (30 minutes in all)."
        )
    ).to_be_visible()
    walk.check("extra time given")
    page.get_by_role("link", name=class_name).click()
    page.get_by_role("link", name="Gradebook").click()
    walk.check("gradebook")
    gradebook_url = page.url
    page.go_back()
    page.get_by_role("link", name="Item analysis", exact=True).click()
    walk.check("item analysis")
    page.go_back()
    page.get_by_role("link", name="Lina Learner").click()
    walk.check("learner")

    # A class bigger than a page of the gradebook: one learner a page, two learners.
    with app.app_context():
        create_user(f"mia{width}", "Mia Learner", PASSWORD)
        db.session.commit()
    _enrol(app, class_name, f"mia{width}")
    monkeypatch.setattr(gradebook_module, "PER_PAGE", 1)
    page.goto(gradebook_url)
    expect(page.get_by_text("Learners 1–1 of 2 (page 1 of 2)").first).to_be_visible()
    walk.check("gradebook, first page of two")
    page.get_by_role("link", name="Next →").first.click()
    expect(page.get_by_text("Learners 2–2 of 2 (page 2 of 2)").first).to_be_visible()
    walk.check("gradebook, second page")
