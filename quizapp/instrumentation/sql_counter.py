"""Bench mode: a bare endpoint to measure against, and the SQL statements of each request.

All of it is off unless the BENCH config flag is set (the benchmark in bench/ sets it;
see the README's "Performance"). Then:

- `GET /bench/bare` answers "ok" from a view that does nothing: the floor that every
  page's requests per second are compared with, through the same server and app;
- every response carries `X-SQL-Queries`, the number of SQL statements the request
  ran. Transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE) is not
  counted: a query here is a statement that reads or writes rows;
- `GET /bench/ceiling/<name>` answers with the file `<name>.html` of the folder the
  BENCH_PAGES setting names (a page's final HTML, saved by the benchmark), read once
  per process and then served from memory: how fast a page could be served by this
  app and its hooks if building it cost nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask, Response, abort, current_app, g, has_request_context
from sqlalchemy import event

from quizapp.extensions import db

QUERY_HEADER = "X-SQL-Queries"
BARE_PATH = "/bench/bare"
CEILING_PATH = "/bench/ceiling/<name>"
_CEILING_NAME = re.compile(r"[a-z0-9-]{1,60}")
#: Saved pages by name: files the benchmark writes once per run, before asking for them.
_CEILINGS: dict[str, bytes] = {}
_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "END")


def is_query(statement: str) -> bool:
    """Tell whether a statement counts as a query (anything but transaction control)."""
    return not statement.lstrip()[:10].upper().startswith(_CONTROL)


def init_app(app: Flask) -> None:
    """Turn bench mode on when BENCH is set; do nothing otherwise."""
    if not app.config.get("BENCH"):
        return
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", _count)
    app.add_url_rule(BARE_PATH, "bench_bare", bare)
    app.add_url_rule(CEILING_PATH, "bench_ceiling", ceiling)
    app.after_request(_report)


def _count(_conn, _cursor, statement, _parameters, _context, _executemany) -> None:
    if has_request_context() and is_query(statement):
        g.sql_queries = g.get("sql_queries", 0) + 1


def _report(response: Response) -> Response:
    response.headers[QUERY_HEADER] = str(g.get("sql_queries", 0))
    return response


def bare() -> str:
    """Answer with nothing but "ok": the baseline of the benchmark."""
    return "ok"


def ceiling(name: str) -> Response:
    """Answer with a saved page from memory: the floor of a page of that size."""
    folder = current_app.config.get("BENCH_PAGES")
    if not folder or not _CEILING_NAME.fullmatch(name):
        abort(404)
    body = _CEILINGS.get(name)
    if body is None:
        path = Path(folder) / f"{name}.html"
        if not path.is_file():
            abort(404)
        body = _CEILINGS[name] = path.read_bytes()
    return Response(body, mimetype="text/html")
