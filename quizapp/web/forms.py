"""What every blueprint's forms share."""

from __future__ import annotations

from flask_wtf import FlaskForm


class ButtonForm(FlaskForm):
    """A button that changes something: the CSRF token is all it carries."""
