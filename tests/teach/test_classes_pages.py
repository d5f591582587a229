"""A teacher's class pages: classes and join codes, assignments, gradebook, CSV, history."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import classrooms.school as fixtures
import pytest
from classrooms.school import CAPITALS, start, take

from quizapp.banks.loader import load_bank
from quizapp.banks.sync import sync_bank
from quizapp.classrooms.spreadsheet import BOM
from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, Classroom, Membership, utcnow

banks, bundled, school = fixtures.banks, fixtures.bundled, fixtures.school


@pytest.fixture
def teacher(school, client) -> int:
    """A teacher, signed in on `client`."""
    teacher_id = school.teacher("tess", "Tess Teacher")
    school.log_in(client, teacher_id)
    return teacher_id


@pytest.fixture
def class_id(school, teacher) -> int:
    return school.classroom(teacher, "History 9B")


def assignment_form(school, **fields) -> dict:
    data = {
        "title": "Capitals",
        "banks": [str(school.bank_id("capitals"))],
        "question_count": "3",
        "mode": "test",
        "time_limit": "",
        "opens_at": "",
        "closes_at": "",
        "attempts_allowed": "1",
    }
    data.update(fields)
    return data


# Classes and join codes


def test_the_dashboard_offers_a_new_class(client, teacher):
    page = client.get("/teach/").text
    assert 'href="/teach/classes/new"' in page


def test_a_teacher_creates_a_class_and_sees_its_code_and_link(app, client, teacher):
    response = client.post("/teach/classes/new", data={"name": "  History 9B  "})
    assert response.status_code == 302
    with app.app_context():
        classroom = db.session.scalar(db.select(Classroom))
        assert (classroom.name, classroom.owner_id) == ("History 9B", teacher)
        code = classroom.join_code
    page = client.get(response.headers["Location"]).text
    assert "History 9B" in page
    assert code in page
    assert f"http://localhost/join/{code}" in page
    assert "History 9B" in client.get("/teach/").text


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Give the class a name."), ("x" * 121, "at most 120 characters")],
)
def test_a_class_without_a_proper_name_is_refused_with_the_input_kept(
    app, client, teacher, name, message
):
    response = client.post("/teach/classes/new", data={"name": name})
    assert response.status_code == 200
    assert message in response.text
    if name:
        assert f'value="{name}"' in response.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Classroom.id))) == 0


def test_a_teacher_renames_a_class(app, client, class_id):
    assert client.get(f"/teach/classes/{class_id}/edit").status_code == 200
    response = client.post(f"/teach/classes/{class_id}/edit", data={"name": "History 10B"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Classroom, class_id).name == "History 10B"


def test_a_new_code_replaces_the_old_one_and_the_old_link_stops_working(
    app, client, school, class_id
):
    old = school.code(class_id)
    response = client.post(f"/teach/classes/{class_id}/code", follow_redirects=True)
    new = school.code(class_id)
    assert new != old
    assert f"New join code: {new}" in response.text
    learner = app.test_client()
    school.log_in(learner, school.learner())
    assert learner.get(f"/join/{old}").status_code == 404
    assert learner.get(f"/join/{new}").status_code == 200


def test_a_teacher_removes_a_learner_and_keeps_their_attempts(app, client, school, class_id):
    lena = school.learner("lena")
    school.enrol(class_id, lena)
    assignment = school.assignment(class_id)
    learner = app.test_client()
    school.log_in(learner, lena)
    take(app, learner, assignment, right=3)
    page = client.get(f"/teach/classes/{class_id}").text
    assert "Lena" in page
    response = client.post(f"/teach/classes/{class_id}/learners/{lena}/remove")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Membership.id))) == 0
    assert len(school.attempts(assignment, lena)) == 1
    assert learner.get(f"/assignments/{assignment}").status_code == 404
    # Someone not in the class cannot be removed from it.
    assert client.post(f"/teach/classes/{class_id}/learners/{lena}/remove").status_code == 404


# Assignments


def test_the_assignment_form_offers_bundled_banks_own_sets_and_tags_not_others_sets(
    app, client, school, class_id, bundled
):
    page = client.get(f"/teach/classes/{class_id}/assignments/new").text
    assert "Capitals and dates" in page
    assert "Key dates in Belarus–Lithuania relations" in page
    assert "capitals (2)" in page  # the tag, with its number of questions
    assert "(UTC)" in page


def test_a_teacher_assigns_a_quiz_with_all_its_rules(app, client, school, class_id):
    response = client.post(
        f"/teach/classes/{class_id}/assignments/new",
        data=assignment_form(
            school,
            title="Borders",
            tags=["borders"],
            question_count="2",
            mode="practice",
            time_limit="15",
            opens_at="2030-01-10T08:00",
            closes_at="2030-01-17T20:30",
            attempts_allowed="",
        ),
    )
    assert response.status_code == 302, response.text
    capitals = school.bank_id("capitals")
    with app.app_context():
        assignment = db.session.scalar(db.select(Assignment))
        assert assignment.title == "Borders"
        assert assignment.bank_ids == [capitals]
        assert assignment.tags == ["borders"]
        assert assignment.question_count == 2
        assert assignment.mode == "practice"
        assert assignment.time_limit == 15 * 60
        assert assignment.opens_at == dt.datetime(2030, 1, 10, 8, 0)
        assert assignment.closes_at == dt.datetime(2030, 1, 17, 20, 30)
        assert assignment.attempts_allowed is None
    page = client.get(f"/teach/classes/{class_id}").text
    assert "Borders" in page
    assert "10 Jan 2030 08:00 UTC – 17 Jan 2030 20:30 UTC" in page
    assert "unlimited attempts" in page
    assert "Upcoming" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"banks": [], "tags": []},
            "Tick at least one question set, or a tag under “Narrow by tags”.",
        ),
        ({"title": ""}, "Give the assignment a title."),
        ({"question_count": "0"}, "Ask 1 to 100 questions."),
        ({"question_count": "many"}, "Not a valid integer value."),
        ({"question_count": "6"}, "hold 5 questions: ask for 5 or fewer"),
        ({"tags": ["dates"], "question_count": "2"}, "hold 1 question: ask for 1 or fewer"),
        ({"time_limit": "0"}, "A time limit is 1 to 600 minutes."),
        ({"attempts_allowed": "0"}, "Allow 1 to 100 attempts, or leave empty."),
        ({"mode": "exam"}, "Not a valid choice."),
        ({"opens_at": "next tuesday"}, "Not a valid datetime value."),
        (
            {"opens_at": "2030-01-10T08:00", "closes_at": "2030-01-10T08:00"},
            "The closing time must come after the opening time.",
        ),
        ({"tags": ["no-such-tag"]}, "not a valid choice"),
    ],
)
def test_a_wrong_assignment_is_refused_with_a_clear_message_and_the_input_kept(
    app, client, school, class_id, fields, message
):
    data = assignment_form(school, **{"title": "My <quiz>", **fields})
    response = client.post(f"/teach/classes/{class_id}/assignments/new", data=data)
    assert response.status_code == 200
    assert message in response.text
    if data["title"]:
        assert 'value="My &lt;quiz&gt;"' in response.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Assignment.id))) == 0


def test_the_sets_hint_states_the_rule_the_form_applies(app, client, school, class_id):
    page = client.get(f"/teach/classes/{class_id}/assignments/new").text
    assert "Tick at least one set, or one tag" in page
    assert "None ticked" not in page
    # With tags alone, as the hint says, the assignment is made.
    data = assignment_form(school, banks=[], tags=["dates"], question_count="1")
    response = client.post(f"/teach/classes/{class_id}/assignments/new", data=data)
    assert response.status_code == 302


def test_another_teachers_set_cannot_be_assigned(app, client, school, class_id):
    other = school.teacher("otto")
    with app.app_context():
        data = CAPITALS.replace(b"bank: capitals", b"bank: ottos-set")
        sync_bank(load_bank(data, "ottos.yaml", sources_dir=None), owner_id=other)
        db.session.commit()
    ottos = school.bank_id("ottos-set")
    page = client.get(f"/teach/classes/{class_id}/assignments/new").text
    assert f'value="{ottos}"' not in page
    response = client.post(
        f"/teach/classes/{class_id}/assignments/new",
        data=assignment_form(school, banks=[str(ottos)]),
    )
    assert response.status_code == 200
    assert "not a valid choice" in response.text


def test_a_teacher_edits_an_assignment(app, client, school, class_id):
    assignment = school.assignment(class_id, time_limit=600)
    page = client.get(f"/teach/classes/{class_id}/assignments/{assignment}/edit").text
    assert 'value="10"' in page  # the time limit, in minutes
    response = client.post(
        f"/teach/classes/{class_id}/assignments/{assignment}/edit",
        data=assignment_form(school, title="Capitals, again", attempts_allowed="3"),
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Assignment, assignment)
        assert (saved.title, saved.attempts_allowed, saved.time_limit) == (
            "Capitals, again",
            3,
            None,
        )


def test_moving_the_closing_time_moves_the_deadline_of_attempts_already_started(
    app, client, school, class_id
):
    """A teacher who extends an assignment gives the time to those who have started too;
    an attempt's own time limit still ends it first."""
    soon = (utcnow() + dt.timedelta(hours=1)).replace(second=0, microsecond=0)
    later = soon + dt.timedelta(days=2)
    untimed = school.assignment(class_id, title="Untimed", closes_at=soon)
    timed = school.assignment(class_id, title="Timed", closes_at=soon, time_limit=600)
    lena = school.learner()
    school.enrol(class_id, lena)
    learner = app.test_client()
    school.log_in(learner, lena)
    started = {assignment: start(learner, assignment) for assignment in (untimed, timed)}
    with app.app_context():
        own_limit = db.session.get(Attempt, started[timed]).deadline
        assert own_limit < soon

    def extend(assignment: int, title: str, time_limit: str) -> str:
        response = client.post(
            f"/teach/classes/{class_id}/assignments/{assignment}/edit",
            data=assignment_form(
                school, title=title, time_limit=time_limit, closes_at=f"{later:%Y-%m-%dT%H:%M}"
            ),
            follow_redirects=True,
        )
        assert response.status_code == 200
        return response.text

    assert "1 unfinished now end at the new closing time." in extend(untimed, "Untimed", "")
    assert "unfinished now end" not in extend(timed, "Timed", "10")
    with app.app_context():
        assert db.session.get(Attempt, started[untimed]).deadline == later
        assert db.session.get(Attempt, started[timed]).deadline == own_limit
    page = learner.get(f"/quiz/{started[untimed]}/q/1")
    assert page.status_code == 200


