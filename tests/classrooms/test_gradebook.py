"""The gradebook on a known history: best scores, attempts, last activity, CSV table."""

from __future__ import annotations

import datetime as dt

import pytest
from classrooms.school import live_versions, record_attempt

from quizapp.classrooms import gradebook as gradebook_module
from quizapp.classrooms import rosters
from quizapp.classrooms.gradebook import gradebook, learner_history, table
from quizapp.extensions import db
from quizapp.models import Classroom

DAY = dt.datetime(2030, 3, 1)
NOW = DAY.replace(hour=14)


def at(hour: int, minute: int = 0) -> dt.datetime:
    return DAY.replace(hour=hour, minute=minute)


@pytest.fixture
def history(app, school):
    """A class of Ana, Ben and Cy (and Dee, who was removed), with two assignments.

    Ages    (4 questions, 3 attempts): Ana 2.5/4 then 3/4 (75% best, last 10:20);
            Ben 1/4, then a second attempt in progress with one answer at 12:01.
    Timed   (2 questions, 10 minutes): Ana started at 13:00, answered 1 + 0.5 by 13:02
            and never came back; at 14:00 her time has run out, so it counts: 75%.
    Dee scored 4/4 on Ages before the teacher removed her: she is not in the gradebook.
    """
    teacher = school.teacher()
    class_id = school.classroom(teacher, "History 9B")
    ana = school.learner("ana", "Ana")
    ben = school.learner("ben", "Ben")
    cy = school.learner("cy", "Cy")
    dee = school.learner("dee", "Dee")
    school.enrol(class_id, ana, ben, cy, dee)
    ages = school.assignment(class_id, title="Ages", question_count=4, attempts_allowed=3)
    timed = school.assignment(class_id, title="Timed", question_count=2, time_limit=600)
    versions = list(live_versions(app).values())
    four, two = versions[:4], versions[:2]

    def right(credit: float) -> tuple[str, float]:
        return ("an answer", credit)

    record_attempt(app, ana, ages, 1, four, [right(1), right(1), right(0), right(0.5)],
                   started=at(9), finished=at(9, 10))  # fmt: skip
    record_attempt(app, ana, ages, 2, four, [right(1), right(1), right(1), right(0)],
                   started=at(10), finished=at(10, 20))  # fmt: skip
    record_attempt(app, ben, ages, 1, four, [right(1), right(0), right(0), right(0)],
                   started=at(11), finished=at(11, 5))  # fmt: skip
    record_attempt(app, ben, ages, 2, four, [right(1)], started=at(12))
    record_attempt(app, ana, timed, 1, two, [right(1), right(0.5)], started=at(13), time_limit=600)
    record_attempt(app, dee, ages, 1, four, [right(1)] * 4, started=at(8), finished=at(8, 30))
    with app.app_context():
        classroom = db.session.get(Classroom, class_id)
        rosters.leave(classroom, dee)
        db.session.commit()
    return {"class_id": class_id, "ana": ana, "ben": ben, "cy": cy}


def test_the_gradebook_has_a_row_per_current_learner_and_a_column_per_assignment(app, history):
    with app.app_context():
        book = gradebook(db.session.get(Classroom, history["class_id"]), NOW)
        assert [a.title for a in book.assignments] == ["Ages", "Timed"]
        assert [row.learner.display_name for row in book.rows] == ["Ana", "Ben", "Cy"]


def test_each_cell_holds_the_best_score_the_attempts_and_the_last_activity(app, history):
    with app.app_context():
        book = gradebook(db.session.get(Classroom, history["class_id"]), NOW)
        ana, ben, cy = book.rows
        (ana_ages, ana_timed), (ben_ages, ben_timed) = ana.cells, ben.cells

        assert (ana_ages.attempts, ana_ages.done, ana_ages.best_percent) == (2, 2, 75.0)
        assert ana_ages.best.score == 3.0 and ana_ages.best.attempt.number == 2
        assert ana_ages.last_activity == at(10, 20)

        # Out of time and never finished: scored with the answers it had.
        assert (ana_timed.attempts, ana_timed.done, ana_timed.best_percent) == (1, 1, 75.0)
        assert ana_timed.last_activity == at(13, 2)
        assert ana.last_activity == at(13, 2)

        # The attempt in progress counts as used, not in the best score.
        assert (ben_ages.attempts, ben_ages.done, ben_ages.best_percent) == (2, 1, 25.0)
        assert ben_ages.last_activity == at(12, 1)
        assert (ben_timed.attempts, ben_timed.best, ben_timed.last_activity) == (0, None, None)

        assert all(cell.attempts == 0 for cell in cy.cells)
        assert cy.last_activity is None


