"""What teachers and learners type: shown as text everywhere, under a strict CSP; safe CSV."""

from __future__ import annotations

import csv
import io

import pytest
from security.world import FIELDS, PEOPLE, audit, expand, rules

from quizapp.classrooms.spreadsheet import FORMULA_STARTS
from quizapp.security import CONTENT_SECURITY_POLICY


def every_page(world):
    """Yield (who, url, response) for every GET route, as everyone, with the owners' ids."""
    ids = world.owned
    for who in PEOPLE:
        for rule in rules(world.app, "GET"):
            for url in expand(rule, ids, world.text):
                response = world.client(who).get(url)
                yield who, url, response
                # A streamed body left unread (the gradebook CSV) holds its request's
                # database connection until it is closed, as a server closes it.
                response.close()


def test_every_page_shows_typed_html_as_text_and_has_no_inline_script_or_style(world):
    shown = set()
    pages = 0
    for who, url, response in every_page(world):
        assert response.status_code < 500, (who, url)
        if response.mimetype != "text/html":
            continue
        page = audit(response.get_data(as_text=True))
        assert page.problems == [], (who, url, page.problems)
        text = "".join(page.text)
        shown |= {field for field, marker in FIELDS.items() if marker in text}
        pages += 1
    assert pages > 20
    # The payloads were on the pages, as text: the walk did look at every typed field.
    assert shown == set(FIELDS), set(FIELDS) - shown


def test_the_audit_catches_what_it_looks_for():
    bad = (
        '<p style="color:red" onclick="x()">a</p><script>alert(1)</script>'
        '<a href=" JavaScript:alert(1)">b</a><style>p{}</style>'
    )
    assert len(audit(bad).problems) == 6
    assert audit('<script src="/static/quiz.js" defer></script><p>ok</p>').problems == []


def test_every_response_carries_the_security_headers(world):
    responses = [r for _, _, r in every_page(world)]
    for url in ("/static/quizapp.css", "/no-such-page"):
        with world.client("lena").get(url) as response:
            responses.append(response)
    for response in responses:
        headers = response.headers
        policy = headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] in ("same-origin", "no-referrer", "strict-origin")
        assert headers["X-Frame-Options"] == "DENY"
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        for name in ("script-src", "style-src", "default-src"):
            assert "unsafe-inline" not in directives[name] and "*" not in directives[name]
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"


def test_the_policy_allows_no_inline_script_or_style():
    for directive in ("script-src", "style-src"):
        assert CONTENT_SECURITY_POLICY[directive] == "'self'"


# --- CSV ------------------------------------------------------------------------------


def csv_exports(world):
    """Every CSV the teacher can download, found by walking the routes."""
    found = []
    for rule in rules(world.app, "GET"):
        for url in expand(rule, world.owned, world.text):
            response = world.client("teo").get(url)
            if response.status_code == 200 and response.mimetype == "text/csv":
                found.append((url, response.get_data(as_text=True)))
    return found


def test_csv_exports_neutralise_cells_that_would_run_as_formulas(world):
    exports = csv_exports(world)
    assert exports, "no CSV export found"
    for url, text in exports:
        cells = [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]
        for cell in cells:
            assert not cell.lstrip(" ").startswith(FORMULA_STARTS), (url, cell)
        # fred's name and the assignment's title were written as formulas: now text.
        assert '\'=HYPERLINK("http://evil.example","fred")' in cells, url


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("  =1", "'  =1"),
        ("Kaunas", "Kaunas"),
    ],
)
def test_each_formula_start_is_written_as_text(typed, written):
    from quizapp.classrooms.spreadsheet import to_csv

    row = next(csv.reader(io.StringIO(to_csv([[typed]]).decode("utf-8").lstrip("\ufeff"))))
    assert row == [written]
