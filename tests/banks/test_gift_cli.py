"""flask banks convert: a Moodle GIFT file printed as a bank file, and back."""

from __future__ import annotations

from pathlib import Path

from quizapp.banks import load_bank
from quizapp.banks.gift import parse_gift
from quizapp.config import PROJECT_ROOT

SAMPLES = Path(__file__).parent / "gift"


def test_convert_prints_a_gift_file_as_a_bank_file_that_loads(runner, tmp_path):
    gift = tmp_path / "Grant_quiz.gift"
    gift.write_text("::Tomb::Who's buried in Grant's tomb?{~Grant =no one}\n\nEssay {}\n")
    result = runner.invoke(args=["banks", "convert", str(gift)])
    assert result.exit_code == 0, result.output
    bank = load_bank(result.stdout.encode(), "converted.yaml", sources_dir=None)
    assert (bank.slug, bank.title) == ("grant-quiz", "Grant quiz")
    assert [q["id"] for q in bank.questions] == ["tomb"]
    assert result.stderr == (f"{gift}:3: essay 'Essay' skipped: quizapp has no essay questions\n")


def test_convert_takes_the_banks_slug_and_title(runner):
    gift = SAMPLES / "moodle-docs" / "quick-reference.gift"
    result = runner.invoke(
        args=["banks", "convert", str(gift), "--bank", "docs", "--title", "Docs"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("bank: docs\ntitle: Docs\nquestions:\n- id: q1\n")


def test_convert_prints_warnings_to_stderr_as_file_line_message(runner):
    gift = SAMPLES / "tsugi" / "example_matching.gift"
    result = runner.invoke(args=["banks", "convert", str(gift)])
    assert result.exit_code == 0
    assert result.stderr == (
        f"{gift}:5: warning: '#' in a matching answer is text in Moodle: matching has no feedback\n"
    )


def test_convert_reports_every_error_with_its_line_and_exits_1(runner, tmp_path):
    gift = tmp_path / "broken.gift"
    gift.write_text("One {=a\n\nTwo {#five}\n\nThree {T}\n")
    result = runner.invoke(args=["banks", "convert", str(gift)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{gift}:1: broken: '{{' without a '}}': write \\{{ for a literal brace",
        f"{gift}:3: broken: numerical answer 'five' is not a number "
        "(write 1.5, not 1,5, and no unit)",
        f"2 problems in {gift}; nothing was converted.",
    ]


def test_convert_refuses_a_file_that_is_not_utf8(runner, tmp_path):
    gift = tmp_path / "latin.gift"
    gift.write_bytes("Café? {T}".encode("latin-1"))
    result = runner.invoke(args=["banks", "convert", str(gift)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{gift}:1: latin: file must be UTF-8 (byte 0xE9")


def test_convert_prints_a_bank_file_as_gift_that_imports_back(runner):
    result = runner.invoke(
        args=["banks", "convert", str(PROJECT_ROOT / "questions" / "people.yaml")]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("// ")
    back = parse_gift(result.stdout.encode(), "people.gift", bank="people", title="People")
    assert len(back.bank.questions) > 40 and back.warnings == [] and back.skipped == []
