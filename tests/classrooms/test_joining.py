"""Learners join a class with its code or its link, see their classes, and leave."""

from __future__ import annotations

import pytest

from quizapp.extensions import db
from quizapp.models import Membership


@pytest.fixture
def setup(app, client, school):
    teacher = school.teacher("tess", "Tess")
    class_id = school.classroom(teacher, "History 9B")
    learner = school.learner("lena", "Lena")
    school.log_in(client, learner)
    return {
        "teacher": teacher,
        "class_id": class_id,
        "learner": learner,
        "code": school.code(class_id),
    }


def members(app, class_id: int) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                db.select(Membership.user_id).where(Membership.classroom_id == class_id)
            )
        )


def test_the_home_page_has_a_form_to_join_a_class(client, setup):
    page = client.get("/").text
    assert 'action="/join"' in page
    assert "Join a class with its code" in page


def join_by_code(client, code: str):
    """Type the code, then say yes on the page that asks: return the last response."""
    asked = client.post("/join", data={"code": code})
    assert asked.status_code == 302, asked.text
    return client.post(asked.headers["Location"])


@pytest.mark.parametrize("spelling", [str.upper, str.lower, lambda c: f" {c[:3]}-{c[3:]} "])
def test_a_learner_joins_with_the_code_in_any_spelling(app, client, setup, spelling):
    response = join_by_code(client, spelling(setup["code"]))
    assert response.status_code == 302
    assert response.headers["Location"] == "/classes"
    assert members(app, setup["class_id"]) == [setup["learner"]]
    page = client.get("/classes").text
    assert "You joined History 9B." in page
    assert "History 9B" in page


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Type the code your teacher gave you."),
        ("ZZ", "No class has this code."),
        ("x" * 25, "A class code has 6 characters."),
    ],
)
def test_a_wrong_code_is_refused_with_a_message_and_kept_in_the_box(
    app, client, setup, code, message
):
    if code == "ZZ":
        code = "ZZZZZZ" if setup["code"] != "ZZZZZZ" else "YYYYYY"
    response = client.post("/join", data={"code": code})
    assert response.status_code == 422
    assert message in response.text
    if code:
        assert f'value="{code}"' in response.text
    assert members(app, setup["class_id"]) == []


def test_a_code_typed_in_asks_the_same_consent_as_the_link_before_joining(app, client, setup):
    response = client.post("/join", data={"code": setup["code"].lower()}, follow_redirects=True)
    assert "Join History 9B?" in response.text
    assert "Your teacher will see your name" in response.text
    assert members(app, setup["class_id"]) == [], "nothing happens before the learner agrees"
    by_link = client.get(f"/join/{setup['code']}").text
    consent = 'class="consent">'
    assert consent in by_link
    assert response.text.split(consent)[1][:200] == by_link.split(consent)[1][:200]


def test_no_way_in_skips_the_consent(app, setup):
    from quizapp.classrooms import rosters
    from quizapp.models import Classroom, User

    with app.app_context():
        classroom = db.session.get(Classroom, setup["class_id"])
        with pytest.raises(rosters.ConsentMissing):
            rosters.join(classroom, db.session.get(User, setup["learner"]), consented=False)
    assert members(app, setup["class_id"]) == []


def test_the_join_link_asks_first_and_joining_is_a_post(app, client, setup):
    page = client.get(f"/join/{setup['code']}")
    assert page.status_code == 200
    assert "Join History 9B?" in page.text
    assert f'action="/join/{setup["code"]}"' in page.text
    assert members(app, setup["class_id"]) == []  # a GET changes nothing
    response = client.post(f"/join/{setup['code']}")
    assert response.status_code == 302
    assert members(app, setup["class_id"]) == [setup["learner"]]
    assert "You are already in this class." in client.get(f"/join/{setup['code']}").text


def test_the_join_link_works_in_lower_case_too(client, setup):
    assert client.get(f"/join/{setup['code'].lower()}").status_code == 200


def test_an_unknown_join_link_is_a_clear_404(client, setup):
    response = client.get("/join/ABC")
    assert response.status_code == 404
    assert "No class has this code." in response.text
    assert client.post("/join/ABC").status_code == 404


