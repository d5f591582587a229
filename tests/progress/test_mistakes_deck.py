"""A learner's own mistakes as an Anki deck, from the progress page: the questions they
last answered without full credit, their own answers only, nothing a test holds back."""

from __future__ import annotations

import datetime as dt

import pytest
from apkg import read_package
from drive import log_in, make_user
from review.history import TODAY, YESTERDAY, load_tiny_bank, practise, sit_test
from security.world import snapshot

from quizapp.accounts import create_user
from quizapp.attempts import answering, drawing
from quizapp.banks.anki import MIMETYPE, MISTAKES_DECK, note_guid
from quizapp.classrooms import rosters
from quizapp.extensions import db
from quizapp.models import Assignment, DrawnFrom, Question, User, utcnow

URL = "/progress/mistakes.apkg"


@pytest.fixture
def tiny(app) -> dict[str, int]:
    with app.app_context():
        return load_tiny_bank()


def deck_of(client, tmp_path) -> set[str]:
    """Download the learner's deck; return the question ids its notes are made from."""
    response = client.get(URL)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == MIMETYPE
    assert response.headers["Content-Disposition"] == "attachment; filename=my-mistakes.apkg"
    package = read_package(response.data, tmp_path)
    assert package.deck_names() == {MISTAKES_DECK}
    guids = {note_guid("tiny", slug): slug for slug in "abcdefghijkl"}
    assert set(package.guids) <= guids.keys()
    return {guids[guid] for guid in package.guids}


def test_the_deck_holds_the_questions_answered_wrong_or_partly_right(
    app, client, learner, tiny, tmp_path
):
    with app.app_context():
        practise(learner, {"a": 1, "b": 0, "c": 0.5, "d": 1}, YESTERDAY)
    assert deck_of(client, tmp_path) == {"b", "c"}


def test_the_latest_answer_decides(app, client, learner, tiny, tmp_path):
    with app.app_context():
        practise(learner, {"a": 0, "b": 1, "c": 0}, YESTERDAY)
        practise(learner, {"a": 1, "b": 0}, TODAY)
    assert deck_of(client, tmp_path) == {"b", "c"}


def test_only_the_learners_own_answers_count(app, client, learner, tiny, tmp_path):
    with app.app_context():
        other = make_user("olga")
        practise(other.id, {"e": 0, "f": 0}, YESTERDAY)
        practise(learner, {"a": 0, "e": 1}, YESTERDAY)
    assert deck_of(client, tmp_path) == {"a"}


def test_a_note_is_the_questions_current_version(app, client, learner, tiny, tmp_path):
    with app.app_context():
        practise(learner, {"a": 0}, YESTERDAY)
        load_tiny_bank(
            "bank: tiny\ntitle: Tiny dates\nquestions:\n"
            '  - {id: a, type: date, prompt: "In which year was A?", answer: "2001"}\n'
        )
    response = client.get(URL)
    (note,) = read_package(response.data, tmp_path).notes
    assert note["fields"]["Front"] == "In which year was A?"
    assert note["fields"]["Answer"] == "2001"


def test_nothing_of_a_test_the_learner_has_open(app, client, learner, tiny, tmp_path):
    with app.app_context():
        practise(learner, {"a": 0, "b": 0}, YESTERDAY)
        sit_test(learner, {"b": 0, "c": 0}, TODAY, finish=False)
    assert deck_of(client, tmp_path) == {"a"}


def held_assignment_test(app, learner: int, closes_at: dt.datetime | None) -> int:
    """A finished test assignment in which the learner got c and d wrong; its id."""
    with app.app_context():
        teacher = create_user("teo", "Teo", "correct horse battery", role="teacher")
        classroom = rosters.create_class(teacher, "History")
        db.session.add(classroom)
        db.session.flush()
        rosters.join(classroom, db.session.get(User, learner), consented=True)
        versions = {q.slug: q.current_version_id for q in db.session.scalars(db.select(Question))}
        bank_id = db.session.scalar(db.select(Question.bank_id).limit(1))
        assignment = Assignment(
            classroom_id=classroom.id, title="The test", bank_ids=[bank_id],
            question_count=2, mode="test", closes_at=closes_at,
        )  # fmt: skip
        db.session.add(assignment)
        db.session.flush()
        attempt = drawing.create_attempt(
            DrawnFrom.assignment(assignment.id), "The test", [versions["c"], versions["d"]],
            "test", user_id=learner, number=1, now=YESTERDAY,
        )  # fmt: skip
        for item in attempt.items:
            answering.record_answer(attempt, item, "1066", YESTERDAY)
        attempt.finish(YESTERDAY)
        db.session.commit()
        return assignment.id


def test_nothing_of_a_test_whose_answers_are_held_until_the_teacher_releases_them(
    app, client, learner, tiny, tmp_path
):
    with app.app_context():
        practise(learner, {"a": 0}, YESTERDAY - dt.timedelta(days=1))
    assignment_id = held_assignment_test(app, learner, closes_at=None)
    assert deck_of(client, tmp_path) == {"a"}
    with app.app_context():
        db.session.get(Assignment, assignment_id).answers_released_at = utcnow()
        db.session.commit()
    assert deck_of(client, tmp_path) == {"a", "c", "d"}


def test_nothing_of_a_test_whose_answers_are_held_until_it_closes(
    app, client, learner, tiny, tmp_path
):
    with app.app_context():
        practise(learner, {"a": 0}, YESTERDAY - dt.timedelta(days=1))
    held_assignment_test(app, learner, closes_at=utcnow() + dt.timedelta(days=1))
    assert deck_of(client, tmp_path) == {"a"}


def test_a_learner_without_mistakes_is_told_so_on_the_progress_page(app, client, learner, tiny):
    with app.app_context():
        practise(learner, {"a": 1}, YESTERDAY)
    response = client.get(URL, follow_redirects=True)
    assert response.request.path == "/progress/"
    assert "You have no mistakes to take to Anki yet." in response.text


def test_the_progress_page_offers_the_deck(app, client, learner, tiny):
    with app.app_context():
        practise(learner, {"a": 0}, YESTERDAY)
    page = client.get("/progress/").text
    assert f'href="{URL}">Download my mistakes (.apkg)</a>' in page


def test_a_visitor_is_asked_to_log_in(app, tiny):
    response = app.test_client().get(URL)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_downloading_the_deck_writes_nothing(app, client, learner, tiny, tmp_path):
    with app.app_context():
        practise(learner, {"a": 0, "b": 0}, YESTERDAY)
        sit_test(learner, {"c": 0}, TODAY - dt.timedelta(days=400), finish=False)
    before = snapshot(app)
    assert deck_of(client, tmp_path) == {"a", "b"}
    assert snapshot(app) == before


def test_another_learners_client_gets_their_own_deck(app, client, learner, tiny, tmp_path):
    with app.app_context():
        practise(learner, {"a": 0}, YESTERDAY)
        olga = make_user("olga")
        practise(olga.id, {"b": 0}, YESTERDAY)
        theirs = app.test_client()
        log_in(theirs, olga)
    assert deck_of(theirs, tmp_path) == {"b"}
    assert deck_of(client, tmp_path) == {"a"}
