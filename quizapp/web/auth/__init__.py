"""Sign up, log in, log out and change password: the `auth` blueprint."""

from quizapp.web.auth.views import bp

__all__ = ["bp"]
