"""Logging out: a POST that ends every copy of the session, not just this one."""

from __future__ import annotations

from quizapp.extensions import db
from quizapp.models import User


def logged_in(client) -> bool:
    """Ask a page only a logged-in user may open."""
    return client.get("/auth/password").status_code == 200


def test_logging_out_is_a_post_from_a_button_in_the_nav(client, auth):
    auth.create("alice", display_name="Alice Adams")
    auth.login()
    page = client.get("/").text
    assert '<form method="post" action="/auth/logout">' in page
    assert 'name="csrf_token"' in page
    assert client.get("/auth/logout").status_code == 405


def test_logging_out_logs_out(client, auth):
    auth.create("alice", display_name="Alice Adams")
    auth.login()
    assert logged_in(client)
    response = auth.logout()
    assert response.status_code == 302
    assert not logged_in(client)
    page = client.get("/").text
    assert "You have logged out." in page
    assert "Alice Adams" not in page


def test_logging_out_changes_the_session_token(app, auth):
    user_id = auth.create("alice")
    with app.app_context():
        before = db.session.get(User, user_id).session_token
    auth.login()
    auth.logout()
    with app.app_context():
        assert db.session.get(User, user_id).session_token != before


def test_a_replayed_session_cookie_after_logout_is_not_logged_in(app, client, auth):
    auth.create("alice", display_name="Alice Adams")
    auth.login()
    assert logged_in(client)
    stolen = client.get_cookie("session").value
    auth.logout()

    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert not logged_in(replay)


def test_a_replayed_remember_cookie_after_logout_is_not_logged_in(app, client, auth):
    auth.create("alice", display_name="Alice Adams")
    auth.login(remember=True)
    stolen = client.get_cookie("remember_token").value
    auth.logout()
    assert client.get_cookie("remember_token") is None

    replay = app.test_client()
    replay.set_cookie("remember_token", stolen)
    assert not logged_in(replay)


def test_logging_out_as_a_visitor_just_goes_home(client):
    response = client.post("/auth/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
