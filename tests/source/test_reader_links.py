"""The source reader: every quote of every bundled question is findable in the text,
highlighted, and linked both ways; feedback passages link to their place in it."""

from __future__ import annotations

import re
from html import unescape

import pytest
from drive import attempt_items, log_in, make_user, right_form, start
from markupsafe import escape

from quizapp.banks.loader import load_bank
from quizapp.banks.sync import sync_bank
from quizapp.extensions import db
from quizapp.models import Attempt, Question
from quizapp.source.citations import citing_questions, read_in_context
from quizapp.source.document import passage_key

SOURCE = "belarus-lithuania-relations"
READER = f"/source/{SOURCE}"
#: Passages that start at the same word have their anchors side by side before the mark.
ANCHORS = r'(?:<span class="anchor" id="passage-[0-9a-f]+"></span>)*'


@pytest.fixture
def bundled(app, banks):
    """Every live bundled question, as the reader reads them."""
    with app.test_request_context():
        questions = citing_questions()
    assert len(questions) > 150
    return questions


@pytest.fixture
def reader_page(client, banks) -> str:
    response = client.get(READER)
    assert response.status_code == 200
    return response.text


def note(page: str, key: str) -> str:
    """The notes entry of one passage: its questions and its practise button."""
    start = page.index(f'<li id="cites-{key}"')
    return page[start : page.index("</details>", start)]


def test_every_quote_of_every_bundled_question_is_highlighted_and_linked(bundled, reader_page):
    for question in bundled:
        assert question.quotes, question.id
        for quote in question.quotes:
            key = passage_key(quote)
            anchor = rf'<span class="anchor" id="passage-{key}"></span>{ANCHORS}<mark>'
            assert re.search(anchor, reader_page), quote
            assert f'href="#cites-{key}"' in reader_page, quote
            entry = note(reader_page, key)
            assert f'href="#passage-{key}"' in entry, "the note leads back to the text"
            assert f'data-question="{question.id}"' in entry
            assert str(escape(question.prompt)) in entry
            assert f'form="practise-passage" name="passage" value="{key}"' in entry


def test_every_quote_reads_in_context_at_its_anchor(app, bundled):
    with app.test_request_context():
        for question in bundled:
            for quote in question.quotes:
                assert read_in_context(quote) == f"{READER}#passage-{passage_key(quote)}"


def test_the_questions_under_a_passage_show_prompts_only_never_answers(bundled, reader_page):
    prompts = {question.id: question for question in bundled}
    items = re.findall(r'<li data-question="(\d+)">(.*?)</li>', reader_page, re.S)
    assert items
    for question_id, html in items:
        question = prompts[int(question_id)]
        text = unescape(re.sub(r"<[^>]+>", "", html)).split()
        assert text == f"{question.prompt} ({question.bank_title})".split()
    assert "correct-answer" not in reader_page


def test_the_reader_page_holds_one_practise_form_for_all_its_passages(reader_page):
    assert reader_page.count("<form") == reader_page.count('name="csrf_token"')
    assert reader_page.count('action="/practise"') == 1
    assert reader_page.count('form="practise-passage"') == reader_page.count('<li id="cites-')


def test_the_reader_lays_out_the_text(reader_page):
    assert "<h1>Belarus–Lithuania relations</h1>" in reader_page
    assert '<h2 id="history">History</h2>' in reader_page
    assert '<h3 id="2021-migrant-crisis">2021 migrant crisis</h3>' in reader_page
    assert re.search(r"<th scope=\"col\">Year</th>", reader_page)
    assert "<li>Litvinism</li>" in reader_page
    assert "==" not in reader_page.split("<article")[1]


def test_practice_feedback_links_its_passage_to_the_reader(app, client, banks, learner):
    attempt_id = start(client, "bank:dates", "practice")
    spec, view = attempt_items(app, attempt_id)[0]
    client.post(f"/quiz/{attempt_id}/q/1", data={**right_form(spec, view), "go": "next"})
    page = client.get(f"/quiz/{attempt_id}/q/1").text
    quotes = [spec["quote"]] if isinstance(spec["quote"], str) else spec["quote"]
    for quote in quotes:
        back = f"?attempt={attempt_id}&amp;question=1"
        link = f'<a class="read-in-context" href="{READER}{back}#passage-{passage_key(quote)}">'
        assert link in page
    client.post(f"/quiz/{attempt_id}/finish")
    results = client.get(f"/quiz/{attempt_id}/results").text
    assert results.count('class="read-in-context"') >= 10


