"""Bench mode: a bare endpoint to measure against, and the SQL statements of each request.

All of it is off unless the BENCH config flag is set (the benchmark in bench/ sets it;
see the README's "Performance"). Then:

- `GET /bench/bare` answers "ok" from a view that does nothing: the floor that every
  page's requests per second are compared with, through the same server and app;
- every response carries `X-SQL-Queries`, the number of SQL statements the request
  ran. Transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE) is not
  counted: a query here is a statement that reads or writes rows.
"""

from __future__ import annotations

from flask import Flask, Response, g, has_request_context
from sqlalchemy import event

from quizapp.extensions import db

QUERY_HEADER = "X-SQL-Queries"
BARE_PATH = "/bench/bare"
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
