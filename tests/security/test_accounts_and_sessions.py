"""Accounts and sessions: throttled logins, fresh sessions, dead cookies, next=, usernames."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from quizapp import accounts, create_app, throttle
from quizapp.extensions import db
from quizapp.models import User

PASSWORD = "correct horse battery"
#: The tests count to a smaller limit than production's: every login costs a scrypt hash.
LIMIT = 4


@pytest.fixture
def alice(app, auth) -> int:
    app.config["LOGIN_RATE_LIMIT"] = f"{LIMIT} per minute"
    return auth.create("alice")


def test_production_allows_ten_failed_logins_a_minute():
    from quizapp.config import Defaults

    assert Defaults.LOGIN_RATE_LIMIT == "10 per minute"


def fail(auth, username="alice", times=1):
    return [auth.login(username, "wrong password!").status_code for _ in range(times)]


# --- throttling -----------------------------------------------------------------------


def test_past_the_failed_logins_allowed_a_minute_even_the_right_password_gets_429(auth, alice):
    assert fail(auth, times=LIMIT) == [200] * LIMIT
    refused = auth.login("alice", PASSWORD)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) <= 60
    assert "_user_id" not in refused.headers.get("Set-Cookie", "")


def test_an_unknown_user_is_throttled_exactly_like_a_wrong_password(auth, alice):
    unknown = [auth.login("nobody-here", "wrong password!") for _ in range(LIMIT)]
    wrong = [auth.login("alice", "wrong password!") for _ in range(LIMIT)]
    assert [r.status_code for r in unknown] == [r.status_code for r in wrong] == [200] * LIMIT
    assert unknown[0].text.replace("nobody-here", "alice") == wrong[0].text
    assert auth.login("nobody-here", PASSWORD).status_code == 429
    assert auth.login("alice", PASSWORD).status_code == 429


def test_any_spelling_of_the_username_counts_against_the_same_limit(auth, alice):
    for spelling in ("Alice", "alice ", "ＡＬＩＣＥ", "ａlice"):
        fail(auth, spelling)
    assert auth.login("alice", PASSWORD).status_code == 429


def test_the_limit_is_per_username_and_per_client_address(app, auth, alice):
    auth.create("bob")
    fail(auth, times=LIMIT)
    assert auth.login("bob", PASSWORD).status_code == 302
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    response = elsewhere.post("/auth/login", data={"username": "alice", "password": PASSWORD})
    assert response.status_code == 302


def test_successful_logins_are_never_counted(client, auth, alice):
    for _ in range(LIMIT + 2):
        assert auth.login("alice", PASSWORD).status_code == 302
        auth.logout()


def test_the_window_ends_after_a_minute(auth, alice, monkeypatch):
    fail(auth, times=LIMIT)
    assert auth.login("alice", PASSWORD).status_code == 429
    later = time.time() + 61
    monkeypatch.setattr(throttle.time, "time", lambda: later)
    assert auth.login("alice", PASSWORD).status_code == 302


def test_the_count_is_shared_by_every_worker_on_the_same_database(app, auth, alice):
    """Two app instances stand for two gunicorn workers: failures on one count on the other."""
    other_worker = create_app(
        {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "TESTING")}
        | {"WTF_CSRF_ENABLED": False, "LOGIN_RATE_LIMIT": app.config["LOGIN_RATE_LIMIT"]}
    )
    other = other_worker.test_client()
    fail(auth, times=LIMIT // 2)
    for _ in range(LIMIT - LIMIT // 2):
        other.post("/auth/login", data={"username": "alice", "password": "wrong password!"})
    assert auth.login("alice", PASSWORD).status_code == 429
    response = other.post("/auth/login", data={"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    with other_worker.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_counters_live_in_a_database_every_worker_reaches(app):
    uri = app.config["RATELIMIT_STORAGE_URI"]
    assert uri.startswith(throttle.SCHEME_PREFIX), uri


def test_eight_workers_counting_at_once_on_a_new_database_all_count(app):
    """The first failures after a deploy reach every worker together: none is lost."""
    workers = [throttle.DatabaseStorage(app.config["RATELIMIT_STORAGE_URI"]) for _ in range(8)]
    barrier = threading.Barrier(len(workers), timeout=60)
    errors: list[Exception] = []

    def count(storage):
        barrier.wait()
        try:
            storage.incr("alice", 60)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=count, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert workers[0].get("alice") == len(workers)
    assert 0 < workers[0].get_expiry("alice") - time.time() <= 60
    workers[0].clear("alice")
    assert workers[0].get("alice") == 0


def test_a_megabyte_password_is_refused_before_any_hashing(auth, alice, monkeypatch):
    def no_hashing(*args, **kwargs):
        raise AssertionError("a megabyte password was hashed")

    monkeypatch.setattr(accounts, "check_password_hash", no_hashing)
    response = auth.login("alice", "x" * 1_000_000)
    assert response.status_code == 200 and "alice" in response.text


# --- sessions and cookies -------------------------------------------------------------


def test_logging_in_starts_a_fresh_session(app, client, auth, alice):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
        session["csrf_token"] = "fixed-token"
    auth.login("alice")
    with client.session_transaction() as session:
        assert "planted" not in session and session.get("csrf_token") != "fixed-token"
        assert session["_user_id"].startswith(f"{alice}:")


def test_cookies_are_httponly_and_samesite_lax_and_secure_only_over_https(app, auth, alice):
    over_http = auth.login("alice", remember=True).headers.getlist("Set-Cookie")
    assert over_http and all("HttpOnly" in c and "SameSite=Lax" in c for c in over_http)
    assert not any("Secure" in c for c in over_http)
    https_app = create_app(
        {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "TESTING")}
        | {"WTF_CSRF_ENABLED": False, "HTTPS": True}
    )
    client = https_app.test_client()
    data = {"username": "alice", "password": PASSWORD, "remember": "y"}
    plain = client.post("/auth/login", data=data, base_url="http://localhost")
    assert plain.status_code == 302 and plain.headers["Location"].startswith("https://")
    assert not plain.headers.getlist("Set-Cookie")
    response = client.post("/auth/login", data=data, base_url="https://localhost")
    assert response.status_code == 302, response.text
    cookies = response.headers.getlist("Set-Cookie")
    assert {c.split("=")[0] for c in cookies} >= {"session", "remember_token"}
    assert all("Secure" in c and "HttpOnly" in c and "SameSite=Lax" in c for c in cookies)
    assert (
        "max-age"
        in client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"]
    )
    with https_app.app_context():
        db.session.remove()
        db.engine.dispose()


def copy_cookies(source, target) -> None:
    for cookie in source._cookies.values():
        target.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)


def logged_in(client) -> bool:
    return client.get("/auth/password").status_code == 200


def test_after_logout_a_replayed_session_or_remember_cookie_is_not_logged_in(app, auth, alice):
    auth.login("alice", remember=True)
    stolen = app.test_client()
    copy_cookies(auth._client, stolen)
    assert logged_in(stolen)
    auth.logout()
    assert not logged_in(stolen)
    with stolen.session_transaction() as session:
        session.clear()  # only the remember-me cookie left
    assert not logged_in(stolen)


def test_a_password_change_signs_out_other_devices_and_their_remember_cookies(app, auth, alice):
    phone = app.test_client()
    auth.on(phone).login("alice", remember=True)
    laptop_response = auth.login("alice")
    assert laptop_response.status_code == 302
    auth._client.post(
        "/auth/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a new secret 42",
            "confirm": "a new secret 42",
        },
    )
    assert logged_in(auth._client)
    assert not logged_in(phone)
    with phone.session_transaction() as session:
        session.clear()
    assert not logged_in(phone)


# --- next= ----------------------------------------------------------------------------

UNSAFE_NEXT = [
    "//evil.example",
    "https://evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    " //evil.example",
    "//evil.example/%2F..",
    "/%09/evil.example",
]


@pytest.mark.parametrize("target", UNSAFE_NEXT)
def test_next_never_leads_off_the_site(auth, alice, target):
    response = auth.login("alice", next=target)
    assert response.status_code == 302
    location = response.headers["Location"]
    # A path on this site as a browser reads it: one slash, then no slash or backslash.
    assert location.startswith("/") and location[1:2] not in ("/", "\\"), location
    assert location.isprintable() and " " not in location, location


def test_next_to_a_path_on_this_site_is_followed(auth, alice):
    assert auth.login("alice", next="/progress/?page=2").headers["Location"] == "/progress/?page=2"


# --- one username ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "lookalike", ["Alice", "ALICE", "alice ", " alice", "ａlice", "ＡＬＩＣＥ"]
)
def test_look_alike_usernames_are_one_account(app, auth, alice, lookalike):
    response = auth.signup(lookalike, display_name="Impostor")
    assert response.status_code == 200 and "taken" in response.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 1
    assert auth.login(lookalike).status_code == 302


def test_a_lookalike_inserted_behind_the_forms_back_still_collides(app, alice):
    with app.app_context():
        db.session.add(
            User(username="alice", display_name="x", password_hash=generate_password_hash("x"))
        )
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


# --- the proxy in front ---------------------------------------------------------------


def make_app_like(app, **settings):
    keys = ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "TESTING", "LOGIN_RATE_LIMIT")
    return create_app(
        {key: app.config[key] for key in keys} | {"WTF_CSRF_ENABLED": False} | settings
    )


def test_without_a_trusted_proxy_a_forged_x_forwarded_for_does_not_escape_the_limit(
    app, auth, alice
):
    fail(auth, times=LIMIT)
    forged = auth._client.post(
        "/auth/login",
        data={"username": "alice", "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.9"},
    )
    assert forged.status_code == 429


def test_behind_one_trusted_proxy_each_client_address_counts_apart(app, alice):
    proxied = make_app_like(app, TRUSTED_PROXIES=1)
    client = proxied.test_client()
    for _ in range(LIMIT):
        client.post(
            "/auth/login",
            data={"username": "alice", "password": "wrong password!"},
            headers={"X-Forwarded-For": "198.51.100.1"},
        )
    blocked = client.post(
        "/auth/login",
        data={"username": "alice", "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.1"},
    )
    other = client.post(
        "/auth/login",
        data={"username": "alice", "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.2"},
    )
    assert (blocked.status_code, other.status_code) == (429, 302)
    with proxied.app_context():
        db.session.remove()
        db.engine.dispose()


def test_behind_a_tls_proxy_links_are_https_and_cookies_secure(app, alice):
    proxied = make_app_like(
        app, TRUSTED_PROXIES=1, HTTPS=True, TRUSTED_HOSTS=["quiz.example.org", "127.0.0.1"]
    )
    client = proxied.test_client()
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "quiz.example.org"}
    response = client.post(
        "/auth/login",
        data={"username": "alice", "password": PASSWORD},
        headers=headers,
        base_url="http://127.0.0.1:8000",
    )
    assert response.status_code == 302
    assert all("Secure" in cookie for cookie in response.headers.getlist("Set-Cookie"))
    page = client.get("/auth/login", headers=headers, base_url="http://127.0.0.1:8000")
    assert page.status_code in (200, 302) and "Strict-Transport-Security" in page.headers
    assert not page.headers.get("Location", "").startswith("https://")  # already https
    plain = proxied.test_client().get(
        "/auth/login",
        base_url="http://127.0.0.1:8000",
        headers={"X-Forwarded-Host": "quiz.example.org"},
    )
    assert plain.headers["Location"].startswith("https://quiz.example.org/")
    with proxied.app_context():
        db.session.remove()
        db.engine.dispose()


# --- passwords and new accounts -------------------------------------------------------


def change_password(client, current: str, new: str = "a whole new pass phrase"):
    return client.post(
        "/auth/password",
        data={"current_password": current, "new_password": new, "confirm": new},
    )


def test_wrong_current_passwords_are_throttled_as_failed_logins_are(app, client, auth, alice):
    auth.login("alice")
    tries = [change_password(client, "not my password").status_code for _ in range(LIMIT)]
    assert tries == [200] * LIMIT
    right = change_password(client, PASSWORD)
    assert right.status_code == 429
    with app.app_context():
        user = db.session.get(User, alice)
        assert user.check_password(PASSWORD)  # unchanged


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("12345678", "common password"),
        ("password", "common password"),
        ("        ", "Repeats"),
        ("qwertyuiop", "common password"),
    ],
)
def test_sign_up_refuses_common_and_trivial_passwords_saying_why(auth, password, why):
    response = auth.signup("newbie", password)
    assert response.status_code == 200
    assert "Choose a stronger password." in response.text and why in response.text


def test_a_password_made_of_the_learners_own_name_is_too_easy_to_guess(auth):
    response = auth.signup("katarzyna", "Katarzyna2026", display_name="Katarzyna")
    assert "Choose a stronger password." in response.text


def test_a_new_password_must_be_strong_too(client, auth, alice):
    auth.login("alice")
    response = change_password(client, PASSWORD, "password1")
    assert response.status_code == 200 and "Choose a stronger password." in response.text


def test_sign_ups_are_limited_per_client_address(app, auth):
    app.config["SIGNUP_RATE_LIMIT"] = "3 per hour"
    made = []
    for n in range(4):
        client = app.test_client()
        made.append(auth.on(client).signup(f"pupil{n}", display_name=f"Pupil {n}").status_code)
    assert made == [302, 302, 302, 429]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 3


def test_failed_sign_up_forms_do_not_use_up_the_limit(app, auth):
    app.config["SIGNUP_RATE_LIMIT"] = "1 per hour"
    assert auth.signup("pupil", "12345678").status_code == 200
    assert auth.signup("pupil").status_code == 302


# --- links and caches ---------------------------------------------------------------------


def test_a_request_for_an_untrusted_host_is_refused_and_builds_no_link(client):
    response = client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "evil.example" not in response.text


def test_the_join_link_names_the_configured_host(app, client, auth):
    app.config["TRUSTED_HOSTS"] = ["quiz.example.org"]
    teacher = auth.create("teo", role="teacher")
    with app.app_context():
        from quizapp.classrooms import rosters

        classroom = rosters.create_class(db.session.get(User, teacher), "History")
        db.session.commit()
        class_id = classroom.id
    site = "http://quiz.example.org"
    client.post("/auth/login", data={"username": "teo", "password": PASSWORD}, base_url=site)
    page = client.get(f"/teach/classes/{class_id}", base_url=site).text
    assert 'class="join-link" href="http://quiz.example.org/join/' in page
    forged = client.get(f"/teach/classes/{class_id}", headers={"Host": "evil.example"})
    assert forged.status_code == 400 and "evil.example/join" not in forged.text


@pytest.mark.parametrize("path", ["/", "/progress/", "/auth/login"])
def test_pages_are_never_stored_by_a_cache_but_static_files_may_be(client, auth, alice, path):
    auth.login("alice")
    assert client.get(path).headers["Cache-Control"] == "no-store"
    static = client.get("/static/quizapp.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
