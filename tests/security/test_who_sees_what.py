"""Who sees what: others' ids give 404 (403 on teacher pages); no page shows an answer early.

The walks go over the app's url_map as it is, so a page added later is checked too.
"""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from drive import log_in
from security.world import GUESSED_ID, expand, page_text, rules, snapshot

from quizapp.accounts import create_user
from quizapp.attempts import drawing
from quizapp.banks.loader import load_bank_file
from quizapp.banks.sync import sync_bank
from quizapp.extensions import db
from quizapp.models import Attempt, Bank, DrawnFrom, Question
from quizapp.question_types import TYPES

REFUSED = (403, 404)


def outsider_ids(world) -> dict[str, list[int]]:
    """The ids of everything lena and teo own, plus a guessed one: none is the outsider's."""
    return {kind: [*values, GUESSED_ID] for kind, values in world.owned.items()}


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("who", ["mallory", "tara"])
def test_every_id_of_someone_elses_is_refused_on_every_route(world, who, method):
    """A learner or teacher who owns nothing gets 404/403 for every owned or guessed id."""
    before = snapshot(world.app)
    client = world.client(who)
    checked = 0
    for rule in rules(world.app, method, with_ids=True):
        for url in expand(rule, outsider_ids(world), world.text):
            response = client.open(url, method=method, data={"score": "10"})
            assert response.status_code in REFUSED, (who, method, url, response.status_code)
            checked += 1
    assert checked > 0
    assert snapshot(world.app) == before


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_visitor_gets_nothing_by_id(world, method):
    before = snapshot(world.app)
    for rule in rules(world.app, method, with_ids=True):
        for url in expand(rule, outsider_ids(world), world.text):
            response = world.client("visitor").open(url, method=method)
            assert response.status_code in (*REFUSED, 302), (method, url, response.status_code)
            if response.status_code == 302:
                assert "/auth/login" in response.headers["Location"], url
    assert snapshot(world.app) == before


def test_the_owners_do_see_their_own_pages(world):
    """The walk above is not vacuous: each id route opens for lena or teo with their ids."""
    for rule in rules(world.app, "GET", with_ids=True):
        statuses = [
            world.client(who).get(url).status_code
            for who in ("lena", "teo")
            for url in expand(rule, world.owned, world.text)
        ]
        assert any(code < 400 for code in statuses), (rule.rule, statuses)


def test_a_learner_gets_403_on_every_teacher_page(world):
    for method in ("GET", "POST"):
        for rule in rules(world.app, method):
            if not rule.rule.startswith("/teach"):
                continue
            for url in expand(rule, world.owned, world.text):
                response = world.client("lena").open(url, method=method)
                assert response.status_code == 403, (method, url, response.status_code)


# --- no answer before it is submitted -------------------------------------------------

TWIN_ANSWERS = {
    "choice": lambda q: {"answer": next(o for o in q["options"] if o != q["answer"])},
    "multi": lambda q: {
        "answers": [o for o in q["options"] if o not in q["answers"]] or q["options"][:1]
    },
    "truefalse": lambda q: {"answer": not q["answer"]},
    "text": lambda q: {"answer": "Someone Else Entirely", "accept": ["Else"]},
    "number": lambda q: {"answer": 4242},
    "date": lambda q: {"answer": _year_before(q["answer"])},
    "order": lambda q: {"items": list(reversed(q["items"]))},
    "match": lambda q: {
        "pairs": dict(
            zip(
                q["pairs"],
                [*list(q["pairs"].values())[1:], next(iter(q["pairs"].values()))],
                strict=True,
            )
        )
    },
}


def _year_before(answer) -> str | int:
    """The same date a year earlier, at the same precision."""
    text = str(answer)
    year = int(text[:4]) - 1
    return year if isinstance(answer, int) else f"{year:04d}{text[4:]}"


