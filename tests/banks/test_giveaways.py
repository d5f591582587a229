"""Finding questions that give each other's answers away, and the declarations that
keep such pairs out of one quiz (`excludes`, `family`)."""

from __future__ import annotations

import pytest
import yaml

from quizapp.banks import BankError, load_bank, load_bank_files
from quizapp.banks.giveaways import find_giveaways


def bank(slug: str, *questions: dict) -> bytes:
    data = {"bank": slug, "title": slug.title(), "questions": list(questions)}
    return yaml.safe_dump(data, sort_keys=False)


def load(slug: str, *questions: dict):
    return load_bank(bank(slug, *questions).encode(), f"{slug}.yaml", sources_dir=None)


def choice(qid: str, prompt: str, answer: str, *others: str, **extra) -> dict:
    return {"id": qid, "type": "choice", "prompt": prompt, "options": [answer, *others],
            "answer": answer, **extra}  # fmt: skip


def text(qid: str, prompt: str, answer: str, **extra) -> dict:
    return {"id": qid, "type": "text", "prompt": prompt, "answer": answer, **extra}


def found(*banks) -> set[tuple[str, str]]:
    return {(g.question, g.shown_by) for g in find_giveaways(list(banks))}


CAPITAL = text("capital", "Which city is the capital of Lithuania?", "Vilnius")


def test_a_text_answer_shown_in_another_prompt_is_a_giveaway():
    other = text("closest", "Vilnius is the closest EU capital to which city?", "Minsk")
    assert found(load("geo", CAPITAL, other)) == {("geo/capital", "geo/closest")}


def test_an_answer_shown_among_another_questions_options_is_a_giveaway_across_banks():
    shopping = choice("shops", "Where do Lithuanians shop?", "Grodno", "Vilnius", "Kaunas")
    assert ("geo/capital", "trade/shops") in found(load("geo", CAPITAL), load("trade", shopping))


def test_accents_case_and_punctuation_do_not_hide_a_giveaway():
    who = text("who", "Who visited Minsk in 2010?", "Dalia Grybauskaitė")
    shown = text("other", "What did DALIA GRYBAUSKAITE say?", "Nothing")
    assert ("b/who", "b/other") in found(load("b", who, shown))


def test_a_word_inside_another_word_is_not_a_giveaway():
    short = text("river", "Which river flows through Kaunas?", "Neris")
    other = text("other", "Who wrote of the Nerisians?", "Nobody")
    assert found(load("b", short, other)) == set()


def test_a_date_is_found_in_any_common_form_at_the_precision_asked():
    asked = {"id": "when", "type": "date", "prompt": "When was the incident?",
             "answer": "2021-05-23"}  # fmt: skip
    said = {"id": "ban", "type": "truefalse", "prompt": "On May 23, 2021 flights were banned.",
            "answer": False}  # fmt: skip
    year_only = {"id": "year", "type": "truefalse", "prompt": "It was in 2021.", "answer": True}
    assert found(load("b", asked, said, year_only)) == {("b/when", "b/ban")}


def test_a_number_is_found_with_or_without_thousands_separators():
    asked = {"id": "pushed", "type": "number", "prompt": "How many were pushed back?",
             "answer": 13000}  # fmt: skip
    said = text("when", "When had 13,000 people been pushed back?", "By August 2022")
    assert ("b/pushed", "b/when") in found(load("b", asked, said))


def test_a_small_number_alone_is_no_clue_but_with_its_unit_it_is():
    asked = {"id": "days", "type": "number", "prompt": "How many days later?", "answer": 7,
             "unit": "days"}  # fmt: skip
    dated = text("decided", "What was decided on 7 February 2019?", "A violation")
    said = text("apart", "What came 7 days later?", "Recognition")
    assert found(load("b", asked, dated, said)) == {("b/days", "b/apart")}


def test_a_match_pair_is_given_away_when_both_sides_are_shown_together():
    match = {
        "id": "who-did",
        "type": "match",
        "prompt": "Match the people to their deeds.",
        "pairs": {"Stalin": "ordered transfers", "Ponomarenko": "reported the talk"},
    }
    both = text("who", "Stalin ordered transfers of what?", "Territories")
    one = text("one", "Where was Stalin born?", "Gori")
    assert found(load("b", match, both, one)) == {("b/who-did", "b/who")}


def test_excludes_declares_a_giveaway_in_either_direction_and_across_banks():
    other = text("closest", "Vilnius is the closest EU capital to which city?", "Minsk",
                 excludes=["geo/capital"])  # fmt: skip
    assert found(load("geo", CAPITAL), load("trips", other)) == set()
    declared = {**CAPITAL, "excludes": ["trips/closest"]}
    undeclared_other = {k: v for k, v in other.items() if k != "excludes"}
    assert found(load("geo", declared), load("trips", undeclared_other)) == set()


def test_a_shared_family_declares_a_giveaway():
    other = text("closest", "Vilnius is the closest EU capital to which city?", "Minsk",
                 family="vilnius")  # fmt: skip
    assert found(load("geo", {**CAPITAL, "family": "vilnius"}, other)) == set()


def test_an_exclusion_of_an_unknown_question_of_the_same_bank_is_an_error_with_its_line():
    with pytest.raises(BankError) as caught:
        load("geo", {**CAPITAL, "excludes": ["nowhere"]})
    assert [str(i) for i in caught.value.issues] == [
        "geo.yaml:9: geo/capital: excludes 'nowhere', which is not a question of this bank"
    ]


def test_a_question_cannot_exclude_itself():
    with pytest.raises(BankError, match="cannot exclude itself"):
        load("geo", {**CAPITAL, "excludes": ["geo/capital"]})


def test_an_exclusion_of_an_unknown_question_of_another_bank_loaded_with_it_is_an_error(
    tmp_path,
):
    (tmp_path / "geo.yaml").write_text(bank("geo", {**CAPITAL, "excludes": ["trips/gone"]}))
    (tmp_path / "trips.yaml").write_text(bank("trips", text("x", "Where?", "Here")))
    with pytest.raises(BankError, match="excludes 'trips/gone', which is not a question of bank"):
        load_bank_files([tmp_path], sources_dir=None)


def test_a_malformed_reference_is_refused():
    with pytest.raises(BankError, match="excludes"):
        load("geo", {**CAPITAL, "excludes": ["Not A Slug"]})


def test_banks_check_lists_undeclared_giveaways_with_their_lines_and_fails(runner, tmp_path):
    other = text("closest", "Vilnius is the closest EU capital to which city?", "Minsk")
    (tmp_path / "geo.yaml").write_text(bank("geo", CAPITAL, other))
    result = runner.invoke(args=["banks", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'geo.yaml'}:4: geo/capital: its answer ('Vilnius') is shown by " in (
        result.output
    )
    assert "1 undeclared giveaway(s)." in result.output


def test_banks_load_warns_of_giveaways_but_loads(runner, tmp_path):
    other = text("closest", "Vilnius is the closest EU capital to which city?", "Minsk")
    (tmp_path / "geo.yaml").write_text(bank("geo", CAPITAL, other))
    result = runner.invoke(args=["banks", "load", str(tmp_path)])
    assert result.exit_code == 0
    assert "warning: " in result.output and "geo: 2 added" in result.output
