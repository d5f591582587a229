"""Starting a quiz reads its question pool once per version of its banks, never stale."""

from __future__ import annotations

import random
import re
from collections import Counter

import yaml
from drive import log_in, make_user

from quizapp.attempts import drawing
from quizapp.banks import load_bank, sync_bank
from quizapp.extensions import db
from quizapp.instrumentation.sql_counter import QUERY_HEADER
from quizapp.models import Attempt


def truefalse(slug: str, prompt: str) -> dict:
    return {"id": slug, "type": "truefalse", "prompt": prompt, "answer": True}


def sync(*questions: dict) -> None:
    data = {"bank": "facts", "title": "Facts", "questions": list(questions)}
    sync_bank(load_bank(yaml.safe_dump(data).encode(), "facts.yaml", sources_dir=None))
    db.session.commit()


def start(client) -> int:
    answer = client.post("/quiz/start", data={"quiz": "bank:facts", "mode": "test"})
    assert answer.status_code == 302, answer.text
    return int(re.search(r"/quiz/(\d+)/q/1$", answer.headers["Location"]).group(1))


def prompts(app, attempt_id: int) -> set[str]:
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        return {item.version.spec["prompt"] for item in attempt.items}


def test_a_start_after_a_sync_draws_from_the_new_questions(app, client):
    # A visitor each: a learner's open test would keep its questions out of the next.
    with app.app_context():
        sync(truefalse("a", "Old A."), truefalse("b", "Old B."))
    assert prompts(app, start(app.test_client())) == {"Old A.", "Old B."}
    with app.app_context():
        sync(truefalse("a", "New A."), truefalse("c", "New C."))  # edit, add, retire
    assert prompts(app, start(app.test_client())) == {"New A.", "New C."}
    with app.app_context():
        sync(truefalse("a", "New A."), truefalse("b", "Old B."), truefalse("c", "New C."))
    assert prompts(app, start(app.test_client())) == {"New A.", "Old B.", "New C."}


def test_an_unchanged_sync_keeps_the_banks_version(app):
    with app.app_context():
        sync(truefalse("a", "A."))
        before = drawing.find_quiz("bank:facts").version
        sync(truefalse("a", "A."))
        assert drawing.find_quiz("bank:facts").version == before


def test_starting_again_does_not_read_the_pool_again(app, client):
    with app.app_context():
        sync(*(truefalse(f"q{n}", f"Statement {n}.") for n in range(40)))
        log_in(client, make_user("lena"))
    client.post("/quiz/start", data={"quiz": "bank:facts", "mode": "test"})
    second = client.post("/quiz/start", data={"quiz": "bank:facts", "mode": "test"})
    # banks, the user, the questions tests hold back, the ten versions, the attempt, its
    # items: no pool of 40 rows.
    assert int(second.headers[QUERY_HEADER]) == 6


def test_a_draw_mixes_types_and_never_repeats_a_question():
    pool = [(n, "choice") for n in range(500)] + [(1000 + n, "date") for n in range(3)]
    picked = drawing.draw(pool, 10, random.Random(3))
    assert len(set(picked)) == 10
    kinds = Counter("date" if v >= 1000 else "choice" for v in picked)
    assert kinds == {"date": 3, "choice": 7}


def test_a_draw_from_a_small_pool_takes_all_of_it():
    pool = [(1, "text"), (2, "text"), (3, "order")]
    assert sorted(drawing.draw(pool, 10, random.Random(1))) == [1, 2, 3]


def test_an_assignment_started_after_a_sync_draws_from_the_new_questions(app):
    """An assignment's pool is kept per version of its banks: never stale after a sync."""
    from quizapp.models import Assignment, Classroom, Membership

    with app.app_context():
        sync(truefalse("a", "Old A."), truefalse("b", "Old B."))
        teacher = make_user("tess", role="teacher")
        classroom = Classroom(name="9B", owner_id=teacher.id, join_code="ABCD2345")
        db.session.add(classroom)
        db.session.flush()
        bank_id = drawing.find_quiz("bank:facts").bank_ids[0]
        assignment = Assignment(classroom_id=classroom.id, title="Facts", bank_ids=[bank_id])
        db.session.add(assignment)
        learners = [make_user(name) for name in ("lena", "liam")]
        for learner in learners:
            db.session.add(Membership(classroom_id=classroom.id, user_id=learner.id))
        db.session.commit()
        assignment_id, learner_ids = assignment.id, [learner.id for learner in learners]

    def start_as(user_id: int) -> int:
        client = app.test_client()
        with app.app_context():
            from quizapp.models import User

            log_in(client, db.session.get(User, user_id))
        answer = client.post(f"/assignments/{assignment_id}/start")
        assert answer.status_code == 302, answer.text
        return int(re.search(r"/quiz/(\d+)/q/1$", answer.headers["Location"]).group(1))

    assert prompts(app, start_as(learner_ids[0])) == {"Old A.", "Old B."}
    with app.app_context():
        sync(truefalse("a", "New A."), truefalse("c", "New C."))
    assert prompts(app, start_as(learner_ids[1])) == {"New A.", "New C."}
