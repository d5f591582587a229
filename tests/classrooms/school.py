"""A school to test classes with: teachers, learners, classes, assignments, taken quizzes.

Bind the fixtures in a test module (`banks, school = fixtures.banks, fixtures.school`)
or use them from tests/classes, whose conftest imports them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

import pytest
from drive import log_in, right_form, wrong_form
from sqlalchemy import null
from werkzeug.security import generate_password_hash

from quizapp.banks.loader import load_bank
from quizapp.banks.sync import sync_bank
from quizapp.classrooms import rosters
from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, Bank, Classroom, DrawnFrom, User

#: A small bank with one question of several types, for figures worked out by hand.
CAPITALS = b"""\
bank: capitals
title: Capitals and dates
questions:
  - id: capital-of-lithuania
    type: text
    prompt: What is the capital of Lithuania?
    answer: Vilnius
    tags: [capitals]
  - id: capital-of-belarus
    type: text
    prompt: What is the capital of Belarus?
    answer: Minsk
    tags: [capitals]
  - id: border-length
    type: number
    prompt: How long is the border, in km?
    answer: 680
    unit: km
    tags: [borders]
  - id: relations-established
    type: date
    prompt: When were diplomatic relations established?
    answer: "1991-10-24"
    tags: [dates]
  - id: neighbours
    type: multi
    prompt: Which of these border Belarus?
    options: [Lithuania, Latvia, Poland, Estonia]
    answers: [Lithuania, Latvia, Poland]
    tags: [borders]
