"""The timeline: the banks' dated events in order, each linked to its question and its
passage, and marked known or not yet from the learner's own answers only."""

from __future__ import annotations

import re

import pytest
from drive import bank_quiz, make_user

from quizapp.attempts import answering, drawing
from quizapp.extensions import db
from quizapp.models import Attempt, Question
from quizapp.question_types.date import parse_iso
from quizapp.source.citations import citing_questions
from quizapp.source.document import passage_key
from quizapp.source.timeline import When, timeline, when_of_text

UPRISINGS = "The uprisings of 1830-31 and 1863-64"


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("1918", When("1918", 1918)),
        ("7 February 2019", When("7 February 2019", 2019, 2, 7)),
        ("August 2021", When("August 2021", 2021, 8)),
        ("From 1569 to 1772", When("From 1569 to 1772", 1569)),
        (
            "The uprisings of 1830-31 and 1863-64",
            When("The uprisings of 1830-31 and 1863-64", 1830),
        ),
        (
            "From the 13th century to the end of the 14th century",
            When("From the 13th century to the end of the 14th century", 1201),
        ),
        ("Vilnius", None),
        ("680 km", None),
    ],
)
def test_a_choice_answer_is_dated_when_it_names_a_time(text, when):
    assert when_of_text(text) == when


@pytest.fixture
def events(app, banks):
    with app.app_context():
        return timeline(citing_questions())


def test_the_timeline_runs_from_the_grand_duchy_to_2023_in_order(events):
    assert events[0].when.label == "From the 13th century to the end of the 14th century"
    assert events[0].era == "The Grand Duchy of Lithuania"
    assert events[-1].when.year == 2023
    keys = [event.when.sort_key for event in events]
    assert keys == sorted(keys)


def test_every_date_question_is_on_the_timeline_with_its_answer(app, banks, events):
    with app.app_context():
        dated = [q for q in citing_questions() if q.type == "date"]
    on_timeline = {event.question.id: event for event in events}
    assert len(dated) > 20
    for question in dated:
        event = on_timeline[question.id]
        assert event.when.label == parse_iso(question.spec["answer"]).words()
        assert event.passage in [" ".join(q.split()) for q in question.quotes]


def test_each_event_links_to_its_passage_and_its_question(client, banks, events):
    page = client.get("/timeline").text
    reader = client.get("/source/belarus-lithuania-relations").text
    for event in events:
        key = passage_key(event.passage)
        link = f'href="/source/belarus-lithuania-relations#passage-{key}"'
        entry = page[page.index(f'id="event-{event.question.id}"') :]
        entry = entry[: entry.index("</li>")]
        assert link in entry
        assert f'id="passage-{key}"' in reader
        assert f'name="question" value="{event.question.id}"' in entry


def test_an_event_shows_its_date_passage_and_prompt(client, banks):
    page = client.get("/timeline").text
    assert "<strong>24 October 1991</strong>" in page
    assert "“Belarus and Lithuania established diplomatic relations on 24 October 1991”" in page
    assert "on what date did Belarus and Lithuania establish diplomatic relations?" in page
    assert page.index("The Grand Duchy of Lithuania") < page.index("The 2020s")


def _question(slug: str) -> Question:
    return db.session.scalar(db.select(Question).where(Question.slug == slug))


def _answer(user_id, slugs_and_values, *, mode="practice", finish=True) -> Attempt:
    questions = [_question(slug) for slug, _ in slugs_and_values]
    attempt = drawing.create_attempt(
        bank_quiz("dates"),
        "Dates",
        [q.current_version_id for q in questions],
        mode,
        user_id=user_id,
    )
    for item, (_, value) in zip(attempt.items, slugs_and_values, strict=True):
        answering.record_answer(attempt, item, value)
    if finish:
        attempt.finish()
    db.session.commit()
    return attempt


def _mark(page: str, slug_id: int) -> str | None:
    entry = page[page.index(f'id="event-{slug_id}"') :]
    entry = entry[: entry.index("</p>")]
    match = re.search(r'class="badge (known|not-yet)"', entry)
    return match.group(1) if match else None


def test_a_learner_sees_events_known_and_not_yet_from_their_latest_answers(
    app, client, banks, learner
):
    with app.app_context():
        _answer(learner, [("diplomatic-relations-established", "1066")])
        _answer(
            learner,
            [
                ("diplomatic-relations-established", "24 October 1991"),
                ("vytis-association-founded", "1999"),
            ],
        )
        relations = _question("diplomatic-relations-established").id
        vytis = _question("vytis-association-founded").id
        untouched = _question("community-congress-minsk").id
    page = client.get("/timeline").text
    assert _mark(page, relations) == "known"
    assert _mark(page, vytis) == "not-yet"
    assert _mark(page, untouched) is None


def test_known_comes_only_from_the_learners_own_finished_answers(app, client, banks, learner):
    with app.app_context():
        other = make_user("olek").id
        _answer(other, [("diplomatic-relations-established", "24 October 1991")])
        _answer(learner, [("vytis-association-founded", "2012")], mode="test", finish=False)
        relations = _question("diplomatic-relations-established").id
        vytis = _question("vytis-association-founded").id
    page = client.get("/timeline").text
    assert _mark(page, relations) is None, "another learner's answer"
    # A question in a test the learner has not finished is not on their timeline at all.
    assert f'id="event-{vytis}"' not in page


def test_a_visitor_sees_the_timeline_without_marks(client, banks):
    page = client.get("/timeline").text
    assert "24 October 1991" in page
    assert 'class="badge known"' not in page and 'class="badge not-yet"' not in page


def test_practising_an_event_starts_a_quiz_of_that_one_question(app, client, banks, learner):
    with app.app_context():
        relations = _question("diplomatic-relations-established")
        question_id, version_id = relations.id, relations.current_version_id
    response = client.post("/practise", data={"origin": "timeline", "question": str(question_id)})
    attempt_id = int(re.fullmatch(r"/quiz/(\d+)/q/1", response.headers["Location"]).group(1))
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert (attempt.mode, attempt.title) == ("practice", "A question from the timeline")
        assert [item.question_version_id for item in attempt.items] == [version_id]
        assert attempt.user_id == learner


def test_a_question_in_an_unfinished_test_waits_for_it(app, client, banks, learner):
    with app.app_context():
        _answer(learner, [("vytis-association-founded", "2012")], mode="test", finish=False)
        vytis = _question("vytis-association-founded").id
    response = client.post(
        "/practise", data={"origin": "timeline", "question": str(vytis)}, follow_redirects=True
    )
    assert "in a test you have not finished yet" in response.text
