"""Syncing a loaded bank into the database: versions, retirement, restoring, all or nothing."""

from __future__ import annotations

import hashlib
import json

import pytest
import yaml
from sqlalchemy import func, select

from quizapp.banks import LoadedBank, load_bank, sync_bank, sync_banks
from quizapp.banks import sync as sync_module
from quizapp.banks.sync import SyncError, spec_digest
from quizapp.extensions import db
from quizapp.models import Bank, Question, QuestionVersion, User


def truefalse(slug: str, prompt: str = "The statement is true.", answer: bool = True) -> dict:
    return {"id": slug, "type": "truefalse", "prompt": prompt, "answer": answer}


def bank(*questions: dict, slug: str = "facts", title: str = "Facts", **fields) -> LoadedBank:
    """Return a bank of `questions` as the loader gives it (normalised, in order)."""
    data = {"bank": slug, "title": title, **fields, "questions": list(questions)}
    return load_bank(yaml.safe_dump(data).encode(), "facts.yaml", sources_dir=None)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def questions_by_slug() -> dict[str, Question]:
    return {q.slug: q for q in db.session.scalars(select(Question))}


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.mark.usefixtures("ctx")
def test_a_new_bank_adds_every_question_with_a_first_version_in_file_order():
    report = sync_bank(bank(truefalse("b"), truefalse("a"), truefalse("c")))
    assert report.added == ["b", "a", "c"]
    assert report.bank == "facts"
    stored = db.session.scalar(select(Bank).where(Bank.slug == "facts"))
    assert stored.title == "Facts" and stored.is_bundled
    assert [q.slug for q in stored.questions] == ["b", "a", "c"]
    version = stored.questions[0].current_version
    assert (version.number, version.type) == (1, "truefalse")
    assert version.spec == bank(truefalse("b")).questions[0]


@pytest.mark.usefixtures("ctx")
def test_syncing_the_same_bank_twice_changes_nothing_the_second_time():
    loaded = bank(truefalse("a"), truefalse("b"))
    sync_bank(loaded)
    rows = count(Bank), count(Question), count(QuestionVersion)
    report = sync_bank(loaded)
    assert report.unchanged == ["a", "b"]
    assert report.added == report.changed == report.retired == report.restored == []
    assert (count(Bank), count(Question), count(QuestionVersion)) == rows


@pytest.mark.usefixtures("ctx")
def test_an_edited_question_gets_a_new_current_version_and_keeps_the_old_one():
    sync_bank(bank(truefalse("a", "Vilnius is a capital."), truefalse("b")))
    report = sync_bank(bank(truefalse("a", "Vilnius is the capital."), truefalse("b")))
    assert report.changed == ["a"] and report.unchanged == ["b"]
    question = questions_by_slug()["a"]
    assert [v.number for v in question.versions] == [1, 2]
    assert question.versions[0].spec["prompt"] == "Vilnius is a capital."
    assert question.current_version.number == 2
    assert question.current_version.spec["prompt"] == "Vilnius is the capital."


@pytest.mark.usefixtures("ctx")
def test_any_change_to_the_normalised_question_is_a_new_version():
    sync_bank(bank(truefalse("a")))
    edited = {**truefalse("a"), "tags": ["capitals"]}
    assert sync_bank(bank(edited)).changed == ["a"]


@pytest.mark.usefixtures("ctx")
def test_a_question_removed_from_the_file_is_retired_not_deleted():
    sync_bank(bank(truefalse("a"), truefalse("b")))
    report = sync_bank(bank(truefalse("b")))
    assert report.retired == ["a"]
    retired = questions_by_slug()["a"]
    assert retired.retired_at is not None
    assert len(retired.versions) == 1
    assert sync_bank(bank(truefalse("b"))).retired == []  # retired once only


