"""Logging in: any spelling of the username, one message for every failure, safe next."""

from __future__ import annotations

import pytest

from quizapp import accounts
from quizapp.extensions import db
from quizapp.models import Attempt
from quizapp.web.auth.views import is_safe_next

PASSWORD = "correct horse battery"


@pytest.fixture
def alice(auth) -> int:
    return auth.create("alice", display_name="Alice Adams")


@pytest.mark.parametrize("spelling", ["alice", "Alice", "alice ", "ａlice"])
def test_logging_in_works_with_any_spelling_of_the_username(client, auth, alice, spelling):
    response = auth.login(spelling)
    assert response.status_code == 302
    assert "Alice Adams" in client.get("/").text


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(auth, alice):
    unknown = auth.login("zzqx", PASSWORD)
    wrong = auth.login("alice", "not the password")
    assert unknown.status_code == wrong.status_code == 200
    assert "do not match an account" in unknown.text
    assert unknown.text.replace("zzqx", "alice") == wrong.text


def test_a_failed_login_keeps_the_username_but_never_the_password(auth, alice):
    response = auth.login("alice", "not the password")
    assert 'value="alice"' in response.text
    assert "not the password" not in response.text


def test_a_megabyte_password_is_refused_before_any_hashing(auth, alice, monkeypatch):
    def no_hashing(*args, **kwargs):
        raise AssertionError("a 1 MB password reached the hash function")

    monkeypatch.setattr(accounts, "check_password_hash", no_hashing)
    response = auth.login("alice", "x" * 1_000_000)
    assert response.status_code == 200
    assert "at most 1,000 characters" in response.text


@pytest.mark.parametrize(
    "url",
    ["/", "/quiz/3/q/1", "/progress/?page=2", "/auth/password#top", "/a/b?next=//x"],
)
def test_is_safe_next_accepts_paths_on_this_site(url):
    assert is_safe_next(url)


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "//evil.example",
        "///evil.example",
        "https://evil.example",
        "http://evil.example/path",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        " //evil.example",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "evil.example",
        "quiz/3",
        "https:/evil.example",
        "/" + "a" * 3000,
    ],
)
def test_is_safe_next_refuses_anything_that_could_leave_the_site(url):
    assert not is_safe_next(url)


def test_login_goes_to_a_safe_next(auth, alice):
    response = auth.login(next="/quiz/3/q/1?x=1")
    assert response.headers["Location"] == "/quiz/3/q/1?x=1"


@pytest.mark.parametrize(
    "url", ["//evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)"]
)
def test_login_ignores_an_unsafe_next(auth, alice, url):
    response = auth.login(next=url)
    assert response.headers["Location"] == "/"


def test_the_login_page_drops_an_unsafe_next_from_its_form(client):
    page = client.get("/auth/login?next=//evil.example").text
    assert "evil.example" not in page


def test_a_page_that_needs_login_sends_a_visitor_to_login_and_back(client, auth, alice):
    response = client.get("/auth/password")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=%2Fauth%2Fpassword"
    assert auth.login(next="/auth/password").headers["Location"] == "/auth/password"


def test_logging_in_starts_a_fresh_session(client, auth, alice):
    client.get("/auth/login")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
        session["csrf_token"] = "a token fixed before login"
        session["guest_key"] = "visitor-key"
        before = dict(session)

    auth.login()

    with client.session_transaction() as session:
        after = dict(session)
    assert "planted" not in after
    assert after.get("csrf_token") != before["csrf_token"]
    assert "guest_key" not in after
    assert after["_user_id"].startswith(f"{alice}:")


def test_logging_in_claims_the_attempts_taken_as_a_visitor(app, client, auth, alice):
    with client.session_transaction() as session:
        session["guest_key"] = "visitor-key"
    with app.app_context():
        db.session.add(Attempt(kind="mixed", title="Mixed", mode="test", guest_key="visitor-key"))
        db.session.commit()

    assert "saved in your account" in auth.login(follow_redirects=True).text

    with app.app_context():
        [attempt] = db.session.scalars(db.select(Attempt))
        assert (attempt.user_id, attempt.guest_key) == (alice, None)


def test_remember_me_sets_a_remember_cookie_that_outlives_the_session(app, client, auth, alice):
    auth.login(remember=True)
    remember = client.get_cookie("remember_token")
    assert remember is not None
    assert remember.http_only

    other = app.test_client()
    other.set_cookie("remember_token", remember.value)
    assert other.get("/auth/password").status_code == 200


def test_without_remember_me_there_is_no_remember_cookie(client, auth, alice):
    auth.login(remember=False)
    assert client.get_cookie("remember_token") is None


def test_the_session_cookie_is_httponly_and_samesite_lax(client, auth, alice):
    auth.login()
    cookie = client.get_cookie("session")
    assert cookie.http_only
    assert cookie.same_site == "Lax"


def test_a_logged_in_user_opening_login_is_sent_on(client, auth, alice):
    auth.login()
    response = client.get("/auth/login?next=/quiz/1/q/1")
    assert response.headers["Location"] == "/quiz/1/q/1"
