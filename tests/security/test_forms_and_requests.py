"""Forms and requests: CSRF, no state change on GET, long quizzes, tampered fields."""

from __future__ import annotations

import re
import time

import pytest
from drive import attempt_items, load_attempt, log_in, make_user, right_form, start, wrong_form
from security.world import PEOPLE, all_ids, expand, rules, snapshot

from quizapp.extensions import db
from quizapp.grading import grade
from quizapp.models import Attempt, Response, User

TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def token_of(client, url: str = "/") -> str:
    match = TOKEN.search(client.get(url).text)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def owners_of(rule) -> tuple[str, ...]:
    return ("teo",) if rule.rule.startswith("/teach") else ("lena", "teo")


@pytest.mark.parametrize("token", ["missing", "foreign", "garbage"])
def test_every_post_without_its_own_csrf_token_gets_400_and_writes_nothing(world, csrf_on, token):
    """Every POST route, with the owners' own ids: refused unless the token is theirs."""
    foreign = token_of(world.client("mallory"))
    before = snapshot(world.app)
    checked = 0
    for rule in rules(world.app, "POST"):
        for who in owners_of(rule):
            for url in expand(rule, world.owned, world.text):
                data = {"answer": "Kaunas", "name": "x", "code": world.text["code"][0]}
                if token == "foreign":
                    data["csrf_token"] = foreign
                elif token == "garbage":
                    data["csrf_token"] = "IjEyMyI.aaaa.bbbb"
                response = world.client(who).post(url, data=data)
                assert response.status_code == 400, (who, url, response.status_code)
                checked += 1
    assert checked > 10
    assert snapshot(world.app) == before


def test_the_post_walk_can_fail_a_valid_token_does_write(world, csrf_on):
    client = world.client("lena")
    before = snapshot(world.app)
    data = {"quiz": "mixed", "mode": "practice", "time_limit": "0", "csrf_token": token_of(client)}
    assert client.post("/quiz/start", data=data).status_code == 302
    after = snapshot(world.app)
    assert len(after["attempts"]) == len(before["attempts"]) + 1


def test_no_get_request_changes_any_row(world):
    """Every GET route, as every kind of person, with every id there is: nothing changes."""
    before = snapshot(world.app)
    ids = all_ids(world)
    seen = 0
    for who in PEOPLE:
        client = world.client(who)
        for rule in rules(world.app, "GET"):
            for url in expand(rule, ids, world.text):
                response = client.get(url)
                assert response.status_code < 500, (who, url)
                seen += 1
    assert seen > 50
    assert snapshot(world.app) == before


def test_head_and_options_change_nothing_either(world):
    before = snapshot(world.app)
    for rule in rules(world.app, "GET"):
        for url in expand(rule, world.owned, world.text):
            world.client("lena").head(url)
            world.client("teo").options(url)
    assert snapshot(world.app) == before


def test_a_nul_character_anywhere_in_a_request_never_gives_a_500(world):
    """Nobody types NUL, and PostgreSQL cannot store it in text: refused, never a crash."""
    fields = {
        "answer": "a\x00",
        "username": "lena\x00",
        "code": "AB\x00",
        "name": "x\x00",
        "display_name": "x\x00",
        "title": "t\x00",
        "prompt": "p\x00",
    }
    for method in ("GET", "POST"):
        for rule in rules(world.app, method):
            for who in owners_of(rule):
                for url in expand(rule, world.owned, world.text)[:2]:
                    response = world.client(who).open(
                        url,
                        method=method,
                        data=fields if method == "POST" else None,
                        query_string={"next": "/\x00", "q": "\x00"} if method == "GET" else None,
                    )
                    assert response.status_code < 500, (who, method, url)
    assert world.client("lena").get("/join/AB%00CD").status_code < 500
    assert world.client("visitor").post("/auth/login", data=fields).status_code < 500


@pytest.fixture
def clock(monkeypatch):
    """Move the wall clock that signs and checks CSRF tokens forward."""

    class Clock:
        offset = 0.0

        def advance(self, seconds: float) -> None:
            self.offset += seconds

    clock = Clock()
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + clock.offset)
    return clock


