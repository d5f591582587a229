"""Questions in the browser: a form per type, the loader's rules, previews and versions."""

from __future__ import annotations

import random
import re

import pytest
from drive import log_in, make_user
from teach.set_helpers import (
    VALID_FORMS,
    VALID_SPECS,
    add_question,
    bank_row,
    errors_at,
    errors_in,
    new_set,
    questions_of,
    sign_in,
)

from quizapp.attempts import answering, drawing
from quizapp.extensions import db
from quizapp.models import Attempt, DrawnFrom, QuestionVersion, Response

SOURCE = """Belarus and Lithuania established diplomatic relations on 24 October 1991.
The two countries share 680 km of common border.
Vilnius is the closest capital of an EU member state to Minsk."""


@pytest.fixture
def teacher(app, client) -> int:
    return sign_in(app, client, "tess")


@pytest.fixture
def bank_id(client, teacher) -> int:
    return new_set(client, "Capitals")


def only_question(app, bank_id) -> dict:
    questions = questions_of(app, bank_id)
    assert len(questions) == 1
    return questions[0]


# One form per type


@pytest.mark.parametrize("type_name", list(VALID_FORMS))
def test_each_kind_of_question_is_made_through_its_form(app, client, bank_id, type_name):
    assert f"/questions/new/{type_name}" in client.get(f"/teach/sets/{bank_id}/questions/new").text
    assert client.get(f"/teach/sets/{bank_id}/questions/new/{type_name}").status_code == 200
    response = add_question(client, bank_id, type_name)
    assert response.status_code == 302, errors_in(response.text)
    question = only_question(app, bank_id)
    assert question["versions"] == [1]
    spec = question["spec"]
    assert spec["type"] == type_name
    assert spec["prompt"] == VALID_FORMS[type_name]["prompt"]
    assert {key: spec[key] for key in VALID_SPECS[type_name]} == VALID_SPECS[type_name]
    assert (spec["tags"], spec["difficulty"]) == ([], 2)
    assert response.headers["Location"].endswith(f"#question-{question['id']}")


def test_an_unknown_type_is_a_404(client, bank_id):
    assert client.get(f"/teach/sets/{bank_id}/questions/new/essay").status_code == 404


def test_blank_rows_are_ignored_and_the_right_option_is_the_row_marked(app, client, bank_id):
    data = {
        "prompt": "  Which city is the capital of Lithuania? ",
        "options-0": "",
        "options-1": "Kaunas",
        "options-2": "   ",
        "options-3": "Vilnius",
        "answer": "3",
        "explanation": "It has been the capital since 1990.",
        "tags": "capitals, 1990s baltics",
        "difficulty": "1",
    }
    assert add_question(client, bank_id, "choice", data).status_code == 302
    assert only_question(app, bank_id)["spec"] == {
        "id": "which-city-is-the-capital-of-lithuania",
        "type": "choice",
        "prompt": "Which city is the capital of Lithuania?",
        "explanation": "It has been the capital since 1990.",
        "tags": ["capitals", "1990s", "baltics"],
        "difficulty": 1,
        "options": ["Kaunas", "Vilnius"],
        "answer": "Vilnius",
    }


def test_every_question_gets_an_id_of_its_own_never_reused(app, client, bank_id):
    for _ in range(2):
        add_question(client, bank_id, "truefalse")
    first = questions_of(app, bank_id)[0]
    client.post(f"/teach/sets/{bank_id}/questions/{first['id']}/retire")
    add_question(client, bank_id, "truefalse")
    assert [q["slug"] for q in questions_of(app, bank_id)] == [
        "vilnius-is-the-capital-of-lithuania",
        "vilnius-is-the-capital-of-lithuania-2",
        "vilnius-is-the-capital-of-lithuania-3",
    ]


# The loader's rules and messages, on the fields they are about

CHOICE = VALID_FORMS["choice"]
CLOZE = VALID_FORMS["cloze"]

