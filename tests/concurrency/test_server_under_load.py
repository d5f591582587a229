"""Many learners at once against gunicorn with four workers: nothing lost, nothing doubled.

Each test starts a real server on loopback over the test's database (a SQLite file,
or PostgreSQL when DATABASE_URL points at it) and fires its requests from threads
that wait at a barrier, so that they reach the workers at the same moment.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import pytest
from concurrency.conftest import Browser, run_gunicorn, sign_in
from werkzeug.security import generate_password_hash

from quizapp.attempts import answering, drawing
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Attempt,
    AttemptItem,
    Bank,
    Classroom,
    Membership,
    Response,
    User,
)

LEARNERS = 200
PARALLEL_STARTS = 20
BARRIER_TIMEOUT = 300


class AnswerForm(HTMLParser):
    """Read the answer form of a question page and fill it in as a learner might."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, object] = {}
        self._in_form = False
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "answer-form":
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        kind = a.get("type", "text")
        if tag == "input" and name and kind not in ("hidden", "submit"):
            if kind in ("radio", "checkbox"):
                self.fields.setdefault(name, a.get("value"))
            else:  # a typed answer, or one gap of a cloze
                self.fields[name] = "1990"
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and a.get("value"):
            index = int(self._select.rsplit("-", 1)[1])
            if self._select.startswith("position-"):
                self.fields[self._select] = str(index + 1)
            else:
                self.fields.setdefault(self._select, a["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "form":
            self._in_form = False


def answer_for(page: str) -> dict:
    form = AnswerForm()
    form.feed(page)
    assert form.fields, "no answer form on the page"
    return {**form.fields, "go": "next"}


def make_learners(app, count: int) -> list[User]:
    """Learners added in one go, with a cheap hash: they never log in through the form."""
    cheap = generate_password_hash("not used", method="pbkdf2:sha256:1")
    with app.app_context():
        users = [
            User(username=f"learner{i:03d}", display_name=f"Learner {i}", password_hash=cheap)
            for i in range(count)
        ]
        db.session.add_all(users)
        db.session.commit()
        for user in users:
            db.session.refresh(user)
        db.session.expunge_all()
    return users


def run_at_once(count: int, action) -> list:
    """Run action(i) in `count` threads that start their last step together."""
    barrier = threading.Barrier(count, timeout=BARRIER_TIMEOUT)

    def run(i: int):
        try:
            return action(i, barrier)
        except BaseException:
            # One learner failed before the common moment: release the others at once,
            # so the run reports that failure instead of waiting out the barrier.
            barrier.abort()
            raise

    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(run, i) for i in range(count)]
    failures = [f.exception() for f in futures if f.exception() is not None]
    causes = [e for e in failures if not isinstance(e, threading.BrokenBarrierError)]
    if failures:
        raise (causes or failures)[0]
    return [f.result() for f in futures]


def test_200_learners_answering_at_once_lose_nothing_and_double_nothing(loaded, server):
    app = loaded
    learners = make_learners(app, LEARNERS)

    def learner(i: int, barrier: threading.Barrier):
        browser = server.browser()
        sign_in(app, browser, learners[i])
        started = browser.post(
            "/quiz/start", {"quiz": "mixed", "mode": "test", "time_limit": "0"}, token_from="/"
        )
        assert started.status == 302, started.text[-500:]
        attempt_path = started.location.split("://", 1)[-1]
        attempt_path = attempt_path[attempt_path.index("/quiz/") :]
        page = browser.get(attempt_path)
        token = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page.text)
        form = {**answer_for(page.text), "csrf_token": token.group(1)}
        barrier.wait()  # everyone answers at the same moment
        answered = browser.request("POST", attempt_path, form)
        return answered.status, attempt_path

    results = run_at_once(LEARNERS, learner)
    assert Counter(status for status, _ in results) == {302: LEARNERS}
    assert server.errors() == []
    with app.app_context():
        attempts = db.session.scalars(db.select(Attempt)).all()
        assert len(attempts) == LEARNERS
        answered = db.session.scalar(
            db.select(db.func.count(Response.id))
            .join(AttemptItem, AttemptItem.id == Response.item_id)
            .where(AttemptItem.position == 1)
        )
        assert answered == LEARNERS
        assert db.session.scalar(db.select(db.func.count(Response.id))) == LEARNERS
        assert {a.user_id for a in attempts} == {u.id for u in learners}


def test_the_same_answer_sent_20_times_at_once_is_stored_once(loaded, server):
    app = loaded
    (learner,) = make_learners(app, 1)
    browser = server.browser()
    sign_in(app, browser, learner)
    started = browser.post(
        "/quiz/start", {"quiz": "mixed", "mode": "practice", "time_limit": "0"}, token_from="/"
    )
    path = started.location[started.location.index("/quiz/") :]
    page = browser.get(path)
    token = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page.text)
    form = {**answer_for(page.text), "csrf_token": token.group(1)}

    def resend(_i, barrier):
        barrier.wait()
        return browser.request("POST", path, form).status

    assert set(run_at_once(PARALLEL_STARTS, resend)) == {302}
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Response.id))) == 1