@pytest.mark.parametrize("mode", ["practice", "test"])
def test_a_quiz_taken_over_more_than_an_hour_still_submits(app, client, csrf_on, clock, mode):
    app.test_cli_runner().invoke(args=["banks", "load"])
    with app.app_context():
        log_in(client, make_user("slow"))
    response = client.post(
        "/quiz/start",
        data={"quiz": "mixed", "mode": mode, "time_limit": "0", "csrf_token": token_of(client)},
    )
    attempt_id = int(re.search(r"/quiz/(\d+)/", response.headers["Location"]).group(1))
    page_token = token_of(client, f"/quiz/{attempt_id}/q/1")
    spec, view = attempt_items(app, attempt_id)[0]
    clock.advance(3 * 3600)  # the learner read, thought and came back three hours later
    answered = client.post(
        f"/quiz/{attempt_id}/q/1", data={**right_form(spec, view), "csrf_token": page_token}
    )
    assert answered.status_code == 302
    finish_token = token_of(client, f"/quiz/{attempt_id}/finish")
    clock.advance(3600)
    finished = client.post(f"/quiz/{attempt_id}/finish", data={"csrf_token": finish_token})
    assert finished.status_code == 302
    attempt = load_attempt(app, attempt_id)
    assert attempt.items[0].response.fraction == 1.0 and attempt.is_finished


def test_the_long_quiz_test_can_fail_a_token_with_a_time_limit_expires(app, client, csrf_on, clock):
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    app.test_cli_runner().invoke(args=["banks", "load"])
    with app.app_context():
        log_in(client, make_user("slow"))
    page_token = token_of(client)
    clock.advance(2 * 3600)
    response = client.post(
        "/quiz/start",
        data={"quiz": "mixed", "mode": "test", "time_limit": "0", "csrf_token": page_token},
    )
    assert response.status_code == 400


# --- tampered fields ------------------------------------------------------------------


@pytest.fixture
def quiz(app, client):
    """A learner in the middle of a test of the bundled banks; returns the attempt id."""
    app.test_cli_runner().invoke(args=["banks", "load"])
    with app.app_context():
        log_in(client, make_user("tam"))
        make_user("other")
    return start(client, "mixed", "test")


@pytest.mark.parametrize("position", [0, 11, 999, 2**31])
def test_a_question_that_is_not_in_the_attempt_is_not_found(app, client, quiz, position):
    assert client.get(f"/quiz/{quiz}/q/{position}").status_code == 404
    assert client.post(f"/quiz/{quiz}/q/{position}", data={"answer": "x"}).status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Response.id))) == 0


def test_an_option_that_was_not_shown_earns_nothing(app, client, quiz):
    items = attempt_items(app, quiz)
    others = {o for spec, _ in items for o in spec.get("options", [])}
    tried = 0
    for position, (spec, view) in enumerate(items, start=1):
        if spec["type"] not in ("choice", "multi"):
            continue
        foreign = sorted(others - set(view["options"]))[0]
        tampered = foreign if spec["type"] == "choice" else [foreign]
        client.post(f"/quiz/{quiz}/q/{position}", data={"answer": tampered})
        response = load_attempt(app, quiz).items[position - 1].response
        assert response is None or response.fraction == 0.0, spec["id"]
        tried += 1
    assert tried > 0


def test_a_match_or_order_index_outside_the_page_is_ignored(app, client, quiz):
    for position, (spec, view) in enumerate(attempt_items(app, quiz), start=1):
        if spec["type"] == "match":
            data = {f"match-{i}": "999" for i in range(len(view["lefts"]))}
            assert client.post(f"/quiz/{quiz}/q/{position}", data=data).status_code < 500
        if spec["type"] == "order":
            data = {f"position-{i}": "99" for i in range(len(view["items"]))}
            assert client.post(f"/quiz/{quiz}/q/{position}", data=data).status_code < 500
    with app.app_context():
        fractions = db.session.scalars(db.select(Response.fraction)).all()
        assert all(f == 0.0 for f in fractions)


def test_score_user_and_attempt_fields_sent_with_answers_are_ignored(app, client, quiz):
    with app.app_context():
        other = db.session.scalar(db.select(User.id).where(User.username == "other"))
        owner = db.session.get(Attempt, quiz).user_id
    forged = {
        "score": "100",
        "fraction": "1",
        "max_score": "1",
        "user_id": str(other),
        "attempt_id": "1",
        "finished_at": "2000-01-01",
        "correct": "true",
    }
    for position, (spec, view) in enumerate(attempt_items(app, quiz), start=1):
        form = right_form(spec, view) if position % 2 else wrong_form(spec, view)
        client.post(f"/quiz/{quiz}/q/{position}", data={**form, **forged})
    client.post(f"/quiz/{quiz}/finish", data=forged)
    with app.app_context():
        attempt = db.session.get(Attempt, quiz)
        expected = sum(grade(i.version.spec, i.response.value).fraction for i in attempt.items)
        assert attempt.user_id == owner and attempt.max_score == len(attempt.items)
        assert attempt.score == pytest.approx(expected) and 0 < attempt.score < attempt.max_score


