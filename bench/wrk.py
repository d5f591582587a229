"""Drive one endpoint with wrk (Debian's `wrk`), a fixed number of connections for a while.

wrk is written in C: on a 2-core machine that also runs the server, a load tool in
Python would spend a large share of the CPU the server needs. A Lua script gives
each request its cookie, its CSRF token and, for answers, the next unanswered
question; `done` prints wrk's figures as one JSON line.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.client import SESSION_COOKIE, USER_AGENT
from bench.dataset import QUESTIONS_PER_ATTEMPT, Learner
from bench.endpoints import (
    BARE,
    CEILINGS,
    PROGRESS,
    QUESTION,
    SUBMIT,
    TEACHER_CEILINGS,
    question_path,
    submit_body,
)

WRK_HINT = "wrk is not installed: apt-get install wrk (Debian), then run the benchmark again."

_SCRIPT = r"""
wrk.method = "{method}"
wrk.headers["User-Agent"] = "{user_agent}"
{cookie}
{body}
local submit = {submit}
local first, count, per, offset = {open_first}, {open_count}, {per_attempt}, {offset}
local index = 0

request = function()
  if not submit then
    return wrk.format(nil, "{path}")
  end
  local i = (offset + index) % (count * per)
  index = index + 1
  local path = "/quiz/" .. (first + math.floor(i / per)) .. "/q/" .. (i % per + 1)
  return wrk.format(nil, path)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{{"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50.0), latency:percentile(99.0), latency.max))
end
"""


_PAGE_SCRIPT = r"""
local path, method, offset = "{path}", "{method}", {offset}
local accounts = {{
{accounts}
}}
local index = 0

request = function()
  local account = accounts[(offset + index) % #accounts + 1]
  index = index + 1
  local headers = {{}}
  headers["User-Agent"] = "{user_agent}"
  headers["Cookie"] = "{session}=" .. account[1]
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format(method, path, headers, "csrf_token=" .. account[2])
  end
  return wrk.format(method, path, headers)
end
"""


def page_script(method: str, path: str, accounts: list[tuple[str, str]], offset: int = 0) -> str:
    """Return the Lua script for a page asked by `accounts` (cookie, CSRF token) in turn,
    from the `offset`th on: one account, or one request each (starting an assignment)."""
    rows = ",\n".join(f'  {{"{cookie}", "{token}"}}' for cookie, token in accounts)
    done = _SCRIPT[_SCRIPT.index("done = function") :]
    return (
        _PAGE_SCRIPT.format(
            path=path,
            method=method,
            offset=offset,
            accounts=rows,
            user_agent=USER_AGENT,
            session=SESSION_COOKIE,
        )
        + "\n"
        + done.replace("{{", "{").replace("}}", "}")
    )


@dataclass(frozen=True)
class Result:
    """wrk's figures for one run."""

    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float
    max_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def available() -> bool:
    return shutil.which("wrk") is not None


def script(endpoint: str, learner: Learner | None, cookie: str, token: str, offset: int = 0) -> str:
    """Return the Lua script for `endpoint` as `learner` (None: the bare endpoint)."""
    paths = {BARE: "/bench/bare", PROGRESS: "/progress/"}
    ceilings = CEILINGS | TEACHER_CEILINGS
    paths.update({name: f"/bench/ceiling/{page}" for name, page in ceilings.items()})
    if endpoint == QUESTION:
        paths[QUESTION] = question_path(learner)
    submit = endpoint == SUBMIT
    return _SCRIPT.format(
        method="POST" if submit else "GET",
        user_agent=USER_AGENT,
        cookie=f'wrk.headers["Cookie"] = "{SESSION_COOKIE}={cookie}"' if cookie else "",
        body=(
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
            f'wrk.body = "{submit_body(token)}"'
            if submit
            else ""
        ),
        submit="true" if submit else "false",
        open_first=learner.open_first if learner else 0,
        open_count=max(learner.open_count if learner else 0, 1),
        per_attempt=QUESTIONS_PER_ATTEMPT,
        offset=offset,
        path=paths.get(endpoint, ""),
    )


def run(url: str, lua: str, *, clients: int, seconds: float, folder: Path) -> Result:
    """Run wrk with `clients` connections on one thread for `seconds`; return its figures."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "wrk.lua"
    path.write_text(lua)
    command = [
        "wrk",
        "--threads",
        "1",
        "--connections",
        str(clients),
        "--duration",
        f"{seconds:g}s",
        "--timeout",
        "10s",
        "--script",
        str(path),
        url,
    ]
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    line = next((line for line in finished.stdout.splitlines() if line.startswith("{")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no figures:\n{finished.stdout}\n{finished.stderr}")
    data = json.loads(line)
    errors = sum(data[name] for name in ("connect", "read", "write", "status", "timeout"))
    return Result(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        errors=errors,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
    )
