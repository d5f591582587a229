"""Revision 0008: attempts point at what they drew from by foreign keys, not text keys.

A database is taken to the revision before 0008 and filled as the app then wrote it, an
attempt of every kind of quiz; the upgrade must keep each attempt's history, its
learner's figures per quiz and their progress page, and the downgrade must give the
text keys back.
"""

from __future__ import annotations

import datetime as dt
import logging

import flask_migrate
import pytest
import sqlalchemy as sa
from drive import log_in
from revisions import current_revision, differences, script
from werkzeug.security import generate_password_hash

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem, DrawnFrom, QuizKind, User
from quizapp.progress import stats

REVISION = "0008"
NOW = dt.datetime(2026, 3, 2, 10, 0)
JSON = sa.JSON()

#: The attempts of the old database: id -> (text key, title, score, finished).
OLD_ATTEMPTS = {
    1: ("bank:dates", "Dates and treaties", 1.0, True),
    2: ("bank:dates", "Dates and treaties", 0.0, True),
    3: ("mixed", "Mixed quiz", 1.0, True),
    4: ("assignment:1", "Homework", 1.0, True),
    5: ("review", "Review", 0.0, True),
    6: ("mistakes", "Retake my mistakes: Dates and treaties", 1.0, True),
    7: ("weakest-topics", "My weakest topics: Treaties", 1.0, True),
    8: ("reader", "Questions from the source text", 0.0, True),
    9: ("timeline", "A question from the timeline", 1.0, True),
    10: ("bank:dates", "Dates and treaties", None, False),
}
#: What each becomes: the bank "dates" and the assignment both have id 1.
DRAWN_FROM = {
    1: DrawnFrom.bank(1),
    2: DrawnFrom.bank(1),
    3: DrawnFrom(QuizKind.MIXED),
    4: DrawnFrom.assignment(1),
    5: DrawnFrom(QuizKind.REVIEW),
    6: DrawnFrom(QuizKind.MISTAKES),
    7: DrawnFrom(QuizKind.WEAKEST),
    8: DrawnFrom(QuizKind.READER),
    9: DrawnFrom(QuizKind.TIMELINE),
    10: DrawnFrom.bank(1),
}
#: The quiz keys of quiz_stats, before and after.
NEW_KEYS = {"bank:dates": "bank:1", "assignment:1": "assignment:1"}
TABLES = ("users", "banks", "questions", "question_versions", "classrooms", "memberships")
TABLES += ("assignments", "attempts", "attempt_items", "responses")


def previous_revision(app) -> str:
    """The revision 0008 follows (whatever the branches merged before it)."""
    return script(app).get_revision(REVISION).down_revision


def _insert(connection, table: str, **values) -> None:
    columns = ", ".join(values)
    names = ", ".join(f":{name}" for name in values)
    statement = sa.text(f"INSERT INTO {table} ({columns}) VALUES ({names})")
    json_columns = [
        name for name in ("spec", "view", "value", "bank_ids", "tags") if name in values
    ]
    statement = statement.bindparams(*(sa.bindparam(name, type_=JSON) for name in json_columns))
    connection.execute(statement, values)


