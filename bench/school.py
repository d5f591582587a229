"""The benchmark's school: classes, assignments, every learner's finished attempts and
review cards, written with the data set's Writer (executemany, no ORM).

- large: 2,000 learners in 40 classes of 50, 20 assignments per class with every
  learner's finished attempt; a class of 500 (the first 500 learners again) with 20
  assignments of its own, for the rows that must stay flat from 50 learners to 500;
  a teacher who owns 10 of the 40 classes;
- small: the same shape, 100 learners in 2 classes of 50 and a class of 100.

Assignment k of a class draws 10 questions from the small bank k; the first 18 are
closed (their answers shown), the last 2 still open with their answers held. Every
school learner has a review card for each question they answered.

Starting an assignment is measured on a class of its own: 2,000 starters (both sizes)
who have never started either of its two assignments, one drawing from a pool of
5,000 questions (large; every bundled bank on small), one from a pool of 50.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
from collections.abc import Callable
from typing import Any

from bench import banks as bench_banks

ASSIGNMENTS_PER_CLASS = 20
CLASS_SIZE = 50
#: Learners, classes of 50 and the big class's size, by data set size.
SCHOOL = {"small": (100, 2, 100), "large": (2_000, 40, 500)}
TEACHER_CLASSES = 10
OPEN_ASSIGNMENTS = 2
STARTERS = 2_000
TERM_START = dt.datetime(2025, 9, 1, 9, 0)
#: Review cards fall due over two years from this day: some due on any day of a run.
DUE_FROM = dt.datetime(2026, 6, 1)
DUE_DAYS = 730


def card_json(question_id: int, fraction: float, last: dt.datetime, due: dt.datetime) -> str:
    """Return a review card's JSON as the scheduler writes it (FSRS card plus "recent")."""
    good = fraction >= 1
    return json.dumps(
        {
            "card_id": question_id,
            "state": 2,
            "step": None,
            "stability": 2.3065 if good else 0.40255,
            "difficulty": 2.118 if good else 7.2102,
            "due": due.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            "last_review": last.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            "recent": [fraction],
        }
    )


def add_cards(
    writer: Any,
    stamp: Callable[[dt.datetime], str],
    user_id: int,
    answered: dict[int, tuple[float, dt.datetime, int]],
    rng: random.Random,
) -> int:
    """Write a review card for each question a learner answered; return how many."""
    for question_id, (fraction, moment, count) in sorted(answered.items()):
        due = DUE_FROM + dt.timedelta(days=rng.randrange(DUE_DAYS), minutes=rng.randrange(1440))
        writer.add(
            "review_cards",
            {
                "id": writer.new_id("review_cards"),
                "user_id": user_id,
                "question_id": question_id,
                "card": card_json(question_id, fraction, moment, due),
                "due": stamp(due),
                "last_review": stamp(moment),
                "reviews": count,
                "last_fraction": fraction,
            },
        )
    return len(answered)


