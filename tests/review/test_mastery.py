"""Mastery figures on a known history, and how the progress page shows them."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from drive import make_user
from review.history import DAY, load_tiny_bank, practise, sit_test
from sqlalchemy import event

from quizapp.extensions import db
from quizapp.models import Attempt, utcnow
from quizapp.progress.stats import learner_figures
from quizapp.review.mastery import mastery_report, recent_score, weakest_topic_questions
from quizapp.review.scheduling import SCHEDULER

NOW = dt.datetime(2026, 3, 11, 9, 0)
T0 = NOW - 2 * DAY  # two whole days before NOW


def fsrs_recall(days: int, stability: float) -> float:
    """FSRS's forgetting curve, written out: 90 % recall when `days` equals the stability."""
    decay = SCHEDULER.parameters[20]
    factor = 0.9 ** (-1 / decay) - 1
    return (1 + factor * days / stability) ** -decay


def history(user_id: int, now: dt.datetime = NOW) -> None:
    """a right two days ago; b wrong two days ago; c 0, 0.5 then 1 (just now); d 0, 1, 1, 1."""
    practise(user_id, {"a": 1, "b": 0}, now - 2 * DAY)
    practise(user_id, {"c": 0, "d": 0}, now - 3 * DAY)
    practise(user_id, {"c": 0.5, "d": 1}, now - 2 * DAY)
    practise(user_id, {"d": 1}, now - DAY)
    practise(user_id, {"c": 1, "d": 1}, now - dt.timedelta(hours=1))


@pytest.mark.parametrize(
    ("credits", "score"),
    [
        ([1], 1.0),
        ([0], 0.0),
        ([1, 0], 3 / 5),  # newest first: weights 3 and 2
        ([1, 0.5, 0], 4 / 6),
        ([1, 1, 1, 0, 0, 0], 1.0),  # only the last three count
    ],
)
def test_the_recent_score_weights_the_latest_answers_most(credits, score):
    assert recent_score(credits) == pytest.approx(score)


def test_mastery_of_each_bank_and_tag_on_a_known_history(ctx, tiny, lena):
    history(lena)
    first_good = SCHEDULER.parameters[2]  # a new question answered right: stability w2 days
    a = fsrs_recall(2, first_good)
    assert a == pytest.approx(0.909, abs=0.001)
    b, c, d = 0.0, 4 / 6, 1.0  # c and d were answered within the day: recall 1
    report = mastery_report(lena, NOW)

    (bank,) = report.banks
    assert (bank.label, bank.answered, bank.total) == ("Tiny dates", 4, 12)
    assert report.mastery == pytest.approx({tiny["a"]: a, tiny["b"]: b, tiny["c"]: c, tiny["d"]: d})
    assert bank.mastery == pytest.approx((a + b + c + d) / 4)
    tags = {topic.key: topic for topic in report.tags}
    assert set(tags) == {"alpha", "beta", "shared"}, "topics never answered are not listed"
    assert tags["alpha"].mastery == pytest.approx((a + b) / 2)
    assert tags["shared"].mastery == pytest.approx((a + c) / 2)
    assert tags["beta"].mastery == pytest.approx((c + d) / 2)
    assert (tags["alpha"].answered, tags["beta"].answered, tags["shared"].answered) == (2, 2, 2)
    assert [t.key for t in report.weakest] == ["alpha", "shared", "beta"]


def test_the_progress_pages_single_query_gives_the_same_mastery_and_no_duplicates(ctx, tiny, lena):
    """The progress page reads quiz figures and mastery together: neither multiplies the other."""
    history(lena)
    practise(make_user("olek").id, {"a": 0, "b": 0}, NOW)
    figures = learner_figures(lena, NOW)
    assert figures.mastery == mastery_report(lena, NOW)
    assert figures.mastery.banks[0].answered == 4
    assert [(s.label, s.attempts) for s in figures.summaries] == [("Tiny dates", 5)]


def test_recall_fades_as_days_pass_without_review(ctx, tiny, lena):
    practise(lena, {"a": 1}, T0)
    now_mastery = mastery_report(lena, T0).banks[0].mastery
    later = mastery_report(lena, T0 + 30 * DAY).banks[0].mastery
    assert now_mastery == 1.0
    assert later == pytest.approx(fsrs_recall(30, SCHEDULER.parameters[2]))
    assert later < 0.7


def test_answers_of_an_unfinished_test_do_not_count_until_it_is_finished(ctx, tiny, lena):
    attempt = sit_test(lena, {"a": 1, "b": 0}, NOW, finish=False)
    assert mastery_report(lena, NOW).banks[0].answered == 0
    db.session.get(Attempt, attempt.id).finish(NOW)
    report = mastery_report(lena, NOW)
    assert report.banks[0].answered == 2
    assert report.banks[0].mastery == pytest.approx(0.5)


def test_another_learners_answers_do_not_count(ctx, tiny, lena):
    practise(make_user("olek").id, {"a": 0, "b": 0, "c": 0}, NOW)
    practise(lena, {"a": 1}, NOW)
    report = mastery_report(lena, NOW)
    assert report.banks[0].answered == 1
    assert report.banks[0].mastery == 1.0


def test_a_topic_needs_two_answered_questions_to_be_called_weak(ctx, tiny, lena):
    practise(lena, {"a": 0, "e": 0, "f": 1}, NOW)  # alpha 1 answered, gamma 2
    assert [t.key for t in mastery_report(lena, NOW).weakest] == ["gamma"]


