"""How many SQL statements the school's pages run: the same for a class of 3 as of 30.

Teachers' pages (gradebook, its CSV, item analysis, a learner's history), the review
page and starting a review quiz or an assignment are each checked on a small school and
a larger one (ten times the learners, three times the assignments, a 600-question pool,
300 review cards): the count must not grow with the data. Times are never asserted
here; the benchmark in bench/ measures them.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml
from drive import log_in, make_user
from sqlalchemy import insert

from quizapp.banks import load_bank, sync_bank
from quizapp.extensions import db
from quizapp.instrumentation.sql_counter import QUERY_HEADER
from quizapp.models import (
    Assignment,
    Attempt,
    AttemptItem,
    Classroom,
    Membership,
    Question,
    QuestionVersion,
    Response,
    User,
)
from quizapp.review.scheduling import review

TERM = dt.datetime(2026, 1, 5, 9, 0)
# learners, assignments, pool questions, review cards
SIZES = {"small": (3, 2, 12, 4), "large": (30, 6, 600, 300)}
#: Statements per page, whatever the size (see each test for what they read).
GRADEBOOK, CSV, ANALYSIS, CLASS_ANALYSIS, HISTORY = 6, 4, 8, 7, 6
REVIEW_PAGE, REVIEW_START, ASSIGNMENT_START = 4, 10, 11


def truefalse(number: int) -> dict:
    return {
        "id": f"q{number}",
        "type": "truefalse",
        "prompt": f"Statement number {number} is true.",
        "answer": number % 2 == 0,
        "tags": [f"topic-{number % 5}"],
    }


def add_bank(slug: str, size: int) -> tuple[int, list[int]]:
    """Sync a bank of `size` true/false questions; return its id and current version ids."""
    data = {"bank": slug, "title": f"Bank {slug}", "questions": [truefalse(n) for n in range(size)]}
    sync_bank(load_bank(yaml.safe_dump(data).encode(), f"{slug}.yaml", sources_dir=None))
    db.session.commit()
    rows = db.session.execute(
        db.select(Question.bank_id, Question.current_version_id)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Question.bank.has(slug=slug))
        .order_by(Question.position)
    ).all()
    return rows[0][0], [version_id for _, version_id in rows]


def add_learners(count: int) -> list[int]:
    users = [
        {
            "username": f"pupil-{n:03d}",
            "display_name": f"Pupil {n:03d}",
            "password_hash": "x",
            "role": "learner",
            "session_token": f"token-{n}",
        }
        for n in range(count)
    ]
    return list(db.session.scalars(insert(User).returning(User.id), users))


def add_term(class_id: int, bank_id: int, versions: list[int], learners: list[int], count: int):
    """Write `count` assignments of ten questions and every learner's finished attempt."""
    assignment_ids = []
    for number in range(count):
        assignment = Assignment(
            classroom_id=class_id,
            title=f"Week {number + 1}",
            bank_ids=[bank_id],
            question_count=10,
            closes_at=TERM + dt.timedelta(weeks=number + 1) if number else None,
            created_at=TERM + dt.timedelta(weeks=number),
        )
        db.session.add(assignment)
        db.session.flush()
        assignment_ids.append(assignment.id)
        rows = [
            {
                "user_id": user_id,
                "kind": "assignment",
                "title": assignment.title,
                "mode": "test",
                "started_at": TERM + dt.timedelta(weeks=number),
                "finished_at": TERM + dt.timedelta(weeks=number, minutes=10),
                "score": 5.0,
                "max_score": 10,
                "assignment_id": assignment.id,
                "number": 1,
            }
            for user_id in learners
        ]
        attempt_ids = db.session.scalars(insert(Attempt).returning(Attempt.id), rows).all()
        items = [
            {
                "attempt_id": attempt_id,
                "position": position,
                "question_version_id": versions[(attempt_id + position) % len(versions)],
                "view": {},
            }
            for attempt_id in attempt_ids
            for position in range(1, 11)
        ]
        item_ids = db.session.scalars(insert(AttemptItem).returning(AttemptItem.id), items).all()
        answers = [
            {"item_id": item_id, "value": n % 2 == 0, "fraction": float(n % 2), "feedback": ""}
            for n, item_id in enumerate(item_ids)
        ]
        db.session.execute(insert(Response), answers)
    db.session.commit()
    return assignment_ids