def test_an_assignment_nobody_started_can_be_deleted_a_started_one_cannot(
    app, client, school, class_id
):
    unused = school.assignment(class_id, title="Unused")
    used = school.assignment(class_id, title="Used")
    lena = school.learner()
    school.enrol(class_id, lena)
    learner = app.test_client()
    school.log_in(learner, lena)
    take(app, learner, used, right=1)
    assert client.post(f"/teach/classes/{class_id}/assignments/{unused}/delete").status_code == 302
    response = client.post(
        f"/teach/classes/{class_id}/assignments/{used}/delete", follow_redirects=True
    )
    assert "Learners have started this assignment" in response.text
    with app.app_context():
        assert [a.title for a in db.session.scalars(db.select(Assignment))] == ["Used"]


# Results


@pytest.fixture
def results(app, client, school, class_id):
    """Two learners; Lena took Capitals twice (1 then 3 right of 3), Ona once (2 right)."""
    lena = school.learner("lena", "Lena Learner")
    ona = school.learner("ona", "Ona Šimkutė")
    school.enrol(class_id, lena, ona)
    assignment = school.assignment(class_id, attempts_allowed=2)
    school.assignment(class_id, title="Not started yet")
    attempts = {}
    for learner_id, scores in ((lena, [1, 3]), (ona, [2])):
        browser = app.test_client()
        school.log_in(browser, learner_id)
        attempts[learner_id] = [take(app, browser, assignment, right=n) for n in scores]
    return {"lena": lena, "ona": ona, "assignment": assignment, "attempts": attempts}