RULES = [
    pytest.param(
        "choice",
        {**CHOICE, "prompt": "  "},
        "prompt",
        "Write the question.",
        id="empty-prompt",
    ),
    pytest.param(
        "choice",
        {"prompt": "Q?", "options-0": "Vilnius", "answer": "0"},
        "options-rows",
        "Give at least 2 options to choose from.",
        id="one-option",
    ),
    pytest.param(
        "choice",
        {"prompt": "Q?", "options-0": "Vilnius", "options-1": "Kaunas"},
        "options-rows",
        "Mark one option as right: the one learners should pick.",
        id="no-right-option",
    ),
    pytest.param(
        "choice",
        {"prompt": "Q?", "options-0": "Vilnius", "options-1": "Kaunas", "answer": "5"},
        "options-rows",
        "Mark one option as right: the one learners should pick.",
        id="a-blank-row-marked-right",
    ),
    pytest.param(
        "choice",
        {"prompt": "Q?", "options-0": "Vilnius", "options-1": "VILNIUS", "answer": "0"},
        "options-rows",
        "'VILNIUS' is written twice: give each option once.",
        id="option-twice",
    ),
    pytest.param(
        "multi",
        {"prompt": "Q?", "options-0": "Vilnius", "options-1": "Kaunas"},
        "options-rows",
        "Mark at least one option as right.",
        id="multi-nothing-ticked",
    ),
    pytest.param(
        "truefalse",
        {"prompt": "Q?"},
        "answer",
        "Choose whether the statement is true or false.",
        id="truefalse-unset",
    ),
    pytest.param(
        "text",
        {"prompt": "Q?", "answer": "Smetona", "accept-0": "?!"},
        None,
        "'?!' has no letters or digits, so no answer could be compared with it: remove it.",
        id="text-form-without-letters",
    ),
    pytest.param(
        "text",
        {"prompt": "Q?", "answer": ""},
        "answer",
        "Type the answer learners should give.",
        id="text-empty",
    ),
    pytest.param(
        "number",
        {"prompt": "Q?", "answer": "680 km"},
        "answer",
        "Type the answer as a number alone (such as 680); a unit goes in the Unit field.",
        id="number-with-unit",
    ),
    pytest.param(
        "number",
        {"prompt": "Q?", "answer": "680", "tolerance": "-5"},
        "tolerance",
        "The tolerance is how far off an answer may be and still count: 0 or more.",
        id="negative-tolerance",
    ),
    pytest.param(
        "number",
        {"prompt": "Q?", "answer": "680", "tolerance": "a little"},
        "tolerance",
        "Type the tolerance as a number (5) or a percentage (5%).",
        id="tolerance-in-words",
    ),
    pytest.param(
        "date",
        {"prompt": "Q?", "answer": "24/10/1991"},
        "answer",
        "Write the date as a year (1991), a year and month (1991-10) or a whole date (1991-10-24).",
        id="date-not-iso",
    ),
    pytest.param(
        "date",
        {"prompt": "Q?", "answer": "1991-02-30"},
        "answer",
        "1991-02-30 is not a day of the calendar.",
        id="date-not-real",
    ),
    pytest.param(
        "order",
        {"prompt": "Q?", "items-0": "Krewo", "items-1": "Lublin", "items-2": "krewo"},
        "items-rows",
        "'krewo' is written twice: give each item once.",
        id="order-item-twice",
    ),
    pytest.param(
        "match",
        {
            "prompt": "Q?",
            "pairs-0-left": "Lithuania",
            "pairs-0-right": "Vilnius",
            "pairs-1-left": "Belarus",
            "pairs-1-right": "vilnius",
        },
        None,
        "'vilnius' is the match of two items: each match goes with one item only.",
        id="match-right-twice",
    ),
    pytest.param(
        "match",
        {
            "prompt": "Q?",
            "pairs-0-left": "Lithuania",
            "pairs-0-right": "Vilnius",
            "pairs-1-left": "Lithuania",
            "pairs-1-right": "Minsk",
        },
        "pairs-1-left",
        "'Lithuania' is on the left twice: give each item one row.",
        id="match-left-twice",
    ),
    pytest.param(
        "match",
        {
            "prompt": "Q?",
            "pairs-0-left": "Lithuania",
            "pairs-0-right": "Vilnius",
            "pairs-1-left": "Belarus",
        },
        "pairs-1-left",
        "Give 'Belarus' its match.",
        id="match-half-a-pair",
    ),
    pytest.param(
        "choice",
        {**CHOICE, "options-1": "x" * 2001},
        "options-1",
        "Too long: keep it under 2,000 characters.",
        id="option-too-long",
    ),
    pytest.param(
        "choice",
        {**CHOICE, "tags": "capitals, Baltic States"},
        "tags",
        "Tags are single words or words-joined-by-hyphens in lower case, such as border-treaty, "
        "separated by commas.",
        id="tag-not-a-slug",
    ),
    pytest.param(
        "choice",
        {**CHOICE, "difficulty": "7"},
        "difficulty",
        "'difficulty' must be at most 3",
        id="difficulty-out-of-range",
    ),
    pytest.param(
        "cloze",
        {**CLOZE, "text": "The border is {2} long; the capital is {1}."},
        "text",
        "text must mark each of its 2 gaps once, in order: {1}, {2} (it has {2}, {1})",
        id="cloze-gaps-out-of-order",
    ),
    pytest.param(
        "cloze",
        {**CLOZE, "gaps-1-others": ""},
        "gaps-1-others",
        "Gap 2: a drop-down needs at least one wrong option besides the right answer.",
        id="cloze-drop-down-of-one",
    ),
    pytest.param(
        "cloze",
        {**CLOZE, "gaps-0-answer": "six hundred"},
        "gaps-0-answer",
        "Type the answer as a number alone (such as 680).",
        id="cloze-number-gap-not-a-number",
    ),
    pytest.param(
        "choice",
        {**CHOICE, "prompt": "Which city\x07 is it?"},
        "prompt",
        "This holds an invisible control character (pasted from another program?): retype it.",
        id="control-character",
    ),
]


