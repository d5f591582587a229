"""A learner's browser, as far as the benchmark needs one: aiohttp with a session cookie.

Signing in goes through the real login form (CSRF token and all); answers are filled
in from the page's own form, as a person picking the first choice would.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie

import aiohttp

#: Sent by every benchmark client (wrk too): Flask-Login's session protection ties a
#: session to the user agent, and a changing one would rewrite the cookie each time.
USER_AGENT = "quizapp-bench"
SESSION_COOKIE = "session"
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


class BenchError(RuntimeError):
    """The app did not answer as the benchmark expects."""


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    if match is None:
        raise BenchError("no CSRF token on the page")
    return match.group(1)


def connector(limit: int) -> aiohttp.TCPConnector:
    # gunicorn's sync workers close every connection after one response anyway.
    return aiohttp.TCPConnector(limit=limit, force_close=True)


def new_session(limit: int = 64) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=connector(limit),
        cookie_jar=aiohttp.DummyCookieJar(),  # each Browser keeps its own cookie
        timeout=aiohttp.ClientTimeout(total=60),
        headers={"User-Agent": USER_AGENT},
    )


@dataclass
class Answer:
    """One response: status, where it redirects, its body, the SQL count, how long it took."""

    status: int
    location: str
    text: str
    queries: str
    seconds: float


@dataclass
class Browser:
    """One learner's cookie, on a shared aiohttp session."""

    http: aiohttp.ClientSession
    base: str
    cookie: str = ""
    token: str = ""
    timings: list[tuple[str, float, int]] = field(default_factory=list)

    async def request(self, method: str, path: str, data: dict | str | None = None) -> Answer:
        headers = {"Cookie": f"{SESSION_COOKIE}={self.cookie}"} if self.cookie else {}
        if isinstance(data, str):
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        async with self.http.request(
            method, self.base + path, data=data, headers=headers, allow_redirects=False
        ) as response:
            text = await response.text()
        seconds = time.perf_counter() - started
        for header in response.headers.getall("Set-Cookie", []):
            cookie = SimpleCookie(header)
            if SESSION_COOKIE in cookie:
                self.cookie = cookie[SESSION_COOKIE].value
        return Answer(
            response.status,
            response.headers.get("Location", ""),
            text,
            response.headers.get("X-SQL-Queries", "?"),
            seconds,
        )

    async def get(self, path: str) -> Answer:
        return await self.request("GET", path)

    async def post(self, path: str, data: dict | str) -> Answer:
        return await self.request("POST", path, data)

    async def sign_in(self, username: str, password: str) -> None:
        page = await self.get("/auth/login")
        answer = await self.post(
            "/auth/login",
            {"username": username, "password": password, "csrf_token": csrf_token(page.text)},
        )
        if answer.status != 302:
            raise BenchError(f"signing in as {username} gave {answer.status}")

    async def fetch_token(self, path: str = "/") -> str:
        page = await self.get(path)
        if page.status != 200:
            raise BenchError(f"GET {path} gave {page.status}")
        self.token = csrf_token(page.text)
        return self.token


class _FormReader(HTMLParser):
    """Collect the fields of the answer form as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.in_form = False
        self.fields: list[tuple[str, str]] = []
        self.radios: dict[str, str] = {}
        self.select: str | None = None
        self.select_value: str | None = None
        self.select_first: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form" and attributes.get("id") == "answer-form":
            self.in_form = True
        if not self.in_form:
            return
        name = attributes.get("name", "")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind == "hidden":
                self.fields.append((name, attributes.get("value", "")))
            elif kind in ("radio", "checkbox"):
                self.radios.setdefault(name, attributes.get("value", ""))
            elif kind in ("text", "number", "search", ""):
                self.fields.append((name, "1991"))
        elif tag == "select" and name:
            self.select, self.select_value, self.select_first = name, None, None
        elif tag == "option" and self.select:
            value = attributes.get("value", "")
            if "selected" in attributes:
                self.select_value = value
            if value and self.select_first is None:
                self.select_first = value

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self.select:
            self.fields.append((self.select, self.select_value or self.select_first or ""))
            self.select = None
        elif tag == "form" and self.in_form:
            self.in_form = False


def fill_answer(html: str) -> list[tuple[str, str]]:
    """Return the answer form's fields with an answer: the first choice, or a year typed."""
    reader = _FormReader()
    # Only the answer form is read: parsing the whole page in Python cost the load
    # tool, on the same two cores as the server, more CPU than the server's request.
    begins = html.find('id="answer-form"')
    if begins != -1:
        html = html[html.rfind("<form", 0, begins) : html.find("</form>", begins) + 7]
    reader.feed(html)
    return reader.fields + list(reader.radios.items())


def path_of(location: str) -> str:
    """Return the path of a redirect's Location, absolute or not."""
    if location.startswith("/"):
        return location
    rest = location.split("://", 1)[-1]
    return rest[rest.index("/") :]


async def start_test(browser: Browser, quiz: str, record) -> str:
    """Start a 20-minute test on `quiz` as a learner's browser would; return the path of
    its first question. `record(step, answer, expected status)` notes the request."""
    started = await browser.post(
        "/quiz/start",
        {"csrf_token": browser.token, "quiz": quiz, "mode": "test", "time_limit": "20"},
    )
    record("start", started, 302)
    if started.status != 302 or "/q/1" not in started.location:
        raise BenchError(f"start gave {started.status} {started.location}")
    return path_of(started.location)
