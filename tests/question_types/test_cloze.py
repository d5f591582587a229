"""The cloze type: a passage with gaps, each gap scored by its own type, the question by
the mean of its gaps weighted by their marks."""

import random
import re
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError
from werkzeug.datastructures import MultiDict

from quizapp.banks.gift import dump_gift, parse_gift
from quizapp.banks.issues import BankError
from quizapp.banks.loader import LoadedBank, check_bank
from quizapp.question_types import Unanswered
from quizapp.question_types.cloze import Cloze, Spec

BANK = Path(__file__).parents[1] / "fixtures" / "banks" / "cloze.yaml"
SEEDS = Path(__file__).parents[2] / "seeds"
QUESTIONS = {q["id"]: q for q in yaml.safe_load(BANK.read_text(encoding="utf-8"))["questions"]}
VOIVODESHIPS = QUESTIONS["voivodeships"]  # a number gap and a drop-down
BORDER = QUESTIONS["border-and-capital"]  # a number gap of mark 2 (km) and a typed gap
UPRISINGS = QUESTIONS["uprisings"]  # one typed gap


def question(**changes):
    return {**VOIVODESHIPS, **changes}


def test_every_fixture_question_is_a_valid_cloze():
    for item in QUESTIONS.values():
        Spec.model_validate(item)


# Scoring: each gap as its type scores it


@pytest.mark.parametrize(
    ("response", "fraction"),
    [
        (["3", "Belarusian"], 1.0),
        (["3", "Polish"], 0.5),
        (["6", "Belarusian"], 0.5),
        (["6", "Polish"], 0.0),
        ([None, "Belarusian"], 0.5),  # a gap left blank scores 0, the rest still count
    ],
)
def test_the_score_is_the_mean_of_the_gaps_scores(response, fraction):
    assert Cloze.grade(VOIVODESHIPS, response).fraction == pytest.approx(fraction)


def test_a_gaps_mark_weighs_it_among_the_gaps():
    assert Cloze.grade(BORDER, ["680 km", "Minsk"]).fraction == pytest.approx(2 / 3)
    assert Cloze.grade(BORDER, ["999", "Vilnius"]).fraction == pytest.approx(1 / 3)
    assert "weighted by their marks" in Cloze.scoring_rule(BORDER)
    assert "weighted" not in Cloze.scoring_rule(VOIVODESHIPS)


def test_each_gap_keeps_its_types_leniency_and_partial_credit():
    # The typed gap accepts its other spellings; the number gap its tolerance and unit,
    # and half credit within 10 %.
    assert Cloze.grade(BORDER, ["683 kilometres", "Wilno"]).fraction == 1.0
    assert Cloze.grade(BORDER, ["640", "Vilnius"]).fraction == pytest.approx(2 / 3)


def test_the_feedback_says_how_each_gap_went():
    grade = Cloze.grade(VOIVODESHIPS, ["3", None])
    assert grade.feedback.startswith("Gap 1: Correct.")
    assert "Gap 2: No answer was given." in grade.feedback
    assert Cloze.grade(VOIVODESHIPS, ["3", "Belarusian"]).feedback == (
        "Correct: every gap is right."
    )


@pytest.mark.parametrize("response", ["3", ["3"], ["3", "Belarusian", "x"], None, 3])
def test_a_response_that_does_not_fill_the_gaps_scores_zero_and_says_so(response):
    grade = Cloze.grade(VOIVODESHIPS, response)
    assert grade.fraction == 0.0 and "2 gaps" in grade.feedback


def test_the_answer_is_the_text_with_the_gaps_filled():
    assert Cloze.answer_text(VOIVODESHIPS) == (
        "From 1569 to 1772, 3 of the nine Lithuanian voivodeships were ethnically "
        "Lithuanian; the remaining six were Belarusian."
    )
    assert "680 km" in Cloze.answer_text(BORDER)


# What a bank may write


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("From 1569 {1} to 1772 {1}.", "once, in order: {1}, {2} (it has {1}, {1})"),
        ("Only {1} here.", "once, in order: {1}, {2} (it has {1})"),
        ("{2} then {1}.", "(it has {2}, {1})"),
        ("No gaps at all.", "mark each of its 2 gaps once"),
    ],
)
def test_the_text_marks_each_gap_once_in_order(text, said):
    with pytest.raises(ValidationError, match=re.escape(said)):
        Spec.model_validate(question(text=text))


def test_a_gap_may_not_carry_the_questions_own_fields():
    gaps = [{**VOIVODESHIPS["gaps"][0], "quote": "3 of the nine"}, VOIVODESHIPS["gaps"][1]]
    with pytest.raises(ValidationError, match="gap 1 has a 'quote': it is the question's"):
        Spec.model_validate(question(gaps=gaps))


def test_a_gap_is_a_typed_answer_a_drop_down_or_a_number_only():
    gaps = [{"type": "match", "pairs": {"a": "b", "c": "d"}}, VOIVODESHIPS["gaps"][1]]
    with pytest.raises(ValidationError):
        Spec.model_validate(question(gaps=gaps))


def test_a_gap_obeys_its_types_rules():
    gaps = [VOIVODESHIPS["gaps"][0], {"type": "choice", "options": ["A", "B"], "answer": "C"}]
    with pytest.raises(ValidationError, match="answer 'C' is not one of the options"):
        Spec.model_validate(question(gaps=gaps))


def test_a_bank_file_problem_in_a_gap_names_the_gap(tmp_path):
    data = {
        "bank": "gaps",
        "title": "Gaps",
        "source": "belarus-lithuania-relations",
        "questions": [question(gaps=[VOIVODESHIPS["gaps"][0], {"type": "number"}])],
    }
    with pytest.raises(BankError) as raised:
        check_bank(data, sources_dir=SEEDS)
    assert [(p.path, p.message) for p in raised.value.issues] == [
        (("questions", 0, "gaps", 1), "missing field 'answer'")
    ]


