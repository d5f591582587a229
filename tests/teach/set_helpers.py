"""Question sets in tests: teachers signed in, sets and questions made through the pages.

Import what a test module needs: `from teach.set_helpers import ...`.
"""

from __future__ import annotations

import html
import re

from drive import log_in, make_user

from quizapp.extensions import db
from quizapp.models import Bank, Question

#: Form data of a valid question of each type, as a teacher fills in the form.
VALID_FORMS: dict[str, dict] = {
    "choice": {
        "prompt": "Which city is the capital of Lithuania?",
        "options-0": "Kaunas",
        "options-1": "Vilnius",
        "options-2": "Klaipėda",
        "answer": "1",
    },
    "multi": {
        "prompt": "Which of these border Belarus?",
        "options-0": "Lithuania",
        "options-1": "Estonia",
        "options-2": "Poland",
        "answers": ["0", "2"],
    },
    "truefalse": {"prompt": "Vilnius is the capital of Lithuania.", "answer": "true"},
    "text": {
        "prompt": "Who was the first President of Lithuania?",
        "answer": "Antanas Smetona",
        "accept-0": "Smetona",
    },
    "number": {
        "prompt": "How long is the border between Belarus and Lithuania?",
        "answer": "680",
        "tolerance": "5",
        "unit": "km",
    },
    "date": {"prompt": "When were diplomatic relations established?", "answer": "1991-10-24"},
    "order": {
        "prompt": "Put these in order, earliest first.",
        "items-0": "Union of Krewo",
        "items-1": "Union of Lublin",
        "items-2": "Third Partition",
    },
    "match": {
        "prompt": "Match each country with its capital.",
        "pairs-0-left": "Lithuania",
        "pairs-0-right": "Vilnius",
        "pairs-1-left": "Belarus",
        "pairs-1-right": "Minsk",
    },
    "cloze": {
        "prompt": "Fill in the gaps.",
        "text": "The two countries share {1} of border; Lithuania's capital is {2}.",
        "gaps-0-type": "number",
        "gaps-0-answer": "680",
        "gaps-0-tolerance": "5",
        "gaps-1-type": "choice",
        "gaps-1-answer": "Vilnius",
        "gaps-1-others": "Kaunas\nKlaipėda",
    },
}

#: The question each form above makes (its type part), as the set stores it.
VALID_SPECS: dict[str, dict] = {
    "choice": {"options": ["Kaunas", "Vilnius", "Klaipėda"], "answer": "Vilnius"},
    "multi": {"options": ["Lithuania", "Estonia", "Poland"], "answers": ["Lithuania", "Poland"]},
    "truefalse": {"answer": True},
    "text": {"answer": "Antanas Smetona", "accept": ["Smetona"], "exact": False},
    "number": {"answer": 680.0, "tolerance": 5.0, "unit": "km"},
    "date": {"answer": "1991-10-24"},
    "order": {"items": ["Union of Krewo", "Union of Lublin", "Third Partition"]},
    "match": {"pairs": {"Lithuania": "Vilnius", "Belarus": "Minsk"}},
    "cloze": {
        "text": "The two countries share {1} of border; Lithuania's capital is {2}.",
        "gaps": [
            {"type": "number", "answer": 680.0, "tolerance": 5.0},
            {"type": "choice", "options": ["Vilnius", "Kaunas", "Klaipėda"], "answer": "Vilnius"},
        ],
    },
}


def sign_in(app, client, username: str, role: str = "teacher") -> int:
    """Make a user and sign `client` in as them; return their id."""
    with app.app_context():
        user = make_user(username, role)
        log_in(client, user)
        return user.id


def new_set(client, title: str = "Capitals", description: str = "") -> int:
    """Create a set through its form; return its id."""
    response = client.post("/teach/sets/new", data={"title": title, "description": description})
    assert response.status_code == 302, response.text
    return id_in(response.headers["Location"])


def add_question(client, bank_id: int, type_name: str, data: dict | None = None, **extra):
    """Post the new-question form of a type (a valid one unless `data` says otherwise)."""
    fields = {**(VALID_FORMS[type_name] if data is None else data), **extra}
    fields.setdefault("difficulty", "2")
    return client.post(f"/teach/sets/{bank_id}/questions/new/{type_name}", data=fields)


def id_in(location: str) -> int:
    match = re.search(r"/teach/sets/(\d+)", location)
    assert match, location
    return int(match.group(1))


def questions_of(app, bank_id: int) -> list[dict]:
    """Return each question of a set, oldest first: id, slug, retired, versions, current spec."""
    with app.app_context():
        questions = db.session.scalars(
            db.select(Question).where(Question.bank_id == bank_id).order_by(Question.id)
        ).all()
        return [
            {
                "id": q.id,
                "slug": q.slug,
                "retired": q.retired_at is not None,
                "versions": [v.number for v in q.versions],
                "spec": dict(q.current_version.spec),
            }
            for q in questions
        ]


def bank_row(app, bank_id: int) -> dict:
    with app.app_context():
        bank = db.session.get(Bank, bank_id)
        return {
            "slug": bank.slug,
            "title": bank.title,
            "description": bank.description,
            "owner_id": bank.owner_id,
            "source": bank.source,
            "source_text": bank.source_text,
        }


def bundled_id(app, slug: str = "dates") -> int:
    with app.app_context():
        return db.session.scalar(db.select(Bank.id).where(Bank.slug == slug))


def load_bundled(app) -> None:
    result = app.test_cli_runner().invoke(args=["banks", "load"])
    assert result.exit_code == 0, result.output


def errors_in(page: str) -> list[str]:
    """Return the error messages a page shows beside its fields, unescaped."""
    lists = re.findall(r'<ul class="errors[^"]*"[^>]*>(.*?)</ul>', page, re.S)
    return [
        html.unescape(m.strip())
        for block in lists
        for m in re.findall(r"<li>(.*?)</li>", block, re.S)
    ]


def errors_at(page: str, field_id: str) -> list[str]:
    """Return the messages shown for one field (`prompt`, `options-1`) or list (`options-rows`)."""
    match = re.search(
        rf'<ul class="errors" id="{re.escape(field_id)}-errors">(.*?)</ul>', page, re.S
    )
    if match is None:
        return []
    return [html.unescape(m.strip()) for m in re.findall(r"<li>(.*?)</li>", match.group(1), re.S)]
