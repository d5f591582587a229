"""quiz_stats: the per-quiz figures the database keeps as attempts finish, move and change.

Whatever happens to an attempt, the table must hold exactly what counting the
learner's finished attempts from scratch gives: these tests compare the two after
each kind of change, on SQLite (and on PostgreSQL when the suite runs there).
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from drive import bank_quiz, log_in, make_user, start
from sqlalchemy import delete, text, update

from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Attempt,
    Bank,
    Classroom,
    DrawnFrom,
    QuizKind,
    QuizStat,
    quiz_stats,
)
from quizapp.progress import stats

START = dt.datetime(2026, 2, 1, 9, 0)


@pytest.fixture
def ctx(app):
    """An app context, and the banks and the assignment that `quiz` names."""
    with app.app_context():
        teacher = make_user("tess", role="teacher")
        classroom = Classroom(name="7B", owner_id=teacher.id, join_code="ABCD23")
        db.session.add_all([Bank(slug="dates", title="Dates"), Bank(slug="people", title="People")])
        db.session.add(classroom)
        db.session.flush()
        db.session.add(Assignment(classroom_id=classroom.id, title="Homework"))
        db.session.commit()
        yield


def quiz(name: str) -> DrawnFrom:
    """A quiz by name: a bank's slug ("dates", "people"), "homework" (an assignment) or
    the kind of a quiz that names no row ("mixed", "review")."""
    if name == "homework":
        return DrawnFrom.assignment(db.session.scalar(db.select(Assignment.id)))
    if db.session.scalar(db.select(Bank.id).where(Bank.slug == name)):
        return bank_quiz(name)
    return DrawnFrom(QuizKind(name))


def kept() -> dict[tuple[int, str], tuple]:
    """What quiz_stats holds, rounded where floating point may differ in the last bit,
    by learner and quiz key; each row records what its quiz drew from, as its attempts do."""
    stats_rows = list(db.session.scalars(db.select(QuizStat)))
    for s in stats_rows:
        assert s.drawn_from.quiz_key == s.quiz_key
    return {
        (s.user_id, s.quiz_key): (
            s.attempts,
            s.scored,
            round(s.percent_sum, 6),
            None if s.best_percent is None else round(s.best_percent, 6),
            s.last_finished_at,
            s.last_attempt_id,
            s.latest_title,
        )
        for s in stats_rows
    }


def counted() -> dict[tuple[int, str], tuple]:
    """What counting every finished attempt from scratch gives."""
    figures: dict[tuple[int, str], tuple] = {}
    rows = db.session.scalars(
        db.select(Attempt)
        .where(Attempt.user_id.is_not(None), Attempt.finished_at.is_not(None))
        .order_by(Attempt.finished_at, Attempt.id)
    )
    for a in rows:
        key = (a.user_id, a.drawn_from.quiz_key)
        attempts, scored, total, best, *_ = figures.get(key, (0, 0, 0.0, None, None, 0, ""))
        percent = a.percent
        if percent is not None:
            scored, total = scored + 1, total + percent
            best = percent if best is None else max(best, percent)
        figures[key] = (attempts + 1, scored, total, best, a.finished_at, a.id, a.title)
    return {
        key: (n, s, round(t, 6), None if b is None else round(b, 6), when, last, title)
        for key, (n, s, t, b, when, last, title) in figures.items()
    }


def add(user_id, *, name="dates", title="Dates", score=5.0, max_score=10, finished=START):
    attempt = Attempt(
        user_id=user_id,
        drawn_from=quiz(name),
        title=title,
        mode="practice",
        started_at=START - dt.timedelta(minutes=5),
        finished_at=finished,
        score=score,
        max_score=max_score,
    )
    db.session.add(attempt)
    db.session.commit()
    return attempt


@pytest.mark.usefixtures("ctx")
def test_an_attempt_stored_finished_is_counted_at_once():
    lena = make_user("lena")
    add(lena.id, score=4)
    add(lena.id, score=8, finished=START + dt.timedelta(hours=1), title="Dates, again")
    [stat] = db.session.scalars(db.select(QuizStat)).all()
    assert (stat.attempts, stat.best_percent, stat.average_percent) == (2, 80, 60)
    assert stat.latest_title == "Dates, again"
    assert kept() == counted()


@pytest.mark.usefixtures("ctx")
def test_an_unfinished_attempt_or_a_visitors_is_not_counted():
    lena = make_user("lena")
    add(lena.id, finished=None, score=None)
    add(None)
    assert kept() == {}


@pytest.mark.usefixtures("ctx")
def test_an_attempt_without_questions_counts_without_a_percentage():
    lena = make_user("lena")
    add(lena.id, score=0, max_score=0)
    [stat] = db.session.scalars(db.select(QuizStat)).all()
    assert (stat.attempts, stat.scored, stat.best_percent, stat.average_percent) == (
        1,
        0,
        None,
        None,
    )


def test_finishing_through_the_quiz_pages_counts_the_attempt(app, client, banks, learner):
    attempt_id = start(client, "bank:dates", "test")
    client.post(f"/quiz/{attempt_id}/q/1", data={"answer": "1991", "go": "next"})
    with app.app_context():
        assert kept() == {}
    client.post(f"/quiz/{attempt_id}/finish")
    with app.app_context():
        assert [key for key in kept()] == [(learner, bank_quiz("dates").quiz_key)]
        assert kept() == counted()


def test_a_visitors_finished_attempts_count_once_they_sign_up(app, client, banks, auth):
    attempt_id = start(client, "bank:dates", "test")
    client.post(f"/quiz/{attempt_id}/finish")
    with app.app_context():
        assert kept() == {}
    auth.signup("vera", display_name="Vera")
    with app.app_context():
        assert len(kept()) == 1
        assert kept() == counted()


@pytest.mark.usefixtures("ctx")
def test_editing_moving_and_deleting_finished_attempts_counts_again():
    lena, olga = make_user("lena"), make_user("olga")
    first = add(lena.id, score=10)
    second = add(lena.id, score=2, finished=START + dt.timedelta(hours=1))
    db.session.execute(update(Attempt).where(Attempt.id == second.id).values(score=9))
    db.session.execute(
        update(Attempt).where(Attempt.id == first.id).values(kind="mixed", bank_id=None)
    )
    db.session.execute(update(Attempt).where(Attempt.id == second.id).values(title="Renamed"))
    db.session.commit()
    assert kept() == counted()
    db.session.execute(update(Attempt).where(Attempt.id == first.id).values(user_id=olga.id))
    db.session.commit()
    assert kept() == counted()
    db.session.execute(delete(Attempt).where(Attempt.id == second.id))
    db.session.commit()
    assert kept() == counted()
    assert (lena.id, quiz("dates").quiz_key) not in kept()


@pytest.mark.usefixtures("ctx")
def test_the_figures_match_a_count_from_scratch_after_any_mix_of_changes():
    rng = random.Random(7)
    users = [make_user(name).id for name in ("ana", "ben", "cleo")]
    attempts: list[int] = []
    for step in range(120):
        action = rng.random()
        if action < 0.5 or not attempts:
            finished = START + dt.timedelta(minutes=rng.randrange(0, 600))
            attempt = add(
                rng.choice([*users, None]),
                name=rng.choice(["dates", "people", "homework", "mixed", "review"]),
                title=f"Quiz {step}",
                score=float(rng.randrange(0, 11)),
                max_score=rng.choice([0, 10, 10, 10]),
                finished=rng.choice([finished, finished, None]),
            )
            attempts.append(attempt.id)
            continue
        target = rng.choice(attempts)
        if action < 0.6:
            db.session.execute(delete(Attempt).where(Attempt.id == target))
            attempts.remove(target)
        elif action < 0.75:
            finished = START + dt.timedelta(minutes=rng.randrange(0, 600))
            db.session.execute(
                update(Attempt)
                .where(Attempt.id == target, Attempt.finished_at.is_(None))
                .values(finished_at=finished, score=float(rng.randrange(0, 11)))
            )
        elif action < 0.85:
            db.session.execute(
                update(Attempt).where(Attempt.id == target).values(user_id=rng.choice(users))
            )
        else:
            db.session.execute(
                update(Attempt)
                .where(Attempt.id == target)
                .values(score=float(rng.randrange(0, 11)), title=f"Retitled {step}")
            )
        db.session.commit()
    assert kept() == counted()


@pytest.mark.usefixtures("ctx")
def test_installing_the_triggers_counts_the_attempts_already_there():
    lena = make_user("lena")
    add(lena.id, score=3)
    add(lena.id, name="mixed", score=7)
    connection = db.session.connection()
    connection.execute(text("DELETE FROM quiz_stats"))
    quiz_stats.drop_triggers(connection)
    add(lena.id, score=9)  # finished while nothing kept count
    quiz_stats.install_triggers(db.session.connection())
    db.session.commit()
    assert kept() == counted()
    assert len(kept()) == 2


@pytest.mark.usefixtures("ctx")
def test_summaries_read_from_the_kept_figures_match_the_attempts():
    lena = make_user("lena")
    for hour, score in enumerate((4, 7, 10)):
        add(lena.id, score=score, finished=START + dt.timedelta(hours=hour))
    figures = stats.learner_figures(lena.id, START)
    [summary] = figures.summaries
    assert (summary.attempts, summary.best_percent, summary.average_percent) == (3, 100, 70)
    assert figures.user.id == lena.id


def test_finishing_twice_counts_once(app, client, banks, learner):
    attempt_id = start(client, "bank:dates", "test")
    client.post(f"/quiz/{attempt_id}/finish")
    client.post(f"/quiz/{attempt_id}/finish")
    with app.app_context():
        assert kept()[(learner, bank_quiz("dates").quiz_key)][0] == 1
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.finish() is False
        assert kept() == counted()


def test_a_learner_signed_in_on_another_client_sees_their_own_figures_only(app, client):
    with app.app_context():
        lena, olga = make_user("lena"), make_user("olga")
        add(olga.id, name="mixed", score=10)
        log_in(client, lena)
    page = client.get("/progress/")
    assert page.status_code == 200
    assert 'class="summary"' not in page.text
