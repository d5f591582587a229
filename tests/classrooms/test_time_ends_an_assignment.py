"""A timed assignment attempt left alone counts as finished everywhere once its time ends."""

from __future__ import annotations

import datetime as dt

from drive import attempt_items, right_form

from quizapp.extensions import db
from quizapp.models import Attempt, utcnow


def test_the_gradebook_and_the_learners_pages_count_an_ended_attempt_at_once(app, client, school):
    teacher = school.teacher()
    class_id = school.classroom(teacher)
    learner = school.learner("lou")
    school.enrol(class_id, learner)
    assignment_id = school.assignment(
        class_id,
        time_limit=300,
        closes_at=utcnow() - dt.timedelta(seconds=1) + dt.timedelta(days=1),
    )
    school.log_in(client, learner)
    started = client.post(f"/assignments/{assignment_id}/start")
    attempt_id = int(started.headers["Location"].split("/")[2])
    spec, view = attempt_items(app, attempt_id)[0]
    client.post(f"/quiz/{attempt_id}/q/1", data={**right_form(spec, view), "go": "next"})
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempt.deadline = utcnow() - dt.timedelta(minutes=1)
        db.session.commit()
    teacher_client = app.test_client()
    school.log_in(teacher_client, teacher)
    book = teacher_client.get(f"/teach/classes/{class_id}/gradebook").text
    assert "33%" in book
    page = client.get(f"/assignments/{assignment_id}").text
    assert f'<a href="/quiz/{attempt_id}/results">33%</a> (time ran out)' in page
    assert f'/quiz/{attempt_id}"' not in client.get("/").text
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).finished_at is None  # read, not written
