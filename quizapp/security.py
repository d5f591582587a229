"""HTTP hardening: security headers, HTTPS, the proxy in front, and where rate limits count.

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
- The rate limits themselves are decorators on the views they guard
  (quizapp.rate_limits); their counts are kept where RATELIMIT_STORAGE_URI says.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, request
from flask_talisman import Talisman
from sqlalchemy.exc import DataError
from werkzeug.exceptions import BadRequest
from werkzeug.middleware.proxy_fix import ProxyFix

from quizapp import throttle
from quizapp.errors import render_error
from quizapp.extensions import db, limiter

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
    _init_limiter(app)


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


def _init_limiter(app: Flask) -> None:
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = default_storage_uri(app)
    # Said for every app: Flask-Limiter would otherwise carry one app's choice to the next
    # app made in the same process (tests make many).
    app.config.setdefault("RATELIMIT_ENABLED", True)
    limiter.init_app(app)


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
