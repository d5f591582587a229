"""An attempt records what it drew from: a kind, and the bank or assignment it names.

The database holds the rule too (a CHECK and foreign keys), so that no path that writes
attempts, the app's or a script's, can leave one pointing at nothing.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from drive import bank_quiz, load_attempt, make_user, start

from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, Bank, Classroom, DrawnFrom, QuizKind


@pytest.fixture
def ctx(app, banks):
    with app.app_context():
        yield


def test_a_banks_quiz_records_its_bank_and_the_mixed_quiz_none(app, client, banks, learner):
    dates = start(client, "bank:dates")
    mixed = start(client, "mixed")
    assert load_attempt(app, mixed).drawn_from == DrawnFrom(QuizKind.MIXED)
    drawn_from = load_attempt(app, dates).drawn_from
    with app.app_context():
        assert drawn_from == bank_quiz("dates")


@pytest.mark.parametrize(
    ("kind", "bank_id", "assignment_id"),
    [
        pytest.param("bank", None, None, id="a bank's quiz without its bank"),
        pytest.param("assignment", None, None, id="an assignment's without its assignment"),
        pytest.param("review", 1, None, id="a review that names a bank"),
        pytest.param("bank", 1, 1, id="a bank's quiz that names an assignment too"),
        pytest.param("set", None, None, id="a kind the app does not know"),
    ],
)
def test_what_an_attempt_drew_from_must_agree_with_its_kind(ctx, kind, bank_id, assignment_id):
    with pytest.raises(ValueError, match=r"(?i)kind"):
        DrawnFrom(kind, bank_id=bank_id, assignment_id=assignment_id)
    _assignment()
    row = {"kind": kind, "bank_id": bank_id, "assignment_id": assignment_id}
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.insert(Attempt).values(title="t", mode="practice", **row))
    db.session.rollback()


def test_the_database_takes_an_attempt_of_every_kind_the_app_knows(ctx):
    """A kind added to QuizKind needs a revision that lets the CHECK take it."""
    assignment = _assignment()
    for kind in QuizKind:
        if kind == QuizKind.BANK:
            drawn_from = bank_quiz("dates")
        elif kind == QuizKind.ASSIGNMENT:
            drawn_from = DrawnFrom.assignment(assignment.id)
        else:
            drawn_from = DrawnFrom(kind)
        db.session.add(Attempt(drawn_from=drawn_from, title="t", mode="practice"))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == len(QuizKind)


def test_an_attempt_cannot_name_a_bank_that_does_not_exist(ctx):
    db.session.add(Attempt(drawn_from=DrawnFrom.bank(999), title="t", mode="practice"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_bank_or_an_assignment_that_attempts_drew_from_cannot_be_deleted(ctx):
    assignment = _assignment()
    bank = db.session.scalar(db.select(Bank).where(Bank.slug == "dates"))
    for drawn_from in (DrawnFrom.bank(bank.id), DrawnFrom.assignment(assignment.id)):
        db.session.add(Attempt(drawn_from=drawn_from, title="t", mode="practice"))
    db.session.commit()
    for table, row_id in (("banks", bank.id), ("assignments", assignment.id)):
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(sa.text(f"DELETE FROM {table} WHERE id = :id"), {"id": row_id})
        db.session.rollback()


def test_the_quiz_key_names_the_bank_or_assignment_or_the_kind_alone():
    assert DrawnFrom.bank(3).quiz_key == "bank:3"
    assert DrawnFrom.assignment(7).quiz_key == "assignment:7"
    assert DrawnFrom(QuizKind.WEAKEST).quiz_key == "weakest-topics"


def _assignment() -> Assignment:
    teacher = make_user("tess", role="teacher")
    classroom = Classroom(name="7B", owner_id=teacher.id, join_code="ABCD23")
    db.session.add(classroom)
    db.session.flush()
    assignment = Assignment(classroom_id=classroom.id, title="Homework")
    db.session.add(assignment)
    db.session.flush()
    return assignment
