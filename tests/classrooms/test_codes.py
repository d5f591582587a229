"""Join codes: short, unambiguous, unique, typed in any spelling, replaced on demand."""

from __future__ import annotations

import pytest

from quizapp.classrooms import codes
from quizapp.extensions import db
from quizapp.models import Classroom


def test_a_code_has_six_characters_none_of_them_easy_to_confuse():
    for _ in range(200):
        code = codes.new_code()
        assert len(code) == 6
        assert set(code) <= set(codes.ALPHABET)
    assert not set("01OILU") & set(codes.ALPHABET)


@pytest.mark.parametrize("typed", ["abc234", " ABC 234 ", "abc-234", "AbC-2 3 4"])
def test_a_typed_code_is_read_whatever_its_case_spaces_and_dashes(typed):
    assert codes.normalise_code(typed) == "ABC234"


@pytest.mark.parametrize("typed", ["", "ABC23", "ABC2345", "ABC10O", "ABC23!", "ÄBC234"])
def test_a_malformed_code_is_not_well_formed(typed):
    assert not codes.is_well_formed(codes.normalise_code(typed))


def test_a_class_is_found_by_its_code_in_any_spelling(app, school):
    class_id = school.classroom(school.teacher())
    code = school.code(class_id)
    with app.app_context():
        assert codes.find_class(code.lower()).id == class_id
        assert codes.find_class(f" {code[:3]}-{code[3:]} ").id == class_id
        assert codes.find_class("ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY") is None
        assert codes.find_class("not a code") is None


def test_every_class_gets_its_own_code(app, school):
    teacher = school.teacher()
    ids = [school.classroom(teacher, f"Class {n}") for n in range(30)]
    assert len({school.code(class_id) for class_id in ids}) == 30


def test_a_code_taken_by_another_class_is_drawn_again(app, school, monkeypatch):
    teacher = school.teacher()
    taken = school.code(school.classroom(teacher, "First"))
    drawn = iter([taken, taken, "XYZ234"])
    monkeypatch.setattr(codes, "new_code", lambda: next(drawn))
    assert school.code(school.classroom(teacher, "Second")) == "XYZ234"


def test_a_new_code_replaces_the_old_one(app, school):
    class_id = school.classroom(school.teacher())
    old = school.code(class_id)
    with app.app_context():
        classroom = db.session.get(Classroom, class_id)
        new = codes.issue_code(classroom)
        db.session.commit()
        assert new != old
        assert codes.find_class(old) is None
        assert codes.find_class(new).id == class_id
