"""How many SQL statements each page runs: few, and the same however much data there is.

A query here is a statement that reads or writes rows (BEGIN, COMMIT and savepoints
are not counted), as bench mode's X-SQL-Queries header reports it. Every count is
checked on a small data set and on a larger one (a 600-question bank, a learner with
more than a page of attempts in 20 quizzes): the count must not grow with the data.
Times are never asserted here; the benchmark in bench/ measures them.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml
from drive import log_in, make_user
from sqlalchemy import event, insert

from quizapp.banks import load_bank, sync_bank
from quizapp.extensions import db
from quizapp.instrumentation.sql_counter import QUERY_HEADER, is_query
from quizapp.models import Attempt, AttemptItem, Bank, Question, QuestionVersion, QuizKind, Response
from quizapp.review.scheduling import review

QUESTION_PAGE, SUBMIT, PROGRESS_PAGE = 3, 4, 2
#: Handing in a test of ten questions.
FINISH = 7
START = dt.datetime(2026, 1, 5, 9, 0)
# questions, attempts, quizzes, questions with a review card
SIZES = {"small": (12, 3, 2, 4), "large": (600, 260, 20, 300)}


def truefalse(number: int) -> dict:
    return {
        "id": f"q{number}",
        "type": "truefalse",
        "prompt": f"Statement number {number} is true.",
        "answer": number % 2 == 0,
        "tags": [f"topic-{number % 5}"],
    }


def add_bank(slug: str, size: int) -> list[int]:
    """Sync a bank of `size` true/false questions; return its current version ids."""
    data = {"bank": slug, "title": f"Bank {slug}", "questions": [truefalse(n) for n in range(size)]}
    sync_bank(load_bank(yaml.safe_dump(data).encode(), f"{slug}.yaml", sources_dir=None))
    db.session.commit()
    return list(
        db.session.scalars(
            db.select(Question.current_version_id)
            .join(QuestionVersion.question)
            .where(Question.current_version_id == QuestionVersion.id)
            .where(Question.bank.has(slug=slug))
            .order_by(Question.position)
        )
    )


def add_finished_attempts(user_id: int, versions: dict[str, list[int]], count: int) -> None:
    """Write `count` finished attempts of ten answered questions, in bulk."""
    quizzes = sorted(versions)
    bank_ids = dict(
        db.session.execute(db.select(Bank.slug, Bank.id).where(Bank.slug.in_(quizzes))).all()
    )
    slugs = {bank_id: slug for slug, bank_id in bank_ids.items()}
    rows = []
    for n in range(count):
        quiz = quizzes[n % len(quizzes)]
        started = START + dt.timedelta(hours=n)
        rows.append(
            {
                "user_id": user_id,
                "kind": QuizKind.BANK,
                "bank_id": bank_ids[quiz],
                "title": f"Bank {quiz}",
                "mode": "practice",
                "started_at": started,
                "finished_at": started + dt.timedelta(minutes=5),
                "score": float(n % 11),
                "max_score": 10,
            }
        )
    attempts = db.session.execute(insert(Attempt).returning(Attempt.id, Attempt.bank_id), rows)
    items = [
        {
            "attempt_id": attempt_id,
            "position": position,
            "question_version_id": versions[slugs[bank_id]][(attempt_id + position) % 10],
            "view": {},
        }
        for attempt_id, bank_id in attempts
        for position in range(1, 11)
    ]
    item_ids = db.session.scalars(insert(AttemptItem).returning(AttemptItem.id), items).all()
    responses = [
        {"item_id": item_id, "value": True, "fraction": 1.0, "feedback": "Correct."}
        for item_id in item_ids
    ]
    db.session.execute(insert(Response), responses)
    db.session.commit()


def add_review_cards(user_id: int, slug: str, count: int) -> None:
    """Schedule the first `count` questions of a bank for review, as answers would."""
    question_ids = db.session.scalars(
        db.select(Question.id)
        .where(Question.bank.has(slug=slug))
        .order_by(Question.position)
        .limit(count)
    )
    for number, question_id in enumerate(question_ids):
        review(user_id, question_id, (number % 3) / 2, START)
    db.session.commit()


@pytest.fixture(params=list(SIZES))
def data(request, app, client):
    """A learner signed in on `client`, with history as large as the size says."""
    questions, finished, quizzes, reviewed = SIZES[request.param]
    with app.app_context():
        versions = {"facts": add_bank("facts", questions)}
        for number in range(1, quizzes):
            versions[f"quiz-{number:02d}"] = add_bank(f"quiz-{number:02d}", 10)
        learner = make_user("lena")
        add_finished_attempts(learner.id, versions, finished)
        add_review_cards(learner.id, "facts", reviewed)
        other = make_user("olga")
        add_finished_attempts(other.id, versions, finished)
        add_review_cards(other.id, "facts", reviewed)
        log_in(client, learner)
    return request.param


def start(client, mode: str) -> int:
    answer = client.post("/quiz/start", data={"quiz": "bank:facts", "mode": mode, "time_limit": 0})
    assert answer.status_code == 302, answer.text
    return int(re.search(r"/quiz/(\d+)/q/1$", answer.headers["Location"]).group(1))


def queries(response) -> int:
    return int(response.headers[QUERY_HEADER])


# The counter itself


def test_the_header_counts_every_statement_but_transaction_control(app, client, data):
    attempt_id = start(client, "test")
    seen: list[str] = []

    def spy(_conn, _cursor, statement, *_args):
        seen.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", spy)
        try:
            response = client.post(f"/quiz/{attempt_id}/q/1", data={"answer": "true"})
        finally:
            event.remove(db.engine, "before_cursor_execute", spy)
    if seen[0].startswith("BEGIN"):  # SQLite: the app begins its own transactions
        assert not is_query(seen[0])
    assert queries(response) == sum(is_query(statement) for statement in seen)


def test_bench_mode_is_off_unless_asked_for(tmp_path):
    from quizapp import create_app

    plain = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x"}
    )
    response = plain.test_client().get("/bench/bare")
    assert response.status_code == 404
    assert QUERY_HEADER not in response.headers
    with plain.app_context():
        db.engine.dispose()


def test_the_bare_endpoint_runs_no_query(client):
    response = client.get("/bench/bare")
    assert (response.status_code, response.text, queries(response)) == (200, "ok", 0)


# The question page


@pytest.mark.parametrize("mode", ["test", "practice"])
def test_a_question_page_runs_one_query_whatever_the_data(client, data, mode):
    attempt_id = start(client, mode)
    response = client.get(f"/quiz/{attempt_id}/q/1")
    assert response.status_code == 200
    assert queries(response) <= QUESTION_PAGE
    assert queries(response) == 1  # the attempt, its questions, answers and the user


def test_a_practice_question_with_its_feedback_runs_two_queries(client, data):
    """The attempt with its questions and answers and the user, then whether a test holds
    the question back (its feedback waits then)."""
    attempt_id = start(client, "practice")
    client.post(f"/quiz/{attempt_id}/q/1", data={"answer": "true"})
    response = client.get(f"/quiz/{attempt_id}/q/1")
    assert 'class="verdict' in response.text
    assert queries(response) == 2


# Submitting an answer


def test_a_test_answer_is_stored_in_two_queries_whatever_the_data(client, data):
    attempt_id = start(client, "test")
    first = client.post(f"/quiz/{attempt_id}/q/1", data={"answer": "true", "go": "next"})
    changed = client.post(f"/quiz/{attempt_id}/q/1", data={"answer": "false", "go": "next"})
    assert first.status_code == changed.status_code == 302
    assert queries(first) <= SUBMIT and queries(changed) <= SUBMIT
    assert (queries(first), queries(changed)) == (2, 2)  # read the attempt, write the answer


def test_handing_in_a_test_rates_its_ten_answers_in_a_fixed_number_of_queries(client, data):
    """The user, the attempt, finishing and scoring it, reading it back; then the learner's cards of
    its questions are read at once, the new ones inserted at once and the others updated
    at once: never one per question."""
    attempt_id = start(client, "test")
    for position in range(1, 11):
        client.post(f"/quiz/{attempt_id}/q/{position}", data={"answer": "true", "go": "next"})
    handed_in = client.post(f"/quiz/{attempt_id}/finish")
    assert handed_in.status_code == 302
    assert queries(handed_in) == FINISH


def test_a_practice_answer_stays_within_the_budget_whatever_the_data(client, data):
    """Spaced review rates a practice answer in the same request: it counts too."""
    attempt_id = start(client, "practice")
    response = client.post(f"/quiz/{attempt_id}/q/1", data={"answer": "true"})
    assert response.status_code == 302
    assert queries(response) <= SUBMIT


def test_a_practice_answer_takes_two_queries_of_its_own(app, client, data):
    """Reading the attempt and writing the answer; receivers of answer_recorded come on top."""
    from quizapp.signals import answer_recorded

    attempt_id = start(client, "practice")
    with answer_recorded.muted():
        response = client.post(f"/quiz/{attempt_id}/q/1", data={"answer": "true"})
    assert (response.status_code, queries(response)) == (302, 2)


# The progress page


def progress_statements(app, client) -> list[str]:
    seen: list[str] = []

    def spy(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", spy)
        try:
            assert client.get("/progress/").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", spy)
    return [statement for statement in seen if is_query(statement)]


def test_the_progress_page_runs_two_queries_whatever_the_history(client, data):
    """The learner with their per-quiz figures and mastery, then the newest attempts:
    the tables, the chart of scores and the mastery chart."""
    response = client.get("/progress/")
    assert response.status_code == 200
    assert 'class="summary"' in response.text and "<svg" in response.text
    assert 'class="topic bank"' in response.text and 'class="topic tag"' in response.text
    assert queries(response) == PROGRESS_PAGE


def test_a_later_page_of_attempts_takes_three_queries(client, data):
    response = client.get("/progress/?page=2")
    assert response.status_code == (200 if data == "large" else 404)
    if data == "large":
        assert queries(response) == PROGRESS_PAGE + 1  # the chart's newest 50 on their own


#: The questions tests hold back from the learner (attempts.visibility): read through the
#: indexes of open and held-back tests only (test_mastery checks the plan).
_HELD_BACK = re.compile(r"NOT IN \(SELECT question_versions\.question_id .*? AS held_versions\)\)")


def _bounded(statement: str) -> bool:
    """A statement over attempts or answers is fine with a LIMIT; quiz_stats is small."""
    statement = _HELD_BACK.sub("NOT IN (held back)", statement)
    touches_history = re.search(r"\b(FROM|JOIN) (attempts|attempt_items|responses)\b", statement)
    return not touches_history or " LIMIT " in statement


#: Mastery's sums per bank and per tag: over the learner's own review cards, one per
#: question they answered (review.mastery), never over attempts or a bank's questions.
_CARD_SUMS = re.compile(r"count\(\*\) AS answered, sum\((card_mastery|tagged)\.mastery\)")


def test_the_progress_page_reads_no_more_attempts_than_it_shows(app, client, data):
    """Nothing is counted or averaged over a learner's attempts or a bank's questions per
    request: quiz_stats holds the figures, kept up to date as attempts finish, and each
    bank its number of live questions; only mastery sums the learner's review cards."""
    for statement in progress_statements(app, client):
        assert _bounded(statement), statement
        assert "count(" not in _CARD_SUMS.sub("", statement).lower(), statement


def test_a_ceiling_page_serves_a_saved_page_as_written_and_nothing_else(app, client, tmp_path):
    (tmp_path / "question-small.html").write_text("<p>Saved page</p>")
    (tmp_path / "secret.txt").write_text("not a page")
    app.config["BENCH_PAGES"] = str(tmp_path)
    response = client.get("/bench/ceiling/question-small")
    assert (response.status_code, response.text, queries(response)) == (200, "<p>Saved page</p>", 0)
    assert client.get("/bench/ceiling/missing").status_code == 404
    assert client.get("/bench/ceiling/secret.txt").status_code == 404
    assert client.get("/bench/ceiling/..%2Fsecret").status_code == 404


def test_there_is_no_ceiling_page_without_a_folder_of_saved_pages(client):
    assert client.get("/bench/ceiling/question-small").status_code == 404
