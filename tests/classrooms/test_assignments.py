"""Assignments: their question pool, their window, and starting an attempt at one."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.exc import IntegrityError

from quizapp.attempts import answering, drawing
from quizapp.classrooms import assignments
from quizapp.classrooms.assignments import CLOSED, OPEN, UPCOMING, StartRefused
from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, DrawnFrom, QuestionVersion

NOW = dt.datetime(2030, 3, 1, 12, 0)


@pytest.fixture
def setup(app, school):
    teacher = school.teacher()
    class_id = school.classroom(teacher)
    learner = school.learner()
    school.enrol(class_id, learner)
    return {"teacher": teacher, "class_id": class_id, "learner": learner}


def load(assignment_id: int) -> Assignment:
    return db.session.get(Assignment, assignment_id)


@pytest.mark.parametrize(
    ("opens", "closes", "expected"),
    [
        (None, None, OPEN),
        (NOW + dt.timedelta(minutes=1), None, UPCOMING),
        (NOW, None, OPEN),
        (None, NOW + dt.timedelta(minutes=1), OPEN),
        (None, NOW, CLOSED),
        (NOW - dt.timedelta(days=2), NOW - dt.timedelta(days=1), CLOSED),
    ],
)
def test_an_assignment_is_upcoming_open_or_closed_by_its_utc_times(opens, closes, expected):
    assignment = Assignment(opens_at=opens, closes_at=closes)
    assert assignments.status(assignment, NOW) == expected


def tags(version_id: int) -> list[str]:
    return db.session.get(QuestionVersion, version_id).spec.get("tags", [])


def prompts(pool) -> set[str]:
    ids = [entry.version_id for entry in pool]
    return {
        v.spec["id"]
        for v in db.session.scalars(db.select(QuestionVersion).where(QuestionVersion.id.in_(ids)))
    }


def test_the_pool_is_the_chosen_banks_narrowed_by_the_chosen_tags(app, school, setup, bundled):
    capitals, dates = school.bank_id("capitals"), school.bank_id("dates")
    teacher = setup["teacher"]
    with app.app_context():
        assert len(assignments.pool(teacher, [capitals], [])) == 5
        assert prompts(assignments.pool(teacher, [capitals], ["borders"])) == {
            "border-length",
            "neighbours",
        }
        assert prompts(assignments.pool(teacher, [capitals], ["borders", "dates"])) == {
            "border-length",
            "neighbours",
            "relations-established",
        }
        # No bank chosen: every bank the teacher may assign, narrowed by the tags.
        everywhere = assignments.pool(teacher, [], ["capitals"])
        assert {"capital-of-lithuania", "capital-of-belarus"} <= prompts(everywhere)
        assert all("capitals" in tags(entry.version_id) for entry in everywhere)
        bundled = assignments.pool(teacher, [dates], [])
        assert len(assignments.pool(teacher, [], [])) >= 5 + len(bundled)


def test_another_teachers_set_never_reaches_the_pool_even_if_its_id_was_stored(app, school, setup):
    from classrooms.school import CAPITALS

    from quizapp.banks.loader import load_bank
    from quizapp.banks.sync import sync_bank

    other = school.teacher("otto")
    with app.app_context():
        data = CAPITALS.replace(b"bank: capitals", b"bank: ottos")
        sync_bank(load_bank(data, "ottos.yaml", sources_dir=None), owner_id=other)
        db.session.commit()
    ottos = school.bank_id("ottos")
    with app.app_context():
        assert assignments.pool(setup["teacher"], [ottos], []) == []
        assert len(assignments.pool(other, [ottos], [])) == 5
        assert ottos not in {b.id for b in assignments.allowed_banks(setup["teacher"])}


def test_tag_counts_count_questions_per_tag(app, school, setup):
    with app.app_context():
        counts = assignments.tag_counts(setup["teacher"])
    assert counts["dates"] >= 1
    assert counts["borders"] >= 2
    assert list(counts) == sorted(counts)


def test_starting_draws_the_assignments_questions_into_a_numbered_attempt(app, school, setup):
    assignment_id = school.assignment(
        setup["class_id"], tags=["borders"], question_count=2, mode="practice", time_limit=300
    )
    with app.app_context():
        started = assignments.start(load(assignment_id), setup["learner"], now=NOW)
        db.session.commit()
        attempt = started.attempt
        assert not started.resumed
        assert attempt.assignment_id == assignment_id
        assert attempt.number == 1
        assert attempt.drawn_from == DrawnFrom.assignment(assignment_id)
        assert attempt.title == "Capitals"
        assert attempt.mode == "practice"
        assert attempt.deadline == NOW + dt.timedelta(seconds=300)
        assert {item.version.spec["id"] for item in attempt.items} == {
            "border-length",
            "neighbours",
        }


def test_an_attempt_ends_when_the_assignment_closes(app, school, setup):
    closes = NOW + dt.timedelta(minutes=5)
    untimed = school.assignment(setup["class_id"], closes_at=closes)
    timed = school.assignment(setup["class_id"], closes_at=closes, time_limit=3600)
    short = school.assignment(setup["class_id"], closes_at=closes, time_limit=60)
    cases = ((untimed, closes), (timed, closes), (short, NOW + dt.timedelta(seconds=60)))
    for n, (assignment_id, deadline) in enumerate(cases):
        # A learner each: an open test keeps its questions out of another.
        learner = school.learner(f"learner{n}")
        school.enrol(setup["class_id"], learner)
        with app.app_context():
            attempt = assignments.start(load(assignment_id), learner, now=NOW).attempt
            assert attempt.deadline == deadline


@pytest.mark.parametrize(
    ("times", "message"),
    [
        (
            {"opens_at": NOW + dt.timedelta(hours=1)},
            "This assignment opens on 1 Mar 2030 13:00 UTC.",
        ),
        ({"closes_at": NOW}, "This assignment closed on 1 Mar 2030 12:00 UTC."),
    ],
)
def test_starting_is_refused_outside_the_window(app, school, setup, times, message):
    assignment_id = school.assignment(setup["class_id"], **times)
    with app.app_context(), pytest.raises(StartRefused, match=message):
        assignments.start(load(assignment_id), setup["learner"], now=NOW)


def finish(attempt: Attempt, now=NOW) -> None:
    attempt.finish(now)
    db.session.commit()


def test_starting_again_resumes_the_attempt_in_progress(app, school, setup):
    assignment_id = school.assignment(setup["class_id"], attempts_allowed=None)
    with app.app_context():
        first = assignments.start(load(assignment_id), setup["learner"], now=NOW)
        again = assignments.start(load(assignment_id), setup["learner"], now=NOW)
        assert again.resumed and again.attempt.id == first.attempt.id


def test_a_learner_gets_the_attempts_allowed_and_no_more(app, school, setup):
    assignment_id = school.assignment(setup["class_id"], attempts_allowed=2)
    with app.app_context():
        for number in (1, 2):
            attempt = assignments.start(load(assignment_id), setup["learner"], now=NOW).attempt
            assert attempt.number == number
            finish(attempt)
        with pytest.raises(StartRefused, match=r"used all your attempts .*\(2 attempts\)"):
            assignments.start(load(assignment_id), setup["learner"], now=NOW)


def test_unlimited_attempts_never_run_out(app, school, setup):
    assignment_id = school.assignment(setup["class_id"], attempts_allowed=None)
    with app.app_context():
        for number in range(1, 6):
            attempt = assignments.start(load(assignment_id), setup["learner"], now=NOW).attempt
            assert attempt.number == number
            finish(attempt)


def test_an_attempt_whose_time_ran_out_is_finished_before_the_next_starts(app, school, setup):
    assignment_id = school.assignment(setup["class_id"], attempts_allowed=2, time_limit=60)
    with app.app_context():
        first = assignments.start(load(assignment_id), setup["learner"], now=NOW).attempt
        db.session.commit()
        later = NOW + dt.timedelta(minutes=5)
        second = assignments.start(load(assignment_id), setup["learner"], now=later)
        assert not second.resumed and second.attempt.number == 2
        # Finished as of its deadline, whenever the next start came.
        assert db.session.get(Attempt, first.id).finished_at == NOW + dt.timedelta(seconds=60)


def test_a_start_that_loses_the_race_returns_the_winners_attempt(app, school, setup, monkeypatch):
    """Two starts that both counted no attempt: the unique constraint lets one insert win."""
    assignment_id = school.assignment(setup["class_id"])
    with app.app_context():
        winner = assignments.start(load(assignment_id), setup["learner"], now=NOW).attempt
        db.session.commit()
        real = assignments.attempts_of
        calls = iter([[]])  # the loser's first look saw nothing yet
        monkeypatch.setattr(
            assignments, "attempts_of", lambda *args: next(calls, None) or real(*args)
        )
        loser = assignments.start(load(assignment_id), setup["learner"], now=NOW)
        db.session.commit()
        assert loser.resumed and loser.attempt.id == winner.id
        assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 1


def test_a_lost_race_for_the_last_attempt_is_refused(app, school, setup, monkeypatch):
    assignment_id = school.assignment(setup["class_id"])
    with app.app_context():
        finish(assignments.start(load(assignment_id), setup["learner"], now=NOW).attempt)
        real = assignments.attempts_of
        calls = iter([[]])
        monkeypatch.setattr(
            assignments, "attempts_of", lambda *args: next(calls, None) or real(*args)
        )
        with pytest.raises(StartRefused, match="used all your attempts"):
            assignments.start(load(assignment_id), setup["learner"], now=NOW)


def test_the_unique_constraint_refuses_a_second_attempt_with_the_same_number(app, school, setup):
    assignment_id = school.assignment(setup["class_id"])
    with app.app_context():
        attempt = assignments.start(load(assignment_id), setup["learner"], now=NOW).attempt
        db.session.commit()
        version_ids = [item.question_version_id for item in attempt.items]
        with pytest.raises(IntegrityError):
            drawing.create_attempt(
                DrawnFrom.assignment(assignment_id),
                "x",
                version_ids,
                "test",
                user_id=setup["learner"],
                number=1,
            )
        db.session.rollback()


def test_an_assignment_with_no_questions_left_says_so(app, school, setup):
    assignment_id = school.assignment(setup["class_id"], tags=["no-such-tag"])
    with app.app_context(), pytest.raises(StartRefused, match="no questions left"):
        assignments.start(load(assignment_id), setup["learner"], now=NOW)


def test_a_learner_sees_open_then_upcoming_then_closed_assignments(app, school, setup):
    class_id = setup["class_id"]
    day = dt.timedelta(days=1)
    ids = {
        "open, no due date": school.assignment(class_id, title="a"),
        "open, due later": school.assignment(class_id, title="b", closes_at=NOW + 2 * day),
        "open, due soon": school.assignment(class_id, title="c", closes_at=NOW + day),
        "upcoming, later": school.assignment(class_id, title="d", opens_at=NOW + 2 * day),
        "upcoming, soon": school.assignment(class_id, title="e", opens_at=NOW + day),
        "closed long ago": school.assignment(class_id, title="f", closes_at=NOW - 2 * day),
        "closed recently": school.assignment(class_id, title="g", closes_at=NOW - day),
    }
    other_class = school.classroom(setup["teacher"], "Not joined")
    school.assignment(other_class, title="never shown")
    with app.app_context():
        rows = assignments.for_learner(setup["learner"], NOW)
        assert [r.assignment.title for r in rows] == ["c", "b", "a", "e", "d", "g", "f"]
        assert [r.status for r in rows] == [OPEN] * 3 + [UPCOMING] * 2 + [CLOSED] * 2
        assert all(r.used == 0 and r.attempts_left == 1 for r in rows)
        assert [r.can_start for r in rows] == [True] * 3 + [False] * 4
    assert len(ids) == 7


def test_a_learners_row_counts_attempts_used_and_the_best_score(app, school, setup):
    """Two text questions: 1 right (50%), then 2 right (100%); one attempt left of three."""
    assignment_id = school.assignment(
        setup["class_id"], tags=["capitals"], question_count=2, attempts_allowed=3
    )
    with app.app_context():
        for right in (1, 2):
            attempt = assignments.start(load(assignment_id), setup["learner"], now=NOW).attempt
            for position, item in enumerate(attempt.items, start=1):
                answer = item.version.spec["answer"] if position <= right else "Riga"
                answering.record_answer(attempt, item, answer, NOW)
            finish(attempt)
        (row,) = assignments.for_learner(setup["learner"], NOW)
        assert (row.used, row.attempts_left, row.in_progress, row.can_start) == (2, 1, None, True)
        assert row.best_percent == 100.0
