"""Question sets: creating and copying them, and who may open or change which set."""

from __future__ import annotations

import pytest
from teach.set_helpers import (
    VALID_FORMS,
    add_question,
    bank_row,
    bundled_id,
    errors_in,
    load_bundled,
    new_set,
    questions_of,
    sign_in,
)

from quizapp.extensions import db
from quizapp.models import Bank
from quizapp.sets.uploads import PendingUpload, store_upload


@pytest.fixture
def teacher(app, client) -> int:
    return sign_in(app, client, "tess")


@pytest.fixture
def bundled(app) -> int:
    load_bundled(app)
    return bundled_id(app, "dates")


def routes_of(bank_id: int, question_id: int) -> list[tuple[str, str]]:
    """Every page of one set and one of its questions, with the method it answers."""
    base = f"/teach/sets/{bank_id}"
    question = f"{base}/questions/{question_id}"
    return [
        ("GET", base),
        ("GET", f"{base}/edit"),
        ("POST", f"{base}/edit"),
        ("POST", f"{base}/copy"),
        ("GET", f"{base}/source"),
        ("POST", f"{base}/source"),
        ("GET", f"{base}/questions/new"),
        ("GET", f"{base}/questions/new/choice"),
        ("POST", f"{base}/questions/new/choice"),
        ("GET", question),
        ("POST", question),
        ("GET", f"{question}/edit"),
        ("POST", f"{question}/edit"),
        ("POST", f"{question}/retire"),
        ("POST", f"{question}/restore"),
        ("GET", f"{base}/download.yaml"),
        ("GET", f"{base}/download.gift"),
        ("GET", f"{base}/download.apkg"),
        ("GET", f"{base}/download.xml"),
    ]


def upload_routes(token: str) -> list[tuple[str, str]]:
    return [
        ("GET", f"/teach/sets/upload/{token}"),
        ("POST", f"/teach/sets/upload/{token}"),
        ("POST", f"/teach/sets/upload/{token}/discard"),
    ]


#: Pages that change a set: a bundled bank refuses every one of them.
EDITING = {"edit", "source", "questions/new", "retire", "restore"}


@pytest.fixture
def tess_set(app, client, teacher) -> tuple[int, int]:
    """Tess's set with one question, and a pending upload of hers: (set id, question id)."""
    bank_id = new_set(client, "Tess's capitals")
    assert add_question(client, bank_id, "choice").status_code == 302
    return bank_id, questions_of(app, bank_id)[0]["id"]


@pytest.fixture
def tess_upload(app, teacher) -> str:
    with app.app_context():
        upload = store_upload(teacher, "capitals.yaml", b"bank: capitals\n")
        db.session.commit()
        return upload.token


def snapshot(app) -> list:
    """Every set, question version and pending upload: to show that a request changed none."""
    with app.app_context():
        banks = db.session.execute(db.select(Bank.id, Bank.updated_at).order_by(Bank.id)).all()
        pending = db.session.scalar(db.select(db.func.count()).select_from(PendingUpload))
    return [banks, pending, [questions_of(app, bank_id) for bank_id, _ in banks]]


# The dashboard and a new set


def test_the_dashboard_offers_a_new_set_and_an_upload(client, teacher):
    page = client.get("/teach/").text
    assert 'href="/teach/sets/new"' in page
    assert 'href="/teach/sets/upload"' in page


def test_a_teacher_creates_a_set_and_lands_on_its_page(app, client, teacher):
    response = client.post(
        "/teach/sets/new", data={"title": "  Capitals of the Baltics ", "description": "Easy"}
    )
    assert response.status_code == 302
    bank_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert bank_row(app, bank_id) == {
        "slug": "capitals-of-the-baltics",
        "title": "Capitals of the Baltics",
        "description": "Easy",
        "owner_id": teacher,
        "source": None,
        "source_text": None,
    }
    page = client.get(response.headers["Location"]).text
    assert "Capitals of the Baltics" in page
    assert "No questions yet." in page
    assert f'href="/teach/sets/{bank_id}"' in client.get("/teach/").text


