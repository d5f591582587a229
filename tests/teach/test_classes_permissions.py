"""Who may open the class pages: the class's teacher; another teacher gets 404, a learner 403."""

from __future__ import annotations

import classrooms.school as fixtures
import pytest
from classrooms.school import take

from quizapp.extensions import db
from quizapp.models import Assignment, Classroom, ExtraTime, Membership

banks, school = fixtures.banks, fixtures.school

#: Every teacher page of a class, with the method that reaches it.
ROUTES = [
    ("GET", "/teach/classes/new"),
    ("POST", "/teach/classes/new"),
    ("GET", "/teach/classes/{class_id}"),
    ("GET", "/teach/classes/{class_id}/edit"),
    ("POST", "/teach/classes/{class_id}/edit"),
    ("POST", "/teach/classes/{class_id}/code"),
    ("GET", "/teach/classes/{class_id}/learners/{learner}"),
    ("POST", "/teach/classes/{class_id}/learners/{learner}/remove"),
    ("GET", "/teach/classes/{class_id}/assignments/new"),
    ("POST", "/teach/classes/{class_id}/assignments/new"),
    ("GET", "/teach/classes/{class_id}/assignments/{assignment}/edit"),
    ("POST", "/teach/classes/{class_id}/assignments/{assignment}/edit"),
    ("POST", "/teach/classes/{class_id}/assignments/{assignment}/delete"),
    ("POST", "/teach/classes/{class_id}/assignments/{assignment}/extra-time"),
    ("POST", "/teach/classes/{class_id}/assignments/{assignment}/extra-time/{learner}/remove"),
    ("GET", "/teach/classes/{class_id}/assignments/{assignment}/analysis"),
    ("GET", "/teach/classes/{class_id}/gradebook"),
    ("GET", "/teach/classes/{class_id}/gradebook.csv"),
    ("GET", "/teach/classes/{class_id}/analysis"),
    ("GET", "/teach/attempts/{attempt}"),
]
#: Those that belong to one class (all but creating a class).
CLASS_ROUTES = [route for route in ROUTES if "{" in route[1]]


@pytest.fixture
def world(app, school):
    """Tess's class with Lena in it, an assignment and Lena's finished attempt."""
    tess = school.teacher("tess")
    class_id = school.classroom(tess, "Tess's class")
    lena = school.learner("lena")
    school.enrol(class_id, lena)
    assignment = school.assignment(class_id)
    browser = app.test_client()
    school.log_in(browser, lena)
    attempt = take(app, browser, assignment, right=2)
    return {
        "tess": tess,
        "lena": lena,
        "ids": {
            "class_id": class_id,
            "learner": lena,
            "assignment": assignment,
            "attempt": attempt,
        },
    }


def snapshot(app):
    """Everything a class page could change."""
    with app.app_context():
        return (
            [(c.id, c.name, c.join_code) for c in db.session.scalars(db.select(Classroom))],
            [(m.classroom_id, m.user_id) for m in db.session.scalars(db.select(Membership))],
            [(a.id, a.title) for a in db.session.scalars(db.select(Assignment))],
            [
                (e.assignment_id, e.user_id, e.factor_percent)
                for e in db.session.scalars(db.select(ExtraTime))
            ],
        )


FORM = {
    "name": "Taken over",
    "title": "Taken over",
    "question_count": "1",
    "mode": "test",
    "kind": "x2",
}


def form(world) -> dict:
    """FORM, naming the class's learner (for the extra-time form)."""
    return {**FORM, "learner": str(world["lena"])}


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_a_learner_gets_403_on_every_teacher_page(app, client, school, world, method, url):
    school.log_in(client, world["lena"])
    before = snapshot(app)
    response = client.open(url.format(**world["ids"]), method=method, data=form(world))
    assert response.status_code == 403
    assert snapshot(app) == before


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_a_visitor_is_sent_to_log_in_from_every_teacher_page(app, client, world, method, url):
    before = snapshot(app)
    response = client.open(url.format(**world["ids"]), method=method, data=form(world))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")
    assert snapshot(app) == before


@pytest.mark.parametrize(("method", "url"), CLASS_ROUTES)
def test_another_teacher_gets_404_for_every_page_of_the_class(
    app, client, school, world, method, url
):
    school.log_in(client, school.teacher("otto"))
    before = snapshot(app)
    response = client.open(url.format(**world["ids"]), method=method, data=form(world))
    assert response.status_code == 404
    assert snapshot(app) == before


@pytest.mark.parametrize(("method", "url"), CLASS_ROUTES)
def test_the_classs_teacher_reaches_every_page(app, client, school, world, method, url):
    school.log_in(client, world["tess"])
    response = client.open(url.format(**world["ids"]), method=method, data=form(world))
    assert response.status_code in (200, 302)


def test_another_teachers_ids_inside_ones_own_class_are_404(app, client, school, world):
    """An assignment or learner of another class, under one's own class: still 404."""
    otto = school.teacher("otto")
    school.log_in(client, otto)
    own = school.classroom(otto, "Otto's class")
    ids = world["ids"]
    for url in (
        f"/teach/classes/{own}/assignments/{ids['assignment']}/edit",
        f"/teach/classes/{own}/assignments/{ids['assignment']}/analysis",
        f"/teach/classes/{own}/learners/{ids['learner']}",
    ):
        assert client.get(url).status_code == 404
    before = snapshot(app)
    assert (
        client.post(f"/teach/classes/{own}/assignments/{ids['assignment']}/delete").status_code
        == 404
    )
    assert client.post(f"/teach/classes/{own}/learners/{ids['learner']}/remove").status_code == 404
    assert snapshot(app) == before


def test_another_teachers_classes_are_not_on_the_dashboard(client, school, world):
    school.log_in(client, school.teacher("otto"))
    assert "Tess&#39;s class" not in client.get("/teach/").text


def test_a_teachers_attempt_view_only_shows_attempts_at_their_own_assignments(
    app, client, school, world
):
    """A learner's own practice quiz is no teacher's business."""
    lena = app.test_client()
    school.log_in(lena, world["lena"])
    response = lena.post(
        "/quiz/start", data={"quiz": "bank:capitals", "mode": "practice", "time_limit": "0"}
    )
    practice = int(response.headers["Location"].split("/")[2])
    school.log_in(client, world["tess"])
    assert client.get(f"/teach/attempts/{practice}").status_code == 404
    assert client.get(f"/teach/attempts/{world['ids']['attempt']}").status_code == 200


def test_without_a_csrf_token_no_class_page_changes_anything(app, client, school, world):
    school.log_in(client, world["tess"])
    app.config["WTF_CSRF_ENABLED"] = True
    before = snapshot(app)
    for method, url in ROUTES:
        if method == "POST":
            response = client.post(url.format(**world["ids"]), data=FORM)
            assert response.status_code == 400, url
    assert snapshot(app) == before
