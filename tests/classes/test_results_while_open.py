"""A test assignment keeps its answers hidden from those who finished until it closes."""

from __future__ import annotations

import datetime as dt

from classes.school import take

from quizapp.models import utcnow


def setup_class(client, school, **times):
    teacher = school.teacher("tess", "Tess")
    class_id = school.classroom(teacher)
    learner = school.learner("lena", "Lena")
    school.enrol(class_id, learner)
    school.log_in(client, learner)
    return school.assignment(class_id, **times)


def test_results_hide_the_answers_while_classmates_may_still_take_the_test(app, client, school):
    assignment_id = setup_class(client, school, closes_at=utcnow() + dt.timedelta(days=1))
    attempt_id = take(app, client, assignment_id, right=1)
    page = client.get(f"/quiz/{attempt_id}/results").text
    assert "1 / 3" in page
    assert "Correct answer:" not in page and "correct-answer" not in page
    assert "appear here when the assignment closes" in page
    assert page.count("Your answer:") == 3


def test_results_show_the_answers_once_the_assignment_has_closed(app, client, school):
    assignment_id = setup_class(client, school, closes_at=utcnow() + dt.timedelta(days=1))
    attempt_id = take(app, client, assignment_id, right=1)
    school.set_times(assignment_id, closes_at=utcnow() - dt.timedelta(minutes=1))
    page = client.get(f"/quiz/{attempt_id}/results").text
    assert page.count("Correct answer:") == 3


def test_an_assignment_without_a_closing_time_shows_the_answers_at_once(app, client, school):
    attempt_id = take(app, client, setup_class(client, school), right=0)
    assert client.get(f"/quiz/{attempt_id}/results").text.count("Correct answer:") == 3
