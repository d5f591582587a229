"""`python -m bench`: measure quizapp under gunicorn and print one table.

1. Build (or reuse) the data sets, and time loading the 5,000-question bank against
   parsing the same file with libyaml's CSafeLoader.
2. Serve each data set with gunicorn (sync workers, one per core, loopback), on a
   copy of the cached database, in bench mode (a bare endpoint, SQL counts).
3. Sign in through the login form, check every endpoint once (status, SQL count).
4. Drive each endpoint with wrk, `--rounds` times, the runs interleaved (each round
   in a rotated order), and report medians.
5. Run the exam burst, then print the table and the targets, and save the figures
   as JSON under bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench import burst, class_at_once, dataset, endpoints, memory, report, wrk
from bench import postgres as class_on_postgres
from bench.client import Browser, new_session
from bench.endpoints import (
    BARE,
    CEILINGS,
    PAGES,
    PROGRESS,
    QUESTION,
    STARTERS,
    SUBMIT,
    TEACHER_CEILINGS,
)
from bench.server import Server, workers

RESULTS_DIR = Path(__file__).resolve().parent / "results"
RUN_DIR = dataset.DATA_DIR / "run"
PAGE_ENDPOINTS = (QUESTION, SUBMIT, PROGRESS)
EXPECTED_STATUS = {
    BARE: 200,
    QUESTION: 200,
    SUBMIT: 302,
    PROGRESS: 200,
    **{name: page.status for name, page in PAGES.items()},
    **{name: 200 for name in CEILINGS | TEACHER_CEILINGS},
}
#: A request slower than this (seconds, alone) is measured with one client at a time.
SLOW = 1.0


@dataclass(frozen=True)
class Job:
    """One row of the table: an endpoint, on a data set, as a learner, with N clients."""

    size: str
    learner: str  # "" for the bare endpoint
    endpoint: str
    clients: int

    @property
    def key(self) -> str:
        return f"{self.size}/{self.learner or '-'}/{self.endpoint}/{self.clients}"


@dataclass
class Figures:
    """What was measured for one job: one wrk result per round, and its SQL count."""

    job: Job
    queries: str = "?"
    #: Connections actually used: 1 for an endpoint too slow to queue requests for.
    clients: int = 0
    probe_seconds: float = 0.0
    skipped: str = ""
    #: Server CPU seconds per request in each round (the workers' user + system time).
    cpu: list[float] = field(default_factory=list)
    rounds: list[wrk.Result] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)

    def median(self, name: str) -> float:
        values = [getattr(r, name) for r in self.rounds]
        return statistics.median(values) if values else 0.0

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.rounds)

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios) if self.ratios else 0.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark quizapp under gunicorn and print one table (see README).",
    )
    parser.add_argument("--size", choices=[*dataset.SIZES, "both"], default="both")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (median)")
    parser.add_argument("--duration", type=float, default=4.0, help="seconds per wrk run")
    parser.add_argument("--clients", type=int, default=8, help="connections per run")
    parser.add_argument("--many", type=int, default=64, help="connections for the 64-client check")
    parser.add_argument("--workers", type=int, default=workers(), help="gunicorn workers")
    parser.add_argument("--burst", type=int, default=dataset.EXAM_LEARNERS, help="exam learners")
    parser.add_argument("--no-burst", action="store_true", help="skip the exam burst")
    parser.add_argument("--no-load", action="store_true", help="skip timing the bank load")
    parser.add_argument(
        "--no-class", action="store_true", help="skip the class at once (200 learners)"
    )
    parser.add_argument(
        "--class-size", type=int, default=class_at_once.LEARNERS, help="learners in the class"
    )
    parser.add_argument(
        "--class-workers", type=int, default=4, help="gunicorn workers for the class at once"
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default=os.environ.get("BENCH_POSTGRES_URL", ""),
        help="also run the class at once on this PostgreSQL database, in a schema of its "
        "own (bench_class), dropped and made again (default: $BENCH_POSTGRES_URL)",
    )
    parser.add_argument(
        "--only-class",
        action="store_true",
        help="run only the class at once (and its PostgreSQL run): no table, burst, "
        "school or bank load",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small data set, 1 round of 2 s, no burst, no class, no bank load: a smoke test",
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the data sets")
    parser.add_argument(
        "--no-school", dest="school", action="store_false", help="skip the school's rows"
    )
    args = parser.parse_args(argv)
    if args.postgres and (args.no_class or args.quick):
        # PostgreSQL serves only the class at once: say so rather than ignore it silently.
        print("Note: --postgres (or BENCH_POSTGRES_URL) is for the class at once, skipped here.")
    if args.quick:
        args.size, args.rounds, args.duration = "small", 1, 2.0
        args.no_burst = args.no_load = args.no_class = True
    if args.only_class:
        args.no_burst = args.no_load = True
        args.school = False
    return args


def jobs_for(sizes: list[str], args: argparse.Namespace) -> list[Job]:
    jobs = []
    for size in sizes:
        jobs.append(Job(size, "", BARE, args.clients))
        learners = ["learner-01"] + (["heavy"] if size == "large" else [])
        for learner in learners:
            jobs.extend(Job(size, learner, e, args.clients) for e in PAGE_ENDPOINTS)
        # The question and progress pages' final HTML served from memory: their floor.
        jobs.extend(Job(size, "", name, args.clients) for name in CEILINGS)
        if args.school:
            # The progress page of a learner without review cards, against the heavy one's.
            jobs.append(Job(size, dataset.NO_CARDS, PROGRESS, args.clients))
            for name, page in PAGES.items():
                if page.account != "heavy" or "heavy" in learners:
                    jobs.append(Job(size, page.account, name, args.clients))
            # The class of 50's gradebook and item analysis from memory, after them.
            jobs.extend(Job(size, "", name, args.clients) for name in TEACHER_CEILINGS)
    # The many-clients check, on the largest data set's largest history.
    size = sizes[-1]
    learner = "heavy" if size == "large" else "learner-01"
    jobs.extend(Job(size, learner, e, args.many) for e in PAGE_ENDPOINTS)
    return jobs


async def _sign_in(server: Server, manifest: dataset.Manifest, learner: str) -> Browser:
    account = manifest.learners.get(learner)
    async with new_session(4) as http:
        browser = Browser(http, server.url)
        await browser.sign_in(account.username if account else learner, manifest.password)
        page = account and account.page_attempt
        await browser.fetch_token(endpoints.question_path(account) if page else "/")
        return browser


async def _sign_in_crowd(
    server: Server, manifest: dataset.Manifest, limit: int = 8
) -> list[tuple[str, str]]:
    """Sign every starter in; return their (cookie, CSRF token) in order."""
    usernames = manifest.school["start"]["usernames"]
    async with new_session(limit) as http:
        gate = asyncio.Semaphore(limit)

        async def one(username: str) -> tuple[str, str]:
            async with gate:
                browser = Browser(http, server.url)
                await browser.sign_in(username, manifest.password)
                await browser.fetch_token("/")
                return browser.cookie, browser.token

        return list(await asyncio.gather(*(one(name) for name in usernames)))


def offset_key(job: Job) -> tuple[str, str]:
    """Where a row's requests resume: the learner's next open question, or the next
    starter (each starter starts each assignment once)."""
    return (job.size, job.endpoint if job.learner == STARTERS else job.learner)


async def _probe(server: Server, browser: Browser | None, request: endpoints.Request) -> tuple:
    async with new_session(4) as http:
        probe = Browser(http, server.url, cookie=browser.cookie if browser else "")
        answer = await probe.request(request.method, request.path, request.body or None)
        return answer.status, answer.queries, answer.seconds, answer.text


def drain(server: Server, limit: float = 600.0) -> None:
    """Wait until the server has no queued requests left: the bare page answers at once.

    wrk stops sending at the end of a run, but the requests already queued behind busy
    workers are still served: they must not slow the next measurement down.
    """
    import urllib.request

    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        started = time.monotonic()
        with urllib.request.urlopen(f"{server.url}/bench/bare", timeout=limit) as answer:
            answer.read()
        if time.monotonic() - started < 0.05:
            return


def time_bank_load(path: Path) -> dict[str, float]:
    """Time parsing the big bank with CSafeLoader, then loading it (read, check, sync)."""
    import tempfile

    import yaml

    from quizapp.banks.loader import load_bank
    from quizapp.banks.sync import sync_bank
    from quizapp.cli import create_schema
    from quizapp.config import Defaults
    from quizapp.extensions import db

    data = path.read_bytes()
    parse, check, load, resync = [], [], [], []
    for _ in range(3):
        started = time.perf_counter()
        yaml.load(data, Loader=yaml.CSafeLoader)
        parse.append(time.perf_counter() - started)
        with tempfile.TemporaryDirectory() as folder:
            app = dataset.bench_app(Path(folder) / "load.sqlite")
            with app.app_context():
                create_schema()
                started = time.perf_counter()
                loaded = load_bank(data, path.name, sources_dir=Defaults.SEEDS_DIR)
                checked = time.perf_counter()
                sync_bank(loaded)
                db.session.commit()
                load.append(time.perf_counter() - started)
                check.append(checked - started)
                started = time.perf_counter()
                sync_bank(load_bank(data, path.name, sources_dir=Defaults.SEEDS_DIR))
                db.session.commit()
                resync.append(time.perf_counter() - started)
                db.session.remove()
                db.engine.dispose()
    return {
        "parse_s": statistics.median(parse),
        "check_s": statistics.median(check),
        "load_s": statistics.median(load),
        "reload_s": statistics.median(resync),
        "bytes": len(data),
    }


def run_class(
    built: tuple[Path, dataset.Manifest],
    size: str,
    args: argparse.Namespace,
    postgres: str = "",
) -> class_at_once.ClassResult:
    """Serve the class's data with the class's workers; measure bare, then release the
    class (the data set's first exam learners).

    On SQLite the data is a fresh copy of the data set; on PostgreSQL (`postgres`, a
    URL) a schema made afresh with just what the class needs (bench/postgres.py).
    """
    source, manifest = built
    usernames = manifest.exam_users[: args.class_size]
    database: Path | str
    if postgres:
        database, name = class_on_postgres.prepare(postgres, manifest, usernames), "postgres"
    else:
        database, name = RUN_DIR / f"class-{size}.sqlite", "sqlite"
        shutil.copyfile(source, database)
    log = RUN_DIR / f"class-{size}-{name}.log"
    print(f"A class at once ({name}): signing in {len(usernames)} learners…", file=sys.stderr)
    with Server(database, workers=args.class_workers, log=log) as server:
        bare = wrk.run(
            server.url,
            wrk.script(BARE, None, "", ""),
            clients=args.clients,
            seconds=args.duration,
            folder=RUN_DIR,
        )
        drain(server)
        return class_at_once.run(
            server.url,
            server.database_url,
            usernames,
            manifest.password,
            manifest.exam_quiz,
            bare_rps=bare.rps,
            workers=args.class_workers,
            size=size,
        )


def command_line(argv: list[str] | None, args: argparse.Namespace) -> str:
    """Return the command as it was run, a PostgreSQL URL's password hidden."""
    words = list(argv if argv is not None else sys.argv[1:])
    if args.postgres:
        shown = class_on_postgres.shown(args.postgres)
        words = [word.replace(args.postgres, shown) for word in words]
    return "python -m bench " + " ".join(words)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not wrk.available():
        print(wrk.WRK_HINT, file=sys.stderr)
        return 2
    sizes = list(dataset.SIZES) if args.size == "both" else [args.size]
    begun = time.monotonic()
    load_before = os.getloadavg()[0]

    built = {size: dataset.ensure(size, rebuild=args.rebuild) for size in sizes}
    bank_load = None
    if not args.no_load:
        big = dataset.DATA_DIR / f"big-bank-v{dataset.VERSION}.yaml"
        if not big.exists():
            from bench.banks import big_bank

            big.write_text(big_bank(), encoding="utf-8")
        print("Timing the 5,000-question bank load…", file=sys.stderr)
        bank_load = time_bank_load(big)

    csv_memory = None
    if args.school:
        print("Measuring the gradebook CSV's peak memory…", file=sys.stderr)
        csv_memory = {size: memory.csv_peaks(size) for size in sizes}

    if RUN_DIR.exists():
        shutil.rmtree(RUN_DIR)
    RUN_DIR.mkdir(parents=True)
    servers: dict[str, Server] = {}
    try:
        for size in [] if args.only_class else sizes:
            source, _manifest = built[size]
            copy = RUN_DIR / f"{size}.sqlite"
            shutil.copyfile(source, copy)
            pages = RUN_DIR / f"pages-{size}"
            pages.mkdir()
            servers[size] = Server(
                copy, workers=args.workers, log=RUN_DIR / f"{size}.log", pages=pages
            )
            servers[size].start()

        jobs = [] if args.only_class else jobs_for(sizes, args)
        browsers: dict[tuple[str, str], Browser] = {}
        crowds: dict[str, list[tuple[str, str]]] = {}
        for job in jobs:
            if job.learner == STARTERS:
                if job.size not in crowds:
                    print(f"Signing in the starters ({job.size})…", file=sys.stderr)
                    crowds[job.size] = asyncio.run(
                        _sign_in_crowd(servers[job.size], built[job.size][1])
                    )
                continue
            if job.learner and (job.size, job.learner) not in browsers:
                browsers[job.size, job.learner] = asyncio.run(
                    _sign_in(servers[job.size], built[job.size][1], job.learner)
                )
        figures = {job.key: Figures(job) for job in jobs}
        offsets: dict[tuple[str, str], int] = {}

        def lua(job: Job) -> str:
            learner = built[job.size][1].learners.get(job.learner)
            browser = browsers.get((job.size, job.learner))
            if job.endpoint in PAGES:
                page = PAGES[job.endpoint]
                accounts = crowds.get(job.size) if job.learner == STARTERS else None
                return wrk.page_script(
                    page.method,
                    page.path(built[job.size][1].school),
                    accounts or [(browser.cookie, browser.token)],
                    offsets.get(offset_key(job), 0),
                )
            return wrk.script(
                job.endpoint,
                learner,
                browser.cookie if browser else "",
                browser.token if browser else "",
                offsets.get((job.size, job.learner), 0),
            )

        # Check every endpoint answers as a browser expects; read its SQL count.
        for job in jobs:
            learner = built[job.size][1].learners.get(job.learner)
            browser = browsers.get((job.size, job.learner))
            offset = offsets.get(offset_key(job), 0)
            if job.learner == STARTERS:
                cookie, token = crowds[job.size][offset]
                browser = Browser(None, servers[job.size].url, cookie=cookie, token=token)
            request = endpoints.request_for(
                job.endpoint,
                learner,
                browser.token if browser else "",
                offset,
                built[job.size][1].school,
            )
            status, queries, seconds, text = asyncio.run(
                _probe(servers[job.size], browser, request)
            )
            if (job.learner == "learner-01" and job.endpoint in CEILINGS.values()) or (
                job.endpoint in TEACHER_CEILINGS.values()
            ):
                # Saved for its ceiling row, which comes later in the list.
                (servers[job.size].pages / f"{job.endpoint}.html").write_text(text)
            if status != EXPECTED_STATUS[job.endpoint]:
                raise RuntimeError(f"{job.key}: {request.method} {request.path} gave {status}")
            figure = figures[job.key]
            figure.queries, figure.probe_seconds, figure.clients = queries, seconds, job.clients
            if seconds > SLOW:
                # Queueing requests that take seconds each would keep the server busy
                # long after the run: measure one at a time, skip the many-clients run.
                figure.clients = 1
                if job.clients == args.many:
                    figure.skipped = f"{seconds:.1f} s per request"
            if job.endpoint == SUBMIT or job.learner == STARTERS:
                offsets[offset_key(job)] = offset + 1

        # Warm up every worker: templates compiled, connections open, pages cached.
        for job in jobs:
            if job.clients == args.clients:
                warm = wrk.run(
                    servers[job.size].url,
                    lua(job),
                    clients=figures[job.key].clients,
                    seconds=1,
                    folder=RUN_DIR,
                )
                drain(servers[job.size])
                if job.endpoint == SUBMIT:
                    offsets[job.size, job.learner] = offsets.get((job.size, job.learner), 0) + 5000
                if job.learner == STARTERS:
                    key = offset_key(job)
                    offsets[key] = offsets.get(key, 0) + warm.requests + job.clients

        total = len(jobs) * args.rounds
        done = 0
        for round_number in range(args.rounds if jobs else 0):
            shift = round_number * 3 % len(jobs)
            bare_rps: dict[str, float] = {}
            measured: list[tuple[Job, wrk.Result]] = []
            for job in jobs[shift:] + jobs[:shift]:
                done += 1
                if figures[job.key].skipped:
                    continue
                print(
                    f"\r[{done}/{total}] round {round_number + 1}: {job.key}   ",
                    end="",
                    file=sys.stderr,
                    flush=True,
                )
                cpu_before = servers[job.size].cpu_seconds()
                result = wrk.run(
                    servers[job.size].url,
                    lua(job),
                    clients=figures[job.key].clients,
                    seconds=args.duration,
                    folder=RUN_DIR,
                )
                drain(servers[job.size])
                if result.requests:
                    used = servers[job.size].cpu_seconds() - cpu_before
                    figures[job.key].cpu.append(used / result.requests)
                if job.endpoint == SUBMIT or job.learner == STARTERS:
                    key = offset_key(job)
                    offsets[key] = offsets.get(key, 0) + result.requests + job.clients
                figures[job.key].rounds.append(result)
                measured.append((job, result))
                if job.endpoint == BARE:
                    bare_rps[job.size] = result.rps
            for job, result in measured:
                if bare_rps.get(job.size):
                    figures[job.key].ratios.append(result.rps / bare_rps[job.size])
        print(file=sys.stderr)

        exam = None
        if not args.no_burst:
            size = sizes[-1]
            manifest = built[size][1]
            print(f"Exam burst: signing in {args.burst} learners…", file=sys.stderr)
            exam = burst.run(
                servers[size].url,
                manifest.exam_users[: args.burst],
                manifest.password,
                manifest.exam_quiz,
            )
            exam_size = size

        classes = []
        if not args.no_class:
            size = sizes[-1]
            classes.append(run_class(built[size], size, args))
            if args.postgres:
                classes.append(run_class(built[size], size, args, postgres=args.postgres))
    finally:
        for server in servers.values():
            server.stop()

    context = {
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "workers": args.workers,
        "clients": args.clients,
        "rounds": args.rounds,
        "duration_s": args.duration,
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
        "minutes": round((time.monotonic() - begun) / 60, 1),
        "command": command_line(argv, args),
        "counts": {size: built[size][1].counts for size in sizes},
        "school": {
            size: {
                "class": built[size][1].school["class_size"],
                "big": built[size][1].school["big_class"]["size"],
                "pool": built[size][1].school["start"]["big_pool"],
                # Learners each teacher's page shows (the gradebook shows a page of them).
                "shown": {
                    name: page.shows(built[size][1].school)
                    for name, page in PAGES.items()
                    if page.shows is not None
                },
            }
            for size in sizes
            if args.school
        },
    }
    text = report.render(
        list(figures.values()),
        bank_load=bank_load,
        csv_memory=csv_memory,
        exam=exam,
        exam_size=exam_size if exam else None,
        classes=classes,
        context=context,
        many=args.many,
        clients=args.clients,
    )
    print(text)
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS_DIR / f"{stamp}.txt").write_text(text + "\n")
    (RESULTS_DIR / f"{stamp}.json").write_text(
        json.dumps(
            {
                "context": context,
                "figures": [
                    {
                        "job": asdict(f.job),
                        "queries": f.queries,
                        "clients": f.clients,
                        "probe_seconds": f.probe_seconds,
                        "skipped": f.skipped,
                        "cpu_s": f.cpu,
                        "rounds": [asdict(r) for r in f.rounds],
                        "ratios": f.ratios,
                    }
                    for f in figures.values()
                ],
                "bank_load": bank_load,
                "csv_memory": csv_memory,
                "exam": asdict(exam) if exam else None,
                "class_at_once": [asdict(c) for c in classes],
            },
            indent=1,
        )
    )
    return 0