def test_two_sets_with_one_title_get_two_slugs(app, client, teacher):
    first, second = new_set(client, "Capitals"), new_set(client, "Capitals")
    assert [bank_row(app, first)["slug"], bank_row(app, second)["slug"]] == [
        "capitals",
        "capitals-2",
    ]


def test_a_set_without_a_title_is_refused_in_the_loaders_words(app, client, teacher):
    response = client.post("/teach/sets/new", data={"title": "   ", "description": "kept"})
    assert response.status_code == 200
    assert errors_in(response.text) == ["'title' must not be empty"]
    assert "kept</textarea>" in response.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Bank)) == 0


def test_a_title_longer_than_a_set_can_hold_is_refused(client, teacher):
    response = client.post("/teach/sets/new", data={"title": "x" * 201})
    assert response.status_code == 200
    assert errors_in(response.text) == ["'title' is too long (at most 200 characters)"]


def test_a_teacher_renames_their_set(app, client, teacher):
    bank_id = new_set(client, "Capitals")
    form = client.get(f"/teach/sets/{bank_id}/edit").text
    assert 'value="Capitals"' in form
    response = client.post(
        f"/teach/sets/{bank_id}/edit", data={"title": "Baltic capitals", "description": "New"}
    )
    assert response.status_code == 302
    row = bank_row(app, bank_id)
    assert (row["title"], row["description"], row["slug"]) == ("Baltic capitals", "New", "capitals")


# Who sees what


def test_the_dashboard_lists_only_the_teachers_own_sets(app, client, teacher):
    new_set(client, "Tess owns this set")
    other = app.test_client()
    sign_in(app, other, "theo")
    new_set(other, "Theo owns this set")
    page = client.get("/teach/").text
    assert "Tess owns this set" in page
    assert "Theo owns this set" not in page


def test_another_teachers_set_is_a_404_on_every_page(app, client, tess_set, tess_upload):
    bank_id, question_id = tess_set
    before = snapshot(app)
    theo = app.test_client()
    sign_in(app, theo, "theo")
    for method, url in [*routes_of(bank_id, question_id), *upload_routes(tess_upload)]:
        response = theo.open(url, method=method, data={"title": "Mine now", "answer": "0"})
        assert response.status_code == 404, (method, url, response.status_code)
    assert snapshot(app) == before


def test_a_question_id_from_another_set_is_a_404(app, client, tess_set):
    _, question_id = tess_set
    other_set = new_set(client, "Second set")
    for method, url in routes_of(other_set, question_id):
        if "/questions/" in url and url.split("/questions/")[1][:1].isdigit():
            assert client.open(url, method=method).status_code == 404, url


def test_a_learner_gets_403_on_every_set_page(app, client, tess_set, tess_upload):
    bank_id, question_id = tess_set
    before = snapshot(app)
    learner = app.test_client()
    sign_in(app, learner, "lena", role="learner")
    routes = [
        ("GET", "/teach/sets/new"),
        ("POST", "/teach/sets/new"),
        ("GET", "/teach/sets/upload"),
        ("POST", "/teach/sets/upload"),
        *routes_of(bank_id, question_id),
        *upload_routes(tess_upload),
    ]
    for method, url in routes:
        response = learner.open(url, method=method, data={"title": "Mine"})
        assert response.status_code == 403, (method, url, response.status_code)
    assert snapshot(app) == before


def test_a_visitor_is_asked_to_log_in(client, app, tess_set):
    bank_id, _ = tess_set
    visitor = app.test_client()
    for url in ("/teach/sets/new", f"/teach/sets/{bank_id}", "/teach/sets/upload"):
        response = visitor.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login")


def test_a_post_without_a_csrf_token_is_refused_and_saves_nothing(app, client, teacher):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/teach/sets/new", data={"title": "Capitals"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Bank)) == 0


# Bundled banks: read-only, copied to edit


def test_a_bundled_bank_is_shown_read_only(client, teacher, bundled):
    page = client.get(f"/teach/sets/{bundled}").text
    assert "The bundled banks are read-only" in page
    assert "Copy to my sets" in page
    assert "/questions/new" not in page
    assert "/edit" not in page


