"""A class at once: 200 signed-in learners, released together, each takes a whole test.

Every learner signs in beforehand (not timed). Then all of them are released at the
same moment (a barrier) and each, as fast as the server lets them: starts a test (POST),
and for each of its ten questions opens the page the redirect names (GET) and saves an
answer (POST), then hands the test in (POST): 22 requests a learner. Every request's
latency is recorded; an error is a failed connection, a timeout (60 s), or any status
other than the one a browser would get. Afterwards the database is asked what it kept:
every answer (ten a learner) and every finished attempt, or something was lost.

The server's bare endpoint is measured first, on the same server, so that the class's
throughput is given as a share of a request that does nothing.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from sqlalchemy import bindparam, create_engine, text

from bench.burst import _percentile, _sign_in_all
from bench.client import BenchError, Browser, fill_answer, new_session, path_of, start_test

LEARNERS = 200
QUESTIONS = 10
STEPS = ("start", "question", "answer", "finish")


@dataclass
class ClassResult:
    learners: int
    size: str  # the data set
    database: str  # "SQLite" or "PostgreSQL"
    workers: int
    requests: int
    errors: int
    seconds: float  # from the release to the last hand-in
    p50_ms: float
    p99_ms: float
    max_ms: float
    step_p50_ms: dict[str, float]
    step_p99_ms: dict[str, float]
    bare_rps: float
    answers: int  # kept in the database afterwards
    finished: int
    error_samples: list[str] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def ratio(self) -> float:
        return self.rps / self.bare_rps if self.bare_rps else 0.0

    @property
    def lost(self) -> int:
        """Answers and hand-ins the learners were told were saved but the database lacks."""
        return (self.learners * QUESTIONS - self.answers) + (self.learners - self.finished)


async def _take_test(browser: Browser, quiz: str, record) -> None:
    question = await start_test(browser, quiz, record)
    attempt = question.split("/")[2]
    for number in range(1, QUESTIONS + 1):
        page = await browser.get(question)
        record("question", page, 200)
        if page.status != 200:
            raise BenchError(f"{question} gave {page.status}")
        go = "finish" if number == QUESTIONS else "next"
        saved = await browser.post(question, urlencode([*fill_answer(page.text), ("go", go)]))
        record("answer", saved, 302)
        if saved.status != 302:
            raise BenchError(f"answering {question} gave {saved.status}")
        question = path_of(saved.location)
    handed_in = await browser.post(f"/quiz/{attempt}/finish", {"csrf_token": browser.token})
    record("finish", handed_in, 302)


async def _class(browsers: list[Browser], quiz: str) -> tuple[dict[str, list[float]], list, float]:
    by_step: dict[str, list[float]] = {step: [] for step in STEPS}
    errors: list[str] = []

    def record(step: str, answer, expected: int) -> None:
        by_step[step].append(answer.seconds)
        if answer.status != expected:
            errors.append(f"{step}: {answer.status}")

    async with new_session(len(browsers)) as http:
        for browser in browsers:
            browser.http = http
        release = asyncio.Event()

        async def learner(browser: Browser) -> None:
            await release.wait()  # the barrier: nobody starts before everyone is ready
            try:
                await _take_test(browser, quiz, record)
            except Exception as exc:  # a failed request is counted, not fatal
                errors.append(f"{type(exc).__name__}: {exc}")

        tasks = [asyncio.create_task(learner(b)) for b in browsers]
        await asyncio.sleep(0)  # every task is waiting at the barrier
        started = time.perf_counter()
        release.set()
        await asyncio.gather(*tasks)
        seconds = time.perf_counter() - started
    return by_step, errors, seconds


def kept(database_url: str, usernames: list[str]) -> tuple[int, int]:
    """Return the answers and the finished attempts the learners have in the database."""
    engine = create_engine(database_url)
    names = {"names": usernames}
    try:
        with engine.connect() as connection:
            answers = connection.execute(
                text(
                    "SELECT COUNT(*) FROM responses r"
                    " JOIN attempt_items i ON i.id = r.item_id"
                    " JOIN attempts a ON a.id = i.attempt_id"
                    " JOIN users u ON u.id = a.user_id WHERE u.username IN :names"
                ).bindparams(bindparam("names", expanding=True)),
                names,
            ).scalar_one()
            finished = connection.execute(
                text(
                    "SELECT COUNT(*) FROM attempts a JOIN users u ON u.id = a.user_id"
                    " WHERE u.username IN :names AND a.finished_at IS NOT NULL"
                ).bindparams(bindparam("names", expanding=True)),
                names,
            ).scalar_one()
    finally:
        engine.dispose()
    return answers, finished


def run(
    base: str,
    database_url: str,
    usernames: list[str],
    password: str,
    quiz: str,
    *,
    bare_rps: float,
    workers: int,
    size: str,
) -> ClassResult:
    """Sign the class in, release it, and check what the database kept; return the figures."""
    before = kept(database_url, usernames)
    if before != (0, 0):
        raise BenchError(f"the class's learners already have answers or attempts: {before}")
    browsers = asyncio.run(_sign_in_all(base, usernames, password, limit=8))
    by_step, errors, seconds = asyncio.run(_class(browsers, quiz))
    answers, finished = kept(database_url, usernames)
    ms = [1000 * s for step in STEPS for s in by_step[step]]
    return ClassResult(
        learners=len(usernames),
        size=size,
        database="PostgreSQL" if database_url.startswith("postgresql") else "SQLite",
        workers=workers,
        requests=len(ms),
        errors=len(errors),
        seconds=seconds,
        p50_ms=statistics.median(ms) if ms else 0.0,
        p99_ms=_percentile(ms, 99),
        max_ms=max(ms, default=0.0),
        step_p50_ms={
            step: statistics.median(v) * 1000 if v else 0.0 for step, v in by_step.items()
        },
        step_p99_ms={step: _percentile([1000 * s for s in v], 99) for step, v in by_step.items()},
        bare_rps=bare_rps,
        answers=answers,
        finished=finished,
        error_samples=errors[:5],
    )