def fill_before_revision(connection, attempts: dict) -> None:
    """Write rows as the app did before revision 0008: plain SQL on that schema."""
    password = generate_password_hash("correct horse battery", method="pbkdf2:sha256:1000")
    for user_id, name, role in ((1, "ona", "learner"), (2, "teo", "teacher")):
        _insert(
            connection,
            "users",
            id=user_id,
            username=name,
            display_name=name.title(),
            email=None,
            password_hash=password,
            role=role,
            session_token=f"t{user_id}",
            created_at=NOW,
        )
    _insert(
        connection,
        "banks",
        id=1,
        slug="dates",
        title="Dates and treaties",
        description=None,
        source=None,
        source_text=None,
        owner_id=None,
        live_questions=1,
        created_at=NOW,
        updated_at=NOW,
    )
    _insert(
        connection,
        "questions",
        id=1,
        bank_id=1,
        slug="capital",
        position=0,
        retired_at=None,
        current_version_id=None,
    )
    spec = {
        "id": "capital",
        "type": "truefalse",
        "prompt": "Vilnius is the capital.",
        "answer": True,
    }
    _insert(
        connection,
        "question_versions",
        id=1,
        question_id=1,
        number=1,
        type="truefalse",
        spec={**spec, "tags": [], "difficulty": 2},
        digest="abc",
        created_at=NOW,
    )
    connection.execute(sa.text("UPDATE questions SET current_version_id = 1"))
    _insert(
        connection, "classrooms", id=1, name="7B", owner_id=2, join_code="ABCD23", created_at=NOW
    )
    _insert(connection, "memberships", id=1, classroom_id=1, user_id=1, joined_at=NOW)
    _insert(
        connection,
        "assignments",
        id=1,
        classroom_id=1,
        title="Homework",
        bank_ids=[1],
        tags=[],
        question_count=1,
        mode="test",
        time_limit=None,
        opens_at=None,
        closes_at=None,
        attempts_allowed=None,
        answers_released_at=NOW,
        created_at=NOW,
    )
    for attempt_id, (key, title, score, finished) in attempts.items():
        assigned = key == "assignment:1"  # another names an assignment since deleted
        started = NOW + dt.timedelta(hours=attempt_id)
        _insert(
            connection,
            "attempts",
            id=attempt_id,
            user_id=1,
            guest_key=None,
            quiz=key,
            title=title,
            mode="test" if assigned else "practice",
            time_limit=None,
            started_at=started,
            deadline=None,
            finished_at=started + dt.timedelta(minutes=5) if finished else None,
            score=score,
            max_score=1,
            assignment_id=1 if assigned else None,
            number=1 if assigned else None,
        )
        _insert(
            connection,
            "attempt_items",
            id=attempt_id,
            attempt_id=attempt_id,
            position=1,
            question_version_id=1,
            view={},
        )
        if finished:
            _insert(
                connection,
                "responses",
                id=attempt_id,
                item_id=attempt_id,
                value=bool(score),
                fraction=score,
                feedback="",
                answered_at=started + dt.timedelta(minutes=1),
            )
    if connection.dialect.name == "postgresql":  # ids were given, not drawn
        for table in TABLES:
            connection.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            )


def figures(connection, key: str = "quiz") -> dict[str, tuple]:
    """quiz_stats of the learner by quiz: by text key before revision 0008, by quiz key
    (`key="quiz_key"`) from it on."""
    rows = connection.execute(
        sa.text(
            f"SELECT {key}, attempts, scored, percent_sum, best_percent, last_finished_at,"
            " last_attempt_id, latest_title FROM quiz_stats WHERE user_id = 1"
        )
    )
    return {row[0]: tuple(row[1:]) for row in rows}


def new_figures() -> dict[str, tuple]:
    """quiz_stats from revision 0008 on, by quiz key."""
    with db.engine.connect() as connection:
        return figures(connection, key="quiz_key")


def _make(app, attempts: dict) -> dict[str, tuple]:
    with app.app_context():
        flask_migrate.downgrade(revision="base")
        flask_migrate.upgrade(revision=previous_revision(app))
        with db.engine.begin() as connection:
            fill_before_revision(connection, attempts)
            before = figures(connection)
    assert current_revision(app) == previous_revision(app)
    return before


@pytest.fixture
def database_before(app) -> dict[str, tuple]:
    """The test database at the revision before 0008, filled; its quiz_stats by key."""
    return _make(app, OLD_ATTEMPTS)


