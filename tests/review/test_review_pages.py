"""The review pages as a learner uses them: the count on the home page, the Review quiz,
and "Retake my mistakes" on a results page."""

from __future__ import annotations

import re

import pytest
from drive import make_user, start, wrong_form
from flask_login import login_user as log_in_user
from review.history import DAY, load_tiny_bank, practise, sit_test

from quizapp.extensions import db
from quizapp.models import Attempt, QuizKind, User, utcnow
from quizapp.web.review.views import retake_count


def started_attempt(app, response) -> Attempt:
    assert response.status_code == 302, response.text
    match = re.fullmatch(r"/quiz/(\d+)/q/1", response.headers["Location"])
    assert match, response.headers["Location"]
    with app.app_context():
        attempt = db.session.get(Attempt, int(match.group(1)))
        attempt.question_ids = [item.version.question_id for item in attempt.items]
        attempt.version_ids = [item.question_version_id for item in attempt.items]
        return attempt


def test_the_home_page_says_how_many_questions_are_due(app, client, tiny, lena):
    with app.app_context():
        practise(lena, {"a": 0, "b": 0.5, "c": 1}, utcnow() - DAY)
    page = client.get("/").text
    assert "2 questions to review" in page
    assert "Start review" in page


def test_one_due_question_is_one_question_to_review(app, client, tiny, lena):
    with app.app_context():
        practise(lena, {"a": 0}, utcnow() - DAY)
    assert "1 question to review" in client.get("/").text


def test_a_learner_with_nothing_due_is_told_so(app, client, tiny, lena):
    with app.app_context():
        practise(lena, {"a": 1}, utcnow() - DAY)
    page = client.get("/").text
    assert "Nothing to review today" in page
    assert "Start review" not in page


def test_a_visitor_is_offered_review_with_an_account(client, tiny):
    page = client.get("/").text
    assert "to review" not in page
    assert 'With <a href="/auth/signup">an account</a>' in page


def test_the_review_page_lists_what_is_due_and_states_the_rule(app, client, tiny, lena):
    with app.app_context():
        practise(lena, {"a": 0}, utcnow() - DAY)
    page = client.get("/review/").text
    assert "Year of A?" in page
    for rule in ("brings the question back the next day", "midnight UTC", "Free Spaced Repetition"):
        assert rule in page
    # The scheduler's own words for its ratings are not the learner's.
    for jargon in ("Again", "Hard", "Good"):
        assert f"<em>{jargon}</em>" not in page


def test_starting_review_quizzes_the_due_questions_in_practice_mode(app, client, tiny, lena):
    with app.app_context():
        practise(lena, {"a": 0}, utcnow() - 2 * DAY)
        practise(lena, {"b": 0, "c": 1}, utcnow() - DAY)
    attempt = started_attempt(app, client.post("/review/start"))
    assert attempt.mode == "practice"
    assert attempt.kind == QuizKind.REVIEW
    assert attempt.question_ids == [tiny["a"], tiny["b"]]


def test_starting_review_with_nothing_due_says_so(app, client, tiny, lena):
    response = client.post("/review/start", follow_redirects=True)
    assert "Nothing is due for review today" in response.text


@pytest.mark.parametrize(("method", "url"), [("get", "/review/"), ("post", "/review/start")])
def test_visitors_are_sent_to_log_in_for_review(client, tiny, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_review_needs_a_csrf_token(app, client, tiny, lena):
    app.config["WTF_CSRF_ENABLED"] = True
    with app.app_context():
        practise(lena, {"a": 0}, utcnow() - DAY)
        before = db.session.scalar(db.select(db.func.count(Attempt.id)))
    assert client.post("/review/start").status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Attempt.id))) == before


# ------------------------------------------------------------ retake my mistakes


def test_results_offer_to_retake_the_wrong_and_partly_right_questions(app, client, tiny, lena):
    with app.app_context():
        attempt = sit_test(lena, {"a": 0, "b": 0.5, "c": 1, "d": None}, utcnow())
        attempt_id = attempt.id
    page = client.get(f"/quiz/{attempt_id}/results").text
    assert "Retake my mistakes (3)" in page
    retake = started_attempt(app, client.post(f"/review/mistakes/{attempt_id}"))
    assert retake.mode == "practice"
    assert retake.question_ids == [tiny["a"], tiny["b"], tiny["d"]]
    assert retake.title == "Retake my mistakes: Tiny dates"


def test_a_retake_asks_the_current_version_of_each_question(app, client, tiny, lena):
    with app.app_context():
        attempt_id = practise(lena, {"a": 0}, utcnow()).id
        load_tiny_bank(
            "bank: tiny\ntitle: Tiny dates\nquestions:\n"
            '  - {id: a, type: date, prompt: "In which year was A?", answer: "2001"}\n'
        )
    retake = started_attempt(app, client.post(f"/review/mistakes/{attempt_id}"))
    assert client.get(f"/quiz/{retake.id}/q/1").text.count("In which year was A?") == 1


def test_an_attempt_without_mistakes_offers_no_retake(app, client, tiny, lena):
    with app.app_context():
        attempt_id = practise(lena, {"a": 1, "b": 1}, utcnow()).id
    assert "Retake my mistakes" not in client.get(f"/quiz/{attempt_id}/results").text
    response = client.post(f"/review/mistakes/{attempt_id}", follow_redirects=True)
    assert "no mistakes in this quiz left to retake" in response.text


def test_another_learners_mistakes_are_not_found(app, client, tiny, lena):
    with app.app_context():
        other = make_user("olek").id
        attempt_id = practise(other, {"a": 0}, utcnow()).id
    assert client.post(f"/review/mistakes/{attempt_id}").status_code == 404
    assert client.post("/review/mistakes/99999").status_code == 404


def test_only_the_learner_who_took_an_attempt_is_offered_its_retake(app, tiny, lena):
    with app.app_context():
        attempt = practise(lena, {"a": 0}, utcnow())
        teacher = make_user("tess", role="teacher")
        with app.test_request_context():
            log_in_user(teacher)
            assert retake_count(attempt) == 0
        with app.test_request_context():
            log_in_user(db.session.get(User, lena))
            assert retake_count(attempt) == 1


def test_an_unfinished_attempt_cannot_be_retaken_yet(app, client, tiny, lena):
    with app.app_context():
        attempt_id = sit_test(lena, {"a": 0}, utcnow(), finish=False).id
    response = client.post(f"/review/mistakes/{attempt_id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/quiz/{attempt_id}"


def test_a_visitor_can_retake_their_own_mistakes(app, client, tiny):
    attempt_id = start(client, "bank:tiny", "practice")
    with app.app_context():
        item = db.session.get(Attempt, attempt_id).items[0]
        spec, view = item.version.spec, item.view
    client.post(f"/quiz/{attempt_id}/q/1", data={**wrong_form(spec, view), "go": "next"})
    client.post(f"/quiz/{attempt_id}/finish")
    assert "Retake my mistakes (10)" in client.get(f"/quiz/{attempt_id}/results").text
    retake = started_attempt(app, client.post(f"/review/mistakes/{attempt_id}"))
    assert retake.user_id is None
    assert len(retake.question_ids) == 10
    other_visitor = app.test_client()
    assert other_visitor.post(f"/review/mistakes/{attempt_id}").status_code == 404
