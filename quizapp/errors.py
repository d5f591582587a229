"""Error pages: a friendly page for every HTTP error, never a stack trace."""

from __future__ import annotations

from flask import Flask, current_app, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from quizapp.extensions import db

#: Codes with a page of their own in templates/errors/; others use the shared layout.
PAGES = frozenset({400, 403, 404, 413, 429, 500})

CSRF_MESSAGE = (
    "This form has expired or did not come from this site, so nothing was saved. "
    "Go back, reload the page and try again."
)

FALLBACK_500 = (
    "<!doctype html><html lang='en'><meta charset='utf-8'><title>Something went wrong</title>"
    "<h1>Something went wrong</h1><p>Please try again in a moment.</p></html>"
)


def render_error(error: HTTPException, message: str | None = None, heading: str | None = None):
    """Render error's page, keeping the headers it carries (Allow, Retry-After...)."""
    if message is None and error.description != type(error).description:
        message = error.description  # a message given to abort(), meant for the reader
    template = f"errors/{error.code}.html" if error.code in PAGES else "errors/_page.html"
    response = error.get_response()
    response.set_data(render_template(template, error=error, message=message, heading=heading))
    return response


UNKNOWN_HOST = (
    "<!doctype html><html lang='en'><meta charset='utf-8'><title>Unknown site</title>"
    "<h1>Unknown site</h1><p>This server does not serve the site named in the request.</p></html>"
)


def unknown_host(error: SecurityError):
    """Answer a request for a host not in TRUSTED_HOSTS: a plain page, as no URL of this
    site can be built for it (and none is built from the name it gave)."""
    current_app.logger.warning("refused a request: %s (see TRUSTED_HOSTS)", error.description)
    return UNKNOWN_HOST, 400, {"Content-Type": "text/html; charset=utf-8"}


def http_error(error: HTTPException):
    if error.code is None or error.response is not None:
        return error
    return render_error(error)


def csrf_error(error: CSRFError):
    return render_error(error, message=CSRF_MESSAGE, heading="This form has expired")


def server_error(error: InternalServerError):
    # Flask has logged the exception already; whatever the request half-wrote goes.
    try:
        db.session.rollback()
        return render_error(error)
    except Exception:
        current_app.logger.exception("The error page itself failed")
        return FALLBACK_500, 500


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(SecurityError, unknown_host)
    app.register_error_handler(InternalServerError, server_error)
    app.register_error_handler(HTTPException, http_error)
