"""Extra time (WCAG 2.2.1, "timing adjustable"): a teacher lengthens one learner's time
limit on an assignment; that learner's attempts end later, on the server too, and nobody
else's do."""

from __future__ import annotations

import datetime as dt

import pytest
from classrooms.school import start
from drive import attempt_items, right_form

from quizapp.extensions import db
from quizapp.models import Attempt, ExtraTime, utcnow

TEN_MINUTES = 600


@pytest.fixture
def timed(app, school):
    """Tess's class with Lena and Leo in it and a 10-minute test, Tess logged in."""
    tess = school.teacher("tess")
    class_id = school.classroom(tess)
    lena, leo = school.learner("lena", "Lena Learner"), school.learner("leo", "Leo Learner")
    school.enrol(class_id, lena, leo)
    assignment = school.assignment(class_id, time_limit=TEN_MINUTES, attempts_allowed=None)
    teacher = app.test_client()
    school.log_in(teacher, tess)
    url = f"/teach/classes/{class_id}/assignments/{assignment}"
    return {
        "class_id": class_id,
        "assignment": assignment,
        "lena": lena,
        "leo": leo,
        "teacher": teacher,
        "url": url,
    }


def give(timed, learner: int, kind: str, minutes: str = ""):
    return timed["teacher"].post(
        f"{timed['url']}/extra-time",
        data={"learner": str(learner), "kind": kind, "minutes": minutes},
    )


def minutes_given(app, school, client, timed, user_id: int) -> float:
    """Start the assignment as this learner; return the minutes from start to deadline."""
    school.log_in(client, user_id)
    attempt_id = start(client, timed["assignment"])
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        return (attempt.deadline - attempt.started_at).total_seconds() / 60


@pytest.mark.parametrize(
    ("kind", "minutes", "expected"), [("x1.5", "", 15), ("x2", "", 20), ("plus", "7", 17)]
)
def test_extra_time_lengthens_that_learners_time_limit_and_nobody_elses(
    app, school, timed, kind, minutes, expected
):
    assert give(timed, timed["lena"], kind, minutes).status_code == 302
    assert minutes_given(app, school, app.test_client(), timed, timed["lena"]) == expected
    assert minutes_given(app, school, app.test_client(), timed, timed["leo"]) == 10


def test_the_assignments_page_lists_who_has_extra_time_and_how_much(app, school, timed):
    give(timed, timed["lena"], "plus", "5")
    page = timed["teacher"].get(f"{timed['url']}/edit").text
    assert "Lena Learner: + 5 minutes (15 minutes)" in page
    assert "Leo Learner:" not in page


def test_extra_time_given_during_an_attempt_moves_its_deadline(app, school, client, timed):
    assert minutes_given(app, school, client, timed, timed["lena"]) == 10
    response = give(timed, timed["lena"], "x2")
    flashed = timed["teacher"].get(response.headers["Location"]).text
    assert (
        "Lena Learner now has extra time on “Capitals”: × 2 (20 minutes in all); "
        "the attempt under way ends later too."
    ) in flashed
    (attempt,) = school.attempts(timed["assignment"], timed["lena"])
    assert attempt.deadline - attempt.started_at == dt.timedelta(minutes=20)


def test_the_server_ends_a_lengthened_attempt_at_its_own_deadline(app, school, client, timed):
    give(timed, timed["lena"], "x2")
    school.log_in(client, timed["lena"])
    attempt_id = start(client, timed["assignment"])
    spec, view = attempt_items(app, attempt_id)[0]
    # Fifteen minutes in: past everyone else's limit, still within Lena's.
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempt.started_at -= dt.timedelta(minutes=15)
        attempt.deadline -= dt.timedelta(minutes=15)
        db.session.commit()
    saved = client.post(f"/quiz/{attempt_id}/q/1", data={**right_form(spec, view), "go": "next"})
    assert saved.headers["Location"].endswith(f"/quiz/{attempt_id}/q/2")
    # Past her deadline: the attempt is over, whatever the page sends.
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempt.deadline = utcnow() - dt.timedelta(minutes=1)
        db.session.commit()
    late = client.post(f"/quiz/{attempt_id}/q/2", data={"go": "next"})
    assert late.headers["Location"].endswith(f"/quiz/{attempt_id}/results?time=up")


def test_the_closing_time_still_ends_an_attempt_with_extra_time(app, school, client, timed):
    school.set_times(timed["assignment"], closes_at=utcnow() + dt.timedelta(minutes=12))
    give(timed, timed["lena"], "x2")
    assert minutes_given(app, school, client, timed, timed["lena"]) < 12.5


def test_taking_extra_time_back_restores_the_limit(app, school, client, timed):
    give(timed, timed["lena"], "x2")
    remove = timed["teacher"].post(f"{timed['url']}/extra-time/{timed['lena']}/remove")
    assert remove.status_code == 302
    assert minutes_given(app, school, client, timed, timed["lena"]) == 10


def test_giving_extra_time_again_changes_it_rather_than_adding_a_second(app, school, timed):
    give(timed, timed["lena"], "x2")
    give(timed, timed["lena"], "plus", "30")
    with app.app_context():
        rows = db.session.scalars(db.select(ExtraTime)).all()
        assert [(r.factor_percent, r.extra_minutes) for r in rows] == [(None, 30)]


@pytest.mark.parametrize(
    ("kind", "minutes", "message"),
    [
        ("plus", "", "Say how many extra minutes, or choose × 1.5 or × 2."),
        ("plus", "0", "Give 1 to 600 extra minutes."),
        ("x3", "", "Not a valid choice"),
    ],
)
def test_a_wrong_extra_time_form_says_why_and_gives_nothing(
    app, school, timed, kind, minutes, message
):
    response = give(timed, timed["lena"], kind, minutes)
    assert response.status_code == 200
    assert message in response.text
    with app.app_context():
        assert db.session.scalars(db.select(ExtraTime)).all() == []


def test_only_a_learner_of_the_class_can_be_given_extra_time(app, school, timed):
    outsider = school.learner("olga")
    assert "Not a valid choice" in give(timed, outsider, "x2").text
    with app.app_context():
        assert db.session.scalars(db.select(ExtraTime)).all() == []


def test_another_teacher_cannot_give_extra_time(app, school, timed):
    otto = app.test_client()
    school.log_in(otto, school.teacher("otto"))
    response = otto.post(
        f"{timed['url']}/extra-time", data={"learner": str(timed["lena"]), "kind": "x2"}
    )
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalars(db.select(ExtraTime)).all() == []


def test_the_extra_time_form_needs_its_csrf_token(app, school, timed):
    app.config["WTF_CSRF_ENABLED"] = True
    assert give(timed, timed["lena"], "x2").status_code == 400
    with app.app_context():
        assert db.session.scalars(db.select(ExtraTime)).all() == []


def test_the_learner_reads_their_extra_time_before_starting_and_while_answering(
    app, school, client, timed
):
    give(timed, timed["lena"], "x1.5")
    school.log_in(client, timed["lena"])
    page = client.get(f"/assignments/{timed['assignment']}").text
    assert "Your teacher gave you extra time (× 1.5): you have 15 minutes." in page
    attempt_id = start(client, timed["assignment"])
    question = client.get(f"/quiz/{attempt_id}/q/1").text
    assert "your time: 15 minutes" in question


def test_a_learner_without_extra_time_reads_nothing_of_it(app, school, client, timed):
    give(timed, timed["lena"], "x1.5")
    school.log_in(client, timed["leo"])
    assert "extra time" not in client.get(f"/assignments/{timed['assignment']}").text