@pytest.mark.usefixtures("ctx")
def test_a_retired_question_that_comes_back_is_restored():
    sync_bank(bank(truefalse("a"), truefalse("b")))
    sync_bank(bank(truefalse("b")))
    report = sync_bank(bank(truefalse("a"), truefalse("b")))
    assert report.restored == ["a"] and report.added == [] and report.changed == []
    question = questions_by_slug()["a"]
    assert question.retired_at is None
    assert len(question.versions) == 1


@pytest.mark.usefixtures("ctx")
def test_a_bank_counts_its_live_questions_as_they_are_added_retired_and_restored():
    def live() -> int:
        return db.session.scalar(select(Bank.live_questions).where(Bank.slug == "facts"))

    sync_bank(bank(truefalse("a"), truefalse("b"), truefalse("c")))
    assert live() == 3
    sync_bank(bank(truefalse("b")))
    assert live() == 1
    sync_bank(bank(truefalse("a"), truefalse("b")))
    assert live() == 2


@pytest.mark.usefixtures("ctx")
def test_a_question_restored_with_new_content_gets_a_new_version():
    sync_bank(bank(truefalse("a"), truefalse("b")))
    sync_bank(bank(truefalse("b")))
    report = sync_bank(bank(truefalse("a", answer=False), truefalse("b")))
    assert report.restored == ["a"] and report.changed == []
    assert questions_by_slug()["a"].current_version.number == 2


@pytest.mark.usefixtures("ctx")
def test_bank_fields_and_question_positions_follow_the_file():
    sync_bank(bank(truefalse("a"), truefalse("b"), truefalse("c")))
    sync_bank(
        bank(
            truefalse("c"),
            truefalse("a"),
            truefalse("b"),
            title="Facts, revised",
            description="Now with a description.",
        )
    )
    stored = db.session.scalar(select(Bank))
    assert (stored.title, stored.description) == ("Facts, revised", "Now with a description.")
    assert [q.slug for q in stored.questions] == ["c", "a", "b"]


def test_the_digest_is_the_sha256_of_canonical_json():
    spec = {"prompt": "Vilnius – the capital.", "id": "a"}
    canonical = '{"id":"a","prompt":"Vilnius – the capital."}'
    assert spec_digest(spec) == hashlib.sha256(canonical.encode()).hexdigest()
    assert spec_digest(json.loads(json.dumps(spec))) == spec_digest(dict(reversed(spec.items())))


@pytest.mark.usefixtures("ctx")
def test_a_failed_sync_leaves_nothing_once_its_request_rolls_back(monkeypatch):
    sync_bank(bank(truefalse("a")))
    db.session.commit()
    calls = []

    def fail_on_second(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return original(*args, **kwargs)

    original = sync_module._new_version
    monkeypatch.setattr(sync_module, "_new_version", fail_on_second)
    with pytest.raises(RuntimeError):
        sync_bank(bank(truefalse("a", answer=False), truefalse("b"), title="Renamed"))
    db.session.rollback()  # what the request or command that owns the transaction does
    assert db.session.scalar(select(Bank.title)) == "Facts"
    assert count(Question) == 1 and count(QuestionVersion) == 1


@pytest.mark.usefixtures("ctx")
def test_a_bank_owned_by_someone_else_is_refused():
    teacher = User(username="tess", display_name="Tess", password_hash="x", role="teacher")
    db.session.add(teacher)
    db.session.commit()
    sync_bank(bank(truefalse("a")), owner_id=teacher.id)
    with pytest.raises(SyncError):
        sync_bank(bank(truefalse("b")))
    assert count(Question) == 1


@pytest.mark.usefixtures("ctx")
def test_many_banks_sync_one_by_one():
    reports = sync_banks([bank(truefalse("a"), slug="one"), bank(truefalse("a"), slug="two")])
    assert [(r.bank, r.added) for r in reports] == [("one", ["a"]), ("two", ["a"])]
    assert count(Question) == 2


@pytest.mark.usefixtures("ctx")
def test_progress_is_reported_for_every_question():
    steps: list[int] = []
    sync_bank(bank(*(truefalse(f"q{i}") for i in range(450))), progress=steps.append)
    assert sum(steps) == 450