def test_the_gradebook_shows_best_score_attempts_and_last_activity(client, class_id, results):
    page = client.get(f"/teach/classes/{class_id}/gradebook").text
    rows = re.findall(r'<tr class="learner">(.*?)</tr>', page, re.S)
    assert len(rows) == 2
    lena, ona = rows
    assert "Lena Learner" in lena and "100%" in lena and "(3 / 3)" in lena
    assert "2 attempts" in lena
    assert "Ona Šimkutė" in ona and "67%" in ona and "1 attempt" in ona
    assert "not started" in lena and "not started" in ona
    assert "UTC" in lena


def test_the_gradebook_downloads_as_csv(client, class_id, results):
    response = client.get(f"/teach/classes/{class_id}/gradebook.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="gradebook-{class_id}-history-9b.csv"'
    )
    assert response.data.startswith(BOM.encode("utf-8"))
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8").removeprefix(BOM))))
    assert rows[0] == [
        "Learner",
        "Username",
        "Capitals: best %",
        "Capitals: attempts",
        "Capitals: last activity (UTC)",
        "Not started yet: best %",
        "Not started yet: attempts",
        "Not started yet: last activity (UTC)",
        "Last activity (UTC)",
    ]
    assert rows[1][:4] == ["Lena Learner", "lena", "100.0", "2"]
    assert rows[2][:4] == ["Ona Šimkutė", "ona", "66.7", "1"]
    assert rows[2][5:8] == ["", "0", ""]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", rows[2][4])


