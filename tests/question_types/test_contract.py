"""Every registered question type fulfils the whole contract of base.QuestionType.

Each type is tried on its fixture bank (tests/fixtures/banks/<type>.yaml): what the
class says of a question must hold together (its right response scores 1 through the
page's own fields, its wrong one 0, and so on), so that no part of the app needs to
know which type it holds.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import yaml
from werkzeug.datastructures import MultiDict

from quizapp.banks.loader import LoadedBank
from quizapp.banks.moodle_xml import parse_moodle_xml
from quizapp.banks.moodle_xml_export import dump_moodle_xml
from quizapp.grading import grade
from quizapp.question_types import TYPES
from quizapp.question_types.base import AnkiFields, CannotWrite, QuestionType
from quizapp.question_types.editor import QuestionForm

FIXTURES = Path(__file__).parent.parent / "fixtures" / "banks"
TEMPLATES = Path(__file__).parents[2] / "quizapp" / "templates"


def fixture_questions(name: str) -> list[dict]:
    """The type's fixture questions as the loader keeps them (normalised by their Spec)."""
    raw = yaml.safe_load((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))["questions"]
    return [TYPES[name].spec(q).model_dump(mode="json", exclude_none=True) for q in raw]


def as_form(fields: dict) -> MultiDict:
    form = MultiDict()
    for name, value in fields.items():
        for one in value if isinstance(value, list) else [value]:
            form.add(name, one)
    return form


CASES = [(name, q) for name in TYPES for q in fixture_questions(name)]


def test_every_type_has_a_fixture_bank():
    assert sorted(p.stem for p in FIXTURES.glob("*.yaml")) == sorted(TYPES)


@pytest.mark.parametrize("name", list(TYPES))
def test_a_type_names_itself_its_spec_its_rule_its_template_and_its_place(name):
    kind = TYPES[name]
    assert issubclass(kind, QuestionType) and kind.name == name
    assert kind.Spec.model_fields["type"].annotation.__args__ == (name,)
    assert kind.label.strip() and kind.SCORING_RULE.strip() and isinstance(kind.rank, int)
    assert (TEMPLATES / kind.template()).is_file()
    assert kind.hint.strip()
    assert issubclass(kind.editor, QuestionForm) and name == kind.editor.TYPE
    assert kind.editor.kind() is kind
    assert (TEMPLATES / kind.editor_template()).is_file()


def test_types_are_listed_in_rank_order():
    ranks = [kind.rank for kind in TYPES.values()]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)


@pytest.mark.parametrize(
    ("name", "question"), CASES, ids=lambda c: c if isinstance(c, str) else c["id"]
)
class TestOnAFixtureQuestion:
    def test_its_right_response_scores_one_through_the_pages_own_fields(self, name, question):
        kind = TYPES[name]
        view = kind.present(question, random.Random(3))
        fields = kind.form_fields(view, kind.correct_response(question))
        response, error = kind.read_form(view, as_form(fields))
        assert error is None
        assert grade(question, response).fraction == 1.0
        assert kind.form_fields(view, response) == fields

    def test_its_wrong_response_scores_nothing(self, name, question):
        kind = TYPES[name]
        view = kind.present(question, random.Random(3))
        response, error = kind.read_form(
            view, as_form(kind.form_fields(view, kind.wrong_response(question, view)))
        )
        assert error is None and grade(question, response).fraction == 0.0

    def test_its_view_is_plain_data_that_owes_nothing_to_the_right_answer(self, name, question):
        kind = TYPES[name]
        view = kind.present(question, random.Random(3))
        assert json.loads(json.dumps(view)) == view
        answer = kind.answer_text(question)
        assert answer.strip() and kind.scoring_rule(question).strip()

    def test_it_writes_responses_for_people_and_keys_them_for_item_analysis(self, name, question):
        kind = TYPES[name]
        response = kind.correct_response(question)
        assert kind.format_response(response).strip()
        key, shown = kind.response_key(question, response)
        assert hash(key) is not None and shown.strip()

    def test_it_says_what_its_anki_note_shows_with_the_teachers_text_escaped(self, name, question):
        kind = TYPES[name]
        hostile = {**question, "prompt": "<script>alert(1)</script> & <b>"}
        shown = kind.anki_fields(hostile)
        assert isinstance(shown, AnkiFields)
        assert shown.front.startswith("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;")
        assert shown.back.strip() and "<script" not in shown.back
        assert shown.typed is None or shown.typed.strip()

    def test_it_writes_itself_as_gift_or_says_why_it_cannot(self, name, question):
        kind = TYPES[name]
        try:
            answers = kind.gift_answers(question)
        except CannotWrite as exc:  # a cloze of several gaps: GIFT has room for one
            assert str(exc).strip()
            return
        assert answers and all(isinstance(a, str) for a in answers)
        if kind.gift_carrier is not None:  # a type GIFT lacks: brought back by its marker
            assert ("quizapp", name) in kind.gift_fields(question)

    def test_it_writes_itself_as_moodle_xml_that_imports_back_as_itself(self, name, question):
        bank = LoadedBank(slug="contract", title="Contract", description=None, source=None,
                          questions=[question])  # fmt: skip
        data, notes = dump_moodle_xml(bank)
        assert not any(" left out" in note for note in notes), notes
        [back] = parse_moodle_xml(data, "c.xml", bank="contract", title="Contract").bank.questions
        assert back["type"] == name
        assert grade(back, TYPES[name].correct_response(question)).fraction == 1.0

    def test_it_says_what_it_shows_and_what_would_give_it_away(self, name, question):
        kind = TYPES[name]
        shown = kind.shown_texts(question)
        assert shown[0] == kind.spec(question).prompt
        clues = kind.answer_clues(question)
        assert all(isinstance(c, tuple) and all(isinstance(t, str) for t in c) for c in clues)