@pytest.fixture(params=list(SIZES))
def school(request, app):
    """A teacher's class, its learners' finished assignments, a learner with review cards."""
    learners, assignments, pool, cards = SIZES[request.param]
    with app.app_context():
        teacher = make_user("tess", role="teacher")
        bank_id, versions = add_bank("facts", pool)
        pupils = add_learners(learners)
        classroom = Classroom(name="History 9B", owner_id=teacher.id, join_code="ABCD2345")
        db.session.add(classroom)
        db.session.flush()
        db.session.execute(
            insert(Membership), [{"classroom_id": classroom.id, "user_id": p} for p in pupils]
        )
        assignment_ids = add_term(classroom.id, bank_id, versions, pupils, assignments)
        start = Assignment(
            classroom_id=classroom.id,
            title="Open pool",
            bank_ids=[bank_id],
            question_count=10,
            attempts_allowed=None,
        )
        db.session.add(start)
        learner = make_user("lena")
        db.session.add(Membership(classroom_id=classroom.id, user_id=learner.id))
        question_ids = db.session.scalars(
            db.select(Question.id).where(Question.bank_id == bank_id).limit(cards)
        )
        for number, question_id in enumerate(question_ids):
            review(learner.id, question_id, (number % 3) / 2, TERM)
        db.session.commit()
        return {
            "size": request.param,
            "teacher": teacher.id,
            "learner": learner.id,
            "class": classroom.id,
            "assignment": assignment_ids[0],
            "pupil": pupils[0],
            "start": start.id,
        }


def queries(response) -> int:
    return int(response.headers[QUERY_HEADER])


def as_user(app, client, user_id: int) -> None:
    with app.app_context():
        log_in(client, db.session.get(User, user_id))


def token(client) -> str:
    page = client.get("/").text
    return re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page).group(1)


def teacher_page(app, client, school, path: str):
    as_user(app, client, school["teacher"])
    response = client.get(f"/teach/classes/{school['class']}{path}")
    assert response.status_code == 200
    return response


def test_the_gradebook_runs_the_same_queries_for_any_class(app, client, school):
    """The teacher, the class, its learners, its assignments, and their attempts with
    their answers' totals in one statement."""
    response = teacher_page(app, client, school, "/gradebook")
    assert "Pupil 000" in response.text
    assert queries(response) == GRADEBOOK


def test_the_gradebook_csv_runs_the_same_queries_for_any_class(app, client, school):
    """As the page, streamed a learner at a time (the teacher is read with the class)."""
    response = teacher_page(app, client, school, "/gradebook.csv")
    assert response.mimetype == "text/csv"
    assert "Pupil 000" in response.get_data(as_text=True)
    assert queries(response) == CSV


def test_an_assignments_item_analysis_runs_the_same_queries_for_any_class(app, client, school):
    """Whatever the number of questions and learners: the questions' bank titles come
    with their versions, not one query each."""
    response = teacher_page(app, client, school, f"/assignments/{school['assignment']}/analysis")
    assert "Statement number" in response.text
    assert queries(response) == ANALYSIS


def test_a_classes_item_analysis_runs_the_same_queries_for_any_class(app, client, school):
    response = teacher_page(app, client, school, "/analysis")
    assert "Statement number" in response.text
    assert queries(response) == CLASS_ANALYSIS


def test_a_learners_history_runs_the_same_queries_for_any_class(app, client, school):
    response = teacher_page(app, client, school, f"/learners/{school['pupil']}")
    assert "Week 1" in response.text
    assert queries(response) == HISTORY


def test_the_review_page_runs_the_same_queries_however_many_cards(app, client, school):
    as_user(app, client, school["learner"])
    response = client.get("/review/")
    assert response.status_code == 200
    assert queries(response) == REVIEW_PAGE


def test_starting_a_review_quiz_runs_the_same_queries_however_many_cards(app, client, school):
    as_user(app, client, school["learner"])
    response = client.post("/review/start", data={"csrf_token": token(client)})
    assert response.status_code == 302 and "/q/1" in response.headers["Location"]
    assert queries(response) == REVIEW_START


def test_starting_an_assignment_runs_the_same_queries_whatever_its_pool(app, client, school):
    """The assignment, the learner's attempts at it, the questions held back, the pool's
    banks' version (the pool itself once per version), the drawn versions, the attempt
    and its items: never a query per question of the pool."""
    as_user(app, client, school["learner"])
    response = client.post(
        f"/assignments/{school['start']}/start", data={"csrf_token": token(client)}
    )
    assert response.status_code == 302 and "/q/1" in response.headers["Location"]
    assert queries(response) <= ASSIGNMENT_START + 1  # + the pool, on its first start


def test_the_review_page_lists_the_most_overdue_fifty_and_counts_the_rest(app, client, school):
    as_user(app, client, school["learner"])
    page = client.get("/review/").text
    listed = page.count('class="due-question"')
    if school["size"] == "large":  # 300 cards, every one due
        assert listed == 50
        assert "The 50 most overdue of 300 are listed" in page
    else:
        assert listed == 4 and "most overdue of" not in page
