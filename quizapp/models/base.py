"""What every table shares: the time every column stores, tokens."""

from __future__ import annotations

import datetime as dt
import secrets


def utcnow() -> dt.datetime:
    """Return the current time in UTC, naive, as every column stores it."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_token() -> str:
    return secrets.token_urlsafe(16)


#: Answers that arrive this long after a timed attempt's deadline still count: the
#: page's own countdown submits at zero, and the request needs a moment to travel.
DEADLINE_GRACE = dt.timedelta(seconds=10)
