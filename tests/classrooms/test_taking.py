"""Learners find their assignments on the home page, start them and take them."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from classrooms.school import start, take

from quizapp.extensions import db
from quizapp.models import Attempt, utcnow


@pytest.fixture
def setup(app, client, school):
    teacher = school.teacher("tess", "Tess")
    class_id = school.classroom(teacher, "History 9B")
    learner = school.learner("lena", "Lena")
    school.enrol(class_id, learner)
    school.log_in(client, learner)
    return {"teacher": teacher, "class_id": class_id, "learner": learner}


def test_the_home_page_lists_open_upcoming_and_closed_assignments_with_their_dates(
    client, school, setup
):
    class_id = setup["class_id"]
    school.assignment(class_id, title="Due soon", closes_at=dt.datetime(2099, 5, 1, 18, 0))
    school.assignment(class_id, title="Later on", opens_at=dt.datetime(2099, 6, 1, 8, 30))
    school.assignment(class_id, title="Gone by", closes_at=dt.datetime(2020, 1, 2, 9, 0))
    page = client.get("/").text
    open_at, upcoming_at, closed_at = (
        page.index('data-status="open"'),
        page.index('data-status="upcoming"'),
        page.index('data-status="closed"'),
    )
    assert open_at < page.index("Due soon") < upcoming_at < page.index("Later on") < closed_at
    assert closed_at < page.index("Gone by")
    assert "due 1 May 2099 18:00 UTC" in page
    assert "opens 1 Jun 2099 08:30 UTC" in page
    assert "closed 2 Jan 2020 09:00 UTC" in page
    assert "0 of 1 attempt used" in page
    assert "Due dates are in UTC." in page


def test_a_learner_takes_an_assignment_and_sees_it_counted(app, client, school, setup):
    assignment = school.assignment(setup["class_id"], attempts_allowed=2)
    page = client.get(f"/assignments/{assignment}").text
    assert "3 questions · test mode · no time limit · 2 attempts" in page
    assert "Start" in page
    attempt_id = take(app, client, assignment, right=2)
    results = client.get(f"/quiz/{attempt_id}/results").text
    assert "2 / 3" in results
    home = client.get("/").text
    assert "1 of 2 attempts used" in home
    assert "best 67%" in home
    page = client.get(f"/assignments/{assignment}").text
    assert "Attempts used: 1 of 2." in page
    assert f"/quiz/{attempt_id}/results" in page


def test_the_attempt_takes_the_assignments_rules(app, client, school, setup):
    closes = utcnow() + dt.timedelta(days=1)
    assignment = school.assignment(
        setup["class_id"], mode="practice", time_limit=300, question_count=2, closes_at=closes
    )
    attempt_id = start(client, assignment)
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert (attempt.mode, attempt.time_limit, attempt.max_score) == ("practice", 300, 2)
        assert (attempt.assignment_id, attempt.user_id, attempt.number) == (
            assignment,
            setup["learner"],
            1,
        )
    assert "Time left" in client.get(f"/quiz/{attempt_id}/q/1").text


def test_starting_again_resumes_the_attempt_in_progress(app, client, school, setup):
    assignment = school.assignment(setup["class_id"])
    first = start(client, assignment)
    response = client.post(f"/assignments/{assignment}/start")
    assert response.headers["Location"] == f"/quiz/{first}"
    assert len(school.attempts(assignment)) == 1
    assert "Continue" in client.get(f"/assignments/{assignment}").text


@pytest.mark.parametrize(
    ("times", "message"),
    [
        (
            {"opens_at": dt.datetime(2099, 1, 1, 9, 0)},
            "This assignment opens on 1 Jan 2099 09:00 UTC.",
        ),
        (
            {"closes_at": dt.datetime(2020, 1, 1, 9, 0)},
            "This assignment closed on 1 Jan 2020 09:00 UTC.",
        ),
    ],
)
def test_starting_outside_the_window_is_refused_clearly(client, school, setup, times, message):
    assignment = school.assignment(setup["class_id"], **times)
    assert "Start" not in client.get(f"/assignments/{assignment}").text.split("<main")[1]
    response = client.post(f"/assignments/{assignment}/start", follow_redirects=True)
    assert message in response.text
    assert school.attempts(assignment) == []


def test_starting_after_the_last_attempt_is_refused_clearly(app, client, school, setup):
    assignment = school.assignment(setup["class_id"], attempts_allowed=1)
    take(app, client, assignment, right=1)
    assert "You have used all your attempts." in client.get(f"/assignments/{assignment}").text
    response = client.post(f"/assignments/{assignment}/start", follow_redirects=True)
    assert "You have used all your attempts at this assignment (1 attempt)." in response.text
    assert len(school.attempts(assignment)) == 1


def test_twenty_parallel_starts_of_a_one_attempt_assignment_make_one_attempt(app, school, setup):
    assignment = school.assignment(setup["class_id"], attempts_allowed=1)
    clients = [app.test_client() for _ in range(20)]
    for browser in clients:
        school.log_in(browser, setup["learner"])
    barrier = threading.Barrier(len(clients))
    statuses: list[tuple[int, str]] = []

    def start_one(browser):
        barrier.wait()
        response = browser.post(f"/assignments/{assignment}/start")
        statuses.append((response.status_code, response.headers.get("Location", "")))

    threads = [threading.Thread(target=start_one, args=(b,)) for b in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    attempts = school.attempts(assignment)
    assert len(attempts) == 1
    assert len(statuses) == 20
    assert all(code == 302 and f"/quiz/{attempts[0].id}" in where for code, where in statuses)


def test_a_learner_not_in_the_class_gets_404_for_its_assignments(app, school, setup):
    assignment = school.assignment(setup["class_id"])
    stranger = app.test_client()
    school.log_in(stranger, school.learner("sam"))
    assert stranger.get(f"/assignments/{assignment}").status_code == 404
    assert stranger.post(f"/assignments/{assignment}/start").status_code == 404
    assert stranger.get("/assignments/999").status_code == 404
    assert school.attempts(assignment) == []


def test_a_learner_who_left_loses_access_to_the_assignments(app, client, school, setup):
    assignment = school.assignment(setup["class_id"])
    client.post(f"/classes/{setup['class_id']}/leave")
    assert client.get(f"/assignments/{assignment}").status_code == 404
    assert client.post(f"/assignments/{assignment}/start").status_code == 404


def test_a_visitor_is_asked_to_log_in(app, school, setup):
    assignment = school.assignment(setup["class_id"])
    visitor = app.test_client()
    for response in (
        visitor.get(f"/assignments/{assignment}"),
        visitor.post(f"/assignments/{assignment}/start"),
        visitor.get("/classes"),
    ):
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login")


def test_starting_without_a_csrf_token_starts_nothing(app, client, school, setup):
    assignment = school.assignment(setup["class_id"])
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/assignments/{assignment}/start").status_code == 400
    assert school.attempts(assignment) == []
