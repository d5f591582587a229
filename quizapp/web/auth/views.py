"""Sign up, log in, log out and change password."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from flask_login.config import COOKIE_NAME

from quizapp import rate_limits
from quizapp.accounts import (
    UsernameTaken,
    authenticate,
    claim_guest_attempts,
    create_user,
    guest_key,
)
from quizapp.extensions import db
from quizapp.models import User
from quizapp.web.auth.forms import ChangePasswordForm, LoginForm, SignupForm

bp = Blueprint("auth", __name__, url_prefix="/auth")

LOGIN_FAILED = "That username and password do not match an account. Check them and try again."


def is_safe_next(url: str | None) -> bool:
    """Return whether url is a path on this site, safe to go to after logging in.

    Only a single leading slash is a path: `//host` and `/\\host` are other sites to a
    browser, and browsers drop tabs and newlines before parsing, so any whitespace or
    control character is refused too.
    """
    if not url or len(url) > 2_000:
        return False
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        return False
    if any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in url):
        return False
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


def safe_next() -> str | None:
    """Return the request's next= when it is safe to follow, else None."""
    target = request.args.get("next")
    return target if is_safe_next(target) else None


def has_remember_cookie() -> bool:
    return current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies


def start_session(user: User, remember: bool = False) -> int:
    """Log the user in with a fresh session; return how many visitor attempts were kept.

    Clearing the session first means nothing planted before login (a fixed session, an
    old CSRF token) survives it; only the visitor's guest key is read out first, so that
    the quiz they just took becomes theirs.
    """
    key = guest_key()
    had_remember_cookie = has_remember_cookie()
    session.clear()
    login_user(user, remember=remember)
    if had_remember_cookie and not remember:
        session["_remember"] = "clear"  # Flask-Login then deletes the old cookie.
    return claim_guest_attempts(user, key)


@bp.app_context_processor
def navigation() -> dict:
    def has_endpoint(endpoint: str) -> bool:
        """Let the nav link to blueprints that may not be registered (yet)."""
        return endpoint in current_app.view_functions

    def login_next() -> str | None:
        """Bring someone who logs in from a page back to that page."""
        endpoint = request.endpoint or ""
        if request.method != "GET" or not endpoint or endpoint.startswith("auth."):
            return None
        path = request.full_path if request.query_string else request.path
        return path if path != "/" and is_safe_next(path) else None

    return {"has_endpoint": has_endpoint, "login_next": login_next}


@bp.route("/signup", methods=["GET", "POST"])
@rate_limits.new_accounts
def signup():
    if current_user.is_authenticated:
        return redirect(safe_next() or url_for("home.index"))
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = create_user(
                form.username.data,
                form.display_name.data,
                form.password.data,
                email=form.email.data,
            )
        except UsernameTaken:
            # Someone else took it between the form's check and the insert.
            form.username.errors.append("That username is taken. Choose another.")
        else:
            rate_limits.charge()
            kept = start_session(user)
            db.session.commit()
            flash(f"Welcome, {user.display_name}! Your account is ready.", "success")
            if kept:
                flash("The quiz you took before signing up is saved in your account.", "success")
            return redirect(safe_next() or url_for("home.index"))
    return render_template("auth/signup.html", form=form, next=safe_next())


@bp.route("/login", methods=["GET", "POST"])
@rate_limits.failed_logins
def login():
    if current_user.is_authenticated:
        return redirect(safe_next() or url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is None:
            rate_limits.charge()
            form.form_errors.append(LOGIN_FAILED)
        else:
            kept = start_session(user, remember=form.remember.data)
            db.session.commit()
            flash(f"Welcome back, {user.display_name}.", "success")
            if kept:
                flash("The quiz you took before logging in is saved in your account.", "success")
            return redirect(safe_next() or url_for("home.index"))
    return render_template("auth/login.html", form=form, next=safe_next())


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        # A copy of the old session or remember cookie replayed later finds a stale token.
        current_user._get_current_object().sign_out_everywhere()
        db.session.commit()
    session.clear()
    logout_user()
    flash("You have logged out.", "info")
    return redirect(url_for("home.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
@rate_limits.failed_passwords
def change_password():
    form = ChangePasswordForm()
    form.own_words = (current_user.username, current_user.display_name)
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not user.check_password(form.current_password.data):
            rate_limits.charge()
            form.current_password.errors.append("That is not your current password.")
        else:
            user.set_password(form.new_password.data)
            db.session.commit()
            # Every other device is signed out by the new token; this one logs in again.
            login_user(user, remember=has_remember_cookie())
            flash("Your password is changed. Other devices have been logged out.", "success")
            return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form)
