"""A test assignment holds its answers back from those who finished it: until it closes,
or, with no closing time, until the teacher releases them."""

from __future__ import annotations

import datetime as dt

from classrooms.school import take

from quizapp.models import utcnow


def setup_class(client, school, **times):
    teacher = school.teacher("tess", "Tess")
    class_id = school.classroom(teacher)
    learner = school.learner("lena", "Lena")
    school.enrol(class_id, learner)
    school.log_in(client, learner)
    return teacher, class_id, school.assignment(class_id, **times)


def test_results_hold_back_every_answer_while_classmates_may_still_take_the_test(
    app, client, school
):
    _, _, assignment_id = setup_class(client, school, closes_at=utcnow() + dt.timedelta(days=1))
    attempt_id = take(app, client, assignment_id, right=1)
    page = client.get(f"/quiz/{attempt_id}/results").text
    assert "1 / 3" in page
    assert "Correct answer:" not in page and "correct-answer" not in page
    assert "held back" in page and "until the assignment closes" in page
    assert page.count("Your answer:") == 3


def test_results_held_back_tell_nothing_per_question_that_tells_right_from_wrong(
    app, client, school
):
    _, _, assignment_id = setup_class(client, school, closes_at=utcnow() + dt.timedelta(days=1))
    attempt_id = take(app, client, assignment_id, right=1)
    page = client.get(f"/quiz/{attempt_id}/results").text
    for telltale in ("Credit:", "Right!", "Not quite", "Partly right", "verdict", "Correct"):
        assert telltale not in page


def test_the_summary_of_an_open_test_says_answered_never_right_or_wrong(app, client, school):
    _, _, assignment_id = setup_class(client, school, closes_at=utcnow() + dt.timedelta(days=1))
    attempt_id = take(app, client, assignment_id, right=1)
    page = client.get(f"/quiz/{attempt_id}/results").text
    assert page.count('class="mark-answered"') == 3
    for telltale in ("mark-right", "mark-wrong", "mark-partial", "row-right", "row-wrong"):
        assert telltale not in page


def test_results_show_the_answers_once_the_assignment_has_closed(app, client, school):
    _, _, assignment_id = setup_class(client, school, closes_at=utcnow() + dt.timedelta(days=1))
    attempt_id = take(app, client, assignment_id, right=1)
    school.set_times(assignment_id, closes_at=utcnow() - dt.timedelta(minutes=1))
    page = client.get(f"/quiz/{attempt_id}/results").text
    assert page.count("Correct answer:") == 3


def test_a_test_without_a_closing_time_holds_its_answers_until_the_teacher_releases_them(
    app, client, school
):
    teacher_id, class_id, assignment_id = setup_class(client, school)
    attempt_id = take(app, client, assignment_id, right=0)
    page = client.get(f"/quiz/{attempt_id}/results").text
    assert "Correct answer:" not in page
    assert "until your teacher releases them" in page
    teacher = app.test_client()
    school.log_in(teacher, teacher_id)
    detail = teacher.get(f"/teach/classes/{class_id}").text
    assert "until you release them" in detail
    released = teacher.post(f"/teach/classes/{class_id}/assignments/{assignment_id}/release")
    assert released.status_code == 302
    assert client.get(f"/quiz/{attempt_id}/results").text.count("Correct answer:") == 3


def test_only_the_classes_teacher_can_release_a_tests_answers(app, client, school):
    _, class_id, assignment_id = setup_class(client, school)
    attempt_id = take(app, client, assignment_id, right=0)
    intruder = app.test_client()
    school.log_in(intruder, school.teacher("otto", "Otto"))
    answer = intruder.post(f"/teach/classes/{class_id}/assignments/{assignment_id}/release")
    assert answer.status_code == 404
    assert "Correct answer:" not in client.get(f"/quiz/{attempt_id}/results").text


def test_retaking_the_mistakes_of_a_test_is_not_offered_while_its_answers_are_held(
    app, client, school
):
    _, _, assignment_id = setup_class(client, school, closes_at=utcnow() + dt.timedelta(days=1))
    attempt_id = take(app, client, assignment_id, right=0)
    assert "Retake my mistakes" not in client.get(f"/quiz/{attempt_id}/results").text
    retake = client.post(f"/review/mistakes/{attempt_id}")
    assert retake.status_code == 302
    assert "/results" in retake.headers["Location"]
