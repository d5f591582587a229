"""Time ends a timed test: at its deadline (and a grace of ten seconds) it counts as
finished everywhere, whether or not the learner comes back, and no page view writes."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from drive import attempt_items, right_form, start
from sqlalchemy import text

from quizapp.extensions import db
from quizapp.models import Attempt, utcnow


def run_out_of_time(app, attempt_id: int, minutes_ago: int = 1) -> dt.datetime:
    """Move a timed attempt's deadline into the past; return the new deadline."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        attempt.deadline = utcnow() - dt.timedelta(minutes=minutes_ago)
        db.session.commit()
        return attempt.deadline


def row(app, attempt_id: int) -> tuple:
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        return attempt.finished_at, attempt.score


def results_without_token(client, attempt_id: int) -> str:
    """The results page, but for its CSRF token, which is signed with the second it is made."""
    page = client.get(f"/quiz/{attempt_id}/results").text
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', page)


@pytest.fixture
def timed(app, client, banks, learner) -> int:
    """A 5-minute test with its first question answered right; its time then runs out."""
    attempt_id = start(client, "mixed", "test", time_limit=5)
    spec, view = attempt_items(app, attempt_id)[0]
    client.post(f"/quiz/{attempt_id}/q/1", data={**right_form(spec, view), "go": "next"})
    return attempt_id


def test_pages_read_a_test_whose_time_ran_out_as_finished_without_writing(app, client, timed):
    deadline = run_out_of_time(app, timed)
    assert client.get(f"/quiz/{timed}/q/2").headers["Location"].endswith(f"/quiz/{timed}/results")
    assert client.get(f"/quiz/{timed}").headers["Location"].endswith(f"/quiz/{timed}/results")
    results = client.get(f"/quiz/{timed}/results").text
    assert "Time is up" in results and "1 / 10" in results
    assert f"/quiz/{timed}" not in client.get("/").text  # no "Continue where you stopped"
    assert row(app, timed) == (None, None)  # read as finished, not written so
    assert deadline.strftime("%d %b %Y %H:%M") in results  # finished when its time ended


def test_the_next_write_request_finishes_it_as_of_its_deadline(app, client, timed):
    app.config["OVERDUE_SWEEP_SECONDS"] = 0
    deadline = run_out_of_time(app, timed, minutes_ago=30)
    # Anyone's write will do: a visitor starting a quiz of their own.
    app.test_client().post("/quiz/start", data={"quiz": "mixed", "mode": "practice"})
    assert row(app, timed) == (deadline, 1.0)


def test_the_close_overdue_command_finishes_it_with_the_same_figures(app, client, timed):
    deadline = run_out_of_time(app, timed, minutes_ago=30)
    shown = results_without_token(client, timed)
    result = app.test_cli_runner().invoke(args=["attempts", "close-overdue"])
    assert result.exit_code == 0 and "1 attempt finished." in result.output
    assert row(app, timed) == (deadline, 1.0)
    assert results_without_token(client, timed) == shown


def test_an_answer_sent_after_the_time_is_up_is_not_kept(app, client, timed):
    run_out_of_time(app, timed)
    spec, view = attempt_items(app, timed)[1]
    late = client.post(f"/quiz/{timed}/q/2", data={**right_form(spec, view), "go": "next"})
    assert f"/quiz/{timed}/results" in late.headers["Location"]
    assert row(app, timed)[1] == 1.0


def test_the_countdowns_own_submit_saves_the_page_and_lands_on_the_results(app, client, timed):
    spec, view = attempt_items(app, timed)[1]
    sent = client.post(f"/quiz/{timed}/q/2", data={**right_form(spec, view), "go": "timeup"})
    assert sent.headers["Location"].endswith(f"/quiz/{timed}/results?time=up")
    assert row(app, timed)[1] == 2.0
    assert "Time is up" in client.get(sent.headers["Location"]).text


def test_the_finish_page_counts_down_too_and_its_time_up_finishes(app, client, timed):
    page = client.get(f"/quiz/{timed}/finish").text
    assert 'class="countdown"' in page and 'id="time-up-form"' in page
    assert client.post(f"/quiz/{timed}/finish", data={"go": "timeup"}).status_code == 302
    assert row(app, timed)[0] is not None


def test_the_time_left_is_written_in_the_page_and_its_warning_is_announced(client, timed):
    page = client.get(f"/quiz/{timed}/q/1").text
    assert "Time left: " in page
    assert '<strong class="countdown"' in page and ">4:5" in page  # about five minutes
    assert 'class="countdown-warning" role="status" aria-live="polite"' in page


def test_a_page_view_of_an_ended_test_waits_for_no_lock_held_by_a_writer(app, client, timed):
    """Opening a test whose time ran out reads it; it never upgrades to a write, so a
    writer holding the database (another worker's request) makes it wait for nothing."""
    run_out_of_time(app, timed)
    app.config["SQLITE_BUSY_TIMEOUT_MS"] = 200
    holding, release = threading.Event(), threading.Event()

    def writer():
        with app.app_context(), db.engine.connect() as connection:
            # Outside a request every transaction begins IMMEDIATE on SQLite (the write
            # lock); on PostgreSQL, the attempts' rows are locked.
            lock = "" if connection.dialect.name == "sqlite" else " FOR UPDATE"
            connection.execute(text(f"SELECT id FROM attempts{lock}"))
            holding.set()
            release.wait(30)
            connection.rollback()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(10)
        assert client.get(f"/quiz/{timed}/q/2").status_code == 302
        assert client.get(f"/quiz/{timed}/results").status_code == 200
        assert client.get("/").status_code == 200
    finally:
        release.set()
        thread.join()