def twin(question: dict) -> dict:
    """The same question with another right answer, explanation and quote."""
    return {
        **question,
        **TWIN_ANSWERS[question["type"]](question),
        "explanation": "A twin explanation.",
        "quote": "A twin quote.",
    }


def fixture_questions(app) -> list[dict]:
    """Two questions of each type that has a twin answer above, from its fixture bank in
    tests/fixtures (a type added later joins the twins once given one)."""
    from pathlib import Path

    folder = Path(__file__).parent.parent / "fixtures" / "banks"
    questions = []
    for path in sorted(folder.glob("*.yaml")):
        if path.stem not in TWIN_ANSWERS:
            continue
        bank = load_bank_file(path, sources_dir=app.config["SEEDS_DIR"])
        # Ids are unique within a bank: the fixtures reuse some across their files.
        questions.extend({**q, "id": f"{q['type']}-{q['id']}"} for q in bank.questions[:2])
    assert {q["type"] for q in questions} == set(TWIN_ANSWERS) <= set(TYPES)
    return questions


@pytest.fixture
def twins(app):
    """Two learners, each with an attempt of the same questions shown the same way.

    Ada's questions are as written; Bea's have other right answers, explanations and
    quotes. A page that tells them apart gives something away.
    """
    from quizapp.banks.loader import LoadedBank

    originals = fixture_questions(app)
    made = {}
    with app.app_context():
        # A teacher's sets: bundled banks would each show on the timeline and the reader,
        # where each twin would see the other's (only their own are held back from them).
        teacher = create_user("twins-teacher", "Teacher", "correct horse battery", role="teacher")
        db.session.flush()
        for name, questions in (("twin-a", originals), ("twin-b", [twin(q) for q in originals])):
            create_user(name, "Twin", "correct horse battery")
            sync_bank(
                LoadedBank(
                    slug=f"bank-{name}",
                    title="Twins",
                    description=None,
                    source=None,
                    questions=questions,
                ),
                owner_id=teacher.id,
            )
        db.session.commit()
        for name in ("twin-a", "twin-b"):
            bank = db.session.scalar(db.select(Bank).where(Bank.slug == f"bank-{name}"))
            made[name] = (bank, [q.current_version_id for q in bank.questions])
    return made


def _twin_attempts(app, twins, mode: str) -> dict[str, int]:
    from quizapp.models import User

    start = dt.datetime(2026, 11, 29, 12, 0)
    attempts = {}
    with app.app_context():
        for name, (bank, version_ids) in twins.items():
            user = db.session.scalar(db.select(User).where(User.username == name))
            attempt = drawing.create_attempt(
                DrawnFrom.bank(bank.id),
                "Twins",
                version_ids,
                mode,
                user_id=user.id,
                rng=random.Random(1),
                now=start,
            )
            attempts[name] = attempt
        # Both shown the very same way: Ada's presentation is Bea's too.
        for ada_item, bea_item in zip(
            attempts["twin-a"].items, attempts["twin-b"].items, strict=True
        ):
            bea_item.view = ada_item.view
        db.session.commit()
        return {name: attempt.id for name, attempt in attempts.items()}


def _pages(app, name: str, attempt_id: int, count: int, answer: bool = False) -> dict[str, str]:
    """Every page a learner can open about an unfinished attempt, ids blanked out."""
    from quizapp.models import User

    client = app.test_client()
    with app.app_context():
        log_in(client, db.session.scalar(db.select(User).where(User.username == name)))
        attempt = db.session.get(Attempt, attempt_id)
        views = [(item.version.type, item.view, item.version.spec) for item in attempt.items]
    pages = {}
    for position in range(1, count + 1):
        if answer:
            kind, view, spec = views[position - 1]
            client.post(f"/quiz/{attempt_id}/q/{position}", data=same_response(kind, view, spec))
        pages[f"q/{position}"] = client.get(f"/quiz/{attempt_id}/q/{position}").text
    for rule in rules(app, "GET"):
        if set(rule.arguments) - {"attempt_id", "position"}:
            continue
        for url in expand(rule, {"attempt_id": [attempt_id]}):
            response = client.get(url)
            pages[_blank_ids(app, url, attempt_id)] = page_text(response)
    return {url: _blank_ids(app, page, attempt_id) for url, page in pages.items()}


