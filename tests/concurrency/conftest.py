"""A real server for the concurrency tests: gunicorn with four workers on loopback.

The server runs `quizapp:create_app()` on the test's own database (the `app` fixture's:
a SQLite file, or PostgreSQL when DATABASE_URL points at it), with CSRF on as in
production. Tests talk to it over HTTP with `Browser`, a small cookie-keeping client.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

from quizapp.extensions import db

WORKERS = 4
START_TIMEOUT = 60  # seconds for gunicorn and its workers to come up, on a busy machine
REQUEST_TIMEOUT = 120
TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


@dataclass
class Browser:
    """One person's browser: keeps cookies, reads CSRF tokens from pages."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict | None = None) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, text)
        finally:
            connection.close()

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, form: dict | None = None, *, token_from: str | None = None) -> Reply:
        """POST a form with the CSRF token of page `token_from` (the path itself by default)."""
        page = self.get(token_from or path)
        match = TOKEN.search(page.text)
        assert match, f"no CSRF token on {token_from or path}: {page.status}"
        return self.request("POST", path, {**(form or {}), "csrf_token": match.group(1)})


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log: list[str]

    def browser(self) -> Browser:
        return Browser(self.port)

    def errors(self) -> list[str]:
        return [line for line in self.log if "Traceback" in line or "[ERROR]" in line]


def _pump(stream, log: list[str], ready: threading.Event, port: list[int]) -> None:
    for line in iter(stream.readline, ""):
        log.append(line.rstrip("\n"))
        if match := re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line):
            port.append(int(match.group(1)))
        if sum("Booting worker" in entry for entry in log) >= WORKERS:
            ready.set()
    ready.set()


@contextmanager
def run_gunicorn(app, **settings: str) -> Iterator[Server]:
    """Start gunicorn on the app's database; settings become QUIZAPP_* variables."""
    with app.app_context():
        url = db.engine.url.render_as_string(hide_password=False)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": app.config["SECRET_KEY"],
        **{f"QUIZAPP_{name}": value for name, value in settings.items()},
    }
    env.pop("TEST_DATABASE_URL", None)
    command = [
        sys.executable, "-m", "gunicorn",
        "--workers", str(WORKERS),
        "--bind", "127.0.0.1:0",  # loopback only, on a free port gunicorn reports
        "--no-control-socket",
        "--timeout", "120",
        "--graceful-timeout", "5",
        "quizapp:create_app()",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    log: list[str] = []
    ready, port = threading.Event(), []
    pump = threading.Thread(target=_pump, args=(process.stderr, log, ready, port), daemon=True)
    pump.start()
    try:
        assert ready.wait(START_TIMEOUT) and port, "gunicorn did not start:\n" + "\n".join(log)
        server = Server(port[0], process, log)
        _wait_until_serving(server)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        pump.join(timeout=5)
        process.stderr.close()


def _wait_until_serving(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            if server.browser().get("/auth/login").status == 200:
                return
        except OSError:
            pass
        assert time.monotonic() < deadline, "gunicorn never answered:\n" + "\n".join(server.log)
        time.sleep(0.2)


@pytest.fixture
def loaded(app):
    """The app's database with the bundled banks loaded."""
    result = app.test_cli_runner().invoke(args=["banks", "load"])
    assert result.exit_code == 0, result.output
    return app


@pytest.fixture
def server(loaded) -> Iterator[Server]:
    """gunicorn with four workers serving the loaded database."""
    with run_gunicorn(loaded) as running:
        yield running


def sign_in(app, browser: Browser, user) -> None:
    """Give the browser the session cookie of a logged-in user (logging in is tested elsewhere).

    Two hundred scrypt logins would measure hashing, not answering.
    """
    serializer = app.session_interface.get_signing_serializer(app)
    browser.cookies["session"] = serializer.dumps({"_user_id": user.get_id(), "_fresh": True})