def test_every_kind_of_attempt_points_at_what_it_drew_from_after_the_upgrade(
    app, runner, database_before
):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert current_revision(app) == script(app).get_current_head()
    assert differences(app) == []
    with app.app_context():
        attempts = db.session.scalars(db.select(Attempt).order_by(Attempt.id)).all()
        assert {a.id: a.drawn_from for a in attempts} == DRAWN_FROM
        assert [(a.title, a.score, a.is_finished) for a in attempts] == [
            (title, score, finished) for _key, title, score, finished in OLD_ATTEMPTS.values()
        ]
        assert [len(a.items) for a in attempts] == [1] * len(OLD_ATTEMPTS)


def test_the_learners_figures_per_quiz_are_the_same_after_the_upgrade(app, runner, database_before):
    assert len(database_before) == 8  # every kind, the bank's two attempts in one row
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context():
        assert new_figures() == {NEW_KEYS.get(k, k): v for k, v in database_before.items()}
        summaries = stats.learner_figures(1, NOW).summaries
    labels = {s.label: (s.attempts, s.best_percent, s.average_percent) for s in summaries}
    assert labels == {
        "Dates and treaties": (2, 100, 50),
        "Mixed quiz": (1, 100, 100),
        "Homework": (1, 100, 100),
        "Review": (1, 0, 0),
        "Retake my mistakes: Dates and treaties": (1, 100, 100),
        "My weakest topics: Treaties": (1, 100, 100),
        "Questions from the source text": (1, 0, 0),
        "A question from the timeline": (1, 100, 100),
    }


def test_the_learners_pages_show_their_history_after_the_upgrade(
    app, runner, client, database_before
):
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context():
        log_in(client, db.session.get(User, 1))
    progress = client.get("/progress/")
    assert progress.status_code == 200
    for _key, title, _score, _finished in OLD_ATTEMPTS.values():
        assert title in progress.text
    for attempt_id, (_key, _title, _score, finished) in OLD_ATTEMPTS.items():
        page = f"/quiz/{attempt_id}/results" if finished else f"/quiz/{attempt_id}/q/1"
        assert client.get(page).status_code == 200, page
    assert "Homework" in client.get("/").text


def test_finishing_an_attempt_begun_before_the_upgrade_counts_it_with_its_bank(
    app, runner, client, database_before
):
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context():
        log_in(client, db.session.get(User, 1))
    client.post("/quiz/10/finish")
    with app.app_context():
        assert new_figures()["bank:1"][0] == 3


def test_the_downgrade_gives_back_the_text_keys_and_the_figures(app, runner, database_before):
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context():
        flask_migrate.downgrade(revision=previous_revision(app))
        with db.engine.connect() as connection:
            keys = dict(connection.execute(sa.text("SELECT id, quiz FROM attempts")).all())
            assert keys == {attempt_id: a[0] for attempt_id, a in OLD_ATTEMPTS.items()}
            assert figures(connection) == database_before
    assert current_revision(app) == previous_revision(app)


def test_an_attempt_whose_bank_is_gone_stops_the_upgrade_and_nothing_changes(app, runner, caplog):
    attempts = {
        **OLD_ATTEMPTS,
        11: ("bank:gone", "A bank since removed", 1.0, True),
        12: ("assignment:99", "An assignment since removed", 1.0, True),
        13: ("set:3", "A key the app never wrote", 1.0, True),
    }
    _make(app, attempts)
    with caplog.at_level(logging.ERROR):
        result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code != 0
    message = caplog.text
    for named in (
        "1 with the key 'bank:gone'",
        "'assignment:99'",
        "'set:3'",
        "Nothing was changed",
    ):
        assert named in message
    assert "bank:dates" not in message
    assert current_revision(app) == previous_revision(app)
    with app.app_context(), db.engine.connect() as connection:
        keys = dict(connection.execute(sa.text("SELECT id, quiz FROM attempts")).all())
    assert keys == {attempt_id: a[0] for attempt_id, a in attempts.items()}


def test_after_the_migrations_the_apps_connections_still_enforce_foreign_keys(
    app, runner, database_before
):
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context():
        db.session.add(AttemptItem(attempt_id=999, position=1, question_version_id=1, view={}))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()