@pytest.mark.parametrize(("type_name", "data", "field", "message"), RULES)
def test_the_loaders_rules_apply_and_its_message_shows_on_the_field(
    app, client, bank_id, type_name, data, field, message
):
    response = add_question(client, bank_id, type_name, data)
    assert response.status_code == 200
    if field is None:  # about the whole question: above the form
        assert message in errors_in(response.text)
    else:
        assert message in errors_at(response.text, field), errors_in(response.text)
    assert "This question was not saved" in response.text
    assert questions_of(app, bank_id) == []


@pytest.mark.parametrize(("type_name", "data", "field", "message"), RULES)
def test_no_message_at_the_form_speaks_of_the_files_fields(
    client, bank_id, type_name, data, field, message
):
    shown = errors_in(add_question(client, bank_id, type_name, data).text)
    assert shown
    for text in shown:
        assert not re.search(r"missing field|'(prompt|answers?|options|items|pairs|tags)'", text)
        assert not re.search(r"\bitems?\b \d|needs at least \d+ items", text), text


def test_a_refused_form_keeps_everything_typed(client, bank_id):
    data = {
        "prompt": "Which city is the capital of Lithuania?",
        "options-0": "Kaunas",
        "options-1": "Kaunas",
        "answer": "1",
        "explanation": "Since 1990.",
        "tags": "capitals",
        "difficulty": "3",
    }
    page = add_question(client, bank_id, "choice", data).text
    assert "Which city is the capital of Lithuania?</textarea>" in page
    assert page.count('value="Kaunas"') == 2
    assert re.search(r'<input[^>]*checked[^>]*value="1"|<input[^>]*value="1"[^>]*checked', page)
    assert "Since 1990.</textarea>" in page
    assert 'value="capitals"' in page
    assert re.search(r'<option[^>]*selected[^>]*value="3"|<option[^>]*value="3"[^>]*selected', page)


