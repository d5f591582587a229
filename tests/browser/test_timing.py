"""Timing adjustable (WCAG 2.2.1): the time left is text, a learner is warned five minutes
and one minute before the end, each warning announced once, and a learner given extra time
has it on the page. The page's clock is Playwright's, moved forward instead of waited."""

from __future__ import annotations

import datetime as dt
import itertools
import re

from playwright.sync_api import Page, expect

from quizapp.accounts import create_user
from quizapp.classrooms import extra_time, rosters
from quizapp.extensions import db
from quizapp.models import Assignment, User

PASSWORD = "a long pass phrase"
_names = itertools.count()

#: Every text the warning region takes, recorded as it changes.
_RECORD_ANNOUNCEMENTS = """() => {
    const region = document.querySelector(".countdown-warning");
    window.announced = [];
    new MutationObserver(() => window.announced.push(region.textContent)).observe(
        region, {childList: true, characterData: true, subtree: true});
}"""


def log_in_new(page: Page, app) -> str:
    username = f"timed{next(_names)}"
    with app.app_context():
        create_user(username, "Tim Learner", PASSWORD)
        db.session.commit()
    page.goto("/auth/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    return username


def test_a_learner_is_warned_at_five_minutes_and_at_one_minute_once_each(page: Page, live_server):
    page.clock.install(time=dt.datetime.now(dt.UTC))
    log_in_new(page, live_server.app)
    page.goto("/")
    quiz = page.locator('li.card[data-bank="mixed"]')
    quiz.get_by_label("Test time limit").select_option(label="10 minutes")
    quiz.get_by_role("button", name="Test").click()

    countdown = page.locator(".countdown")
    expect(countdown).to_have_text(re.compile(r"^(10:00|9:\d\d)$"))
    expect(page.get_by_text("your time: 10 minutes")).to_be_visible()
    warning = page.locator(".countdown-warning[role=status][aria-live=polite]")
    expect(warning).to_have_text("")
    # The ticking clock is outside any live region: it is read when asked, not every second.
    assert countdown.evaluate("e => e.closest('[aria-live], [role=status]') === null")
    page.evaluate(_RECORD_ANNOUNCEMENTS)

    page.clock.run_for("04:00")
    expect(warning).to_have_text("")
    page.clock.run_for("01:05")
    expect(countdown).to_have_text(re.compile(r"^4:[45]\d$"))
    expect(warning).to_have_text("Five minutes left.")
    page.clock.run_for("03:30")
    expect(warning).to_have_text("Five minutes left.")
    page.clock.run_for("00:30")
    expect(warning).to_have_text(re.compile("^One minute left"))
    page.clock.run_for("00:40")
    assert page.evaluate("window.announced") == [
        "Five minutes left.",
        "One minute left: when the time is up, the answers on the page are saved "
        "and the quiz ends.",
    ]


def test_a_learner_given_extra_time_sees_the_longer_time_on_the_question_page(
    page: Page, live_server
):
    app = live_server.app
    username = log_in_new(page, app)
    with app.app_context():
        teacher = create_user(f"t-{username}", "Tia Teacher", PASSWORD, role="teacher")
        classroom = rosters.create_class(teacher, f"Class of {username}")
        learner = db.session.scalar(db.select(User).where(User.username == username))
        rosters.join(classroom, learner, consented=True)
        assignment = Assignment(
            classroom_id=classroom.id, title="Timed dates", bank_ids=[], tags=[],
            question_count=3, mode="test", time_limit=600, attempts_allowed=1,
        )  # fmt: skip
        db.session.add(assignment)
        db.session.flush()
        extra_time.give(assignment, learner.id, "x1.5")
        db.session.commit()
    page.goto("/")
    page.locator(".my-assignments").get_by_role("link", name="Timed dates").click()
    expect(page.get_by_text("you have 15 minutes")).to_be_visible()
    page.get_by_role("button", name="Start").click()
    expect(page.locator(".countdown")).to_have_text(re.compile(r"^(15:00|14:\d\d)$"))
    expect(page.get_by_text("your time: 15 minutes")).to_be_visible()
