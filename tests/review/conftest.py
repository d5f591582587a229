"""Fixtures for review and mastery: a small bank of date questions and a learner."""

from __future__ import annotations

import pytest
from drive import log_in, make_user
from review.history import load_tiny_bank


@pytest.fixture
def tiny(app) -> dict[str, int]:
    """The tiny bank loaded; its question ids by slug."""
    with app.app_context():
        return load_tiny_bank()


@pytest.fixture
def lena(app, client) -> int:
    """A learner, signed in on `client`; returns her id."""
    with app.app_context():
        user = make_user("lena")
        log_in(client, user)
        return user.id


@pytest.fixture
def ctx(app):
    """An app context for tests that work with the database directly."""
    with app.app_context():
        yield
