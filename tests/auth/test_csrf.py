"""CSRF: with protection on, a POST without a valid token is refused and writes nothing."""

from __future__ import annotations

import re

import pytest

from quizapp.extensions import db
from quizapp.models import User

PASSWORD = "correct horse battery"


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True


def token_from(page: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


def snapshot(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.scalars(db.select(User).order_by(User.id))
        return [(u.username, u.password_hash, u.session_token) for u in rows]


def test_every_account_form_carries_a_csrf_token(csrf_on, client, auth):
    for url in ("/auth/signup", "/auth/login"):
        assert token_from(client.get(url).text)
    auth.create("alice")
    auth.login()
    assert token_from(client.get("/auth/password").text)
    assert token_from(client.get("/").text)  # the log-out button


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_signing_up_without_a_valid_token_gets_400_and_creates_nobody(csrf_on, app, client, token):
    data = {
        "display_name": "Alice",
        "username": "alice",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    if token:
        data["csrf_token"] = token
    response = client.post("/auth/signup", data=data)
    assert response.status_code == 400
    assert "<h1>This form has expired</h1>" in response.text
    assert "nothing was saved" in response.text
    assert snapshot(app) == []


def test_logging_in_without_a_token_gets_400_and_logs_nobody_in(csrf_on, client, auth):
    auth.create("alice", display_name="Alice Adams")
    response = client.post("/auth/login", data={"username": "alice", "password": PASSWORD})
    assert response.status_code == 400
    assert "Alice Adams" not in client.get("/").text


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/auth/logout", {}),
        (
            "/auth/password",
            {
                "current_password": PASSWORD,
                "new_password": "new password!",
                "confirm": "new password!",
            },
        ),
    ],
)
def test_a_logged_in_post_without_a_token_gets_400_and_changes_nothing(
    csrf_on, app, client, auth, url, data
):
    auth.create("alice", display_name="Alice Adams")
    auth.login()
    before = snapshot(app)
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert snapshot(app) == before
    assert "Alice Adams" in client.get("/").text


def test_the_same_forms_work_with_their_token(csrf_on, app, client, auth):
    response = auth.signup("alice", display_name="Alice Adams")
    assert response.status_code == 302
    assert auth.logout().status_code == 302
    assert auth.login().status_code == 302
    assert "Alice Adams" in client.get("/").text
