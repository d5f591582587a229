"""Taking a quiz: the draw, practice feedback, test mode, results, resuming."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from drive import attempt_items, load_attempt, log_in, make_user, right_form, start, wrong_form

from quizapp.extensions import db
from quizapp.models import Attempt, Response, User
from quizapp.question_types import TYPES


def answer(client, attempt_id, position, data, go="next"):
    return client.post(f"/quiz/{attempt_id}/q/{position}", data={**data, "go": go})


def test_home_offers_a_quiz_per_bank_and_a_mixed_one(client, banks):
    page = client.get("/").text
    for key in ("bank:dates", "bank:people", "bank:events", "mixed"):
        assert f'value="{key}"' in page


def test_a_quiz_draws_ten_questions_with_a_spread_of_types(app, client, banks, learner):
    attempt_id = start(client, "mixed")
    types = Counter(spec["type"] for spec, _ in attempt_items(app, attempt_id))
    assert sum(types.values()) == 10
    assert len(types) == len(TYPES)  # every type once before any type twice


def test_the_draw_is_fixed_when_the_attempt_starts(app, client, banks, learner):
    attempt_id = start(client, "bank:people")
    first = client.get(f"/quiz/{attempt_id}/q/1").text
    again = client.get(f"/quiz/{attempt_id}/q/1").text
    assert first == again
    assert attempt_items(app, attempt_id) == attempt_items(app, attempt_id)


def test_each_page_says_which_question_of_how_many(client, banks, learner):
    attempt_id = start(client)
    assert "Question 3 of 10" in client.get(f"/quiz/{attempt_id}/q/3").text


def test_practice_feedback_shows_verdict_credit_answer_explanation_and_source(
    app, client, banks, learner
):
    attempt_id = start(client, "mixed", "practice")
    spec, view = attempt_items(app, attempt_id)[0]
    response = answer(client, attempt_id, 1, right_form(spec, view))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    assert "Right!" in page
    assert "Credit: 1 of 1" in page
    quote = spec["quote"] if isinstance(spec["quote"], str) else spec["quote"][0]
    assert _escaped(quote) in page
    if spec.get("explanation"):
        assert _escaped(spec["explanation"]) in page


def test_a_wrong_practice_answer_shows_the_correct_one(app, client, banks, learner):
    attempt_id = start(client, "bank:dates", "practice")
    spec, view = attempt_items(app, attempt_id)[0]
    answer(client, attempt_id, 1, wrong_form(spec, view))
    page = client.get(f"/quiz/{attempt_id}/q/1").text
    assert "Not quite." in page
    # A single answer reads "Correct answer: ..."; orderings and matchings (which the
    # draw may put first) show a table of the learner's answer beside the right one.
    assert 'class="correct-answer"' in page or 'class="answer-table correct-answer"' in page


def test_an_answer_resent_in_practice_counts_once(app, client, banks, learner):
    attempt_id = start(client, "mixed", "practice")
    spec, view = attempt_items(app, attempt_id)[0]
    answer(client, attempt_id, 1, wrong_form(spec, view))
    answer(client, attempt_id, 1, right_form(spec, view))
    answer(client, attempt_id, 1, right_form(spec, view))
    attempt = load_attempt(app, attempt_id)
    assert attempt.items[0].response.fraction == 0
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Response.id))) == 1


def test_each_answer_is_stored_as_it_is_given(app, client, banks, learner):
    attempt_id = start(client, "mixed", "test")
    for position, (spec, view) in enumerate(attempt_items(app, attempt_id)[:3], start=1):
        answer(client, attempt_id, position, right_form(spec, view))
        attempt = load_attempt(app, attempt_id)
        assert sum(item.response is not None for item in attempt.items) == position
        assert attempt.finished_at is None


def test_test_mode_shows_no_feedback_until_finished(app, client, banks, learner):
    attempt_id = start(client, "mixed", "test")
    spec, view = attempt_items(app, attempt_id)[0]
    response = answer(client, attempt_id, 1, right_form(spec, view))
    assert response.headers["Location"].endswith(f"/quiz/{attempt_id}/q/2")
    page = client.get(f"/quiz/{attempt_id}/q/1").text
    assert "Right!" not in page and "Correct answer" not in page
    assert client.get(f"/quiz/{attempt_id}/results").status_code == 302


def test_test_mode_lets_the_learner_go_back_and_change_an_answer(app, client, banks, learner):
    attempt_id = start(client, "mixed", "test")
    spec, view = attempt_items(app, attempt_id)[0]
    answer(client, attempt_id, 1, wrong_form(spec, view))
    back = answer(client, attempt_id, 2, {}, go="prev")
    assert back.headers["Location"].endswith(f"/quiz/{attempt_id}/q/1")
    answer(client, attempt_id, 1, right_form(spec, view))
    client.post(f"/quiz/{attempt_id}/finish")
    attempt = load_attempt(app, attempt_id)
    assert attempt.score == 1.0


def test_a_full_test_is_scored_on_the_server(app, client, banks, learner):
    attempt_id = start(client, "mixed", "test")
    items = attempt_items(app, attempt_id)
    for position, (spec, view) in enumerate(items, start=1):
        form = right_form(spec, view) if position <= 7 else wrong_form(spec, view)
        answer(client, attempt_id, position, form)
    client.post(f"/quiz/{attempt_id}/finish")
    page = client.get(f"/quiz/{attempt_id}/results").text
    assert "7 / 10" in page and "(70%)" in page


def test_finishing_twice_finishes_and_grades_once(app, client, banks, learner):
    attempt_id = start(client, "mixed", "test")
    spec, view = attempt_items(app, attempt_id)[0]
    answer(client, attempt_id, 1, right_form(spec, view))
    first = client.post(f"/quiz/{attempt_id}/finish")
    finished_at = load_attempt(app, attempt_id).finished_at
    second = client.post(f"/quiz/{attempt_id}/finish")
    assert first.status_code == second.status_code == 302
    attempt = load_attempt(app, attempt_id)
    assert attempt.finished_at == finished_at and attempt.score == 1.0


def test_answers_after_finishing_change_nothing(app, client, banks, learner):
    attempt_id = start(client, "mixed", "test")
    client.post(f"/quiz/{attempt_id}/finish")
    spec, view = attempt_items(app, attempt_id)[0]
    response = answer(client, attempt_id, 1, right_form(spec, view))
    assert response.headers["Location"].endswith(f"/quiz/{attempt_id}/results")
    assert load_attempt(app, attempt_id).items[0].response is None


def test_results_show_every_answer_with_its_credit_and_source(app, client, banks, learner):
    attempt_id = start(client, "mixed", "practice")
    items = attempt_items(app, attempt_id)
    for position, (spec, view) in enumerate(items, start=1):
        answer(client, attempt_id, position, right_form(spec, view))
    client.post(f"/quiz/{attempt_id}/finish")
    page = client.get(f"/quiz/{attempt_id}/results").text
    assert "10 / 10" in page
    # A match or an order sets the answer given and the right one out in a table; every
    # other type says each on its line.
    tables = page.count('<table class="answer-table')
    assert tables >= 2
    assert page.count("Your answer:") + tables == 10
    assert page.count("Correct answer:") + tables == 10
    assert page.count("From the source:") >= 10


def test_an_interrupted_attempt_resumes_where_it_stopped_on_another_browser(
    app, client, banks, learner
):
    attempt_id = start(client, "mixed", "practice")
    for position, (spec, view) in enumerate(attempt_items(app, attempt_id)[:4], start=1):
        answer(client, attempt_id, position, right_form(spec, view))
    other = app.test_client()
    with app.app_context():
        log_in(other, db.session.get(User, learner))
    assert f"/quiz/{attempt_id}" in other.get("/").text
    resumed = other.get(f"/quiz/{attempt_id}")
    assert resumed.headers["Location"].endswith(f"/quiz/{attempt_id}/q/5")


def test_a_blank_practice_answer_is_asked_again(app, client, banks, learner):
    attempt_id = start(client, "mixed", "practice")
    response = answer(client, attempt_id, 1, {})
    assert response.status_code == 422
    assert "Choose or type an answer first." in response.text
    assert load_attempt(app, attempt_id).items[0].response is None


def test_an_order_with_a_repeated_position_rerenders_with_the_learners_input(
    app, client, banks, learner
):
    attempt_id = start(client, "bank:dates", "practice")  # every type of the bank is drawn
    position, view = next(
        (p, view)
        for p, (spec, view) in enumerate(attempt_items(app, attempt_id), start=1)
        if spec["type"] == "order"
    )
    form = {f"position-{i}": "1" for i in range(len(view["items"]))}
    response = answer(client, attempt_id, position, form)
    assert response.status_code == 422
    assert "exactly once" in response.text


def test_time_up_finishes_the_attempt_with_what_was_answered(app, client, banks, learner):
    attempt_id = start(client, "mixed", "test", time_limit=5)
    spec, view = attempt_items(app, attempt_id)[0]
    answer(client, attempt_id, 1, right_form(spec, view))
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempt.deadline = attempt.started_at - dt.timedelta(minutes=1)
        db.session.commit()
    spec2, view2 = attempt_items(app, attempt_id)[1]
    late = answer(client, attempt_id, 2, right_form(spec2, view2))
    assert f"/quiz/{attempt_id}/results" in late.headers["Location"]
    attempt = load_attempt(app, attempt_id)
    assert attempt.finished_at is not None
    assert attempt.score == 1.0
    assert attempt.items[1].response is None


def test_a_timed_test_shows_a_countdown(client, banks, learner):
    attempt_id = start(client, "mixed", "test", time_limit=10)
    assert 'class="countdown" data-deadline=' in client.get(f"/quiz/{attempt_id}/q/1").text


def test_a_visitor_can_take_a_quiz_without_an_account(app, client, banks):
    attempt_id = start(client, "bank:events", "practice")
    spec, view = attempt_items(app, attempt_id)[0]
    answer(client, attempt_id, 1, right_form(spec, view))
    assert "Right!" in client.get(f"/quiz/{attempt_id}/q/1").text


def test_another_learners_attempt_is_not_found(app, client, banks, learner):
    attempt_id = start(client, "mixed", "practice")
    intruder = app.test_client()
    with app.app_context():
        log_in(intruder, make_user("mallory"))
    for url in (
        f"/quiz/{attempt_id}",
        f"/quiz/{attempt_id}/q/1",
        f"/quiz/{attempt_id}/finish",
        f"/quiz/{attempt_id}/results",
    ):
        assert intruder.get(url).status_code == 404
    assert intruder.post(f"/quiz/{attempt_id}/q/1", data={"answer": "x"}).status_code == 404
    assert intruder.post(f"/quiz/{attempt_id}/finish").status_code == 404
    assert app.test_client().get(f"/quiz/{attempt_id}/q/1").status_code == 404
    assert load_attempt(app, attempt_id).finished_at is None


def _escaped(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))