# Previews: as learners see the question, the answer only on request


def test_the_set_page_previews_each_question_without_giving_the_answer(app, client, bank_id):
    for type_name in VALID_FORMS:
        add_question(client, bank_id, type_name)
    page = client.get(f"/teach/sets/{bank_id}").text
    for type_name, form in VALID_FORMS.items():
        assert form["prompt"] in page, type_name
    assert "correct-answer" not in page
    assert "Correct answer" not in page
    for hidden in ("Antanas Smetona", "Smetona", "1991-10-24", "680"):
        assert hidden not in page
    assert "checked" not in page
    # Order items are never shown in the right order.
    items = ["Union of Krewo", "Union of Lublin", "Third Partition"]
    assert sorted(items, key=page.index) != items


def test_the_preview_is_the_learners_own_markup(app, client, bank_id):
    add_question(client, bank_id, "choice")
    add_question(client, bank_id, "match")
    questions = questions_of(app, bank_id)
    preview = client.get(f"/teach/sets/{bank_id}").text
    learner = app.test_client()
    with app.app_context():
        user = make_user("lena")
        log_in(learner, user)
        for question in questions:
            version = db.session.scalar(
                db.select(QuestionVersion).where(QuestionVersion.question_id == question["id"])
            )
            attempt = drawing.create_attempt(
                DrawnFrom.bank(bank_id),
                "Check",
                [version.id],
                "practice",
                user_id=user.id,
                rng=random.Random(version.id),
            )
            db.session.commit()
            quiz_page = learner.get(f"/quiz/{attempt.id}/q/1").text
            shown = re.search(r"<fieldset>.*?</fieldset>", quiz_page, re.S).group(0)
            prefixed = re.sub(r'((?:id|for)=")', rf"\1q{question['id']}-", shown)
            assert prefixed in preview


def test_show_answer_reveals_the_answer_explanation_and_rule_on_request(app, client, bank_id):
    add_question(client, bank_id, "text", explanation="Smetona led Lithuania twice.")
    question_id = only_question(app, bank_id)["id"]
    page = client.get(f"/teach/sets/{bank_id}", query_string={"show": question_id}).text
    assert '<strong class="correct-answer">Antanas Smetona</strong>' in page
    assert "Smetona led Lithuania twice." in page
    assert "How this is scored:" in page
    alone = client.get(f"/teach/sets/{bank_id}/questions/{question_id}").text
    assert "Antanas Smetona" not in alone
    shown = client.get(f"/teach/sets/{bank_id}/questions/{question_id}?show=1").text
    assert "Antanas Smetona" in shown


def test_checking_an_answer_in_the_preview_grades_it_and_saves_nothing(app, client, bank_id):
    add_question(client, bank_id, "number")
    question_id = only_question(app, bank_id)["id"]
    url = f"/teach/sets/{bank_id}/questions/{question_id}"
    page = client.post(url, data={"answer": "683 km"}).text
    assert "Right!" in page
    assert 'Your answer: <span class="given">683 km</span>' in page
    assert "680 km" in page
    page = client.post(url, data={"answer": "700"}).text
    assert "Partly right." in page
    blank = client.post(url, data={"answer": ""})
    assert blank.status_code == 422
    assert "Choose or type an answer first." in blank.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Response)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(Attempt)) == 0


def test_checking_an_order_question_uses_the_same_shuffle_as_its_preview(app, client, bank_id):
    add_question(client, bank_id, "order")
    question_id = only_question(app, bank_id)["id"]
    url = f"/teach/sets/{bank_id}/questions/{question_id}"
    page = client.get(url).text
    shown = re.findall(r'<span class="item-text">(.*?)</span>', page)
    right = VALID_FORMS["order"]
    correct = [right["items-0"], right["items-1"], right["items-2"]]
    form = {f"position-{i}": str(correct.index(text) + 1) for i, text in enumerate(shown)}
    assert "Right!" in client.post(url, data=form).text


# Editing: a new version; history keeps the one answered


