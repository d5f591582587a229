"""The app in bench mode: every response says how many SQL statements it ran."""

from __future__ import annotations

import pytest

from quizapp.instrumentation import sql_counter


@pytest.fixture
def app(app):
    """The usual test app, with bench mode on (the SQL count header, /bench/bare)."""
    app.config["BENCH"] = True
    sql_counter.init_app(app)
    return app
