"""Spaced review: how answers are rated and when their questions come back (fixed clock)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from drive import bank_quiz, make_user
from fsrs import Rating
from review.history import DAY, TODAY, YESTERDAY, load_tiny_bank, practise, sit_test

from quizapp.attempts import answering, drawing
from quizapp.extensions import db
from quizapp.models import Question, ReviewCard
from quizapp.review import quizzes
from quizapp.review.scheduling import day_end, due_cards, rating_for, review, review_status


def card(user_id: int, question_id: int) -> ReviewCard | None:
    return db.session.scalar(
        db.select(ReviewCard).where(
            ReviewCard.user_id == user_id, ReviewCard.question_id == question_id
        )
    )


def due_ids(user_id: int, now: dt.datetime) -> list[int]:
    return [row.question_id for row in due_cards(user_id, now)]


@pytest.mark.parametrize(
    ("fraction", "rating"),
    [
        (0.0, Rating.Again),
        (0.25, Rating.Hard),
        (0.5, Rating.Hard),
        (0.99, Rating.Hard),
        (1.0, Rating.Good),
    ],
)
def test_wrong_is_again_partial_is_hard_right_is_good(fraction, rating):
    assert rating_for(fraction) == rating


def test_yesterdays_wrong_answers_are_due_today_most_overdue_first(ctx, tiny, lena):
    practise(lena, {"a": 0}, YESTERDAY - dt.timedelta(hours=3))
    practise(lena, {"b": 0, "c": 1}, YESTERDAY)
    assert due_ids(lena, TODAY) == [tiny["a"], tiny["b"]]
    assert review_status(lena, TODAY).due == 2


def test_a_wrong_answer_is_not_due_again_the_same_day(ctx, tiny, lena):
    practise(lena, {"a": 0}, YESTERDAY)
    assert due_ids(lena, YESTERDAY + dt.timedelta(hours=5)) == []


def test_a_question_is_due_all_day_on_its_day(ctx, tiny, lena):
    practise(lena, {"a": 0}, YESTERDAY)  # due at 15:00 today
    assert due_ids(lena, TODAY.replace(hour=0, minute=1)) == [tiny["a"]]
    assert day_end(TODAY) == dt.datetime(2026, 3, 12)


def test_a_right_answers_interval_grows_with_each_right_answer(ctx, tiny, lena):
    when = YESTERDAY
    intervals = []
    for _ in range(4):
        practise(lena, {"a": 1}, when)
        row = card(lena, tiny["a"])
        intervals.append(row.due - when)
        when = row.due
    assert intervals[0] >= 2 * DAY
    assert all(later > earlier for earlier, later in itertools.pairwise(intervals))


def test_a_partly_right_answer_comes_back_sooner_than_a_right_one(ctx, tiny, lena):
    practise(lena, {"a": 0.5, "b": 1}, YESTERDAY)
    assert card(lena, tiny["a"]).due < card(lena, tiny["b"]).due
    assert card(lena, tiny["a"]).last_fraction == 0.5


def test_a_lapse_brings_a_learned_question_back_the_next_day(ctx, tiny, lena):
    when = YESTERDAY - 30 * DAY
    for _ in range(3):
        practise(lena, {"a": 1}, when)
        when = card(lena, tiny["a"]).due
    practise(lena, {"a": 0}, YESTERDAY)
    assert card(lena, tiny["a"]).due.date() == TODAY.date()


def test_practice_answers_are_scheduled_as_they_are_given(ctx, tiny, lena):
    version_id = db.session.get(Question, tiny["a"]).current_version_id
    attempt = drawing.create_attempt(
        bank_quiz("tiny"), "Tiny", [version_id], "practice", user_id=lena, now=YESTERDAY
    )
    answering.record_answer(attempt, attempt.items[0], "1066", YESTERDAY)
    db.session.commit()
    assert attempt.finished_at is None
    assert card(lena, tiny["a"]).reviews == 1


def test_a_question_asked_twice_in_one_attempt_is_rated_once(ctx, tiny, lena):
    version_id = db.session.get(Question, tiny["a"]).current_version_id
    attempt = drawing.create_attempt(
        bank_quiz("tiny"), "Tiny", [version_id, version_id], "practice", user_id=lena, now=YESTERDAY
    )
    for item in attempt.items:
        answering.record_answer(attempt, item, "1066", YESTERDAY)
    assert card(lena, tiny["a"]).reviews == 1


def test_test_answers_are_scheduled_when_the_test_finishes_each_once(ctx, tiny, lena):
    attempt = sit_test(lena, {"a": 0, "b": 1}, YESTERDAY, finish=False)
    item = attempt.items[0]
    answering.record_answer(attempt, item, item.version.spec["answer"], YESTERDAY)  # changed: right
    assert card(lena, tiny["a"]) is None, "a test answer can still change"
    attempt.finish(YESTERDAY + dt.timedelta(minutes=5))
    db.session.commit()
    assert card(lena, tiny["a"]).reviews == 1
    assert card(lena, tiny["a"]).last_fraction == 1.0, "the final answer is the one rated"
    assert card(lena, tiny["b"]).reviews == 1
    attempt.finish(TODAY)  # a second finish changes nothing
    assert card(lena, tiny["a"]).reviews == 1


def test_a_finished_test_moves_the_cards_practice_made_and_makes_the_others(ctx, tiny, lena):
    practise(lena, {"a": 1}, YESTERDAY - DAY)
    sit_test(lena, {"a": 0, "b": 1, "c": 0.5}, YESTERDAY)
    assert [card(lena, tiny[slug]).reviews for slug in "abc"] == [2, 1, 1]
    assert [card(lena, tiny[slug]).last_fraction for slug in "abc"] == [0.0, 1.0, 0.5]
    assert card(lena, tiny["a"]).last_review == YESTERDAY
    assert card(lena, tiny["a"]).card["recent"] == [0.0, 1.0]


def test_a_finished_test_rates_as_its_answers_would_one_at_a_time(ctx, tiny, lena):
    attempt = sit_test(lena, {"a": 0, "b": 1, "c": 0.5}, YESTERDAY)
    rated = {slug: card(lena, tiny[slug]) for slug in "abc"}
    other = make_user("olga")
    for item in attempt.items:
        review(other.id, item.version.question_id, item.response.fraction, attempt.finished_at)
    for slug, row in rated.items():
        alone = card(other.id, tiny[slug])
        assert (row.card, row.due, row.last_review) == (alone.card, alone.due, alone.last_review)


def test_a_question_left_unanswered_in_a_test_is_not_scheduled(ctx, tiny, lena):
    sit_test(lena, {"a": None, "b": 0}, YESTERDAY)
    assert card(lena, tiny["a"]) is None
    assert card(lena, tiny["b"]) is not None


def test_visitors_are_not_scheduled(ctx, tiny):
    practise(None, {"a": 0}, YESTERDAY, guest_key="visitor-key")
    assert db.session.scalar(db.select(db.func.count(ReviewCard.id))) == 0


def test_a_new_version_of_a_question_keeps_its_schedule(ctx, tiny, lena):
    practise(lena, {"a": 1}, YESTERDAY - 10 * DAY)
    edited = load_tiny_bank(
        "bank: tiny\ntitle: Tiny dates\nquestions:\n"
        '  - {id: a, type: date, prompt: "In what year was A?", answer: "2001"}\n'
    )
    assert edited["a"] == tiny["a"]
    practise(lena, {"a": 1}, YESTERDAY)
    row = card(lena, tiny["a"])
    assert row.reviews == 2
    assert db.session.scalar(db.select(db.func.count(ReviewCard.id))) == 1


def test_each_learner_has_their_own_schedule(ctx, tiny, lena):
    other = make_user("olek").id
    practise(other, {"a": 0}, YESTERDAY)
    practise(lena, {"a": 1}, YESTERDAY)
    assert due_ids(other, TODAY) == [tiny["a"]]
    assert due_ids(lena, TODAY) == []


def test_retired_questions_are_not_due(ctx, tiny, lena):
    practise(lena, {"a": 0, "b": 0}, YESTERDAY)
    load_tiny_bank(
        "bank: tiny\ntitle: Tiny dates\nquestions:\n"
        '  - {id: b, type: date, prompt: "Year of B?", answer: "2002", tags: [alpha]}\n'
    )
    assert due_ids(lena, TODAY) == [tiny["b"]]


def test_the_review_quiz_asks_at_most_ten_due_questions_most_overdue_first(ctx, tiny, lena):
    slugs = list(tiny)  # twelve questions, answered wrong an hour apart
    for hour, slug in enumerate(slugs):
        practise(lena, {slug: 0}, YESTERDAY - dt.timedelta(hours=12 - hour))
    attempt = quizzes.start_review(lena, TODAY, length=10)
    assert attempt.mode == "practice"
    assert [item.version.question_id for item in attempt.items] == [tiny[s] for s in slugs[:10]]


def test_the_review_quiz_leaves_out_questions_of_an_unfinished_test(ctx, tiny, lena):
    practise(lena, {"a": 0, "b": 0}, YESTERDAY)
    sit_test(lena, {"a": None}, TODAY, finish=False)
    attempt = quizzes.start_review(lena, TODAY, length=10)
    assert [item.version.question_id for item in attempt.items] == [tiny["b"]]


def test_nothing_due_starts_no_review_quiz(ctx, tiny, lena):
    practise(lena, {"a": 1}, YESTERDAY)
    assert quizzes.start_review(lena, TODAY, length=10) is None


def test_answering_a_review_question_reschedules_it(ctx, tiny, lena):
    practise(lena, {"a": 0}, YESTERDAY)
    attempt = quizzes.start_review(lena, TODAY, length=10)
    answering.record_answer(attempt, attempt.items[0], "2001", TODAY)
    db.session.commit()
    assert due_ids(lena, TODAY) == []
    assert card(lena, tiny["a"]).reviews == 2
