"""Migrations: the models and the revisions agree, and old databases upgrade with their data."""

from __future__ import annotations

import datetime as dt

import flask_migrate
import pytest
import sqlalchemy as sa
from drive import log_in
from revisions import current_revision, differences, script
from werkzeug.security import generate_password_hash

from quizapp.cli import FIRST_REVISION
from quizapp.extensions import db
from quizapp.models import Attempt, Bank, Classroom, Response, User
from quizapp.throttle import TABLE_NAME as RATE_LIMITS


def test_the_revisions_form_one_line_from_the_first_to_one_head(app):
    revisions = script(app)
    assert len(revisions.get_heads()) == 1
    assert [r.revision for r in revisions.walk_revisions()][-1] == FIRST_REVISION


def test_the_test_database_is_at_the_head_revision(app):
    assert current_revision(app) == script(app).get_current_head()


def test_the_models_and_the_migrations_agree(app):
    """A model changed without a revision fails here: write one with `flask db migrate`."""
    assert differences(app) == []


def test_the_comparison_can_fail_a_column_missing_from_the_database_is_found(app):
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(sa.text("DROP INDEX ix_banks_owner_id"))
    assert differences(app) != []


def test_init_db_builds_a_versioned_database_and_running_it_again_changes_nothing(app, runner):
    with app.app_context():
        flask_migrate.downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version", RATE_LIMITS}
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert current_revision(app) == script(app).get_current_head()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    assert differences(app) == []


def test_a_database_made_by_create_all_before_migrations_is_adopted(app, runner):
    """Earlier versions made their tables with create_all and kept no version."""
    with app.app_context():
        flask_migrate.downgrade(revision="base")
        flask_migrate.upgrade(revision=FIRST_REVISION)
        db.session.execute(sa.text("DROP TABLE alembic_version"))
        db.session.commit()
    assert current_revision(app) is None
    assert runner.invoke(args=["banks", "load"]).exit_code == 0
    assert current_revision(app) == script(app).get_current_head()


# --- a database filled at the first revision ------------------------------------------

NOW = dt.datetime(2026, 1, 15, 10, 0)


def fill_first_revision(connection) -> None:
    """Write rows as the app at the first revision did: plain SQL on that schema."""

    def insert(table: str, **values) -> None:
        columns = ", ".join(values)
        names = ", ".join(f":{name}" for name in values)
        connection.execute(sa.text(f"INSERT INTO {table} ({columns}) VALUES ({names})"), values)

    json = sa.JSON()
    insert(
        "users",
        id=1,
        username="ona",
        display_name="Ona",
        email=None,
        password_hash=generate_password_hash("correct horse battery"),
        role="learner",
        session_token="t1",
        created_at=NOW,
    )
    insert(
        "users",
        id=2,
        username="teo",
        display_name="Teo",
        email="teo@example.org",
        password_hash=generate_password_hash("correct horse battery"),
        role="teacher",
        session_token="t2",
        created_at=NOW,
    )
    insert(
        "banks",
        id=1,
        slug="old",
        title="Old bank",
        description=None,
        source=None,
        source_text=None,
        owner_id=None,
        created_at=NOW,
        updated_at=NOW,
    )
    insert(
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
        "tags": [],
        "difficulty": 2,
    }
    connection.execute(
        sa.text(
            "INSERT INTO question_versions (id, question_id, number, type, spec, digest, "
            "created_at) VALUES (1, 1, 1, 'truefalse', :spec, 'abc', :now)"
        ).bindparams(sa.bindparam("spec", type_=json)),
        {"spec": spec, "now": NOW},
    )
    connection.execute(sa.text("UPDATE questions SET current_version_id = 1"))
    insert("classrooms", id=1, name="7B", owner_id=2, join_code="ABCD23", created_at=NOW)
    insert("memberships", id=1, classroom_id=1, user_id=1, joined_at=NOW)
    connection.execute(
        sa.text(
            "INSERT INTO assignments (id, classroom_id, title, bank_ids, tags, question_count,"
            " mode, time_limit, opens_at, closes_at, attempts_allowed, created_at) VALUES"
            " (1, 1, 'Homework', :bank_ids, :tags, 1, 'test', NULL, NULL, NULL, 1, :now)"
        ).bindparams(sa.bindparam("bank_ids", type_=json), sa.bindparam("tags", type_=json)),
        {"bank_ids": [1], "tags": [], "now": NOW},
    )
    insert(
        "attempts",
        id=1,
        user_id=1,
        guest_key=None,
        quiz="assignment:1",
        title="Homework",
        mode="test",
        time_limit=None,
        started_at=NOW,
        deadline=None,
        finished_at=NOW + dt.timedelta(minutes=5),
        score=1.0,
        max_score=1,
        assignment_id=1,
        number=1,
    )
    connection.execute(
        sa.text(
            "INSERT INTO attempt_items (id, attempt_id, position, question_version_id, view)"
            " VALUES (1, 1, 1, 1, :view)"
        ).bindparams(sa.bindparam("view", type_=json)),
        {"view": {}},
    )
    connection.execute(
        sa.text(
            "INSERT INTO responses (id, item_id, value, fraction, feedback, answered_at)"
            " VALUES (1, 1, :value, 1.0, 'Right.', :now)"
        ).bindparams(sa.bindparam("value", type_=json)),
        {"value": True, "now": NOW},
    )


@pytest.fixture
def first_revision_database(app):
    """The test database taken back to the first revision and filled as the app did then."""
    with app.app_context():
        flask_migrate.downgrade(revision="base")
        flask_migrate.upgrade(revision=FIRST_REVISION)
        with db.engine.begin() as connection:
            fill_first_revision(connection)
            if connection.dialect.name == "postgresql":  # ids were given, not drawn
                for table in (
                    "users",
                    "banks",
                    "questions",
                    "question_versions",
                    "classrooms",
                    "memberships",
                    "assignments",
                    "attempts",
                    "attempt_items",
                    "responses",
                ):
                    connection.execute(
                        sa.text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT max(id) FROM {table}))"
                        )
                    )
    assert current_revision(app) == FIRST_REVISION
    return app


def test_upgrade_brings_a_first_revision_database_to_the_head_with_its_data(
    first_revision_database, runner, client
):
    app = first_revision_database
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert current_revision(app) == script(app).get_current_head()
    assert differences(app) == []
    with app.app_context():
        ona = db.session.scalar(db.select(User).where(User.username == "ona"))
        attempt = db.session.get(Attempt, 1)
        assert attempt.user_id == ona.id and attempt.score == 1.0 and attempt.is_finished
        assert db.session.get(Response, 1).value is True
        assert [m.user.username for m in db.session.get(Classroom, 1).members] == ["ona"]
        assert db.session.get(Bank, 1).live_questions == 1  # counted by revision 0004
        log_in(client, ona)
    assert client.get("/progress/").status_code == 200
    assert client.get("/quiz/1/results").status_code == 200
    # New rows go on from the old ones.
    assert runner.invoke(args=["banks", "load"]).exit_code == 0
