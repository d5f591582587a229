"""Results at a glance: the score, one mark per question linking to its detail, and what
to do next come first; the detail follows, its long parts folded; a match or an order
answer is set out as a small table, each row marked right or wrong in words."""

from __future__ import annotations

import re

import pytest
from drive import attempt_items, right_form, start, wrong_form

from quizapp.banks.loader import load_bank
from quizapp.banks.sync import sync_bank
from quizapp.extensions import db
from quizapp.question_types import TYPES

PARTS_BANK = """\
bank: parts
title: Parts
questions:
  - id: capitals
    type: match
    prompt: "Match each country with its capital."
    pairs: {Lithuania: Vilnius, Belarus: Minsk, Latvia: Riga}
    explanation: "Capitals as of 1991."
  - id: treaties
    type: order
    prompt: "Put these in order."
    items: [Krewo, Lublin, Partition]
  - {id: year, type: date, prompt: "Year of independence?", answer: "1991"}
"""


@pytest.fixture
def parts(app):
    with app.app_context():
        sync_bank(load_bank(PARTS_BANK.encode(), "parts.yaml", sources_dir=None))
        db.session.commit()


def answer(client, attempt_id: int, position: int, data: dict) -> None:
    response = client.post(f"/quiz/{attempt_id}/q/{position}", data={**data, "go": "next"})
    assert response.status_code == 302, response.text


def take(app, client, answers: dict[str, str]) -> tuple[int, dict[str, int]]:
    """Take the parts bank in practice, answering each type right or wrong; return the
    attempt id and each type's position."""
    attempt_id = start(client, "bank:parts", "practice")
    positions = {}
    for position, (spec, view) in enumerate(attempt_items(app, attempt_id), start=1):
        positions[spec["type"]] = position
        fields = right_form if answers[spec["type"]] == "right" else wrong_form
        answer(client, attempt_id, position, fields(spec, view))
    client.post(f"/quiz/{attempt_id}/finish")
    return attempt_id, positions


def summary(page: str) -> str:
    return page[: page.index("Question by question")]


def test_the_summary_comes_before_the_detail_with_a_mark_per_question_and_the_next_steps(
    app, client, learner, parts
):
    attempt_id, positions = take(app, client, {"match": "wrong", "order": "right", "date": "right"})
    page = client.get(f"/quiz/{attempt_id}/results").text
    top = summary(page)
    assert "Score:" in top
    assert "Retake my mistakes (1)" in top
    assert "Take another quiz" in top
    for kind, word in (("match", "wrong"), ("order", "right"), ("date", "right")):
        n = positions[kind]
        link = re.search(rf'<a class="mark-{word}" href="#question-{n}">(.*?)</a>', top, re.S)
        assert link, (kind, word)
        assert f": {word}" in link.group(1), "the mark says it in words, not colour alone"
        assert f'<li id="question-{n}">' in page[len(top) :], "the mark leads to its detail"


def test_a_partly_right_answer_is_marked_a_half(app, client, learner, parts):
    attempt_id = start(client, "bank:parts", "practice")
    for position, (spec, _) in enumerate(attempt_items(app, attempt_id), start=1):
        if spec["type"] == "date":
            answer(client, attempt_id, position, {"answer": "1992"})
    client.post(f"/quiz/{attempt_id}/finish")
    top = summary(client.get(f"/quiz/{attempt_id}/results").text)
    assert re.search(r'class="mark-partial"[^>]*><span aria-hidden="true">½</span>', top)
    assert top.count('class="mark-wrong"') == 2, "the unanswered ones earn nothing"


def test_a_match_answer_is_a_table_of_pairs_each_marked_right_or_wrong(app, client, learner, parts):
    attempt_id, positions = take(app, client, {"match": "wrong", "order": "right", "date": "right"})
    page = client.get(f"/quiz/{attempt_id}/results").text
    detail = page.split(f'<li id="question-{positions["match"]}">')[1].split("</li>")[0]
    assert '<th scope="col">Your match</th>' in detail
    rows = re.findall(r'<tr class="row-(\w+)">\s*<th scope="row">(\w+)</th>\s*'
                      r'<td class="given">(\w+)</td>\s*<td class="right-part">(\w+)</td>\s*'
                      r'<td class="mark">.*?(right|wrong)</td>', detail, re.S)  # fmt: skip
    assert {(left, right) for _, left, _, right, _ in rows} == {
        ("Lithuania", "Vilnius"),
        ("Belarus", "Minsk"),
        ("Latvia", "Riga"),
    }
    for kind, _, given, right, word in rows:
        assert kind == word == "wrong" and given != right
    assert "→" not in detail, "no long arrow string any more"


def test_an_order_answer_is_a_table_of_places(app, client, learner, parts):
    attempt_id, positions = take(app, client, {"match": "right", "order": "wrong", "date": "right"})
    page = client.get(f"/quiz/{attempt_id}/results").text
    detail = page.split(f'<li id="question-{positions["order"]}">')[1].split("</li>")[0]
    rows = re.findall(r'<th scope="row">(\d)</th>\s*<td class="given">(\w+)</td>\s*'
                      r'<td class="right-part">(\w+)</td>', detail)  # fmt: skip
    assert rows == [
        ("1", "Partition", "Krewo"),
        ("2", "Lublin", "Lublin"),
        ("3", "Krewo", "Partition"),
    ]
    assert detail.count("</span> right</td>") == 1 and detail.count("</span> wrong</td>") == 2


def test_the_explanation_and_sources_are_folded_under_the_answer(app, client, learner, parts):
    attempt_id, positions = take(app, client, {"match": "right", "order": "right", "date": "right"})
    page = client.get(f"/quiz/{attempt_id}/results").text
    detail = page.split(f'<li id="question-{positions["match"]}">')[1].split("</li>")[0]
    folded = detail.split('<details class="more">')[1].split("</details>")[0]
    assert "Capitals as of 1991." in folded and "How this is scored" in folded


def test_a_practice_question_shows_its_match_feedback_as_a_table_too(app, client, learner, parts):
    attempt_id = start(client, "bank:parts", "practice")
    for position, (spec, view) in enumerate(attempt_items(app, attempt_id), start=1):
        if spec["type"] == "match":
            answer(client, attempt_id, position, right_form(spec, view))
            page = client.get(f"/quiz/{attempt_id}/q/{position}").text
            assert page.count('<tr class="row-right">') == 3
            assert "<details" not in page, "one answer's feedback is short: nothing folded"


def test_every_type_without_parts_keeps_its_one_line_answer(app):
    with app.app_context():
        for kind in TYPES.values():
            if kind.name not in {"match", "order"}:
                assert kind.answer_table({}, None) is None, kind.name
