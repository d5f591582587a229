"""Accounts without a browser: usernames, passwords, login cookies, a visitor's attempts."""

from __future__ import annotations

import pytest
from flask import session

from quizapp import accounts
from quizapp.accounts import (
    UsernameTaken,
    authenticate,
    claim_guest_attempts,
    create_user,
    guest_key,
    load_user,
    normalise_username,
    username_problem,
)
from quizapp.extensions import db
from quizapp.models import Attempt

PASSWORD = "correct horse battery"


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.mark.parametrize(
    "spelling", ["alice", "Alice", "ALICE", "alice ", " alice\t", "ａlice", "ＡＬＩＣＥ"]
)
def test_every_spelling_of_a_username_normalises_to_one(spelling):
    assert normalise_username(spelling) == "alice"


@pytest.mark.parametrize("username", ["abc", "a" * 40, "anna.k", "anna_k", "anna-k", "007"])
def test_usernames_of_3_to_40_letters_digits_dots_dashes_underscores_are_allowed(username):
    assert username_problem(username) is None


@pytest.mark.parametrize(
    "username", ["ab", "a" * 41, "anna k", "anna@school", "аnna", "anna<b>", "", "anna\n"]
)
def test_other_usernames_are_refused_with_a_reason(username):
    assert username_problem(username)


def test_create_user_stores_the_normalised_username_and_a_scrypt_hash(ctx):
    user = create_user(" Alice", "Alice A.", PASSWORD)
    db.session.commit()
    assert user.username == "alice"
    assert user.display_name == "Alice A."
    assert user.role == "learner"
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash


@pytest.mark.parametrize("lookalike", ["alice", "Alice", "alice ", "ａlice"])
def test_create_user_refuses_any_spelling_of_an_existing_username(ctx, lookalike):
    create_user("alice", "Alice", PASSWORD)
    with pytest.raises(UsernameTaken):
        create_user(lookalike, "Another Alice", PASSWORD)


def test_create_user_refuses_a_username_taken_by_a_concurrent_signup(ctx, monkeypatch):
    create_user("alice", "Alice", PASSWORD)
    db.session.commit()
    # The existence check misses the other row, as it would in a race: the unique
    # constraint still refuses, and the session stays usable.
    monkeypatch.setattr(accounts, "find_user", lambda username: None)
    with pytest.raises(UsernameTaken):
        create_user("Alice", "Alice B.", PASSWORD)
    create_user("bob", "Bob", PASSWORD)
    db.session.commit()


@pytest.mark.parametrize("spelling", ["alice", "ALICE", " alice ", "ａｌｉｃｅ"])
def test_authenticate_accepts_any_spelling_of_the_username(ctx, spelling):
    user = create_user("alice", "Alice", PASSWORD)
    assert authenticate(spelling, PASSWORD) is user


@pytest.mark.parametrize(
    ("username", "password"), [("alice", "wrong password"), ("nobody", PASSWORD)]
)
def test_authenticate_refuses_a_wrong_password_and_an_unknown_user(ctx, username, password):
    create_user("alice", "Alice", PASSWORD)
    assert authenticate(username, password) is None


def test_authenticate_never_hashes_an_overlong_password(ctx, monkeypatch):
    create_user("alice", "Alice", PASSWORD)

    def no_hashing(*args):
        raise AssertionError("an over-long password was hashed")

    monkeypatch.setattr(accounts, "check_password_hash", no_hashing)
    assert authenticate("alice", "x" * 1_000_001) is None


def test_load_user_returns_the_user_for_the_current_id_and_token(ctx):
    user = create_user("alice", "Alice", PASSWORD)
    assert load_user(user.get_id()) is user


@pytest.mark.parametrize(
    "cookie_id", ["{id}", "{id}:", ":{token}", "x:{token}", "１:{token}", "{id}:wrong", ""]
)
def test_load_user_refuses_malformed_ids_and_wrong_tokens(ctx, cookie_id):
    user = create_user("alice", "Alice", PASSWORD)
    assert load_user(cookie_id.format(id=user.id, token=user.session_token)) is None


def test_a_rotated_token_makes_the_old_login_id_worthless(ctx):
    user = create_user("alice", "Alice", PASSWORD)
    old_id = user.get_id()
    user.sign_out_everywhere()
    assert load_user(old_id) is None
    assert load_user(user.get_id()) is user


def test_guest_key_is_made_only_when_asked_and_then_kept(app):
    with app.test_request_context():
        assert guest_key() is None
        assert "guest_key" not in session
        key = guest_key(create=True)
        assert key and len(key) <= 32
        assert guest_key() == key
        assert guest_key(create=True) == key


def test_claiming_moves_only_that_visitors_unowned_attempts_to_the_user(ctx):
    alice = create_user("alice", "Alice", PASSWORD)
    bob = create_user("bob", "Bob", PASSWORD)
    mine = Attempt(kind="mixed", title="Mixed", mode="practice", guest_key="k1")
    other_visitor = Attempt(kind="mixed", title="Mixed", mode="practice", guest_key="k2")
    db.session.add_all([mine, other_visitor])
    db.session.flush()
    bobs = Attempt(kind="mixed", title="Mixed", mode="practice", user_id=bob.id, guest_key="k1")
    db.session.add(bobs)
    db.session.commit()

    assert claim_guest_attempts(alice, "k1") == 1
    db.session.commit()

    assert (mine.user_id, mine.guest_key) == (alice.id, None)
    assert (other_visitor.user_id, other_visitor.guest_key) == (None, "k2")
    assert bobs.user_id == bob.id


@pytest.mark.parametrize("key", [None, ""])
def test_claiming_without_a_key_claims_nothing(ctx, key):
    alice = create_user("alice", "Alice", PASSWORD)
    db.session.add(Attempt(kind="mixed", title="Mixed", mode="practice", guest_key=None))
    db.session.commit()
    assert claim_guest_attempts(alice, key) == 0
