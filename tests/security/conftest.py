"""Fixtures of the security tests: the populated world and CSRF switched on."""

from __future__ import annotations

import pytest
from security.world import World, build


@pytest.fixture
def world(app) -> World:
    """The app filled with two owners, two outsiders and hostile text everywhere."""
    return build(app)


@pytest.fixture
def csrf_on(app):
    """Check CSRF tokens as production does (the suite's app fixture turns it off)."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app