def test_a_learners_history_lists_every_attempt_with_a_link_to_its_results(
    client, class_id, results
):
    lena = results["lena"]
    page = client.get(f"/teach/classes/{class_id}/learners/{lena}").text
    assert "Lena Learner" in page
    first, second = results["attempts"][lena]
    assert page.index(f"/teach/attempts/{second}") < page.index(f"/teach/attempts/{first}")
    assert "1 / 3" in page and "3 / 3" in page


def test_a_teacher_reads_a_learners_attempt_on_the_results_page(client, class_id, results):
    attempt = results["attempts"][results["ona"]][0]
    page = client.get(f"/teach/attempts/{attempt}").text
    assert "Results: Capitals" in page
    assert "2 / 3" in page
    assert "Your answer:" in page
    assert "Ona Šimkutė" in page
    assert "History 9B" in page


def test_item_analysis_pages_list_the_questions_asked(client, class_id, results):
    for url in (
        f"/teach/classes/{class_id}/analysis",
        f"/teach/classes/{class_id}/assignments/{results['assignment']}/analysis",
    ):
        page = client.get(url).text
        assert "Based on 2 attempts" in page
        assert len(re.findall(r'<tr class="question', page)) >= 3
        assert "Tells apart" in page and "(discrimination)" in page


def test_item_analysis_says_when_nobody_has_finished_yet(client, school, class_id):
    assignment = school.assignment(class_id)
    page = client.get(f"/teach/classes/{class_id}/assignments/{assignment}/analysis").text
    assert "No finished attempts yet" in page


# What teachers and learners type


XSS = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def test_class_names_and_display_names_are_escaped_everywhere(app, client, school, teacher):
    class_id = school.classroom(teacher, XSS)
    learner_id = school.learner("mallory", XSS)
    school.enrol(class_id, learner_id)
    assignment = school.assignment(class_id, title=XSS)
    learner = app.test_client()
    school.log_in(learner, learner_id)
    attempt = take(app, learner, assignment, right=1)
    pages = [
        client.get("/teach/").text,
        client.get(f"/teach/classes/{class_id}").text,
        client.get(f"/teach/classes/{class_id}/gradebook").text,
        client.get(f"/teach/classes/{class_id}/learners/{learner_id}").text,
        client.get(f"/teach/classes/{class_id}/analysis").text,
        client.get(f"/teach/attempts/{attempt}").text,
        client.get(f"/teach/classes/{class_id}/assignments/{assignment}/edit").text,
        learner.get("/").text,
        learner.get("/classes").text,
        learner.get(f"/assignments/{assignment}").text,
    ]
    for page in pages:
        assert "<script>alert(1)" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    csv_text = client.get(f"/teach/classes/{class_id}/gradebook.csv").data.decode("utf-8")
    rows = list(csv.reader(io.StringIO(csv_text.removeprefix(BOM))))
    assert rows[1][0] == XSS  # text in a spreadsheet cell, not markup


def test_formula_like_names_are_neutralised_in_the_csv(app, client, school, class_id):
    learner_id = school.learner("eve", '=HYPERLINK("http://evil.example","x")')
    school.enrol(class_id, learner_id)
    school.assignment(class_id, title="@SUM(1+1)")
    csv_text = client.get(f"/teach/classes/{class_id}/gradebook.csv").data.decode("utf-8")
    rows = list(csv.reader(io.StringIO(csv_text.removeprefix(BOM))))
    assert rows[0][2] == "'@SUM(1+1): best %"
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example","x")'


def test_an_attempt_in_progress_shows_how_far_it_got_not_a_results_page(
    app, client, school, class_id
):
    lena = school.learner("lena", "Lena Learner")
    school.enrol(class_id, lena)
    assignment = school.assignment(class_id)
    learner = app.test_client()
    school.log_in(learner, lena)
    attempt = start(learner, assignment)
    page = client.get(f"/teach/attempts/{attempt}")
    assert page.status_code == 200
    assert "attempt 1 in progress" in page.text
    assert "has answered 0 of 3 questions" in " ".join(page.text.split())
