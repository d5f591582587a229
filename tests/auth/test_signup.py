"""Signing up: a learner account from a form, with a clear answer to every mistake."""

from __future__ import annotations

import re

import pytest

from quizapp import accounts
from quizapp.extensions import db
from quizapp.models import Attempt, User

PASSWORD = "correct horse battery"


def users(app) -> list[User]:
    with app.app_context():
        return list(db.session.scalars(db.select(User)))


def test_the_signup_page_labels_every_field_and_links_its_hint(client):
    page = client.get("/auth/signup").text
    for name in ("display_name", "username", "email", "password", "confirm"):
        assert f'<label for="{name}">' in page
        assert f'name="{name}"' in page
    assert 'aria-describedby="username-hint"' in page
    assert 'id="username-hint"' in page


def test_signing_up_creates_a_learner_and_logs_them_in(app, client, auth):
    response = auth.signup("Alice", display_name="Alice Adams", email="alice@example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    [user] = users(app)
    assert (user.username, user.display_name, user.email) == (
        "alice",
        "Alice Adams",
        "alice@example.org",
    )
    assert user.role == "learner"
    assert user.password_hash.startswith("scrypt:")
    home = client.get("/").text
    assert "Alice Adams" in home
    assert "Log out" in home


def test_an_email_address_is_optional(app, auth):
    assert auth.signup("pupil", email="").status_code == 302
    [user] = users(app)
    assert user.email is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("username", "ab", "3 to 40 characters"),
        ("username", "anna k", "Use only letters"),
        ("username", "anna<script>", "Use only letters"),
        ("display_name", "   ", "This field is required"),
        ("email", "not-an-address", "does not look like an email address"),
        ("password", "short", "8 to 1,000 characters"),
        ("confirm", "something else", "The passwords do not match"),
    ],
)
def test_a_bad_signup_form_comes_back_with_the_input_and_the_message(
    app, auth, field, value, message
):
    form = {"display_name": "Anna Smith", "username": "anna", "email": "anna@example.org"}
    form[field] = value
    response = auth.signup(**form)
    assert response.status_code == 200
    assert message in response.text
    assert 'value="Anna Smith"' in response.text or field == "display_name"
    assert 'value="anna@example.org"' in response.text or field == "email"
    assert 'aria-invalid="true"' in response.text
    assert re.search(rf'aria-describedby="[^"]*\b{field}-errors"', response.text)
    assert users(app) == []


def test_a_bad_signup_form_never_echoes_the_password(auth):
    response = auth.signup("ab", password="my secret password 123")
    assert response.status_code == 200
    assert "my secret password 123" not in response.text


def test_a_password_equal_to_the_username_is_refused(app, auth):
    response = auth.signup("longusername", password="LongUsername")
    assert "not your username" in response.text
    assert users(app) == []


@pytest.mark.parametrize("lookalike", ["alice", "Alice", "ALICE", "alice ", "ａlice"])
def test_signing_up_twice_with_any_spelling_of_a_username_is_refused(app, client, auth, lookalike):
    auth.signup("alice")
    auth.logout()
    response = auth.signup(lookalike, display_name="Someone Else")
    assert response.status_code == 200
    assert "The username “alice” is taken" in response.text
    assert [user.display_name for user in users(app)] == ["Alice"]


def test_a_megabyte_password_is_refused_by_the_form_before_any_hashing(app, auth, monkeypatch):
    def no_hashing(*args, **kwargs):
        raise AssertionError("a 1 MB password reached the hash function")

    monkeypatch.setattr(accounts, "generate_password_hash", no_hashing)
    huge = "x" * 1_000_000
    response = auth.signup("alice", password=huge, confirm=huge)
    assert response.status_code == 200
    assert "8 to 1,000 characters" in response.text
    assert huge not in response.text
    assert users(app) == []


def test_signing_up_after_a_quiz_keeps_that_attempt(app, client, auth):
    with client.session_transaction() as session:
        session["guest_key"] = "visitor-key"
    with app.app_context():
        db.session.add(
            Attempt(kind="mixed", title="Mixed", mode="practice", guest_key="visitor-key")
        )
        db.session.commit()

    response = auth.signup("alice", follow_redirects=True)

    assert "saved in your account" in response.text
    [user] = users(app)
    with app.app_context():
        [attempt] = db.session.scalars(db.select(Attempt))
        assert (attempt.user_id, attempt.guest_key) == (user.id, None)
    with client.session_transaction() as session:
        assert "guest_key" not in session


def test_signing_up_honours_a_next_path_on_this_site(auth):
    response = auth.signup("alice", next="/quiz/3/result")
    assert response.headers["Location"] == "/quiz/3/result"


def test_signing_up_ignores_a_next_to_another_site(auth):
    response = auth.signup("alice", next="https://evil.example/")
    assert response.headers["Location"] == "/"


def test_a_logged_in_user_opening_signup_is_sent_home(client, auth):
    auth.signup("alice")
    response = client.get("/auth/signup")
    assert response.status_code == 302


@pytest.mark.parametrize(
    "name", ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)"]
)
def test_a_display_name_renders_as_text(client, auth, name):
    auth.signup("mallory", display_name=name)
    page = client.get("/auth/password").text
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert not re.search(r'href="javascript:', page)
    assert "&lt;" in page or "javascript:alert(1)" in page


@pytest.mark.parametrize("name", ["Ann\u202eeht", "Ann\x00", "Ann\x1b[31m"])
def test_a_display_name_with_control_or_bidi_override_characters_is_refused(app, auth, name):
    response = auth.signup("anna", display_name=name)
    assert "Use only printable characters." in response.text
    assert users(app) == []


def test_a_display_name_may_use_any_script(app, auth):
    name = "Ліна Ўладзіміраўна · مهرداد\u200cپور"
    assert auth.signup("lina", display_name=name).status_code == 302
    [user] = users(app)
    assert user.display_name == name