def test_the_edit_form_holds_the_question_as_it_is(app, client, bank_id):
    add_question(client, bank_id, "match")
    question_id = only_question(app, bank_id)["id"]
    page = client.get(f"/teach/sets/{bank_id}/questions/{question_id}/edit").text
    for value in ("Lithuania", "Vilnius", "Belarus", "Minsk"):
        assert f'value="{value}"' in page
    assert "Match each country with its capital.</textarea>" in page


def test_an_edit_makes_a_new_version_and_an_attempt_keeps_the_old_one(app, client, bank_id):
    add_question(client, bank_id, "choice")
    question = only_question(app, bank_id)
    with app.app_context():
        learner = make_user("lena")
        version_id = db.session.scalar(
            db.select(QuestionVersion.id).where(QuestionVersion.question_id == question["id"])
        )
        attempt = drawing.create_attempt(
            DrawnFrom.bank(bank_id), "Capitals", [version_id], "practice", user_id=learner.id
        )
        answering.record_answer(attempt, attempt.items[0], "Vilnius")
        db.session.commit()
        attempt_id = attempt.id
    edited = {**VALID_FORMS["choice"], "options-1": "Vilnius (Wilno)", "difficulty": "2"}
    response = client.post(f"/teach/sets/{bank_id}/questions/{question['id']}/edit", data=edited)
    assert response.status_code == 302
    after = only_question(app, bank_id)
    assert after["versions"] == [1, 2]
    assert after["slug"] == question["slug"]
    assert after["spec"]["answer"] == "Vilnius (Wilno)"
    with app.app_context():
        item = db.session.get(Attempt, attempt_id).items[0]
        assert item.version.number == 1
        assert item.version.spec["answer"] == "Vilnius"
        assert item.response.fraction == 1.0
    assert "new version" in client.get(response.headers["Location"]).text


def test_saving_an_unchanged_question_makes_no_new_version(app, client, bank_id):
    add_question(client, bank_id, "multi")
    question_id = only_question(app, bank_id)["id"]
    response = client.post(
        f"/teach/sets/{bank_id}/questions/{question_id}/edit",
        data={**VALID_FORMS["multi"], "difficulty": "2"},
    )
    assert response.status_code == 302
    assert only_question(app, bank_id)["versions"] == [1]
    assert "Nothing changed." in client.get(response.headers["Location"]).text


def test_a_refused_edit_changes_nothing(app, client, bank_id):
    add_question(client, bank_id, "date")
    question_id = only_question(app, bank_id)["id"]
    response = client.post(
        f"/teach/sets/{bank_id}/questions/{question_id}/edit",
        data={"prompt": "When?", "answer": "soon", "difficulty": "2"},
    )
    assert response.status_code == 200
    assert errors_at(response.text, "answer") == [
        "Write the date as a year (1991), a year and month (1991-10) or a whole date (1991-10-24)."
    ]
    assert only_question(app, bank_id)["versions"] == [1]


def test_a_retired_question_leaves_quizzes_and_comes_back_when_restored(app, client, bank_id):
    add_question(client, bank_id, "choice")
    add_question(client, bank_id, "truefalse")
    first = questions_of(app, bank_id)[0]
    assert client.post(f"/teach/sets/{bank_id}/questions/{first['id']}/retire").status_code == 302
    assert [q["retired"] for q in questions_of(app, bank_id)] == [True, False]
    with app.app_context():
        assert len(drawing.live_pool((bank_id,))) == 1
    page = client.get(f"/teach/sets/{bank_id}").text
    assert "Retired questions" in page
    edit = client.get(f"/teach/sets/{bank_id}/questions/{first['id']}/edit")
    assert edit.status_code == 302
    client.post(f"/teach/sets/{bank_id}/questions/{first['id']}/restore")
    restored = next(q for q in questions_of(app, bank_id) if q["id"] == first["id"])
    assert (restored["retired"], restored["versions"]) == (False, [1])


