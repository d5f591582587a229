"""Accounts for learners and teachers: the `auth` blueprint and the login manager."""

from quizapp.auth.accounts import load_user
from quizapp.auth.views import bp
from quizapp.extensions import login_manager

login_manager.user_loader(load_user)
login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to see that page."
login_manager.login_message_category = "info"

__all__ = ["bp"]