@pytest.fixture
def assignment(loaded):
    """A class of one learner and an assignment that allows a single attempt."""
    app = loaded
    (learner,) = make_learners(app, 1)
    with app.app_context():
        teacher = User(
            username="teo",
            display_name="Teo",
            role="teacher",
            password_hash=generate_password_hash("x", method="pbkdf2:sha256:1"),
        )
        db.session.add(teacher)
        db.session.flush()
        classroom = Classroom(name="7B", owner_id=teacher.id, join_code="ABCD23")
        db.session.add(classroom)
        db.session.flush()
        db.session.add(Membership(classroom_id=classroom.id, user_id=learner.id))
        bank = db.session.scalar(db.select(Bank).order_by(Bank.id))
        homework = Assignment(
            classroom_id=classroom.id,
            title="Homework",
            bank_ids=[bank.id],
            question_count=5,
            mode="test",
            attempts_allowed=1,
        )
        db.session.add(homework)
        db.session.commit()
        return learner, homework.id


def test_20_parallel_starts_of_a_one_attempt_assignment_make_one_attempt(
    loaded, server, assignment
):
    app = loaded
    learner, assignment_id = assignment
    browser = server.browser()
    sign_in(app, browser, learner)
    page = browser.get(f"/assignments/{assignment_id}")
    token = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page.text)
    assert token, page.status

    def start(_i, barrier):
        barrier.wait()
        reply = browser.request(
            "POST", f"/assignments/{assignment_id}/start", {"csrf_token": token.group(1)}
        )
        return reply.status, reply.location

    results = run_at_once(PARALLEL_STARTS, start)
    assert {status for status, _ in results} == {302}
    # Every request is sent to the one attempt: the new one, or resuming it.
    assert len({re.search(r"/quiz/(\d+)", location).group(1) for _, location in results}) == 1
    assert server.errors() == []
    with app.app_context():
        attempts = db.session.scalars(
            db.select(Attempt).where(Attempt.assignment_id == assignment_id)
        ).all()
        assert len(attempts) == 1 and attempts[0].user_id == learner.id


def _answered_attempt(app, learner, mode="test") -> int:
    with app.app_context():
        attempt = drawing.start_attempt(drawing.find_quiz("mixed"), mode, user_id=learner.id)
        for item in attempt.items[:3]:
            answering.record_answer(attempt, item, "an answer")
        db.session.commit()
        return attempt.id


def test_finish_sent_twice_at_once_grades_once(loaded, server):
    app = loaded
    (learner,) = make_learners(app, 1)
    attempt_id = _answered_attempt(app, learner)
    browser = server.browser()
    sign_in(app, browser, learner)
    page = browser.get(f"/quiz/{attempt_id}/finish")
    token = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page.text)

    def finish(_i, barrier):
        barrier.wait()
        reply = browser.request(
            "POST", f"/quiz/{attempt_id}/finish", {"csrf_token": token.group(1)}
        )
        return reply.status, reply.location

    results = run_at_once(2, finish)
    assert {status for status, _ in results} == {302}
    assert all(location.endswith(f"/quiz/{attempt_id}/results") for _, location in results)
    assert server.errors() == []
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        fractions = db.session.scalars(
            db.select(Response.fraction)
            .join(AttemptItem)
            .where(AttemptItem.attempt_id == attempt_id)
        ).all()
        assert attempt.is_finished and attempt.score == pytest.approx(sum(fractions))


@pytest.mark.parametrize("fault", ["answer-recorded", "attempt-finished"])
def test_a_crash_in_the_middle_of_grading_leaves_nothing_half_written(loaded, fault):
    app = loaded
    (learner,) = make_learners(app, 1)
    attempt_id = _answered_attempt(app, learner)
    with app.app_context():
        before = (
            db.session.scalar(db.select(db.func.count(Response.id))),
            db.session.get(Attempt, attempt_id).finished_at,
        )
    with run_gunicorn(app, FAULTS=fault) as server:
        browser: Browser = server.browser()
        sign_in(app, browser, learner)
        page = browser.get(f"/quiz/{attempt_id}/q/5")
        answered = browser.post(f"/quiz/{attempt_id}/q/5", answer_for(page.text))
        finished = browser.post(f"/quiz/{attempt_id}/finish")
        statuses = {"answer-recorded": answered.status, "attempt-finished": finished.status}
        assert statuses[fault] == 500
        assert "Something went wrong" in (answered if fault == "answer-recorded" else finished).text
        assert "InjectedFault" in "\n".join(server.log)  # the fault did fire, mid-request
        # The server still serves everyone else.
        assert browser.get("/progress/").status == 200
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        responses = db.session.scalar(db.select(db.func.count(Response.id)))
        if fault == "answer-recorded":
            assert responses == before[0]  # the fifth answer is not half-stored
            assert attempt.items[4].response is None
        else:
            assert (responses, attempt.finished_at, attempt.score) == (before[0] + 1, None, None)
