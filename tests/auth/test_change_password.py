"""Changing a password: this browser stays in, every other device is logged out."""

from __future__ import annotations

import pytest

from quizapp.extensions import db
from quizapp.models import User

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def alice(auth) -> int:
    user_id = auth.create("alice", display_name="Alice Adams")
    auth.login()
    return user_id


def logged_in(client) -> bool:
    """Ask a page only a logged-in user may open."""
    return client.get("/auth/password").status_code == 200


def change(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post(
        "/auth/password",
        data={"current_password": current, "new_password": new, "confirm": confirm or new},
    )


def test_the_change_password_page_is_linked_from_the_display_name_in_the_nav(client, alice):
    page = client.get("/").text
    assert 'href="/auth/password"' in page
    assert client.get("/auth/password").status_code == 200


def test_changing_the_password_keeps_this_browser_logged_in(client, alice):
    response = change(client)
    assert response.status_code == 302
    assert logged_in(client)


def test_changing_the_password_logs_out_other_devices(app, client, alice):
    other_device = app.test_client()
    other_device.set_cookie("session", client.get_cookie("session").value)
    assert logged_in(other_device)

    change(client)

    assert not logged_in(other_device)
    assert logged_in(client)


def test_changing_the_password_stops_other_devices_remember_cookies(app, client, auth, alice):
    phone = app.test_client()
    auth.on(phone).login(remember=True)
    remember = phone.get_cookie("remember_token").value

    change(client)

    replay = app.test_client()
    replay.set_cookie("remember_token", remember)
    assert not logged_in(replay)


def test_a_remembered_browser_stays_remembered_after_changing_the_password(app, auth):
    browser = app.test_client()
    auth.create("bob", display_name="Bob Brown")
    auth.on(browser).login("bob", remember=True)
    old = browser.get_cookie("remember_token").value

    change(browser)

    new = browser.get_cookie("remember_token").value
    assert new != old
    fresh = app.test_client()
    fresh.set_cookie("remember_token", new)
    assert logged_in(fresh)


def test_the_new_password_works_and_the_old_one_does_not(app, client, auth, alice):
    change(client)
    auth.logout()
    assert auth.login("alice", PASSWORD).status_code == 200
    assert auth.login("alice", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"current": "not my password"}, "That is not your current password."),
        ({"new": "short"}, "8 to 1,000 characters"),
        ({"confirm": "something else"}, "The passwords do not match."),
    ],
)
def test_a_bad_change_is_refused_with_a_message_and_changes_nothing(
    app, client, alice, form, message
):
    with app.app_context():
        before = db.session.get(User, alice).password_hash
    response = change(client, **form)
    assert response.status_code == 200
    assert message in response.text
    with app.app_context():
        assert db.session.get(User, alice).password_hash == before


def test_a_visitor_cannot_open_the_change_password_page(client):
    response = client.get("/auth/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")