def build(
    writer: Any,
    *,
    size: str,
    seed: str,
    versions: dict[str, list[Any]],
    bank_ids: dict[str, int],
    add_user: Callable[..., int],
    add_attempt: Callable[..., int],
    stamp: Callable[[dt.datetime], str],
    advance: Callable[[int], None],
) -> dict[str, Any]:
    """Write the school of this size; return what the benchmark needs of it."""
    learners, classes, big_class = SCHOOL[size]
    rng = random.Random(f"{seed}-school")
    teacher = add_user("teacher", role="teacher")
    other_teacher = add_user("teacher-other", role="teacher")
    big_teacher = add_user("teacher-big", role="teacher")
    start_teacher = add_user("teacher-start", role="teacher")
    pupils = [add_user(f"pupil-{n:04d}") for n in range(1, learners + 1)]
    answered: dict[int, dict[int, tuple[float, dt.datetime, int]]] = {p: {} for p in pupils}

    def add_class(name: str, owner: int, members: list[int]) -> int:
        class_id = writer.new_id("classrooms")
        code = hashlib.sha256(f"{seed}-{name}".encode()).hexdigest()[:8].upper()
        writer.add(
            "classrooms",
            {
                "id": class_id,
                "name": name,
                "owner_id": owner,
                "join_code": code,
                "created_at": stamp(TERM_START),
            },
        )
        for user_id in members:
            writer.add(
                "memberships",
                {
                    "id": writer.new_id("memberships"),
                    "classroom_id": class_id,
                    "user_id": user_id,
                    "joined_at": stamp(TERM_START),
                },
            )
        return class_id

    def add_assignment(class_id: int, number: int, banks: list[int], **rules: Any) -> int:
        assignment_id = writer.new_id("assignments")
        created = TERM_START + dt.timedelta(weeks=number - 1)
        row = {
            "id": assignment_id,
            "classroom_id": class_id,
            "title": f"Week {number} quiz",
            "bank_ids": json.dumps(banks),
            "tags": "[]",
            "question_count": 10,
            "mode": "test",
            "time_limit": None,
            "opens_at": None,
            "closes_at": None,
            "attempts_allowed": 1,
            "answers_released_at": None,
            "created_at": stamp(created),
        }
        row.update(rules)
        writer.add("assignments", row)
        return assignment_id

    def add_term(class_id: int, members: list[int]) -> list[int]:
        """Write the class's 20 assignments and every member's finished attempt at each."""
        ids = []
        for number in range(1, ASSIGNMENTS_PER_CLASS + 1):
            slug = bench_banks.small_bank_slug(number)
            closes = TERM_START + dt.timedelta(weeks=number)
            open_still = number > ASSIGNMENTS_PER_CLASS - OPEN_ASSIGNMENTS
            assignment_id = add_assignment(
                class_id,
                number,
                [bank_ids[slug]],
                closes_at=None if open_still else stamp(closes),
            )
            ids.append(assignment_id)
            for index, user_id in enumerate(members):
                add_attempt(
                    user_id=user_id,
                    bank_id=None,
                    title=f"Week {number} quiz",
                    pool=versions[f"bank:{slug}"],
                    started=closes - dt.timedelta(days=2, minutes=-index),
                    finished=True,
                    mode="test",
                    assignment_id=assignment_id,
                    number=1,
                    answered=answered[user_id],
                    rng=rng,
                )
            advance(len(members))
        return ids

    school: dict[str, Any] = {"teacher": "teacher", "classes": []}
    for number in range(classes):
        owner = teacher if number < TEACHER_CLASSES else other_teacher
        members = pupils[number * CLASS_SIZE : (number + 1) * CLASS_SIZE]
        class_id = add_class(f"Class {number + 1:02d}", owner, members)
        assignments = add_term(class_id, members)
        school["classes"].append({"id": class_id, "assignments": assignments})
    big_members = pupils[:big_class]
    big_id = add_class(f"Year group of {big_class}", big_teacher, big_members)
    school["big_class"] = {
        "id": big_id,
        "size": big_class,
        "teacher": "teacher-big",
        "assignments": add_term(big_id, big_members),
    }
    school["class_size"] = CLASS_SIZE
    school["learner"] = pupils[0]

    cards = sum(add_cards(writer, stamp, user_id, answered[user_id], rng) for user_id in pupils)
    school["cards"] = cards

    starters = [add_user(f"starter-{n:04d}") for n in range(1, STARTERS + 1)]
    start_class = add_class("Starting line", start_teacher, starters)
    big_pool = [bank_ids[bench_banks.BIG_BANK]] if bench_banks.BIG_BANK in bank_ids else []
    school["start"] = {
        "teacher": "teacher-start",
        "class": start_class,
        "usernames": [f"starter-{n:04d}" for n in range(1, STARTERS + 1)],
        "big": add_assignment(start_class, 1, big_pool, attempts_allowed=None),
        "big_pool": sum(len(v) for k, v in versions.items() if k != "bank:mixed")
        if not big_pool
        else len(versions[f"bank:{bench_banks.BIG_BANK}"]),
        "small": add_assignment(
            start_class, 2, [bank_ids[bench_banks.POOL_BANK]], attempts_allowed=None
        ),
        "small_pool": len(versions[f"bank:{bench_banks.POOL_BANK}"]),
    }
    return school