# --- bounded input -----------------------------------------------------------------


def _position_of(app, quiz, kind: str) -> tuple[int, dict, dict]:
    for position, (spec, view) in enumerate(attempt_items(app, quiz), start=1):
        if spec["type"] == kind:
            return position, spec, view
    raise AssertionError(f"no {kind} question in the quiz")


def _stored(app, quiz) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Response.id)))


def test_a_choice_answer_that_is_no_option_is_refused_and_nothing_is_stored(app, client, quiz):
    position, _spec, _view = _position_of(app, quiz, "choice")
    huge = "x" * 4_900_000
    for answer in (huge, "Not an option"):
        response = client.post(f"/quiz/{quiz}/q/{position}", data={"answer": answer})
        assert response.status_code == 422
        assert "Choose among the options shown." in response.text
        assert huge not in response.text
    assert _stored(app, quiz) == 0


def test_multi_picks_must_be_options_shown_each_once(app, client, quiz):
    position, _spec, view = _position_of(app, quiz, "multi")
    for picks in ([view["options"][0], "forged"], view["options"] * 2):
        response = client.post(f"/quiz/{quiz}/q/{position}", data={"answer": picks})
        assert response.status_code == 422
    assert _stored(app, quiz) == 0


def test_a_typed_answer_over_500_characters_is_refused(app, client, quiz):
    position, _spec, _view = _position_of(app, quiz, "text")
    response = client.post(f"/quiz/{quiz}/q/{position}", data={"answer": "y" * 501})
    assert response.status_code == 422
    assert _stored(app, quiz) == 0


@pytest.mark.parametrize("digits", ["²", "٣", "1" * 30])
def test_crafted_digits_in_navigation_and_match_fields_never_give_a_500(app, client, quiz, digits):
    position, _spec, view = _position_of(app, quiz, "match")
    data = {f"match-{i}": digits for i in range(len(view["lefts"]))}
    assert client.post(f"/quiz/{quiz}/q/{position}", data={**data, "go": digits}).status_code < 500
    order, _spec, view = _position_of(app, quiz, "order")
    data = {f"position-{i}": digits for i in range(len(view["items"]))}
    assert client.post(f"/quiz/{quiz}/q/{order}", data=data).status_code == 422
    text, _spec, _view = _position_of(app, quiz, "text")
    answer = client.post(f"/quiz/{quiz}/q/{text}", data={"answer": "Vilnius", "go": digits})
    assert answer.status_code == 302


@pytest.mark.parametrize("big", [2**31, 2**63, 10**30])
def test_ids_too_big_for_the_database_are_not_found_on_every_route(app, client, quiz, big):
    from security.world import expand, rules

    for method in ("GET", "POST"):
        for rule in rules(app, method, with_ids=True):
            ids = {name: [big] for name in rule.arguments if name.endswith("_id")}
            if not ids:
                continue  # a pending upload's token, not a number
            for url in expand(rule, ids):
                response = client.open(url, method=method)
                assert response.status_code in (404, 405), (method, url, response.status_code)


def test_clicking_a_question_number_keeps_what_was_typed(app, client, quiz):
    position, _spec, _view = _position_of(app, quiz, "text")
    target = 1 if position != 1 else 2
    jumped = client.post(
        f"/quiz/{quiz}/q/{position}", data={"answer": "Grybauskaitė", "go": str(target)}
    )
    assert jumped.headers["Location"].endswith(f"/quiz/{quiz}/q/{target}")
    page = client.get(f"/quiz/{quiz}/q/{position}").text
    assert 'value="Grybauskaitė"' in page
    # The question numbers are buttons of the answer form, so a click sends the answer.
    assert f'form="answer-form" name="go" value="{target}"' in page


def test_visitors_starting_quizzes_are_throttled_per_address(app):
    app.config["VISITOR_QUIZ_RATE_LIMIT"] = "3 per minute"
    app.test_cli_runner().invoke(args=["banks", "load"])
    codes = [
        app.test_client().post("/quiz/start", data={"quiz": "mixed", "mode": "practice"})
        for _ in range(4)
    ]
    assert [c.status_code for c in codes] == [302, 302, 302, 429]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 3
    # A learner with an account is not held to the visitors' limit.
    learner = app.test_client()
    with app.app_context():
        log_in(learner, make_user("vic"))
    assert learner.post("/quiz/start", data={"quiz": "mixed"}).status_code == 302
