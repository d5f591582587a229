"""Profile one endpoint in-process: where a request's time goes, without a server.

    python -m bench.profile question --size large --learner heavy --requests 300
    python -m bench.profile progress --size large --learner heavy --pyinstrument

Runs the app on a copy of a data set with Flask's test client, signs in through the
login form, sends the requests, and prints the mean time and SQL statements per
request; with --pyinstrument, the call tree of all of them (py-spy works too: run a
gunicorn worker under `py-spy record`).
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
import time
from pathlib import Path

from bench import dataset, endpoints
from quizapp.instrumentation import sql_counter

CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    if match is None:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("endpoint", choices=[*endpoints.ENDPOINTS, *endpoints.PAGES])
    parser.add_argument("--size", choices=dataset.SIZES, default="small")
    parser.add_argument("--learner", default="learner-01")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--pyinstrument", action="store_true", help="print a call tree")
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        metavar="GLOBAL",
        help="replace a template global by one returning None (e.g. my_review_status): "
        "to see a page without one of its sections",
    )
    args = parser.parse_args(argv)

    source, manifest = dataset.ensure(args.size)
    learner = manifest.learners.get(args.learner) or dataset.Learner(args.learner, 0, 0)
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / source.name
        shutil.copyfile(source, database)
        app = dataset.bench_app(database)
        app.config["BENCH"] = True

        sql_counter.init_app(app)
        for name in args.without:
            app.jinja_env.globals[name] = lambda: None
        client = app.test_client()
        page = client.get("/auth/login").get_data(as_text=True)
        answer = client.post(
            "/auth/login",
            data={
                "username": learner.username,
                "password": manifest.password,
                "csrf_token": csrf_token(page),
            },
        )
        if answer.status_code != 302:
            raise RuntimeError(f"signing in failed: {answer.status_code}")
        first = endpoints.question_path(learner) if learner.page_attempt else "/"
        token = csrf_token(client.get(first).get_data(as_text=True))

        def send(index: int):
            request = endpoints.request_for(args.endpoint, learner, token, index, manifest.school)
            if request.method == "GET":
                response = client.get(request.path)
            else:
                response = client.post(
                    request.path,
                    data=request.body,
                    content_type="application/x-www-form-urlencoded",
                )
            response.get_data()  # a streamed body (the gradebook CSV) is made as it is read
            return response

        for index in range(10):  # warm up: templates compiled, caches filled
            send(index)
        profiler = None
        if args.pyinstrument:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0002)
            profiler.start()
        queries = set()
        started = time.perf_counter()
        for index in range(10, 10 + args.requests):
            response = send(index)
            if response.status_code >= 400:
                raise RuntimeError(f"{response.status_code} for {args.endpoint}")
            queries.add(response.headers.get(sql_counter.QUERY_HEADER))
        elapsed = time.perf_counter() - started
        if profiler is not None:
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        print(
            f"{args.endpoint} ({args.size}, {args.learner}): "
            f"{1000 * elapsed / args.requests:.2f} ms per request in-process, "
            f"SQL queries per request: {', '.join(sorted(q or '?' for q in queries))}"
        )
        with app.app_context():
            from quizapp.extensions import db

            db.session.remove()
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
