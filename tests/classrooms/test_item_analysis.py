"""Item analysis on a known history, every figure worked out by hand."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from classrooms.school import live_versions, record_attempt

from quizapp.classrooms import rosters
from quizapp.classrooms.item_analysis import (
    ItemResult,
    WrongAnswer,
    analyse,
    answer_key,
    correlation,
    item_analysis,
)
from quizapp.extensions import db
from quizapp.models import Assignment, Classroom

SPECS = {
    1: {"id": "q1", "type": "text", "prompt": "Capital of Lithuania?", "answer": "Vilnius"},
    2: {"id": "q2", "type": "text", "prompt": "Capital of Latvia?", "answer": "Riga"},
    3: {"id": "q3", "type": "text", "prompt": "Capital of Belarus?", "answer": "Minsk"},
}

#: Four learners, three questions: (credit, answer) per question; None = left blank.
#:            q1                 q2               q3
HISTORY = [
    [(1, "Vilnius"), (1, "Riga"), (1, "Minsk")],  # L1: 3
    [(1, "Vilnius"), (0, "Tallinn"), (1, "Minsk")],  # L2: 2
    [(0, "riga "), (1, "Riga"), None],  # L3: 1
    [(0, "Kaunas"), (0, "TALLINN"), (0.5, "Minks?")],  # L4: 0.5
]


def as_items(history) -> list[list[ItemResult]]:
    return [
        [
            ItemResult(version_id, 0.0, None, answered=False)
            if answer is None
            else ItemResult(version_id, float(answer[0]), answer[1])
            for version_id, answer in enumerate(attempt, start=1)
        ]
        for attempt in history
    ]


def by_version(stats):
    return {s.version_id: s for s in stats}


def test_facility_is_the_share_of_full_credit_and_the_mean_credit():
    stats = by_version(analyse(as_items(HISTORY), SPECS))
    # q1: 1, 1, 0, 0        q2: 1, 0, 1, 0        q3: 1, 1, 0 (blank), 0.5
    assert (stats[1].seen, stats[1].full_credit, stats[1].facility) == (4, 2, 0.5)
    assert stats[1].mean_fraction == 0.5
    assert (stats[2].facility, stats[2].mean_fraction) == (0.5, 0.5)
    assert (stats[3].facility, stats[3].mean_fraction) == (0.5, 0.625)
    assert stats[3].unanswered == 1


def test_discrimination_is_the_correlation_with_the_rest_of_the_attempt():
    """Rest score: the mean credit on the attempt's other questions.

    q1: credit 1, 1, 0, 0 against rest 1, .5, .5, .25 (means .5 and .5625).
        Sxy = .5(.4375) + .5(-.0625) - .5(-.0625) - .5(-.3125) = .375; Sxx = 1;
        Syy = .4375² + .0625² + .0625² + .3125² = 19/64; r = .375 / √(19/64) = 3/√19.
    q2: credit 1, 0, 1, 0 against rest 1, 1, 0, .25: Sxy = -.125, Syy = 51/64, r = -1/√51.
    q3: credit 1, 1, 0, .5 against rest 1, .5, .5, 0: Sxy = .25, Sxx = 11/16, Syy = .5,
        r = .25 / √(11/32) = √(2/11).
    """
    stats = by_version(analyse(as_items(HISTORY), SPECS))
    assert stats[1].discrimination == pytest.approx(3 / math.sqrt(19))
    assert stats[2].discrimination == pytest.approx(-1 / math.sqrt(51))
    assert stats[3].discrimination == pytest.approx(math.sqrt(2 / 11))


def test_the_hardest_questions_come_first_and_the_confusing_one_is_flagged():
    stats = analyse(as_items(HISTORY), SPECS)
    assert [s.version_id for s in stats] == [1, 2, 3]  # mean .5, .5 (by id), .625
    assert [s.flagged for s in stats] == [False, True, False]  # q2 separates nobody


def test_a_question_is_flagged_only_once_enough_learners_saw_it_and_says_why():
    everyone_wrong = [[(0, "Riga"), (1, "Minsk"), (1, "Minsk")]]
    for learners, flagged in ((1, False), (2, False), (3, True)):
        stats = by_version(analyse(as_items(everyone_wrong * learners), SPECS))
        assert stats[1].flagged is flagged, learners
    assert stats[1].flag_reason == "few get it right: mean credit 0%"
    assert by_version(analyse(as_items(HISTORY), SPECS))[2].flag_reason == (
        "strong and weak learners do about as well on it"
    )


def test_wrong_answers_are_grouped_as_the_grader_reads_them_most_common_first():
    stats = by_version(analyse(as_items(HISTORY), SPECS))
    assert stats[1].wrong_answers == [WrongAnswer("riga", 1), WrongAnswer("Kaunas", 1)]
    assert stats[2].wrong_answers == [WrongAnswer("Tallinn", 2)]  # and "TALLINN"
    assert stats[3].wrong_answers == [WrongAnswer("Minks?", 1)]  # partial credit is not full


def test_discrimination_needs_three_learners_whose_scores_differ():
    two = analyse(as_items(HISTORY[:2]), SPECS)
    assert all(s.discrimination is None for s in two)
    same = [[(1, "Vilnius"), (0, "x"), (1, "Minsk")]] * 4
    assert all(s.discrimination is None for s in analyse(as_items(same), SPECS))


def test_correlation_of_perfectly_related_and_unrelated_figures():
    assert correlation([0, 1, 2], [1, 3, 5]) == pytest.approx(1.0)
    assert correlation([0, 1, 2], [5, 3, 1]) == pytest.approx(-1.0)
    assert correlation([1, 1, 1], [1, 2, 3]) is None
    assert correlation([1], [1]) is None


@pytest.mark.parametrize(
    ("spec", "answers", "shown"),
    [
        ({"type": "text"}, ["Rīga", " riga ", "RIGA"], "Rīga"),
        ({"type": "number"}, ["680 km", "680km", "680.0 km"], "680 km"),
        ({"type": "number"}, ["13,000", "13000"], "13,000"),
        ({"type": "date"}, ["24 October 1991", "24.10.1991", "1991-10-24"], "24 October 1991"),
        ({"type": "multi"}, [["Poland", "Latvia"], ["Latvia", "Poland"]], "Latvia, Poland"),
        (
            {"type": "match", "pairs": {"a": "1", "b": "2"}},
            [{"a": "2", "b": "1"}, {"b": "1", "a": "2"}],
            "a → 2; b → 1",
        ),
        ({"type": "truefalse"}, [True], "True"),
        ({"type": "order"}, [["x", "y"]], "x → y"),
    ],
)
def test_answers_that_the_grader_reads_alike_share_a_key(spec, answers, shown):
    keys = {answer_key(spec, answer)[0] for answer in answers}
    assert len(keys) == 1
    assert answer_key(spec, answers[0])[1] == shown


def test_different_answers_keep_different_keys():
    assert answer_key({"type": "number"}, "680 km")[0] != answer_key({"type": "number"}, "680")[0]
    assert answer_key({"type": "text"}, "Minsk")[0] != answer_key({"type": "text"}, "Pinsk")[0]


# The same history, taken in a class


@pytest.fixture
def taken(app, school):
    """The four learners of HISTORY on three text questions, plus attempts that must not count:
    L4's second attempt, an attempt in progress, and a removed learner's attempt."""
    versions = live_versions(app)
    ids = [
        versions["capital-of-lithuania"],
        versions["capital-of-belarus"],
        versions["border-length"],
    ]
    teacher = school.teacher()
    class_id = school.classroom(teacher)
    learners = [school.learner(f"learner{n}") for n in range(1, 7)]
    school.enrol(class_id, *learners)
    assignment = school.assignment(class_id, question_count=3, attempts_allowed=None)
    other = school.assignment(class_id, title="Another", question_count=3)
    start = dt.datetime(2030, 3, 1, 9)
    finish = start + dt.timedelta(hours=1)
    for learner, attempt in zip(learners, HISTORY, strict=False):
        answers = [None if a is None else (a[1], a[0]) for a in attempt]  # (value, credit)
        record_attempt(app, learner, assignment, 1, ids, answers, started=start, finished=finish)
    l4, l5, l6 = learners[3:]
    record_attempt(app, l4, assignment, 2, ids, [("x", 1)] * 3, started=finish, finished=finish)
    record_attempt(app, l5, assignment, 1, ids, [("x", 0)] * 3, started=finish)  # in progress
    record_attempt(app, l6, assignment, 1, ids, [("x", 1)] * 3, started=start, finished=finish)
    record_attempt(app, l6, other, 1, ids, [("x", 1)] * 3, started=start, finished=finish)
    with app.app_context():
        rosters.leave(db.session.get(Classroom, class_id), l6)
        db.session.commit()
    return {"class_id": class_id, "assignment": assignment, "ids": ids}


def test_item_analysis_of_an_assignment_counts_each_learners_first_finished_attempt(app, taken):
    with app.app_context():
        classroom = db.session.get(Classroom, taken["class_id"])
        stats, counted = item_analysis(
            classroom, db.session.get(Assignment, taken["assignment"]), dt.datetime(2030, 3, 2)
        )
    assert counted == 4
    q1, q2, q3 = (by_version(stats)[version_id] for version_id in taken["ids"])
    assert (q1.facility, q1.mean_fraction) == (0.5, 0.5)
    assert q1.discrimination == pytest.approx(3 / math.sqrt(19))
    assert q2.discrimination == pytest.approx(-1 / math.sqrt(51))
    assert q3.discrimination == pytest.approx(math.sqrt(2 / 11))
    assert q3.unanswered == 1
    assert q2.wrong_answers == [WrongAnswer("Tallinn", 2)]
    # Equally common: the first given comes first, as in the definition (`analyse`).
    assert q1.wrong_answers == [WrongAnswer("riga", 1), WrongAnswer("Kaunas", 1)]
    assert (q1.bank_title, q1.answer_text) == ("Capitals and dates", "Vilnius")


def test_item_analysis_of_a_class_spans_its_assignments_for_current_learners(app, taken):
    with app.app_context():
        classroom = db.session.get(Classroom, taken["class_id"])
        _, counted = item_analysis(classroom, None, dt.datetime(2030, 3, 2))
    assert counted == 4  # the removed learner's attempt at "Another" is left out
