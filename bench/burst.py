"""The exam burst: 1,000 learners start a test and hand it in within 10 seconds.

Every learner signs in beforehand (not timed: the exam starts at 9:00 sharp, the
logins happen before). Then learner i begins at i × 10 s / 1,000 and, as fast as
the server lets them: starts the test (POST), opens its first question as the
redirect says (GET), saves an answer (POST), and hands the test in (POST). Every
request's latency is recorded; an error is a failed connection, a timeout (60 s), or
any status other than the one a browser would get.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from bench.client import Browser, fill_answer, new_session, start_test


@dataclass
class BurstResult:
    learners: int
    window: float
    requests: int
    errors: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    seconds: float  # from the first start to the last results page
    error_samples: list[str]
    step_p99_ms: dict[str, float]


def _percentile(values: list[float], percent: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(percent / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


async def _sign_in_all(base: str, usernames: list[str], password: str, limit: int) -> list[Browser]:
    async with new_session(limit) as http:
        gate = asyncio.Semaphore(limit)

        async def one(username: str) -> Browser:
            async with gate:
                browser = Browser(http, base)
                await browser.sign_in(username, password)
                await browser.fetch_token("/")
                return browser

        return list(await asyncio.gather(*(one(name) for name in usernames)))


async def _take_exam(browser: Browser, quiz: str, record) -> None:
    question = await start_test(browser, quiz, record)
    page = await browser.get(question)
    record("question", page, 200)
    fields = [*fill_answer(page.text), ("go", "finish")]
    saved = await browser.post(question, urlencode(fields))
    record("answer", saved, 302)
    attempt = question.split("/")[2]
    handed_in = await browser.post(f"/quiz/{attempt}/finish", {"csrf_token": browser.token})
    record("finish", handed_in, 302)


async def _burst(base: str, browsers: list[Browser], quiz: str, window: float) -> BurstResult:
    latencies: list[float] = []
    by_step: dict[str, list[float]] = {}
    errors: list[str] = []

    def record(step: str, answer, expected: int) -> None:
        latencies.append(answer.seconds)
        by_step.setdefault(step, []).append(answer.seconds)
        if answer.status != expected:
            errors.append(f"{step}: {answer.status}")

    async with new_session(len(browsers)) as http:
        for browser in browsers:
            browser.http = http
        started = time.perf_counter()

        async def learner(index: int, browser: Browser) -> None:
            await asyncio.sleep(index * window / len(browsers))
            try:
                await _take_exam(browser, quiz, record)
            except Exception as exc:  # a failed request is counted, not fatal
                errors.append(f"{type(exc).__name__}: {exc}")

        await asyncio.gather(*(learner(i, b) for i, b in enumerate(browsers)))
        seconds = time.perf_counter() - started
    ms = [1000 * s for s in latencies]
    return BurstResult(
        learners=len(browsers),
        window=window,
        requests=len(latencies),
        errors=len(errors),
        p50_ms=statistics.median(ms) if ms else 0.0,
        p99_ms=_percentile(ms, 99),
        max_ms=max(ms, default=0.0),
        seconds=seconds,
        error_samples=errors[:5],
        step_p99_ms={step: _percentile([1000 * s for s in v], 99) for step, v in by_step.items()},
    )


def run(
    base: str, usernames: list[str], password: str, quiz: str, *, window: float = 10.0
) -> BurstResult:
    """Sign the learners in, then run the burst; return its figures."""
    browsers = asyncio.run(_sign_in_all(base, usernames, password, limit=8))
    return asyncio.run(_burst(base, browsers, quiz, window))