def test_a_stored_gap_holds_only_what_was_written():
    data = {
        "bank": "gaps",
        "title": "Gaps",
        "source": "belarus-lithuania-relations",
        "questions": [VOIVODESHIPS],
    }
    bank = check_bank(data, sources_dir=SEEDS)
    assert bank.questions[0]["gaps"] == [
        {"type": "number", "answer": 3.0, "tolerance": 0.0},
        {"type": "choice", "options": ["Belarusian", "Polish", "Latvian", "Russian"],
         "answer": "Belarusian"},
    ]  # fmt: skip


# The page: a box or a drop-down in the text for each gap


def test_the_page_shows_the_text_around_the_gaps_and_shuffles_each_drop_down():
    views = [Cloze.present(VOIVODESHIPS, random.Random(seed)) for seed in range(20)]
    assert views[0]["parts"] == [
        "From 1569 to 1772, ",
        " of the nine Lithuanian voivodeships were ethnically Lithuanian; the remaining six were ",
        ".",
    ]
    assert [gap["type"] for gap in views[0]["gaps"]] == ["number", "choice"]
    orders = {tuple(view["gaps"][1]["view"]["options"]) for view in views}
    assert len(orders) > 1
    assert all(sorted(order) == sorted(VOIVODESHIPS["gaps"][1]["options"]) for order in orders)


def test_nothing_shown_before_answering_names_a_typed_gaps_answer():
    shown = str(Cloze.present(BORDER, random.Random(1))) + " ".join(Cloze.shown_texts(BORDER))
    assert "680" not in shown and "Vilnius" not in shown


def test_the_page_reads_each_gap_from_its_own_field():
    view = Cloze.present(VOIVODESHIPS, random.Random(1))
    assert Cloze.read_form(view, MultiDict({"gap-1": " 3 ", "gap-2": "Belarusian"})) == (
        ["3", "Belarusian"],
        None,
    )
    assert Cloze.read_form(view, MultiDict({"gap-2": "Polish"})) == ([None, "Polish"], None)


def test_a_page_with_every_gap_blank_is_no_answer():
    view = Cloze.present(VOIVODESHIPS, random.Random(1))
    with pytest.raises(Unanswered):
        Cloze.read_form(view, MultiDict({"gap-1": "  ", "gap-2": ""}))


def test_a_drop_down_takes_only_what_it_offered_and_says_which_gap():
    view = Cloze.present(VOIVODESHIPS, random.Random(1))
    response, error = Cloze.read_form(view, MultiDict({"gap-1": "3", "gap-2": "Lithuanian"}))
    assert error == "Gap 2: Choose among the options shown."
    assert response[0] == "3"


def test_the_results_write_each_gaps_answer_in_order():
    assert Cloze.format_response(["3", None, "Belarusian"]) == "3 / – / Belarusian"


def test_item_analysis_counts_two_spellings_of_the_same_answers_as_one():
    one = Cloze.response_key(BORDER, ["680 km", "vilnius"])
    two = Cloze.response_key(BORDER, ["680", "Vilnius "])
    assert one[0] != two[0]  # a unit written is another response...
    assert (
        Cloze.response_key(BORDER, ["13,000", "Minsk"])[0]
        == (Cloze.response_key(BORDER, ["13000", "minsk"])[0])
    )


def test_a_question_that_shows_a_gaps_answer_gives_the_cloze_away():
    assert ("Belarusian",) in Cloze.answer_clues(VOIVODESHIPS)
    assert ("680",) in Cloze.answer_clues(BORDER)


# GIFT: one gap is GIFT's missing-word form; more cannot be said


def bank_of(*questions) -> LoadedBank:
    return LoadedBank(
        slug="gaps", title="Gaps", description=None, source=None, questions=list(questions)
    )


def test_a_cloze_of_one_gap_goes_to_gift_and_comes_back_grading_the_same():
    text = dump_gift(bank_of(UPRISINGS))
    assert "uprisings of 1830-31 and {" in text and "}." in text
    back = parse_gift(text.encode(), "gaps.gift", bank="gaps", title="Gaps").bank.questions[0]
    assert back["type"] == "cloze"
    assert (back["prompt"], back["text"]) == (UPRISINGS["prompt"], UPRISINGS["text"])
    for response in (["1863-64"], ["1863"], ["1830-31"], ["nobody"]):
        assert Cloze.grade(back, response) == Cloze.grade(UPRISINGS, response)


def test_a_cloze_of_several_gaps_is_left_out_of_gift_saying_why():
    notes: list[str] = []
    text = dump_gift(bank_of(VOIVODESHIPS, UPRISINGS), notes)
    assert notes == [
        "question voivodeships left out: GIFT has room for one gap and this cloze has 2: "
        "download the set as Moodle XML to keep it"
    ]
    assert "// question voivodeships left out" in text
    questions = parse_gift(text.encode(), "gaps.gift", bank="gaps", title="Gaps").bank.questions
    assert [q["id"] for q in questions] == ["uprisings"]


def test_a_moodle_missing_word_question_stays_the_choice_moodle_reads():
    gift = b"::Union::The union of 1569 was signed at {=Lublin ~Krewo ~Vilnius} in Poland.\n"
    read = parse_gift(gift, "m.gift", bank="m", title="M").bank.questions[0]
    assert read["type"] == "choice"
    assert read["prompt"] == "The union of 1569 was signed at _____ in Poland."
