"""The account forms: sign up, log in, change password."""

from __future__ import annotations

import re
import unicodedata

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from quizapp.accounts import (
    PASSWORD_MAX,
    PASSWORD_MIN,
    USERNAME_MAX,
    find_user,
    normalise_username,
    username_problem,
    weak_password_reason,
)

#: Enough for any real username with stray spaces; longer input is refused unread.
USERNAME_INPUT_MAX = 4 * USERNAME_MAX
# A light check only: the address is optional and nothing is ever sent to it.
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def password_length() -> Length:
    # Refused here, before any hashing: scrypt on a megabyte would tie up a worker.
    return Length(
        min=PASSWORD_MIN,
        max=PASSWORD_MAX,
        message=f"A password has {PASSWORD_MIN} to {PASSWORD_MAX:,} characters.",
    )


def password_max() -> Length:
    return Length(max=PASSWORD_MAX, message=f"A password has at most {PASSWORD_MAX:,} characters.")


# Bidi overrides and isolates can make a name display as something else; other format
# characters (the zero-width non-joiner of Persian, emoji joiners) are real spelling.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def no_control_characters(form: FlaskForm, field: StringField) -> None:
    text = field.data or ""
    if any(unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS for ch in text):
        raise ValidationError("Use only printable characters.")


class SignupForm(FlaskForm):
    display_name = StringField(
        "Your name",
        validators=[DataRequired(), Length(max=80), no_control_characters],
        filters=[strip],
        render_kw={"autocomplete": "name"},
    )
    username = StringField(
        "Username",
        validators=[InputRequired()],
        render_kw={
            "autocomplete": "username",
            "autocapitalize": "none",
            "spellcheck": "false",
            "maxlength": USERNAME_INPUT_MAX,
        },
    )
    email = EmailField(
        "Email (optional)",
        validators=[
            Optional(),
            Length(max=254),
            Regexp(EMAIL_PATTERN, message="That does not look like an email address."),
        ],
        filters=[strip],
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired(), password_length()],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Type the password again",
        validators=[InputRequired(), EqualTo("password", message="The passwords do not match.")],
        render_kw={"autocomplete": "new-password"},
    )

    def validate_username(self, field: StringField) -> None:
        if len(field.data) > USERNAME_INPUT_MAX:
            raise ValidationError(f"A username has at most {USERNAME_MAX} characters.")
        username = normalise_username(field.data)
        if problem := username_problem(username):
            raise ValidationError(problem)
        if find_user(username) is not None:
            raise ValidationError(
                f"The username “{username}” is taken. Choose another, or log in if it is yours."
            )

    def validate_password(self, field: PasswordField) -> None:
        name = self.username.data or ""
        if len(name) > USERNAME_INPUT_MAX:
            return  # the username's own check says so
        if field.data.casefold() == normalise_username(name):
            raise ValidationError("Choose a password that is not your username.")
        own_words = (name, self.display_name.data or "", self.email.data or "")
        if reason := weak_password_reason(field.data, *own_words):
            raise ValidationError(f"Choose a stronger password. {reason}")


class LoginForm(FlaskForm):
    username = StringField(
        "Username",
        validators=[InputRequired(), Length(max=USERNAME_INPUT_MAX)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired(), password_max()],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Keep me logged in on this device")


class ChangePasswordForm(FlaskForm):
    #: The account's own words (username, name), which a password should not lean on.
    own_words: tuple[str, ...] = ()

    current_password = PasswordField(
        "Current password",
        validators=[InputRequired(), password_max()],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        "New password",
        validators=[InputRequired(), password_length()],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Type the new password again",
        validators=[
            InputRequired(),
            EqualTo("new_password", message="The passwords do not match."),
        ],
        render_kw={"autocomplete": "new-password"},
    )

    def validate_new_password(self, field: PasswordField) -> None:
        if reason := weak_password_reason(field.data, *self.own_words):
            raise ValidationError(f"Choose a stronger password. {reason}")