def test_every_change_to_a_bundled_bank_is_a_403(app, client, teacher, bundled):
    question_id = questions_of(app, bundled)[0]["id"]
    before = (bank_row(app, bundled), questions_of(app, bundled))
    for method, url in routes_of(bundled, question_id):
        if any(f"/{part}" in url for part in EDITING):
            response = client.open(url, method=method, data={"title": "Mine", "answer": "1"})
            assert response.status_code == 403, (method, url, response.status_code)
            assert "read-only" in response.text
    assert (bank_row(app, bundled), questions_of(app, bundled)) == before


def test_a_bundled_bank_can_be_previewed_and_downloaded(app, client, teacher, bundled):
    question_id = questions_of(app, bundled)[0]["id"]
    assert client.get(f"/teach/sets/{bundled}").status_code == 200
    assert client.get(f"/teach/sets/{bundled}/questions/{question_id}").status_code == 200
    assert client.get(f"/teach/sets/{bundled}/download.yaml").status_code == 200
    assert client.get(f"/teach/sets/{bundled}/download.gift").status_code == 200
    assert client.get(f"/teach/sets/{bundled}/download.apkg").status_code == 200
    assert client.get(f"/teach/sets/{bundled}/download.xml").status_code == 200


def test_copy_to_my_sets_makes_a_copy_the_teacher_owns_and_may_edit(app, client, teacher, bundled):
    response = client.post(f"/teach/sets/{bundled}/copy")
    assert response.status_code == 302
    copy_id = int(response.headers["Location"].rsplit("/", 1)[1])
    original, copy = bank_row(app, bundled), bank_row(app, copy_id)
    assert copy["slug"] == "dates-copy"
    assert copy["owner_id"] == teacher
    assert copy["title"] == original["title"] + " (copy)"
    assert copy["source"] == original["source"]
    assert [q["spec"] for q in questions_of(app, copy_id)] == [
        q["spec"] for q in questions_of(app, bundled)
    ]
    assert all(q["versions"] == [1] for q in questions_of(app, copy_id))
    assert client.get(f"/teach/sets/{copy_id}/edit").status_code == 200
    # A second copy gets a slug of its own.
    client.post(f"/teach/sets/{bundled}/copy")
    with app.app_context():
        slugs = db.session.scalars(db.select(Bank.slug).where(Bank.owner_id == teacher)).all()
    assert sorted(slugs) == ["dates-copy", "dates-copy-2"]


def test_a_copy_of_a_bundled_bank_still_checks_its_quotes(app, client, teacher, bundled):
    copy_id = int(client.post(f"/teach/sets/{bundled}/copy").headers["Location"].rsplit("/")[-1])
    form = client.get(f"/teach/sets/{copy_id}/questions/new/choice").text
    assert "Quotes from the source" in form
    response = add_question(client, copy_id, "choice")
    assert response.status_code == 200
    assert "Copy the passage of the source that proves the answer." in errors_in(response.text)
    quoted = {
        **VALID_FORMS["choice"],
        "quote-0": "Belarus and Lithuania established diplomatic relations\n on 24 October 1991",
    }
    assert add_question(client, copy_id, "choice", quoted).status_code == 302


def test_a_teacher_copies_their_own_set(app, client, tess_set):
    bank_id, _ = tess_set
    copy_id = int(client.post(f"/teach/sets/{bank_id}/copy").headers["Location"].rsplit("/")[-1])
    assert bank_row(app, copy_id)["title"] == "Tess's capitals (copy)"
    assert len(questions_of(app, copy_id)) == 1


def test_a_slug_taken_at_the_same_moment_is_replaced_by_a_free_one(
    app, client, teacher, monkeypatch
):
    """On a database server two teachers may pick one free slug at once: the second retries."""
    from quizapp.sets import editing

    new_set(client, "Capitals")
    stale = iter(["capitals"])  # what a request that looked a moment too early would pick
    real = editing.unique_bank_slug
    monkeypatch.setattr(editing, "unique_bank_slug", lambda base: next(stale, None) or real(base))
    second = new_set(client, "Capitals")
    assert bank_row(app, second)["slug"] == "capitals-2"
