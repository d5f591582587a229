"""Rate limits, each a decorator on the views it guards (Flask-Limiter).

The counts live in a table every worker shares (see `throttle`). Some limits count
every request they guard; others count only the requests a view says so of, with
`charge()`: a failed login, a wrong current password, an unknown class code, a new
account. Past a limit, the guarded pages answer 429 until its window ends.

- `failed_logins`: per client address and username (LOGIN_RATE_LIMIT); even the right
  password gets 429 then, and an unknown username counts as a wrong password.
- `failed_passwords`: wrong current passwords on the change-password form, per account
  (LOGIN_RATE_LIMIT): a stolen session cannot try passwords faster than a login can.
- `new_accounts`: accounts made per client address (SIGNUP_RATE_LIMIT).
- `class_codes`: unknown class codes, per learner (JOIN_RATE_LIMIT) and per client
  address (JOIN_ADDRESS_RATE_LIMIT), so that new accounts do not buy new tries.
- `visitor_quizzes`: quizzes started by visitors without an account, per client address
  (VISITOR_QUIZ_RATE_LIMIT); signed-in learners are not limited.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, g, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from quizapp.extensions import limiter

#: Enough of a typed username to key its failures by (longer input is refused unread).
_USERNAME_KEPT = 160


def charge() -> None:
    """Count this request against the limits of its view that count only some requests."""
    g.rate_limit_charged = True


def _charged(_response) -> bool:
    return bool(g.get("rate_limit_charged"))


def _setting(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def login_key() -> str:
    """Key failed logins by client address and username, spelled as the login reads it."""
    from quizapp.accounts import normalise_username

    typed = request.form.get("username", "")[:_USERNAME_KEPT].replace("\x00", "")
    return f"{get_remote_address()}|{normalise_username(typed)}"


def _account_key() -> str:
    return f"account|{current_user.get_id()}"


failed_logins = limiter.limit(
    _setting("LOGIN_RATE_LIMIT"), key_func=login_key, methods=["POST"], deduct_when=_charged
)
failed_passwords = limiter.limit(
    _setting("LOGIN_RATE_LIMIT"), key_func=_account_key, methods=["POST"], deduct_when=_charged
)
new_accounts = limiter.limit(
    _setting("SIGNUP_RATE_LIMIT"),
    key_func=get_remote_address,
    methods=["POST"],
    deduct_when=_charged,
)
_codes_per_learner = limiter.shared_limit(
    _setting("JOIN_RATE_LIMIT"), scope="join", key_func=_account_key, deduct_when=_charged
)
_codes_per_address = limiter.shared_limit(
    _setting("JOIN_ADDRESS_RATE_LIMIT"),
    scope="join-address",
    key_func=get_remote_address,
    deduct_when=_charged,
)
visitor_quizzes = limiter.shared_limit(
    _setting("VISITOR_QUIZ_RATE_LIMIT"),
    scope="visitor-quizzes",
    key_func=get_remote_address,
    methods=["POST"],
    exempt_when=lambda: current_user.is_authenticated,
)


def class_codes(view: Callable) -> Callable:
    """Both limits on unknown class codes: per learner and per client address."""
    return _codes_per_learner(_codes_per_address(view))
