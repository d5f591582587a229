"""Error pages: friendly, in the site's layout, never a stack trace."""

from __future__ import annotations

import pytest
from flask import abort, request
from werkzeug.exceptions import TooManyRequests

from quizapp.extensions import db


@pytest.fixture
def failing_routes(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # behave as in production

    def crash():
        raise RuntimeError("secret internals: /srv/quizapp/models.py line 42")

    def busy():
        raise TooManyRequests(retry_after=60)

    def refuse():
        abort(403)

    def bad():
        abort(400, "That quiz has no question 12.")

    app.add_url_rule("/test/crash", "crash", crash)
    app.add_url_rule("/test/busy", "busy", busy)
    app.add_url_rule("/test/refuse", "refuse", refuse)
    app.add_url_rule("/test/bad", "bad", bad)
    app.add_url_rule("/test/upload", "upload", lambda: request.form["blob"], methods=["POST"])


@pytest.mark.parametrize(
    ("method", "url", "status", "heading"),
    [
        ("get", "/no/such/page", 404, "Page not found"),
        ("get", "/test/refuse", 403, "You cannot open this page"),
        ("get", "/test/bad", 400, "That request could not be understood"),
        ("get", "/test/busy", 429, "Too many tries"),
        ("get", "/test/crash", 500, "Something went wrong"),
        ("get", "/test/upload", 405, "Method Not Allowed"),
    ],
)
def test_each_error_has_a_friendly_page_in_the_site_layout(
    client, failing_routes, method, url, status, heading
):
    response = getattr(client, method)(url)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert f"<h1>{heading}</h1>" in response.text
    assert 'href="/"' in response.text  # the nav and a way home


def test_a_crash_shows_no_stack_trace_or_internals(client, failing_routes):
    response = client.get("/test/crash")
    assert response.status_code == 500
    assert "Traceback" not in response.text
    assert "secret internals" not in response.text
    assert "RuntimeError" not in response.text


def test_the_message_given_to_abort_is_shown(client, failing_routes):
    assert "That quiz has no question 12." in client.get("/test/bad").text


def test_error_pages_keep_the_headers_the_error_carries(client, failing_routes):
    assert client.get("/test/busy").headers["Retry-After"] == "60"
    assert "POST" in client.get("/test/upload").headers["Allow"]


def test_too_large_a_request_gets_413(app, client, failing_routes):
    app.config["MAX_CONTENT_LENGTH"] = 1_000
    response = client.post("/test/upload", data={"blob": "x" * 5_000})
    assert response.status_code == 413
    assert "<h1>That is too large</h1>" in response.text


def test_a_crash_rolls_back_what_the_request_had_half_written(app, client, failing_routes):
    from quizapp.models import User

    def half_write():
        db.session.add(
            User(username="ghost", display_name="Ghost", password_hash="x", role="learner")
        )
        db.session.flush()
        raise RuntimeError("crash after a write")

    app.add_url_rule("/test/half-write", "half_write", half_write, methods=["POST"])
    assert client.post("/test/half-write").status_code == 500
    with app.app_context():
        assert db.session.scalars(db.select(User)).all() == []


def test_a_broken_error_page_still_gives_a_plain_500(app, client, failing_routes, monkeypatch):
    from quizapp import errors

    def broken(*args, **kwargs):
        raise RuntimeError("the template is broken too")

    monkeypatch.setattr(errors, "render_template", broken)
    response = client.get("/test/crash")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "broken" not in response.text
