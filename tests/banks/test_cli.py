"""flask banks check and flask banks load, through the app's CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Bank, Question

DATA = Path(__file__).parent / "data"
GOOD = DATA / "good"
THREE_MISTAKES = DATA / "bad" / "three-mistakes.yaml"


@pytest.fixture
def app(app):
    """The shared app, reading sources from the test data and banks from a folder of its own."""
    app.config["SEEDS_DIR"] = str(DATA / "sources")
    app.config["QUESTIONS_DIR"] = str(GOOD)
    return app


def banks_in_database(app) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(
            select(Bank.slug, func.count(Question.id)).outerjoin(Question).group_by(Bank.slug)
        )
        return dict(rows.all())


def test_check_counts_the_questions_per_bank_and_type(runner):
    result = runner.invoke(args=["banks", "check"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "bank", "choice", "multi", "truefalse", "text", "number", "date", "order", "match",
        "cloze", "total",
    ]  # fmt: skip
    assert [line.split() for line in lines[1:]] == [
        ["grand-duchy-short", "1", "0", "0", "0", "0", "1", "0", "0", "0", "2"],
        ["grand-duchy", "1", "1", "1", "1", "1", "1", "1", "1", "0", "8"],
        ["total", "2", "1", "1", "1", "1", "2", "1", "1", "0", "10"],
    ]
    # Aligned: every column ends at the same place on every line.
    assert len({len(line) for line in lines}) == 1


def test_check_reports_every_issue_as_file_line_and_exits_1(runner, tmp_path):
    shutil.copy(THREE_MISTAKES, tmp_path)
    (tmp_path / "hostile.yaml").write_text("bank: x\nquestions: &a [*a]\n")
    result = runner.invoke(args=["banks", "check", str(tmp_path)])
    assert result.exit_code == 1
    issues = result.stderr.splitlines()
    assert [line.split(": ")[0] for line in issues[:-1]] == [
        f"{tmp_path / 'hostile.yaml'}:2",
        f"{tmp_path / 'three-mistakes.yaml'}:8",
        f"{tmp_path / 'three-mistakes.yaml'}:15",
        f"{tmp_path / 'three-mistakes.yaml'}:22",
    ]
    assert issues[-1] == "4 problems in 2 files; nothing was loaded."
    assert result.stdout == ""


def test_check_with_no_bank_files_fails(runner, tmp_path):
    result = runner.invoke(args=["banks", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert "No bank files" in result.output


def test_load_creates_the_tables_and_prints_what_was_added(app, runner):
    with app.app_context():
        db.drop_all()
    result = runner.invoke(args=["banks", "load"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "grand-duchy-short: 2 added (end-of-the-grand-duchy, psalter-city), 0 changed, "
        "0 retired, 0 restored, 0 unchanged",
        "grand-duchy: 8 added, 0 changed, 0 retired, 0 restored, 0 unchanged",
    ]
    assert banks_in_database(app) == {"grand-duchy": 8, "grand-duchy-short": 2}


def test_load_prints_what_changed_and_what_was_retired(app, runner, tmp_path):
    bank = tmp_path / "grand-duchy.yaml"
    shutil.copy(GOOD / "grand-duchy.yaml", bank)
    runner.invoke(args=["banks", "load", str(bank)])
    text = bank.read_text()
    text = text.replace("Who printed a Psalter", "Who printed the Psalter")
    text = text[: text.index("  - id: year-of-event")]
    bank.write_text(text)
    result = runner.invoke(args=["banks", "load", str(bank)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "grand-duchy: 0 added, 1 changed (psalter-printer), 1 retired (year-of-event), "
        "0 restored, 6 unchanged\n"
    )


def test_load_loads_nothing_when_any_file_has_an_error(app, runner, tmp_path):
    shutil.copy(GOOD / "grand-duchy.yaml", tmp_path)
    shutil.copy(THREE_MISTAKES, tmp_path)
    result = runner.invoke(args=["banks", "load", str(tmp_path)])
    assert result.exit_code == 1
    assert banks_in_database(app) == {}


def test_the_three_mistakes_file_is_refused_with_three_precise_messages_and_not_loaded(app, runner):
    result = runner.invoke(args=["banks", "load", str(THREE_MISTAKES)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{THREE_MISTAKES}:8: three-mistakes/lublin-union-year: "
        "unknown field 'anwser' (did you mean 'answer'?)",
        f"{THREE_MISTAKES}:15: three-mistakes/vilnius-first-mentioned: "
        "answer 'Jogaila' is not one of the options",
        f"{THREE_MISTAKES}:22: three-mistakes/psalter-printer: quote not found in source "
        "'grand-duchy': \"Francysk Skaryna printed his Bible in Vilnius in 1517\"",
        "3 problems in 1 file; nothing was loaded.",
    ]
    assert banks_in_database(app) == {}


def test_check_takes_the_source_documents_from_another_folder(app, runner, tmp_path):
    app.config["SEEDS_DIR"] = str(tmp_path)
    assert runner.invoke(args=["banks", "check"]).exit_code == 1
    result = runner.invoke(args=["banks", "check", "--sources", str(DATA / "sources")])
    assert result.exit_code == 0, result.output