def same_response(kind: str, view: dict, spec: dict) -> dict:
    """A response both twins can give: built from what the page shows, not from the answer."""
    if kind in ("choice", "truefalse"):
        return {"answer": view.get("options", ["true"])[0]}
    if kind == "multi":
        return {"answer": view["options"][:1]}
    if kind in ("text", "number", "date"):
        return {"answer": "1990"}
    if kind == "order":
        return {f"position-{i}": str(i + 1) for i in range(len(view["items"]))}
    return {f"match-{i}": "0" for i in range(len(view["lefts"]))}


def _blank_ids(app, page: str, attempt_id: int) -> str:
    """Blank the attempt id wherever a route puts it in a URL, and the twins' names."""
    prefixes = {r.rule.split("<int:attempt_id>")[0] for r in app.url_map.iter_rules()}
    for prefix in prefixes - {r.rule for r in app.url_map.iter_rules()}:
        page = re.sub(rf"{re.escape(prefix)}{attempt_id}\b", f"{prefix}ID", page)
    page = re.sub(r"twin-[ab]", "twin-x", page)
    return re.sub(r'name="csrf_token"[^>]*value="[^"]*"', 'name="csrf_token"', page)


@pytest.mark.parametrize("mode", ["practice", "test"])
def test_no_page_tells_the_right_answer_before_it_is_submitted(app, twins, mode):
    """Pages of two attempts that differ only in their right answers are byte-identical."""
    attempts = _twin_attempts(app, twins, mode)
    count = len(twins["twin-a"][1])
    ada = _pages(app, "twin-a", attempts["twin-a"], count)
    bea = _pages(app, "twin-b", attempts["twin-b"], count)
    assert ada.keys() == bea.keys()
    for url in ada:
        assert ada[url] == bea[url], f"{url} depends on the right answer"


def test_a_test_tells_nothing_after_answering_until_it_is_finished(app, twins):
    attempts = _twin_attempts(app, twins, "test")
    count = len(twins["twin-a"][1])
    ada = _pages(app, "twin-a", attempts["twin-a"], count, answer=True)
    bea = _pages(app, "twin-b", attempts["twin-b"], count, answer=True)
    with app.app_context():
        answered = db.session.scalars(db.select(Attempt)).all()
        assert all(item.response is not None for a in answered for item in a.items)
    for url in ada:
        assert ada[url] == bea[url], f"{url} depends on the right answer after answering"


def test_the_twins_really_differ_once_finished(app, twins):
    """The comparison can fail: the results pages of the twins do differ."""
    attempts = _twin_attempts(app, twins, "test")
    pages = {}
    for name in ("twin-a", "twin-b"):
        client = app.test_client()
        from quizapp.models import User

        with app.app_context():
            log_in(client, db.session.scalar(db.select(User).where(User.username == name)))
        client.post(f"/quiz/{attempts[name]}/finish")
        results = client.get(f"/quiz/{attempts[name]}/results").text
        pages[name] = _blank_ids(app, results, attempts[name])
    assert pages["twin-a"] != pages["twin-b"]


def test_the_twin_questions_are_valid_and_have_other_answers(app):
    for question in fixture_questions(app):
        other = twin(question)
        TYPES[other["type"]].Spec.model_validate(other)
        assert other != question


def test_a_teachers_set_is_not_offered_to_everyone_as_a_quiz(world):
    """A teacher's set is not a public quiz: it never appears among the home page quizzes."""
    page = world.client("mallory").get("/").text
    assert "xsssettitle" not in page
    with world.app.app_context():
        assert db.session.scalar(db.select(db.func.count(Question.id))) > 0
