"""flask users create: accounts for teachers (and learners) from the command line."""

from __future__ import annotations

from quizapp.accounts import authenticate
from quizapp.extensions import db
from quizapp.models import User

PASSWORD = "correct horse battery"


def user(app, username: str) -> User | None:
    with app.app_context():
        return db.session.scalar(db.select(User).where(User.username == username))


def test_creating_a_teacher_asks_for_a_name_and_a_hidden_confirmed_password(app, runner):
    result = runner.invoke(
        args=["users", "create", "--teacher", "Tom"],
        input=f"Tom Teacher\n{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    teacher = user(app, "tom")
    assert teacher.role == "teacher"
    assert teacher.display_name == "Tom Teacher"
    assert teacher.password_hash.startswith("scrypt:")
    with app.app_context():
        assert authenticate("tom", PASSWORD) is not None


def test_the_display_name_defaults_to_the_username(app, runner):
    result = runner.invoke(args=["users", "create", "lena"], input=f"\n{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    learner = user(app, "lena")
    assert (learner.display_name, learner.role) == ("lena", "learner")


def test_a_short_password_is_asked_for_again(app, runner):
    result = runner.invoke(
        args=["users", "create", "lena"], input=f"Lena\nshort\nshort\n{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert "8 to 1,000 characters" in result.output
    assert user(app, "lena") is not None


def test_a_script_can_pass_the_password_on_stdin(app, runner):
    result = runner.invoke(
        args=["users", "create", "--teacher", "--password-stdin", "tom"], input=f"{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert user(app, "tom").role == "teacher"
    with app.app_context():
        assert authenticate("tom", PASSWORD) is not None


def test_an_existing_username_in_any_spelling_is_refused_with_exit_code_1(app, runner):
    runner.invoke(args=["users", "create", "--password-stdin", "tom"], input=f"{PASSWORD}\n")
    result = runner.invoke(
        args=["users", "create", "--teacher", "--password-stdin", "ＴＯＭ"], input=f"{PASSWORD}\n"
    )
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert user(app, "tom").role == "learner"


def test_an_invalid_username_is_refused_with_exit_code_1(app, runner):
    result = runner.invoke(
        args=["users", "create", "--password-stdin", "no spaces"], input=f"{PASSWORD}\n"
    )
    assert result.exit_code == 1
    assert "Use only letters" in result.output


def test_users_create_refuses_a_password_too_easy_to_guess(runner):
    result = runner.invoke(
        args=["users", "create", "tess", "--teacher", "--password-stdin"], input="password1\n"
    )
    assert result.exit_code != 0
    assert "Choose a stronger password." in result.output
