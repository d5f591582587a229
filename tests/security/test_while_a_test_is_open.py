"""While a test is open, or its answers held back, nothing gives its questions away.

Two worlds are built exactly alike, in two databases, but for the right answers,
explanations and quotes of the questions a learner's test holds (half of its bank): in
the second world they are all different. The learner then opens every page they can reach (every GET
route of the url_map, with every id of theirs) and starts every quiz they can start
(a bank's practice and test, Review, Retake my mistakes, weakest topics,
the reader's and the timeline's practice, a practice assignment), answering each of its
questions. Any page that differs between the worlds tells the held-back answers. Then
the test's answers are released, and the pages do differ: the comparison can fail.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pytest
from drive import log_in
from security.test_who_sees_what import fixture_questions, same_response, twin
from security.world import expand, page_text, rules

from quizapp import create_app
from quizapp.accounts import create_user
from quizapp.attempts import answering, drawing
from quizapp.banks.loader import LoadedBank
from quizapp.banks.sync import sync_bank
from quizapp.classrooms import rosters
from quizapp.cli import create_schema
from quizapp.extensions import db
from quizapp.models import Assignment, Attempt, Bank, DrawnFrom, Question, ReviewCard, User, utcnow

#: How the learner's test holds its questions, for each world built.
SCENARIOS = {
    "a timed test of a bundled bank, open": ("bundled", "open", None),
    "a test assignment of the bundled bank, open": ("bundled", "assignment-open", None),
    "a test assignment of a teacher's set that closes tomorrow, finished": (
        "set",
        "assignment-finished",
        dt.timedelta(days=1),
    ),
    "a test assignment of a teacher's set without a closing time, finished": (
        "set",
        "assignment-finished",
        None,
    ),
}
SECRET, SET = "secret", "secret-set"


def tagged(questions: list[dict]) -> list[dict]:
    """Every question under two topics, so that weakest topics has something to offer."""
    return [{**q, "tags": ["held-topic", f"kind-{q['type']}"]} for q in questions]


def build_world(
    tmp_path: Path, name: str, scenario: tuple, differ: set[str], now: dt.datetime
) -> dict:
    """One world: a bundled bank and a teacher's set of the same questions (the answers of
    those in `differ` changed), a class, and a learner with a practice history and the
    test the scenario opens. Both worlds are built at the same `now`, so that their
    histories tell the same times."""
    source, state, closes_in = scenario
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / f'{name}.sqlite'}",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            # The test holds half of its bank.
            "QUIZ_LENGTH": 8,
        }
    )
    originals = tagged(fixture_questions(app))
    held_bank = SECRET if source == "bundled" else SET
    changed = [twin(q) if q["id"] in differ else q for q in originals]
    with app.app_context():
        create_schema()
        teacher = create_user("teo", "Teo", "correct horse battery", role="teacher")
        learner = create_user("lena", "Lena", "correct horse battery")
        db.session.flush()
        for slug, owner in ((SECRET, None), (SET, teacher.id)):
            questions = changed if slug == held_bank else originals
            bank = LoadedBank(slug, "Secrets", None, "belarus-lithuania-relations", questions)
            sync_bank(bank, owner_id=owner)
            db.session.commit()
        classroom = rosters.create_class(teacher, "History")
        rosters.join(classroom, learner, consented=True)
        bank_id = {b.slug: b.id for b in db.session.scalars(db.select(Bank))}[held_bank]
        practice = _practice_history(learner.id, now)
        test_assignment = Assignment(
            classroom_id=classroom.id,
            title="The test",
            bank_ids=[bank_id],
            question_count=app.config["QUIZ_LENGTH"],
            mode="test",
            attempts_allowed=2,
            closes_at=now + closes_in if closes_in else None,
        )
        practice_assignment = Assignment(
            classroom_id=classroom.id,
            title="Practice",
            bank_ids=[bank_id],
            question_count=5,
            mode="practice",
            attempts_allowed=None,
        )
        db.session.add_all([test_assignment, practice_assignment])
        db.session.commit()
        ids = {"assignment_id": [test_assignment.id, practice_assignment.id]}
        ids["class_id"] = [classroom.id]
        learner_id = learner.id
    client = app.test_client()
    with app.app_context():
        log_in(client, db.session.get(User, learner_id))
    test = _open_the_test(app, client, state, bank_id, ids["assignment_id"][0])
    ids["attempt_id"] = [practice, test]
    with app.app_context():
        held = {item.version.spec["id"] for item in db.session.get(Attempt, test).items}
    return {"app": app, "client": client, "ids": ids, "test": test, "held": held}


def _practice_history(user_id: int, now: dt.datetime) -> int:
    """A finished practice attempt of every question of the bundled bank, all wrong, whose
    review cards are due now: Review, Retake and weakest topics all have questions."""
    bank = db.session.scalar(db.select(Bank).where(Bank.slug == SECRET))
    version_ids = [q.current_version_id for q in bank.questions]
    attempt = drawing.create_attempt(
        DrawnFrom.bank(bank.id), "Practice", version_ids, "practice", user_id=user_id,
        rng=random.Random(1), now=now - dt.timedelta(days=3),
    )  # fmt: skip
    for item in attempt.items:
        answering.record_answer(attempt, item, "nothing", now=now - dt.timedelta(days=3))
    attempt.finish(now - dt.timedelta(days=3))
    db.session.flush()
    for card in db.session.scalars(db.select(ReviewCard)):
        card.due = now - dt.timedelta(hours=1)
    db.session.commit()
    return attempt.id


def _open_the_test(app, client, state: str, bank_id: int, assignment_id: int) -> int:
    """Open (and, for a finished scenario, answer and finish) the learner's test."""
    if state == "open":
        with app.app_context():
            slug = db.session.get(Bank, bank_id).slug
        answer = client.post(
            "/quiz/start", data={"quiz": f"bank:{slug}", "mode": "test", "time_limit": "20"}
        )
    else:
        answer = client.post(f"/assignments/{assignment_id}/start")
    attempt_id = int(re.search(r"/quiz/(\d+)", answer.headers["Location"]).group(1))
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        views = [(item.version.spec["id"], item.view) for item in attempt.items]
    originals = {q["id"]: q for q in fixture_questions(app)}
    for position, (slug, view) in enumerate(views, start=1):
        if form := wrong_in_both(originals[slug], view):
            client.post(f"/quiz/{attempt_id}/q/{position}", data={**form, "go": "next"})
    if state == "assignment-finished":
        assert client.post(f"/quiz/{attempt_id}/finish").status_code == 302
    return attempt_id


