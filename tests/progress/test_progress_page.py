"""The "My progress" page and the figures behind it."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from werkzeug.security import generate_password_hash

from quizapp.extensions import db
from quizapp.models import Attempt, Bank, DrawnFrom, QuizKind, User
from quizapp.progress import stats

PASSWORD = "correct horse battery"
# Hashed once, cheaply: the login route checks any Werkzeug hash.
PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
START = dt.datetime(2026, 11, 1, 9, 0)
HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


@pytest.fixture(autouse=True)
def banks(app):
    with app.app_context():
        db.session.add_all(
            [Bank(slug="dates", title="Dates and treaties"), Bank(slug="people", title="People")]
        )
        db.session.commit()


def _add_user(app, username: str) -> int:
    with app.app_context():
        user = User(
            username=username,
            display_name=username.title(),
            password_hash=PASSWORD_HASH,
        )
        db.session.add(user)
        db.session.commit()
        return user.id


@pytest.fixture
def learner(app) -> int:
    return _add_user(app, "learner")


@pytest.fixture
def other(app) -> int:
    return _add_user(app, "other")


@pytest.fixture
def logged_in(client, learner):
    """Log the learner in through the login form."""
    response = client.post("/auth/login", data={"username": "learner", "password": PASSWORD})
    assert response.status_code == 302, "logging in failed"
    return client


@pytest.fixture
def record(app):
    """Return a function that stores attempts and gives back their ids: `quiz` is
    "bank:<slug>" for a bank's quiz, or the name of another kind ("mixed", "review")."""

    def record(
        user_id: int | None,
        *,
        quiz: str = "bank:dates",
        title: str = "Dates and treaties",
        mode: str = "practice",
        score: float | None = 5,
        max_score: int = 10,
        finished_at: dt.datetime | None = START,
    ) -> int:
        with app.app_context():
            kind, _, slug = quiz.partition(":")
            bank_id = db.session.scalar(db.select(Bank.id).where(Bank.slug == slug))
            attempt = Attempt(
                user_id=user_id,
                drawn_from=DrawnFrom(QuizKind(kind), bank_id=bank_id),
                title=title,
                mode=mode,
                started_at=(finished_at or START) - dt.timedelta(minutes=10),
                finished_at=finished_at,
                score=score,
                max_score=max_score,
            )
            db.session.add(attempt)
            db.session.commit()
            return attempt.id

    return record


def _record_series(record, user_id: int, count: int) -> None:
    for hour in range(count):
        record(user_id, title=f"Quiz {hour:02d}", finished_at=START + dt.timedelta(hours=hour))


def attempt_rows(html: str) -> list[str]:
    return re.findall(r'<tr class="attempt">(.*?)</tr>', html, flags=re.S)


