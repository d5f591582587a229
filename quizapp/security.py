"""HTTP hardening: security headers, HTTPS, the proxy in front, and login throttling.

- Every response carries a Content-Security-Policy that allows scripts, styles and
  images from this site only (no inline script, no `style=` attribute, no framing),
  `X-Content-Type-Options: nosniff`, a referrer policy and `X-Frame-Options` (Flask-Talisman).
- `HTTPS = True` (behind a TLS proxy or not) marks the session and remember-me cookies
  `Secure`, sends HSTS and redirects plain HTTP to HTTPS.
- `TRUSTED_PROXIES = n` trusts the X-Forwarded-For/-Proto/-Host/-Port headers set by
  the n reverse proxies in front of the app (Werkzeug's ProxyFix): client addresses and
  https:// URLs are then the real ones. Never set it without such a proxy: a client
  could then claim any address.
- Text with a NUL character that reaches PostgreSQL (which cannot store one) gets a
  400 page instead of a 500; forms refuse control characters before that anyway.
- Failed logins are throttled per username and client address (Flask-Limiter): past
  LOGIN_RATE_LIMIT, even the right password gets 429 until the window ends. Only
  failures count, and an unknown username counts exactly like a wrong password.
- Wrong class codes are throttled per learner: past JOIN_RATE_LIMIT a minute, typed in
  the join form or opened as a join link, every join page gets 429 until the window
  ends, so that codes cannot be found by trying them one after another.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user
from flask_talisman import Talisman
from sqlalchemy.exc import DataError
from werkzeug.exceptions import BadRequest
from werkzeug.middleware.proxy_fix import ProxyFix

from quizapp import throttle
from quizapp.auth.accounts import normalise_username
from quizapp.auth.forms import USERNAME_INPUT_MAX
from quizapp.errors import render_error
from quizapp.extensions import db

#: The policy every page is served with: this site's own files and nothing inline.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
#: Links to other sites (the source article) tell them nothing of the page they came from.
REFERRER_POLICY = "same-origin"
LOGIN_ENDPOINT = "auth.login"
#: The pages that look a class up by its code: the form, and a join link's two pages.
JOIN_ENDPOINTS = ("classes.join", "classes.confirm_join", "classes.join_by_link")


def init_app(app: Flask) -> None:
    """Apply the proxy, cookie, header and throttling settings to a built app."""
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    https = bool(app.config.get("HTTPS"))
    if https:
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"
    Talisman(
        app,
        force_https=https,
        strict_transport_security=https,
        session_cookie_secure=https,
        session_cookie_http_only=True,
        session_cookie_samesite=app.config.get("SESSION_COOKIE_SAMESITE", "Lax"),
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy=REFERRER_POLICY,
        frame_options="DENY",
        x_content_type_options=True,
    )
    app.register_error_handler(DataError, refuse_nul_character)
    app.after_request(never_stored)
    limiter = _limiter(app)
    _throttle_logins(app, limiter)
    _throttle_class_codes(app, limiter)


def never_stored(response):
    """Keep every page out of shared and browser caches (results, progress, gradebooks and
    attempts are private, and a page read from a cache after logging out would show them);
    the static files, the same for everyone, are cached as usual."""
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response


NUL_MESSAGE = "A NUL character cannot be stored: remove it from what you typed and try again."


def refuse_nul_character(error: DataError):
    """Answer 400 when PostgreSQL refused text with a NUL character; other errors stay 500."""
    if "NUL" not in str(error.orig):
        raise error
    db.session.rollback()
    return render_error(BadRequest(NUL_MESSAGE))


def login_key() -> str:
    """Key failed logins by client address and username, spelled as the login reads it."""
    typed = request.form.get("username", "")[: USERNAME_INPUT_MAX + 1].replace("\x00", "")
    return f"{get_remote_address()}|{normalise_username(typed)}"


def _is_failed_login(response) -> bool:
    # A failed login shows the form again (200); a successful one redirects.
    return response.status_code == 200


def join_key() -> str:
    """Key wrong class codes by learner (join pages need a signed-in learner)."""
    return f"join|{current_user.get_id()}"


def _is_unknown_code(response) -> bool:
    # An unknown code re-renders the form (422) or is not found (404, a join link).
    return response.status_code in (404, 422)


def _limiter(app: Flask) -> Limiter:
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = default_storage_uri(app)
    return Limiter(get_remote_address, app=app, default_limits=[])


def _throttle_class_codes(app: Flask, limiter: Limiter) -> None:
    limit = limiter.shared_limit(
        lambda: app.config["JOIN_RATE_LIMIT"],
        scope="join",
        key_func=join_key,
        deduct_when=_is_unknown_code,
    )
    for endpoint in JOIN_ENDPOINTS:
        app.view_functions[endpoint] = limit(app.view_functions[endpoint])


def _throttle_logins(app: Flask, limiter: Limiter) -> None:
    limit = limiter.limit(
        lambda: app.config["LOGIN_RATE_LIMIT"],
        key_func=login_key,
        methods=["POST"],
        deduct_when=_is_failed_login,
    )
    # Flask-Limiter checks a view's limits in a wrapper around it.
    app.view_functions[LOGIN_ENDPOINT] = limit(app.view_functions[LOGIN_ENDPOINT])


def default_storage_uri(app: Flask) -> str:
    """Return where the counters live: beside a SQLite database, or in the server database."""
    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() != "sqlite":
        return throttle.SCHEME_PREFIX + url.render_as_string(hide_password=False)
    if not url.database or url.database == ":memory:":
        return "memory://"  # a database in memory has one process anyway
    database = Path(url.database)
    return (
        f"{throttle.SCHEME_PREFIX}sqlite:///{database.with_name(database.stem + '-limits.sqlite')}"
    )