def test_the_gradebook_as_a_table_for_the_csv(app, history):
    with app.app_context():
        rows = table(gradebook(db.session.get(Classroom, history["class_id"]), NOW))
    assert rows == [
        [
            "Learner",
            "Username",
            "Ages: best %",
            "Ages: attempts",
            "Ages: last activity (UTC)",
            "Timed: best %",
            "Timed: attempts",
            "Timed: last activity (UTC)",
            "Last activity (UTC)",
        ],
        [
            "Ana",
            "ana",
            75.0,
            2,
            "2030-03-01 10:20",
            75.0,
            1,
            "2030-03-01 13:02",
            "2030-03-01 13:02",
        ],
        ["Ben", "ben", 25.0, 2, "2030-03-01 12:01", "", 0, "", "2030-03-01 12:01"],
        ["Cy", "cy", "", 0, "", "", 0, "", ""],
    ]


def test_a_learners_history_lists_their_attempts_newest_first(app, history):
    with app.app_context():
        classroom = db.session.get(Classroom, history["class_id"])
        ana = learner_history(classroom, history["ana"], NOW)
        assert [(o.attempt.started_at, o.percent) for o in ana] == [
            (at(13), 75.0),
            (at(10), 75.0),
            (at(9), 62.5),
        ]
        ben = learner_history(classroom, history["ben"], NOW)
        assert [(o.done, o.percent) for o in ben] == [(False, None), (True, 25.0)]


def test_before_the_time_runs_out_a_timed_attempt_is_still_in_progress(app, history):
    with app.app_context():
        book = gradebook(db.session.get(Classroom, history["class_id"]), at(13, 5))
        ana_timed = book.rows[0].cells[1]
        assert (ana_timed.attempts, ana_timed.done, ana_timed.best) == (1, 0, None)


@pytest.fixture
def two_a_page(monkeypatch):
    """Pages of two learners, so that Ana, Ben and Cy make two pages."""
    monkeypatch.setattr(gradebook_module, "PER_PAGE", 2)


def teachers_gradebook(client, school, history, query: str = "") -> str:
    with client.application.app_context():
        owner = db.session.get(Classroom, history["class_id"]).owner_id
    school.log_in(client, owner)
    return client.get(f"/teach/classes/{history['class_id']}/gradebook{query}").text


def test_a_big_class_s_gradebook_shows_a_page_of_learners_and_says_which(
    client, school, history, two_a_page
):
    page = teachers_gradebook(client, school, history)
    assert "Learners 1–2 of 3 (page 1 of 2)" in page
    assert ">Ana</a>" in page and ">Ben</a>" in page and ">Cy</a>" not in page
    assert 'rel="next"' in page and 'rel="prev"' not in page


def test_the_next_page_of_the_gradebook_shows_the_rest_with_their_own_cells(
    client, school, history, two_a_page
):
    page = teachers_gradebook(client, school, history, "?page=2")
    assert "Learners 3–3 of 3 (page 2 of 2)" in page
    assert ">Cy</a>" in page and ">Ana</a>" not in page
    assert page.count("not started") == 2  # Cy started neither assignment
    assert 'rel="prev"' in page and 'rel="next"' not in page


def test_a_page_past_the_last_shows_the_last_and_a_bad_one_the_first(
    client, school, history, two_a_page
):
    assert "page 2 of 2" in teachers_gradebook(client, school, history, "?page=9")
    assert "page 1 of 2" in teachers_gradebook(client, school, history, "?page=x")


def test_a_class_that_fits_one_page_has_no_page_links(client, school, history):
    page = teachers_gradebook(client, school, history)
    assert "Pages of learners" not in page and ">Cy</a>" in page


def test_the_csv_holds_every_learner_whatever_the_pages(client, school, history, two_a_page):
    teachers_gradebook(client, school, history)
    csv = client.get(f"/teach/classes/{history['class_id']}/gradebook.csv").text
    assert all(name in csv for name in ("Ana", "Ben", "Cy"))