def test_joining_twice_makes_one_membership(app, client, setup):
    join_by_code(client, setup["code"])
    response = client.post(f"/join/{setup['code']}", follow_redirects=True)
    assert "You are already in History 9B." in response.text
    assert members(app, setup["class_id"]) == [setup["learner"]]


def test_a_visitor_is_asked_to_log_in_and_comes_back_to_the_link(app, setup):
    visitor = app.test_client()
    response = visitor.get(f"/join/{setup['code']}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")
    assert setup["code"] in response.headers["Location"]
    assert visitor.post("/join", data={"code": setup["code"]}).status_code == 302
    assert members(app, setup["class_id"]) == []


def test_a_teacher_cannot_join_a_class(app, school, setup):
    other = app.test_client()
    school.log_in(other, school.teacher("otto"))
    response = other.post("/join", data={"code": setup["code"]})
    assert response.status_code == 403
    assert "Teachers cannot join classes" in response.text
    assert other.get(f"/join/{setup['code']}").status_code == 403
    assert members(app, setup["class_id"]) == []


def test_a_learner_sees_only_the_classes_they_joined(app, client, school, setup):
    other = school.classroom(setup["teacher"], "Geography 7A")
    school.assignment(other, title="Rivers")
    join_by_code(client, setup["code"])
    page = client.get("/classes").text
    assert "History 9B" in page
    assert "Geography 7A" not in page
    assert "Rivers" not in client.get("/").text


def test_a_learner_leaves_a_class(app, client, setup):
    join_by_code(client, setup["code"])
    response = client.post(f"/classes/{setup['class_id']}/leave", follow_redirects=True)
    assert "You left History 9B." in response.text
    assert members(app, setup["class_id"]) == []
    # Leaving a class one is not in: 404, as for any class of others.
    assert client.post(f"/classes/{setup['class_id']}/leave").status_code == 404


def test_without_a_csrf_token_joining_and_leaving_change_nothing(app, client, setup):
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/join", data={"code": setup["code"]}).status_code == 400
    assert client.post(f"/join/{setup['code']}").status_code == 400
    assert members(app, setup["class_id"]) == []
    app.config["WTF_CSRF_ENABLED"] = False
    join_by_code(client, setup["code"])
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/classes/{setup['class_id']}/leave").status_code == 400
    assert members(app, setup["class_id"]) == [setup["learner"]]


# Wrong codes are throttled, so that codes cannot be found by trying them in turn.


def test_production_allows_ten_wrong_class_codes_a_minute():
    from quizapp.config import Defaults

    assert Defaults.JOIN_RATE_LIMIT == "10 per minute"


def test_past_the_wrong_codes_allowed_every_join_page_gets_429_even_with_the_right_code(
    app, client, setup
):
    app.config["JOIN_RATE_LIMIT"] = "3 per minute"
    assert client.post("/join", data={"code": "ZZZZZZ"}).status_code == 422
    assert client.get("/join/YYYYYY").status_code == 404
    assert client.post("/join/XXXXXX").status_code == 404
    assert client.post("/join", data={"code": setup["code"]}).status_code == 429
    assert client.get(f"/join/{setup['code']}").status_code == 429
    assert members(app, setup["class_id"]) == []


def test_wrong_codes_count_per_learner_and_right_ones_never(app, client, setup, school):
    app.config["JOIN_RATE_LIMIT"] = "2 per minute"
    for _ in range(3):
        assert client.get(f"/join/{setup['code']}").status_code == 200
    client.post("/join", data={"code": "ZZZZZZ"})
    client.post("/join", data={"code": "ZZZZZZ"})
    assert client.post("/join", data={"code": "ZZZZZZ"}).status_code == 429

    other = app.test_client()
    school.log_in(other, school.learner("olek", "Olek"))
    assert other.post("/join", data={"code": setup["code"]}).status_code == 302


def test_wrong_codes_count_per_client_address_too_so_new_accounts_buy_no_tries(app, setup, school):
    app.config["JOIN_ADDRESS_RATE_LIMIT"] = "4 per minute"
    codes = []
    for n in range(5):
        learner = app.test_client()
        school.log_in(learner, school.learner(f"sock{n}", "Sock"))
        codes.append(learner.post("/join", data={"code": "ZZZZZZ"}).status_code)
    assert codes == [422, 422, 422, 422, 429]
