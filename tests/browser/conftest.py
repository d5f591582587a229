"""A live quizapp server on loopback and Debian's chromium driven by Playwright.

The browser tests never skip: without /usr/bin/chromium they fail, so a machine
that cannot run them says so (`bash .ci/setup` installs it).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import expect
from werkzeug.serving import make_server

from quizapp import create_app

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Flags for a headless chromium on a machine with no screen and a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# A loaded CI machine can be slow to repaint; waiting longer costs nothing when it is not.
expect.set_options(timeout=15_000)


@dataclass
class LiveServer:
    app: Flask
    url: str


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> LiveServer:
    """Serve a fresh app with the bundled banks, CSRF on, from a thread."""
    folder = tmp_path_factory.mktemp("live")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'quizapp.sqlite'}",
            "SECRET_KEY": "browser-tests",
        }
    )
    result = app.test_cli_runner().invoke(args=["banks", "load"])
    assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session", autouse=True)
def fresh_screenshots():
    """Start each run with no screenshots but its own (tests/browser/screenshots/, saved by
    browser.accessibility.check_page and kept by CI as artefacts)."""
    folder = Path(__file__).parent / "screenshots"
    for old in folder.glob("*.png"):
        old.unlink()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    assert os.path.exists(CHROMIUM), f"{CHROMIUM} is missing: run `bash .ci/setup`"
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {**browser_context_args, "base_url": live_server.url}


@pytest.fixture
def page(page):
    """A page that fails the test on any console error or uncaught exception."""
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == [], f"errors in the browser console: {errors}"
