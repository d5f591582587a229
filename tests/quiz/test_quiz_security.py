"""Quiz pages reveal no answer early, refuse forged requests and escape question text."""

from __future__ import annotations

import re

import pytest
from drive import attempt_items, load_attempt, right_form, start, wrong_form

from quizapp.banks.loader import LoadedBank
from quizapp.banks.sync import sync_bank
from quizapp.extensions import db
from quizapp.models import Attempt, Response, User


def answer_fields(spec: dict) -> list[str]:
    """Texts that would give the answer away if they appeared in a page before answering."""
    hidden = [spec.get("explanation") or ""]
    quote = spec.get("quote") or []
    hidden += [quote] if isinstance(quote, str) else quote
    if spec["type"] in ("text", "number", "date"):
        hidden.append(str(spec["answer"]))
        hidden += spec.get("accept", [])
    return [text for text in hidden if text]


@pytest.mark.parametrize("mode", ["practice", "test"])
def test_no_question_page_reveals_its_answer_before_it_is_submitted(
    app, client, banks, learner, mode
):
    attempt_id = start(client, "mixed", mode)
    for position, (spec, _view) in enumerate(attempt_items(app, attempt_id), start=1):
        page = client.get(f"/quiz/{attempt_id}/q/{position}").text
        body = page.split('<main id="main">', 1)[1]
        for secret in answer_fields(spec):
            assert secret not in body, (spec["id"], secret)
        assert "correct" not in body.lower()
        assert not re.search(r"data-(answer|right|correct|score)", body)
        if spec["type"] in ("choice", "multi"):
            shown = re.findall(r'name="answer" value="([^"]*)"', body)
            assert len(shown) == len(spec["options"])  # every option, none marked


def test_a_test_reveals_no_answer_even_after_it_is_answered(app, client, banks, learner):
    attempt_id = start(client, "mixed", "test")
    for position, (spec, view) in enumerate(attempt_items(app, attempt_id), start=1):
        client.post(f"/quiz/{attempt_id}/q/{position}", data=right_form(spec, view))
        body = client.get(f"/quiz/{attempt_id}/q/{position}").text.split('<main id="main">')[1]
        assert "Correct answer" not in body and "From the source" not in body
        for secret in answer_fields(spec)[:1]:  # the explanation
            assert secret not in body


def test_an_answer_without_a_csrf_token_is_refused_and_writes_nothing(app, client, banks, learner):
    attempt_id = start(client, "mixed", "practice")
    app.config["WTF_CSRF_ENABLED"] = True
    spec, view = attempt_items(app, attempt_id)[0]
    response = client.post(f"/quiz/{attempt_id}/q/1", data=right_form(spec, view))
    assert response.status_code == 400
    finish = client.post(f"/quiz/{attempt_id}/finish")
    assert finish.status_code == 400
    attempt = load_attempt(app, attempt_id)
    assert attempt.items[0].response is None and attempt.finished_at is None


def test_extra_score_and_user_fields_are_ignored(app, client, banks, learner):
    attempt_id = start(client, "mixed", "test")
    spec, view = attempt_items(app, attempt_id)[0]
    forged = {**wrong_form(spec, view), "score": "10", "fraction": "1", "user_id": "999"}
    client.post(f"/quiz/{attempt_id}/q/1", data=forged)
    client.post(f"/quiz/{attempt_id}/finish", data={"score": "10"})
    attempt = load_attempt(app, attempt_id)
    assert attempt.score == 0.0 and attempt.user_id == learner


def test_an_option_from_another_question_earns_nothing(app, client, banks, learner):
    attempt_id = start(client, "bank:people", "test")  # every type of the bank is drawn
    items = attempt_items(app, attempt_id)
    position, spec = next(
        (p, s) for p, (s, _) in enumerate(items, start=1) if s["type"] == "choice"
    )
    foreign = next(
        option
        for other, _ in items
        for option in other.get("options", [])
        if option not in spec["options"]
    )
    client.post(f"/quiz/{attempt_id}/q/{position}", data={"answer": foreign})
    response = load_attempt(app, attempt_id).items[position - 1].response
    assert response is None or response.fraction == 0.0  # refused, or scored nothing


def test_a_question_that_is_not_in_the_attempt_is_not_found(app, client, banks, learner):
    attempt_id = start(client, "mixed", "practice")
    assert client.get(f"/quiz/{attempt_id}/q/11").status_code == 404
    assert client.post(f"/quiz/{attempt_id}/q/0", data={"answer": "x"}).status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Response.id))) == 0


def test_question_text_written_as_html_is_shown_as_text(app, client, learner):
    payload = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    with app.app_context():
        sync_bank(
            LoadedBank(
                slug="hostile",
                title=f"Set {payload}",
                description=None,
                source=None,
                questions=[
                    {
                        "id": "q1",
                        "type": "choice",
                        "prompt": f"Which? {payload}",
                        "options": [f"A {payload}", "B"],
                        "answer": "B",
                        "explanation": f"Because {payload}",
                        "tags": [],
                        "difficulty": 2,
                    }
                ],
            )
        )
        db.session.commit()
    attempt_id = start(client, "bank:hostile", "practice")
    for url in ("/", f"/quiz/{attempt_id}/q/1"):
        page = client.get(url).text
        assert "<script>alert(1)" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    client.post(f"/quiz/{attempt_id}/q/1", data={"answer": "B"})
    page = client.get(f"/quiz/{attempt_id}/q/1").text
    assert "<script>alert(1)" not in page and "Because &lt;script&gt;" in page


def test_a_visitor_who_signs_up_at_the_end_keeps_the_attempt(app, client, banks, auth):
    attempt_id = start(client, "mixed", "practice")
    for position, (spec, view) in enumerate(attempt_items(app, attempt_id), start=1):
        client.post(f"/quiz/{attempt_id}/q/{position}", data=right_form(spec, view))
    client.post(f"/quiz/{attempt_id}/finish")
    assert "Sign up" in client.get(f"/quiz/{attempt_id}/results").text
    auth.signup("vera")
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.user_id == db.session.scalar(
            db.select(User.id).where(User.username == "vera")
        )
        assert attempt.guest_key is None
    assert client.get(f"/quiz/{attempt_id}/results").status_code == 200
    assert "10 / 10" in client.get("/progress/").text