def test_a_question_not_yet_answered_shows_no_passage_link(app, client, banks, learner):
    attempt_id = start(client, "bank:dates", "practice")
    assert "read-in-context" not in client.get(f"/quiz/{attempt_id}/q/1").text


def test_a_passage_no_bundled_question_quotes_has_no_link(app, banks):
    with app.test_request_context():
        assert read_in_context("Belarus and Lithuania") is None
        assert read_in_context("Words a teacher wrote in their own source") is None


def test_a_teachers_set_is_not_in_the_reader(app, client, banks):
    with app.app_context():
        teacher = make_user("tess", role="teacher")
        text = (
            "bank: tess-set\ntitle: Tess's set\nquestions:\n"
            '  - {id: q, type: date, prompt: "A private prompt?", answer: "2001",'
            ' quote: "Belarus and Lithuania established diplomatic relations on 24 October 1991"}\n'
        )
        sync_bank(load_bank(text.encode(), "tess.yaml", sources_dir=None), owner_id=teacher.id)
        db.session.commit()
        private = db.session.scalar(db.select(Question.id).where(Question.slug == "q"))
    assert "A private prompt?" not in client.get(READER).text
    response = client.post("/practise", data={"origin": "reader", "question": str(private)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 0


@pytest.mark.parametrize("stem", ["nothing-here", "README", "..", f"{SOURCE}.txt"])
def test_an_unknown_source_is_not_found(client, banks, stem):
    assert client.get(f"/source/{stem}").status_code == 404


def test_the_source_list_links_to_each_source(client, banks, bundled):
    page = client.get("/source/").text
    assert f'href="{READER}"' in page
    assert f"quoted by {len(bundled)} questions" in page


@pytest.mark.parametrize("by", ["passage", "question"])
def test_practising_a_passage_starts_a_quiz_of_its_questions(app, client, banks, bundled, by):
    by_passage: dict[str, list[int]] = {}
    for question in bundled:
        for key in dict.fromkeys(map(passage_key, question.quotes)):
            by_passage.setdefault(key, []).append(question.id)
    key, citing = max(by_passage.items(), key=lambda kv: len(kv[1]))  # several questions
    assert len(citing) >= 2
    named = {"passage": key} if by == "passage" else {"question": [str(i) for i in citing]}
    response = client.post("/practise", data={"origin": "reader", **named})
    attempt_id = int(re.fullmatch(r"/quiz/(\d+)/q/1", response.headers["Location"]).group(1))
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.mode == "practice"
        assert attempt.title == "Questions from the source text"
        assert [item.version.question_id for item in attempt.items] == citing


@pytest.mark.parametrize(
    "data",
    [
        {"origin": "reader"},
        {"origin": "reader", "question": "abc"},
        {"origin": "reader", "question": "9" * 40},
        {"origin": "elsewhere", "question": "1"},
        {"origin": "reader", "question": "999999"},
        {"origin": "reader", "passage": "0123456789ab"},
        {"origin": "timeline", "passage": "0123456789ab"},
    ],
)
def test_practising_nothing_sensible_explains_and_starts_nothing(app, client, banks, data):
    response = client.post("/practise", data=data, follow_redirects=True)
    assert response.status_code == 200
    assert "practise" in response.text.lower()
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 0


def test_practising_needs_a_csrf_token(app, client, banks):
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/practise", data={"origin": "reader", "question": "1"}).status_code == 400


def test_the_source_text_is_escaped(app, client, tmp_path):
    hostile = "<script>alert(1)</script>"
    (tmp_path / "hostile.txt").write_text(f"= Title =\n\nBefore {hostile} after.\n")
    text = (
        "bank: hostile\ntitle: Hostile\nsource: hostile\nquestions:\n"
        f"  - {{id: q, type: date, prompt: 'Year?', answer: '2001', quote: '{hostile}'}}\n"
    )
    with app.app_context():
        sync_bank(load_bank(text.encode(), "hostile.yaml", sources_dir=tmp_path))
        db.session.commit()
    app.config["SEEDS_DIR"] = str(tmp_path)
    page = client.get("/source/hostile").text
    assert hostile not in page
    assert "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark>" in page


def test_a_quote_no_live_question_uses_any_more_stops_reading_in_context(app, banks):
    quote = "Both countries are post-Soviet"  # a passage no bundled question quotes
    with app.test_request_context():
        assert read_in_context(quote) is None  # no bundled question quotes it
    bank = b"""bank: border
title: The border
source: belarus-lithuania-relations
questions:
  - id: post-soviet
    type: truefalse
    prompt: Both Belarus and Lithuania are post-Soviet states.
    answer: true
    quote: Both countries are post-Soviet
"""
    with app.app_context():
        sync_bank(load_bank(bank, "border.yaml", sources_dir=app.config["SEEDS_DIR"]))
        db.session.commit()
    with app.test_request_context():
        assert read_in_context(quote) is not None
    with app.app_context():
        sync_bank(
            load_bank(
                bank.split(b"questions:")[0] + b"questions: []\n",
                "border.yaml",
                sources_dir=app.config["SEEDS_DIR"],
            )
        )
        db.session.commit()
    with app.test_request_context():
        assert read_in_context(quote) is None


def back_link(page: str) -> str | None:
    found = re.search(
        r'<nav class="back-to-quiz"[^>]*>\s*<a class="button small" href="([^"]+)"', page
    )
    return unescape(found.group(1)) if found else None


def test_the_reader_opened_from_a_quiz_leads_back_to_the_same_question(app, client, learner, banks):
    attempt_id = start(client, "bank:dates", "practice")
    spec, view = attempt_items(app, attempt_id)[0]
    client.post(f"/quiz/{attempt_id}/q/1", data={**right_form(spec, view), "go": "next"})
    question = client.get(f"/quiz/{attempt_id}/q/1").text
    link = unescape(re.search(r'class="read-in-context" href="([^"]+)"', question).group(1))
    reader = client.get(link).text
    assert back_link(reader) == f"/quiz/{attempt_id}/q/1"
    assert "Back to question 1 of your quiz" in reader


def test_from_the_results_the_reader_leads_back_to_that_questions_detail(
    app, client, learner, banks
):
    attempt_id = start(client, "bank:dates", "practice")
    client.post(f"/quiz/{attempt_id}/finish")
    reader = client.get(f"{READER}?attempt={attempt_id}&question=4").text
    assert back_link(reader) == f"/quiz/{attempt_id}/results#question-4"


@pytest.mark.parametrize(
    "query",
    [
        "?attempt={other}&question=1",  # someone else's attempt
        "?attempt={own}&question=11",  # no such question in it
        "?attempt=//evil.example&question=1",
        "?attempt={own}&question=https://evil.example",
        "?attempt={own}",
    ],
)
def test_the_way_back_is_offered_only_to_a_question_of_the_learners_own_quiz(
    app, client, banks, query
):
    other_client = app.test_client()
    with app.app_context():
        log_in(other_client, make_user("olga"))
        log_in(client, make_user("lena"))
    other_attempt = start(other_client, "bank:dates", "practice")
    own_attempt = start(client, "bank:dates", "practice")
    page = client.get(READER + query.format(other=other_attempt, own=own_attempt))
    assert page.status_code == 200
    assert back_link(page.text) is None
    assert "evil" not in page.text.split("<article")[0]


def test_each_passages_questions_are_folded_until_opened(reader_page):
    notes = re.findall(r'<li id="cites-[0-9a-f]+"[^>]*>\s*<details>\s*<summary>(.*?)</summary>',
                       reader_page)  # fmt: skip
    assert len(notes) == reader_page.count('<li id="cites-')
    assert "<details open" not in reader_page
    assert all(re.fullmatch(r"Quoted by \d+ questions?", summary) for summary in notes)
