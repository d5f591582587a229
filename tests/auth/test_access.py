"""teacher_required: visitors are asked to log in, learners refused, teachers let in."""

from __future__ import annotations

import pytest

from quizapp.access import teacher_required


@pytest.fixture
def teacher_page(app) -> str:
    @teacher_required
    def staff_room():
        return "the staff room"

    app.add_url_rule("/test/staff-room", "staff_room", staff_room)
    return "/test/staff-room"


def test_a_visitor_is_sent_to_log_in_and_back(client, teacher_page):
    response = client.get(teacher_page)
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=%2Ftest%2Fstaff-room"


def test_a_learner_gets_a_friendly_403(client, auth, teacher_page):
    auth.create("lena")
    auth.login("lena")
    response = client.get(teacher_page)
    assert response.status_code == 403
    assert "You cannot open this page" in response.text
    assert "the staff room" not in response.text


def test_a_teacher_gets_in(client, auth, teacher_page):
    auth.create("tom", role="teacher")
    auth.login("tom")
    response = client.get(teacher_page)
    assert response.status_code == 200
    assert response.text == "the staff room"


def test_the_decorator_keeps_the_views_name():
    @teacher_required
    def gradebook():
        """Show the grades."""

    assert gradebook.__name__ == "gradebook"
    assert gradebook.__doc__ == "Show the grades."