"""


@functools.cache
def password_hash() -> str:
    """One hash for every test user: these users sign in through the session, and
    hashing a password per user would make the tests slow for nothing."""
    return generate_password_hash("correct horse battery")


class School:
    """Make the people and classes of a test, straight in the database; ids come back."""

    def __init__(self, app) -> None:
        self.app = app

    def teacher(self, username: str = "tess", display_name: str | None = None) -> int:
        return self._user(username, "teacher", display_name)

    def learner(self, username: str = "lena", display_name: str | None = None) -> int:
        return self._user(username, "learner", display_name)

    def _user(self, username: str, role: str, display_name: str | None) -> int:
        with self.app.app_context():
            user = User(
                username=username,
                display_name=display_name or username.title(),
                password_hash=password_hash(),
                role=role,
            )
            db.session.add(user)
            db.session.commit()
            return user.id

    def log_in(self, client, user_id: int) -> None:
        with self.app.app_context():
            log_in(client, db.session.get(User, user_id))

    def classroom(self, owner_id: int, name: str = "History 9B") -> int:
        with self.app.app_context():
            classroom = rosters.create_class(db.session.get(User, owner_id), name)
            db.session.commit()
            return classroom.id

    def code(self, class_id: int) -> str:
        with self.app.app_context():
            return db.session.get(Classroom, class_id).join_code

    def enrol(self, class_id: int, *user_ids: int) -> None:
        with self.app.app_context():
            classroom = db.session.get(Classroom, class_id)
            for user_id in user_ids:
                rosters.join(classroom, db.session.get(User, user_id), consented=True)
            db.session.commit()

    def bank_id(self, slug: str) -> int:
        with self.app.app_context():
            return db.session.scalar(db.select(Bank.id).where(Bank.slug == slug))

    def assignment(self, class_id: int, **fields: Any) -> int:
        """Add an assignment: three questions of the capitals bank, one test attempt."""
        values: dict[str, Any] = {
            "title": "Capitals",
            "bank_ids": [self.bank_id("capitals")],
            "tags": [],
            "question_count": 3,
            "mode": "test",
            "attempts_allowed": 1,
        }
        values.update(fields)
        if values["attempts_allowed"] is None:
            # Unlimited is NULL; None would let the column default (1) fill it in.
            values["attempts_allowed"] = null()
        with self.app.app_context():
            assignment = Assignment(classroom_id=class_id, **values)
            db.session.add(assignment)
            db.session.commit()
            return assignment.id

    def attempts(self, assignment_id: int, user_id: int | None = None) -> list[Attempt]:
        with self.app.app_context():
            query = db.select(Attempt).where(Attempt.assignment_id == assignment_id)
            if user_id is not None:
                query = query.where(Attempt.user_id == user_id)
            attempts = list(db.session.scalars(query.order_by(Attempt.id)))
            db.session.expunge_all()
            return attempts

    def set_times(self, assignment_id: int, **times: dt.datetime | None) -> None:
        with self.app.app_context():
            assignment = db.session.get(Assignment, assignment_id)
            for name, value in times.items():
                setattr(assignment, name, value)
            db.session.commit()


def start(client, assignment_id: int) -> int:
    """Start (or resume) an assignment through its page's button; return the attempt id."""
    response = client.post(f"/assignments/{assignment_id}/start")
    assert response.status_code == 302, response.text
    match = re.search(r"/quiz/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def take(app, client, assignment_id: int, right: int) -> int:
    """Start an assignment, answer the first `right` questions right and the rest wrong,
    and finish it; return the attempt id."""
    attempt_id = start(client, assignment_id)
    with app.app_context():
        items = [(i.version.spec, i.view) for i in db.session.get(Attempt, attempt_id).items]
    for position, (spec, view) in enumerate(items, start=1):
        form = right_form(spec, view) if position <= right else wrong_form(spec, view)
        response = client.post(f"/quiz/{attempt_id}/q/{position}", data={**form, "go": "next"})
        assert response.status_code == 302, response.text
    assert client.post(f"/quiz/{attempt_id}/finish").status_code == 302
    return attempt_id


@pytest.fixture
def banks(app):
    """The small capitals bank, loaded as a bundled bank."""
    with app.app_context():
        sync_bank(load_bank(CAPITALS, "capitals.yaml", sources_dir=None))
        db.session.commit()


@pytest.fixture
def bundled(app, banks):
    """The bundled banks of questions/ too."""
    result = app.test_cli_runner().invoke(args=["banks", "load"])
    assert result.exit_code == 0, result.output


@pytest.fixture
def school(app, banks) -> School:
    return School(app)


def live_versions(app, bank_slug: str = "capitals") -> dict[str, int]:
    """Return the current version id of each question of a bank, by question id."""
    from quizapp.models import Question

    with app.app_context():
        rows = db.session.execute(
            db.select(Question.slug, Question.current_version_id)
            .join(Bank, Bank.id == Question.bank_id)
            .where(Bank.slug == bank_slug)
        )
        return {slug: version_id for slug, version_id in rows}


def record_attempt(
    app,
    user_id: int,
    assignment_id: int,
    number: int,
    version_ids: list[int],
    answers: list[tuple[object, float] | None],
    *,
    started: dt.datetime,
    finished: dt.datetime | None = None,
    time_limit: int | None = None,
) -> int:
    """Write an attempt as it would have happened: the given (answer, credit) per question
    (None: left unanswered), each answered a minute after the last, finished if given."""
    from quizapp.attempts import drawing
    from quizapp.models import Response

    with app.app_context():
        attempt = drawing.create_attempt(
            DrawnFrom.assignment(assignment_id),
            "recorded",
            version_ids,
            "test",
            user_id=user_id,
            time_limit=time_limit,
            number=number,
            now=started,
        )
        for minute, (item, answer) in enumerate(zip(attempt.items, answers, strict=False), 1):
            if answer is not None:
                value, fraction = answer
                db.session.add(
                    Response(
                        item_id=item.id,
                        value=value,
                        fraction=fraction,
                        feedback="",
                        answered_at=started + dt.timedelta(minutes=minute),
                    )
                )
        db.session.flush()
        if finished is not None:
            attempt.finish(finished)
        db.session.commit()
        return attempt.id
