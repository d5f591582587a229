"""Fixtures for the reader and the timeline: the bundled banks and a learner."""

from __future__ import annotations

import pytest
from drive import log_in, make_user


@pytest.fixture
def banks(app):
    """Load the bundled banks into the test database."""
    result = app.test_cli_runner().invoke(args=["banks", "load"])
    assert result.exit_code == 0, result.output


@pytest.fixture
def learner(app, client) -> int:
    """A learner, signed in on `client`; returns their id."""
    with app.app_context():
        user = make_user("lena")
        log_in(client, user)
        return user.id
