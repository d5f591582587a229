"""No quiz draws two questions that give each other away: a shared `family`, or one
that `excludes` the other, keeps them apart in every quiz builder."""

from __future__ import annotations

import random
from collections import Counter

import pytest
import yaml

from quizapp.attempts import drawing
from quizapp.banks import load_bank, sync_bank
from quizapp.banks.families import Kin, keep_apart
from quizapp.extensions import db
from quizapp.models import Attempt, Question, utcnow
from quizapp.review import quizzes


def truefalse(qid: str, **extra) -> dict:
    return {"id": qid, "type": "truefalse", "prompt": f"Statement {qid}.", "answer": True,
            **extra}  # fmt: skip


def sync(slug: str, questions: list[dict]) -> None:
    data = {"bank": slug, "title": slug.title(), "questions": questions}
    sync_bank(load_bank(yaml.safe_dump(data).encode(), f"{slug}.yaml", sources_dir=None))
    db.session.commit()


def family_bank() -> list[dict]:
    """Twenty questions: five of family "red", five of "blue", ten alone."""
    return (
        [truefalse(f"red-{n}", family="red") for n in range(5)]
        + [truefalse(f"blue-{n}", family="blue") for n in range(5)]
        + [truefalse(f"alone-{n}") for n in range(10)]
    )


def test_a_draw_takes_at_most_one_question_of_a_family_and_still_fills_the_quiz():
    pool = [
        drawing.PoolEntry(n, "truefalse", Kin(f"b/q{n}", family="red" if n < 5 else None))
        for n in range(15)
    ]
    for seed in range(500):
        picked = drawing.draw(pool, 10, random.Random(seed))
        assert len(picked) == 10
        assert sum(1 for v in picked if v < 5) <= 1


def test_a_draw_never_takes_a_question_with_one_it_excludes_whichever_comes_first():
    pool = [
        drawing.PoolEntry(1, "text", Kin("b/a", excludes=frozenset({"b/b"}))),
        drawing.PoolEntry(2, "date", Kin("b/b")),
        drawing.PoolEntry(3, "choice", Kin("b/c")),
    ]
    seen = Counter()
    for seed in range(300):
        picked = set(drawing.draw(pool, 3, random.Random(seed)))
        assert not {1, 2} <= picked
        seen.update(picked)
    assert seen[1] and seen[2]  # either may be the one drawn


def test_keeping_apart_keeps_the_first_of_each_family_in_order():
    kin = {
        "a": Kin("b/a", "f"),
        "b": Kin("b/b"),
        "c": Kin("b/c", "f"),
        "d": Kin("b/d", excludes=frozenset({"b/b"})),
    }
    assert keep_apart("abcd", kin.get) == ["a", "b"]


def test_a_bank_quiz_never_draws_two_of_a_family(app):
    with app.app_context():
        sync("colours", family_bank())
    for _ in range(20):
        answer = app.test_client().post(
            "/quiz/start", data={"quiz": "bank:colours", "mode": "test"}
        )
        attempt_id = int(answer.headers["Location"].split("/")[2])
        with app.app_context():
            slugs = [i.version.spec["id"] for i in db.session.get(Attempt, attempt_id).items]
        assert len(slugs) == 10
        assert sum(s.startswith("red") for s in slugs) <= 1
        assert sum(s.startswith("blue") for s in slugs) <= 1


def test_a_quiz_of_chosen_questions_asks_one_question_of_each_family(app):
    with app.app_context():
        sync("colours", family_bank()[:12])
        ids = [q.id for q in db.session.scalars(db.select(Question).order_by(Question.id))]
        attempt = quizzes.start_chosen(
            ids[:2] + ids[5:7] + ids[10:], "reader", user_id=None, guest_key="k",
            now=utcnow(), length=10,
        )  # fmt: skip
        slugs = [item.version.spec["id"] for item in attempt.items]
        db.session.rollback()
    assert slugs == ["red-0", "blue-0", "alone-0", "alone-1"]


# ------------------------------------------------------------- the bundled banks


@pytest.fixture
def bundled_kin(app, banks):
    """The bundled banks loaded: every live question's version id, Kin, and the pairs
    their files declare apart (computed from the files, not by the code under test)."""
    from quizapp.banks.giveaways import declared
    from quizapp.banks.loader import load_bank_files
    from quizapp.config import PROJECT_ROOT

    files = load_bank_files([PROJECT_ROOT / "questions"], sources_dir=PROJECT_ROOT / "seeds")
    specs = [(bank.slug, q) for bank in files for q in bank.questions]
    apart = {
        frozenset({f"{a}/{qa['id']}", f"{b}/{qb['id']}"})
        for i, (a, qa) in enumerate(specs)
        for b, qb in specs[i + 1 :]
        if declared(qa, a, qb, b)
    }
    with app.app_context():
        quizzes_on_offer = drawing.available_quizzes()
        pools = {quiz.key: drawing.quiz_pool(quiz) for quiz in quizzes_on_offer}
    return pools, apart


def together(picked_keys: list[str], apart: set[frozenset]) -> list[frozenset]:
    keys = sorted(picked_keys)
    return [
        frozenset({a, b})
        for i, a in enumerate(keys)
        for b in keys[i + 1 :]
        if frozenset({a, b}) in apart
    ]


def test_ten_thousand_draws_of_every_bundled_quiz_never_hold_a_pair_kept_apart(bundled_kin):
    pools, apart = bundled_kin
    rng = random.Random(2026)
    for key, pool in pools.items():
        key_of = {entry.version_id: entry.kin.key for entry in pool}
        for _ in range(10_000):
            picked = drawing.draw(pool, 10, rng)
            assert not together([key_of[v] for v in picked], apart), key


def test_ten_thousand_lists_of_chosen_questions_never_hold_a_pair_kept_apart(app, banks):
    """Review, retakes, weakest topics and the reader all start from a list of question
    ids: random lists of the bundled questions, kept apart, never hold a pair."""
    from quizapp.banks.families import kin_by_question

    with app.app_context():
        ids = list(db.session.scalars(db.select(Question.id)))
        kin = kin_by_question(ids)
    apart_pairs = {
        frozenset({a.key, b.key})
        for a in kin.values()
        for b in kin.values()
        if a.key != b.key and ((a.family and a.family == b.family) or b.key in a.excludes)
    }
    rng = random.Random(2026)
    for _ in range(10_000):
        chosen = rng.sample(ids, 20)
        kept = keep_apart(chosen, kin.get)
        assert not together([kin[q].key for q in kept], apart_pairs)
