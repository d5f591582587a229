"""flask banks convert --to xml: a bank file printed as Moodle XML; a Moodle XML file
printed as a bank file."""

from __future__ import annotations

from pathlib import Path

from quizapp.banks import load_bank
from quizapp.banks.moodle_xml import parse_moodle_xml
from quizapp.config import PROJECT_ROOT

CLOZE_FILE = Path(__file__).parent / "moodle_xml" / "cloze-gaps.xml"


def test_convert_to_xml_prints_a_bank_file_as_moodle_xml_that_imports_back(runner):
    people = PROJECT_ROOT / "questions" / "people.yaml"
    result = runner.invoke(args=["banks", "convert", str(people), "--to", "xml"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n')
    original = load_bank(people.read_bytes(), str(people), sources_dir=PROJECT_ROOT / "seeds")
    back = parse_moodle_xml(result.stdout.encode(), "people.xml", bank="people", title="People")
    assert [q["id"] for q in back.bank.questions] == [q["id"] for q in original.questions]
    assert back.skipped == []


def test_convert_to_xml_says_on_stderr_what_moodle_xml_loses(runner):
    people = PROJECT_ROOT / "questions" / "people.yaml"
    result = runner.invoke(args=["banks", "convert", str(people), "--to", "xml"])
    with_note = [
        q["id"]
        for q in load_bank(
            people.read_bytes(), str(people), sources_dir=PROJECT_ROOT / "seeds"
        ).questions
        if q.get("note")
    ]
    lines = result.stderr.splitlines()
    assert with_note and all(
        f"{people}: question {i}: its note is not in Moodle XML (quizapp's own)" in lines
        for i in with_note
    )


def test_a_bank_file_is_still_printed_as_gift_by_default(runner):
    result = runner.invoke(
        args=["banks", "convert", str(PROJECT_ROOT / "questions" / "people.yaml")]
    )
    assert result.exit_code == 0
    assert result.stdout.startswith("// ")


def test_convert_prints_a_moodle_xml_file_as_a_bank_file_with_its_skips_on_stderr(runner):
    result = runner.invoke(args=["banks", "convert", str(CLOZE_FILE)])
    assert result.exit_code == 0, result.output
    bank = load_bank(result.stdout.encode(), "converted.yaml", sources_dir=None)
    assert (bank.slug, bank.title) == ("cloze-gaps", "cloze gaps")
    assert [q["id"] for q in bank.questions][:2] == ["lublin", "layouts-and-case"]
    assert (
        f"{CLOZE_FILE}:45: question 'Several answers' skipped: gap 1 (MULTIRESPONSE) takes "
        "several answers; a quizapp gap takes one"
    ) in result.stderr.splitlines()


def test_a_broken_moodle_xml_file_is_reported_with_its_line_and_exits_1(runner, tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_text("<quiz>\n<question type='truefalse'>\n</quiz>\n")
    result = runner.invoke(args=["banks", "convert", str(broken)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == f"1 problem in {broken}; nothing was converted."