def test_a_retire_by_get_changes_nothing(app, client, bank_id):
    add_question(client, bank_id, "choice")
    question_id = only_question(app, bank_id)["id"]
    response = client.get(f"/teach/sets/{bank_id}/questions/{question_id}/retire")
    assert response.status_code == 405
    assert only_question(app, bank_id)["retired"] is False


# Source texts and quotes


def test_a_set_without_a_source_has_no_quote_field(client, bank_id):
    page = client.get(f"/teach/sets/{bank_id}/questions/new/choice").text
    assert "quote-0" not in page


def test_a_quote_sent_to_a_set_without_a_source_is_ignored(app, client, bank_id):
    add_question(client, bank_id, "choice", **{"quote-0": "anything"})
    assert "quote" not in only_question(app, bank_id)["spec"]


def test_attaching_a_source_text_checks_the_quotes_against_it(app, client, bank_id):
    response = client.post(f"/teach/sets/{bank_id}/source", data={"text": SOURCE, "action": "save"})
    assert response.status_code == 302
    assert bank_row(app, bank_id)["source_text"] == SOURCE
    form = client.get(f"/teach/sets/{bank_id}/questions/new/choice").text
    assert 'name="quote-0"' in form
    # White space is not compared, words are.
    spaced = "Vilnius is the closest capital\n   of an EU member state to Minsk."
    assert add_question(client, bank_id, "choice", **{"quote-0": spaced}).status_code == 302
    assert only_question(app, bank_id)["spec"]["quote"] == spaced
    wrong = add_question(client, bank_id, "truefalse", **{"quote-0": "Vilnius is the capital."})
    assert wrong.status_code == 200
    assert errors_at(wrong.text, "quote-0") == [
        'quote not found in the set\'s source text: "Vilnius is the capital."'
    ]
    # Quotes stay optional.
    assert add_question(client, bank_id, "date").status_code == 302


def test_a_source_text_can_come_as_a_txt_file(app, client, bank_id):
    import io

    response = client.post(
        f"/teach/sets/{bank_id}/source",
        data={"text": "", "file": (io.BytesIO(b"\xef\xbb\xbf" + SOURCE.encode()), "a.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert bank_row(app, bank_id)["source_text"] == SOURCE


def test_a_source_file_that_is_not_utf8_is_refused_with_its_line(app, client, bank_id):
    import io

    latin1 = "First line\nVilnius, capitale de la Lituanie, était\n".encode("latin-1")
    response = client.post(
        f"/teach/sets/{bank_id}/source",
        data={"text": "", "file": (io.BytesIO(latin1), "a.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert errors_at(response.text, "file") == [
        "line 2: a source text must be UTF-8 (byte 0xE9 is not: is it Latin-1?)"
    ]
    assert bank_row(app, bank_id)["source_text"] is None


def test_a_new_source_text_must_hold_every_quote_of_the_set(app, client, bank_id):
    client.post(f"/teach/sets/{bank_id}/source", data={"text": SOURCE})
    add_question(
        client, bank_id, "number", **{"quote-0": "The two countries share 680 km of common border."}
    )
    response = client.post(f"/teach/sets/{bank_id}/source", data={"text": "Something else."})
    assert response.status_code == 200
    assert "how-long-is-the-border-between-belarus-and" in response.text
    assert "quote not found in the set&#39;s source text" in response.text
    assert bank_row(app, bank_id)["source_text"] == SOURCE


def test_removing_the_source_drops_the_quotes_as_new_versions(app, client, bank_id):
    client.post(f"/teach/sets/{bank_id}/source", data={"text": SOURCE})
    add_question(
        client, bank_id, "number", **{"quote-0": "The two countries share 680 km of common border."}
    )
    response = client.post(f"/teach/sets/{bank_id}/source", data={"action": "remove"})
    assert response.status_code == 302
    assert bank_row(app, bank_id)["source_text"] is None
    question = only_question(app, bank_id)
    assert question["versions"] == [1, 2]
    assert "quote" not in question["spec"]