def summary_rows(html: str) -> list[list[str]]:
    rows = re.findall(r'<tr class="summary">(.*?)</tr>', html, flags=re.S)
    return [
        [unescape(cell.strip()) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in rows
    ]


def chart_svg(html: str) -> str:
    match = re.search(r"<svg\b.*?</svg>", html, flags=re.S)
    assert match, "no chart on the page"
    return match.group(0)


# Who may see the page


def test_visitor_is_redirected_to_log_in(client):
    response = client.get("/progress/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_learner_sees_only_their_own_finished_attempts(logged_in, learner, other, record):
    record(learner, title="Mine, finished")
    record(learner, title="Mine, unfinished", finished_at=None, score=None)
    record(other, title="Someone else's")
    record(None, title="A visitor's")

    html = logged_in.get("/progress/").get_data(as_text=True)

    assert "Mine, finished" in html
    assert len(attempt_rows(html)) == 1
    for hidden in ("Mine, unfinished", "Someone else&#39;s", "A visitor&#39;s"):
        assert hidden not in html


def test_empty_history_says_so_and_links_home(logged_in, other, record):
    record(other, title="Someone else's")

    html = logged_in.get("/progress/").get_data(as_text=True)

    assert "You have not finished a quiz yet" in html
    assert 'href="/"' in html
    assert "<svg" not in html
    assert attempt_rows(html) == []


# The list of attempts


def test_attempts_are_listed_newest_first(logged_in, learner, record):
    record(learner, title="Middle", finished_at=START + dt.timedelta(days=1))
    record(learner, title="Oldest", finished_at=START)
    record(learner, title="Newest", finished_at=START + dt.timedelta(days=2))

    rows = attempt_rows(logged_in.get("/progress/").get_data(as_text=True))

    titles = [re.search(r"Oldest|Middle|Newest", row).group(0) for row in rows]
    assert titles == ["Newest", "Middle", "Oldest"]


def test_a_row_shows_date_title_mode_points_percent_and_results_link(logged_in, learner, record):
    attempt_id = record(
        learner,
        title="People of the Grand Duchy",
        mode="test",
        score=7.5,
        max_score=10,
        finished_at=dt.datetime(2026, 11, 29, 14, 5),
    )

    [row] = attempt_rows(logged_in.get("/progress/").get_data(as_text=True))

    cells = [c.strip() for c in re.findall(r"<td>(.*?)</td>", row, flags=re.S)]
    assert ">29 Nov 2026 14:05</time>" in cells[0]
    assert cells[1:5] == ["People of the Grand Duchy", "Test", "7.5 / 10", "75%"]
    assert f'href="/quiz/{attempt_id}/results"' in row


@pytest.mark.parametrize(
    ("score", "max_score", "shown"),
    [(7, 10, "7 / 10"), (2 / 3, 1, "0.67 / 1"), (0, 10, "0 / 10"), (10, 10, "10 / 10")],
)
def test_points_are_written_without_needless_decimals(
    logged_in, learner, record, score, max_score, shown
):
    record(learner, score=score, max_score=max_score)

    [row] = attempt_rows(logged_in.get("/progress/").get_data(as_text=True))

    assert f"<td>{shown}</td>" in row


def test_twenty_five_attempts_make_two_pages_of_twenty_and_five(logged_in, learner, record):
    _record_series(record, learner, 25)

    first = logged_in.get("/progress/").get_data(as_text=True)
    second = logged_in.get("/progress/?page=2").get_data(as_text=True)

    assert len(attempt_rows(first)) == 20
    assert "Quiz 24" in attempt_rows(first)[0]
    assert len(attempt_rows(second)) == 5
    assert "Quiz 00" in attempt_rows(second)[-1]
    assert 'href="/progress/?page=2"' in first
    assert 'href="/progress/?page=1"' in second
    assert logged_in.get("/progress/?page=3").status_code == 404


@pytest.mark.parametrize("number", ["0", "-1", "two"])
def test_a_page_that_does_not_exist_is_not_found(logged_in, learner, record, number):
    record(learner)

    assert logged_in.get(f"/progress/?page={number}").status_code == 404


def test_the_page_size_cannot_be_raised_from_the_address(logged_in, learner, record):
    _record_series(record, learner, 25)

    html = logged_in.get("/progress/?per_page=100").get_data(as_text=True)

    assert len(attempt_rows(html)) == 20


# Per quiz: attempts, best and average


def test_summary_gives_attempts_best_and_average_per_quiz(logged_in, learner, other, record):
    for score in (4, 7, 10):
        record(learner, quiz="bank:dates", title="Dates and treaties", score=score)
    record(learner, quiz="bank:people", title="People", score=3, max_score=4)
    record(learner, quiz="bank:people", title="People", score=None, finished_at=None)
    record(other, quiz="bank:people", title="People", score=0, max_score=4)

    html = logged_in.get("/progress/").get_data(as_text=True)

    assert sorted(summary_rows(html)) == [
        ["Dates and treaties", "3", "100%", "70%"],
        ["People", "1", "75%", "75%"],
    ]


def test_quizzes_are_labelled_by_bank_title_mixed_or_latest_title(app, learner, record):
    record(learner, quiz="bank:dates", title="An old title of the bank's quiz")
    record(learner, quiz="mixed", title="Ten questions from every bank")
    record(learner, quiz="mistakes", title="Old name", finished_at=START)
    record(learner, quiz="mistakes", title="New name", finished_at=START + dt.timedelta(days=1))
    record(learner, quiz="mistakes", title="Unfinished", finished_at=None)

    with app.app_context():
        labels = sorted(s.label for s in stats.learner_figures(learner, START).summaries)

    assert labels == ["Dates and treaties", "Mixed quiz", "New name"]


def test_summary_averages_each_attempt_once_whatever_its_length(app, learner, record):
    record(learner, score=1, max_score=1)  # 100 %
    record(learner, score=0, max_score=9)  # 0 %

    with app.app_context():
        [summary] = stats.learner_figures(learner, START).summaries

    assert (summary.attempts, summary.best_percent, summary.average_percent) == (2, 100, 50)


def test_summary_lists_the_quiz_taken_last_first(app, learner, record):
    record(learner, quiz="bank:people", finished_at=START)
    record(learner, quiz="bank:dates", finished_at=START + dt.timedelta(days=2))
    record(learner, quiz="bank:people", finished_at=START + dt.timedelta(days=1))

    with app.app_context():
        order = [s.label for s in stats.learner_figures(learner, START).summaries]

    assert order == ["Dates and treaties", "People"]


def test_an_attempt_without_questions_counts_but_has_no_percent(app, learner, record):
    record(learner, score=0, max_score=0)

    with app.app_context():
        [summary] = stats.learner_figures(learner, START).summaries
        history = stats.score_history(learner)

    assert (summary.attempts, summary.best_percent, summary.average_percent) == (1, None, None)
    assert history == []


# The chart


def test_chart_has_one_point_per_finished_attempt(logged_in, learner, other, record):
    _record_series(record, learner, 7)
    record(learner, finished_at=None, score=None)
    record(other)

    svg = chart_svg(logged_in.get("/progress/").get_data(as_text=True))

    assert svg.count('<circle class="dot"') == 7
    assert 'role="img"' in svg
    assert re.search(r'aria-label="Line chart of your last 7 scores[^"]*"', svg)
    assert "<title>Scores over time</title>" in svg
    for label in ("0%", "50%", "100%"):
        assert f">{label}</text>" in svg


def test_chart_shows_the_newest_fifty_attempts_oldest_first(app, logged_in, learner, record):
    _record_series(record, learner, 60)

    html = logged_in.get("/progress/").get_data(as_text=True)
    with app.app_context():
        history = stats.score_history(learner)

    assert chart_svg(html).count('<circle class="dot"') == 50
    assert [score.title for score in history] == [f"Quiz {n:02d}" for n in range(10, 60)]


def test_chart_comes_with_a_table_of_the_same_scores(logged_in, learner, record):
    record(learner, title="Dates", score=4, finished_at=START)
    record(learner, title="People", score=9, finished_at=START + dt.timedelta(days=1))

    html = logged_in.get("/progress/").get_data(as_text=True)

    table = re.search(r'<table class="chart-data">.*?</table>', html, flags=re.S).group(0)
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table)
    assert rows == [("1 Nov 2026 09:00", "Dates", "40%"), ("2 Nov 2026 09:00", "People", "90%")]


def test_a_hostile_quiz_title_is_shown_as_text(logged_in, learner, record):
    record(learner, quiz="weakest-topics", title=HOSTILE)
    record(learner, quiz="weakest-topics", title=HOSTILE, finished_at=START + dt.timedelta(hours=1))

    html = logged_in.get("/progress/").get_data(as_text=True)

    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in chart_svg(html)
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img") >= 5