def test_a_learners_mastery_reads_one_query_however_long_their_history(app, tiny, lena):
    with app.app_context():
        for day in range(20):
            practise(lena, {"a": day % 2, "b": 1, "c": 0.5}, NOW - (40 - day) * DAY)
        seen: list[tuple[str, object]] = []

        def spy(_conn, _cursor, statement, parameters, *_args):
            seen.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", spy)
        try:
            mastery_report(lena, NOW)
        finally:
            event.remove(db.engine, "before_cursor_execute", spy)
        reads = [(s, p) for s, p in seen if s.lstrip().upper().startswith(("SELECT", "WITH"))]
        assert len(reads) == 1
        statement, parameters = reads[0]
        lowered = statement.lower()
        # A bank's size is read, not counted: what is counted is the questions the
        # learner answered, per bank and per tag, from their cards.
        assert "banks.live_questions" in lowered
        assert lowered.count("count(") == lowered.count("count(*) as answered") == 2
        assert " responses" not in statement
        # Attempts are read only to find the tests that hold questions back, by index.
        if db.engine.dialect.name == "sqlite":
            plan = db.session.connection().exec_driver_sql(
                f"EXPLAIN QUERY PLAN {statement}", parameters
            )
            details = [row[3] for row in plan]
            assert [d for d in details if d.startswith("SCAN attempts")] == []
            # Only the learner's own cards are read, never every learner's.
            assert [d for d in details if d.startswith("SCAN review_cards")] == []


def test_the_weakest_topics_quiz_takes_turns_over_the_three_topics(ctx, tiny, lena):
    history(lena)
    report = mastery_report(lena, NOW)
    picked = weakest_topic_questions(report, 4, random.Random(1))
    # alpha's wrong b first, then shared's (a: 0.91, c: 0.67 → c), then beta's (c taken → d)
    assert picked[:3] == [tiny["b"], tiny["c"], tiny["d"]]
    assert len(picked) == 4 and len(set(picked)) == 4


# ------------------------------------------------------------------ the page


def test_the_progress_page_shows_mastery_as_a_table_and_a_chart(app, client, tiny, lena):
    with app.app_context():
        history(lena, utcnow())
    page = client.get("/progress/").text
    section = page[page.index('id="mastery-heading"') :]
    assert "What you know now" in page
    row = r'data-topic="tiny">\s*<th scope="row">Tiny dates</th>\s*<td>4 of 12</td>'
    assert re.search(row, page)
    assert 'class="topic tag" data-topic="alpha"' in section
    assert "<svg" in section and "<rect" in section
    assert "<script" not in page.split("<footer")[0].split("<main")[1]
    assert "Practise my weakest topics" in section
    assert section.index("alpha") < section.index("beta")


def test_the_weakest_topics_say_their_rule_and_the_table_lists_them_first(app, client, tiny, lena):
    with app.app_context():
        # delta: one wrong answer, the lowest score, but too few answers to be ranked.
        history(lena, utcnow())
        practise(lena, {"g": 0}, utcnow())
    page = client.get("/progress/").text
    section = page[page.index('id="mastery-heading"') :]
    named = re.findall(r'<strong class="weak-topic">(\w+)</strong>', section)
    assert named == ["alpha", "shared", "beta"]
    assert "among those you have answered at least 2 questions of" in section
    table = section[section.index('<table class="mastery-table">') :]
    listed = re.findall(r'class="topic tag" data-topic="(\w+)"', table)
    assert listed[:3] == named, "the table ranks the topics as the list names them"
    assert listed[-1] == "delta"
    assert table.index("not ranked yet") < table.index('data-topic="delta"')


def test_a_learner_without_answers_sees_no_mastery_figures(app, client, tiny, lena):
    with app.app_context():
        practise(lena, {}, utcnow())  # a finished attempt with no questions
    page = client.get("/progress/").text
    assert "mastery of each bank and topic will appear here" in page


def test_bank_titles_in_the_chart_are_escaped(app, client, lena):
    hostile = "<script>alert(1)</script>"
    with app.app_context():
        load_tiny_bank(
            f"bank: tiny\ntitle: '{hostile}'\nquestions:\n"
            '  - {id: a, type: date, prompt: "Year of A?", answer: "2001", tags: [alpha]}\n'
        )
        practise(lena, {"a": 0}, utcnow())
    page = client.get("/progress/").text
    assert hostile not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_weakest_topics_button_starts_a_quiz_on_them(app, client, tiny, lena):
    with app.app_context():
        history(lena, utcnow())
    response = client.post("/review/weakest")
    assert response.status_code == 302
    attempt_id = int(re.search(r"/quiz/(\d+)/q/1", response.headers["Location"]).group(1))
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.mode == "practice"
        assert attempt.title == "My weakest topics: alpha, shared, beta"
        asked = {item.version.question_id for item in attempt.items}
    assert asked == {tiny[s] for s in "abcd"}  # every question of alpha, shared and beta


def test_the_weakest_topics_quiz_needs_answers_first(app, client, tiny, lena):
    response = client.post("/review/weakest", follow_redirects=True)
    assert "Answer at least 2 questions of a topic first" in response.text


def test_recall_from_a_cards_row_is_fsrs_retrievability(ctx, tiny, lena):
    """Mastery reads a card's stability and last review, not the whole FSRS card: the
    recall it works out is FSRS's own, on every day after the review."""
    from quizapp.models import ReviewCard
    from quizapp.review.scheduling import recall, retrievability

    practise(lena, {"a": 1, "b": 0, "c": 0.5}, NOW)
    for row in db.session.scalars(db.select(ReviewCard).where(ReviewCard.user_id == lena)):
        for days in (0, 1, 3, 30, 400):
            later = NOW + days * DAY
            assert recall(row.card["stability"], row.last_review, later) == pytest.approx(
                retrievability(row, later)
            )