def wrong_in_both(question: dict, view: dict) -> dict | None:
    """A response to a held question that is wrong in both worlds, so that the test's own
    score (which its results may show) is the same in both; None to leave it blank."""
    kind = question["type"]
    if kind == "choice":
        answers = {question["answer"], twin(question)["answer"]}
        return {"answer": next(o for o in view["options"] if o not in answers)}
    typed = {"text": "Nobody at all", "number": "-1", "date": "1066"}
    return {"answer": typed[kind]} if kind in typed else None


def _answer_all(app, client, attempt_id: int) -> list[str]:
    """Answer every question of an attempt with what its page shows; return the pages."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        views = [(item.version.type, item.view, item.version.spec) for item in attempt.items]
    pages = []
    for position, (kind, view, spec) in enumerate(views, start=1):
        pages.append(client.get(f"/quiz/{attempt_id}/q/{position}").text)
        form = same_response(kind, view, spec)
        client.post(f"/quiz/{attempt_id}/q/{position}", data={**form, "go": "next"})
        pages.append(client.get(f"/quiz/{attempt_id}/q/{position}").text)
    return pages


#: Quizzes a learner can start, each a POST with its form.
def quiz_starts(world: dict) -> dict[str, tuple[str, dict]]:
    with world["app"].app_context():
        question_ids = [str(q) for q in db.session.scalars(db.select(Question.id))]
    practice_attempt = world["ids"]["attempt_id"][0]
    # Review first: the practice quizzes after it reschedule the questions they ask.
    return {
        "review": ("/review/start", {}),
        "retake": (f"/review/mistakes/{practice_attempt}", {}),
        "weakest topics": ("/review/weakest", {}),
        "reader": ("/practise", {"origin": "reader", "question": question_ids}),
        "timeline": ("/practise", {"origin": "timeline", "question": question_ids}),
        "practice assignment": (
            f"/assignments/{world['ids']['assignment_id'][1]}/start",
            {},
        ),
        "bank practice": ("/quiz/start", {"quiz": f"bank:{SECRET}", "mode": "practice"}),
        "bank test": ("/quiz/start", {"quiz": f"bank:{SECRET}", "mode": "test"}),
    }


def walk(world: dict) -> dict[str, str]:
    """Every page the learner can open, then every quiz they can start, answered through."""
    app, client = world["app"], world["client"]
    pages: dict[str, str] = {}
    for rule in rules(app, "GET"):
        for url in expand(rule, world["ids"]):
            pages[url] = page_text(client.get(url))
    for name, (url, form) in quiz_starts(world).items():
        started = client.post(url, data=form)
        location = started.headers.get("Location", "")
        pages[f"start {name}"] = f"{started.status_code} {_no_ids(location)}"
        if match := re.search(r"/quiz/(\d+)/q/1", location):
            attempt_id = int(match.group(1))
            for n, page in enumerate(_answer_all(app, client, attempt_id)):
                pages[f"{name} page {n}"] = page
            client.post(f"/quiz/{attempt_id}/finish")
            pages[f"{name} results"] = client.get(f"/quiz/{attempt_id}/results").text
    return {url: _comparable(page) for url, page in pages.items()}


def _no_ids(location: str) -> str:
    return re.sub(r"/quiz/\d+", "/quiz/ID", location)


#: What differs between two worlds built a moment apart: times, tokens, new attempts' ids.
_NOISE = [
    (re.compile(r'name="csrf_token"[^>]*value="[^"]*"'), 'name="csrf_token"'),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z?"), "ISO"),
    (re.compile(r"\b\d{1,2} [A-Z][a-z]{2} \d{4}( \d\d:\d\d)?"), "DAY"),
    (re.compile(r"\b\d{1,2}:\d\d\b"), "TIME"),
]


def _comparable(page: str) -> str:
    for pattern, blank in _NOISE:
        page = pattern.sub(blank, page)
    return page


@pytest.fixture(autouse=True)
def same_draws(monkeypatch):
    """Both worlds draw and shuffle alike: every random source starts from one seed."""
    monkeypatch.setattr(random, "SystemRandom", lambda: random.Random(7))


def twin_worlds(tmp_path: Path, scenario: tuple) -> tuple[dict, dict]:
    """Two worlds that differ only in the answers of the questions the test holds."""
    now = utcnow()
    alike = build_world(tmp_path, "alike", scenario, set(), now)
    differs = build_world(tmp_path, "differs", scenario, alike["held"], now)
    assert alike["ids"] == differs["ids"] and alike["held"] == differs["held"]
    assert len(alike["held"]) == 8
    return alike, differs


def close(*worlds: dict) -> None:
    for world in worlds:
        with world["app"].app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_no_page_and_no_quiz_tells_the_answers_a_test_holds_back(tmp_path, scenario):
    alike, differs = twin_worlds(tmp_path, SCENARIOS[scenario])
    seen, other = walk(alike), walk(differs)
    close(alike, differs)
    assert seen.keys() == other.keys()
    # The walk met real questions: every quiz started, with the questions not held back.
    started = {key.split(" page ")[0] for key in seen if " page " in key}
    assert started == set(quiz_starts(alike))
    told = [url for url in seen if seen[url] != other[url]]
    assert told == []


def test_the_pages_do_differ_once_the_answers_are_released(tmp_path):
    """The comparison can fail: released, the same test's results tell the worlds apart."""
    scenario = SCENARIOS["a test assignment of a teacher's set without a closing time, finished"]
    worlds = twin_worlds(tmp_path, scenario)
    pages = []
    for world in worlds:
        with world["app"].app_context():
            for assignment in db.session.scalars(db.select(Assignment)):
                assignment.answers_released_at = utcnow()
            db.session.commit()
        pages.append(_comparable(world["client"].get(f"/quiz/{world['test']}/results").text))
    close(*worlds)
    assert pages[0] != pages[1]
