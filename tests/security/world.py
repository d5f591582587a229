"""A populated app for the security tests, and a walk over every route it serves.

The world holds two learners and two teachers: lena (in teo's class, with attempts
of every kind) and teo (a class, an assignment, a question set) own everything;
mallory and tara own nothing. Every text a person types (question, option,
explanation, set title, class name, assignment title, display name) carries a
payload that would run if it were ever rendered as HTML, and a marker to find it by.

`expand(app, rule, ids)` turns a URL rule into concrete URLs, so the tests walk the
url_map as it is, including pages added after these tests were written.
"""

from __future__ import annotations

import itertools
import random
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from apkg import comparable
from drive import log_in
from werkzeug.routing import IntegerConverter

from quizapp.accounts import create_user
from quizapp.attempts import answering, drawing
from quizapp.banks.anki import MIMETYPE as ANKI_PACKAGE
from quizapp.banks.loader import LoadedBank
from quizapp.banks.sync import sync_bank
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Attempt,
    Bank,
    Classroom,
    DrawnFrom,
    Membership,
    User,
)
from quizapp.sets.uploads import store_upload

#: An id nobody owns: a guessed one.
GUESSED_ID = 999_999
#: What a text URL parameter takes, by name, besides the world's own join code and upload.
TEXT_VALUES = {"type_name": ["choice", "match"], "format": ["yaml", "gift"]}
#: Every kind of user a request can come from; "visitor" is not logged in.
PEOPLE = ("lena", "teo", "mallory", "tara", "visitor")


def payload(marker: str) -> str:
    """Return text that runs script if rendered as HTML, with `marker` inside it.

    Short enough (under 100 characters) for a class name, which PostgreSQL holds to 120.
    """
    return (
        '"><script>alert(1)</script><img src=x onerror=alert(1)>'
        f'<a href="javascript:alert(1)">{marker}</a>'
    )


#: Where a person types text, and the marker its payload carries.
FIELDS = {
    "question": "xssquestion",
    "option": "xssoption",
    "explanation": "xssexplanation",
    "set title": "xsssettitle",
    "class name": "xssclassname",
    "assignment title": "xssassignment",
    "display name": "xssname",
    "file name": "xssfilename",
}
#: Short enough for a display name (80 characters at most).
NAME_PAYLOAD = '"><script>alert(1)</script><img src=x onerror=alert(1)>xssname'


@dataclass
class World:
    app: object
    users: dict[str, int]
    clients: dict[str, object]
    #: ids of everything lena and teo own, by the URL parameter that names it
    owned: dict[str, list[int]] = field(default_factory=dict)
    #: what text URL parameters take, by name: the join code, teo's pending upload...
    text: dict[str, list[str]] = field(default_factory=dict)

    def client(self, who: str):
        return self.clients[who]


def build(app) -> World:
    """Fill the app's database with the world and sign a client in as each person."""
    result = app.test_cli_runner().invoke(args=["banks", "load"])
    assert result.exit_code == 0, (result.output, result.exception)
    with app.app_context():
        users = {
            "lena": create_user("lena", NAME_PAYLOAD, "correct horse battery"),
            "fred": create_user(
                "fred", '=HYPERLINK("http://evil.example","fred")', "fred pass 123"
            ),
            "teo": create_user(
                "teo", "Teo " + NAME_PAYLOAD[:60], "correct horse battery", role="teacher"
            ),
            "mallory": create_user("mallory", "Mallory", "correct horse battery"),
            "tara": create_user("tara", "Tara", "correct horse battery", role="teacher"),
        }
        db.session.commit()
        ids = {name: user.id for name, user in users.items()}
        sync_bank(hostile_set(), owner_id=ids["teo"])
        db.session.commit()
        teo_set = db.session.scalar(db.select(Bank).where(Bank.slug == "teo-set"))
        # A source text of its own, so that its download is among the pages walked.
        teo_set.source_text = "Vilnius is the capital of Lithuania."
        classroom = Classroom(
            name="@class " + payload(FIELDS["class name"]), owner_id=ids["teo"], join_code="ABCD23"
        )
        db.session.add(classroom)
        db.session.flush()
        db.session.add_all(
            [
                Membership(classroom_id=classroom.id, user_id=ids["lena"]),
                Membership(classroom_id=classroom.id, user_id=ids["fred"]),
            ]
        )
        assignment = Assignment(
            classroom_id=classroom.id,
            title="+SUM(1) " + payload(FIELDS["assignment title"]),
            bank_ids=[teo_set.id],
            question_count=2,
            mode="test",
            attempts_allowed=3,
        )
        db.session.add(assignment)
        db.session.flush()
        attempts = _attempts(ids, teo_set, assignment)
        db.session.commit()
        owned = {
            "attempt_id": attempts,
            "class_id": [classroom.id],
            "classroom_id": [classroom.id],
            "assignment_id": [assignment.id],
            "user_id": [ids["lena"], ids["fred"]],
            "learner_id": [ids["lena"], ids["fred"]],
            "bank_id": [teo_set.id],
            "set_id": [teo_set.id],
            "question_id": [q.id for q in teo_set.questions],
        }
        pending = store_upload(
            ids["teo"], '"><img src=x onerror=alert(1)>xssfilename.yaml', b"bank: [unclosed"
        )
        db.session.commit()
        text = {**TEXT_VALUES, "code": [classroom.join_code], "token": [pending.token]}
    clients = {}
    for name in PEOPLE:
        client = app.test_client()
        if name != "visitor":
            with app.app_context():
                log_in(client, db.session.get(User, ids[name]))
        clients[name] = client
    return World(app, ids, clients, owned, text)


def hostile_set() -> LoadedBank:
    """Teo's question set: every text a teacher types carries a payload."""
    questions = [
        {
            "id": "hostile-choice",
            "type": "choice",
            "prompt": "Which? " + payload(FIELDS["question"]),
            "options": ["-1+1 " + payload(FIELDS["option"]), "Kaunas"],
            "answer": "Kaunas",
            "explanation": "Because " + payload(FIELDS["explanation"]),
            "tags": ["hostile"],
            "difficulty": 2,
        },
        {
            "id": "hostile-text",
            "type": "text",
            "prompt": "Who? " + payload(FIELDS["question"]),
            "answer": "Vytautas",
            "accept": [],
            "explanation": "Because " + payload(FIELDS["explanation"]),
            "tags": ["hostile"],
            "difficulty": 2,
        },
    ]
    return LoadedBank(
        slug="teo-set",
        title="@set " + payload(FIELDS["set title"]),
        description="=1+1 " + payload("xssdescription"),
        source=None,
        questions=questions,
    )


def _attempts(ids: dict[str, int], teo_set: Bank, assignment: Assignment) -> list[int]:
    """Give lena and fred attempts in every state: open and finished, free and assigned."""
    rng = random.Random(6)
    versions = [q.current_version_id for q in teo_set.questions]
    made = []
    for who in ("lena", "fred"):
        finished = drawing.create_attempt(
            DrawnFrom.assignment(assignment.id),
            assignment.title,
            versions,
            "test",
            user_id=ids[who],
            number=1,
            rng=rng,
        )
        for item in finished.items:
            answering.record_answer(finished, item, "=cmd|' /C calc'!A0 " + payload("xssresponse"))
        finished.finish()
        made.append(finished.id)
    quiz = drawing.find_quiz("mixed")
    practice = drawing.start_attempt(quiz, "practice", user_id=ids["lena"], rng=rng)
    answering.record_answer(practice, practice.items[0], "a guess")
    test = drawing.start_attempt(quiz, "test", user_id=ids["lena"], rng=rng)
    open_assigned = drawing.create_attempt(
        DrawnFrom.assignment(assignment.id),
        assignment.title,
        versions,
        "test",
        user_id=ids["lena"],
        number=2,
        rng=rng,
    )
    return [*made, practice.id, test.id, open_assigned.id]


def all_ids(world: World) -> dict[str, list[int]]:
    """Every id of each kind in the database, whoever owns it, and a guessed one."""
    with world.app.app_context():
        found = {
            "attempt_id": db.session.scalars(db.select(Attempt.id)).all(),
            "user_id": db.session.scalars(db.select(User.id)).all(),
            "bank_id": db.session.scalars(db.select(Bank.id)).all(),
        }
    return {
        **{kind: [*values, GUESSED_ID] for kind, values in world.owned.items()},
        **{kind: [*values, GUESSED_ID] for kind, values in found.items()},
    }


def expand(rule, ids: dict[str, list[int]], text: dict[str, list[str]] | None = None) -> list[str]:
    """Return concrete URLs for a rule: every combination of the ids given per parameter.

    Integer parameters named like an id take the ids of their kind (a kind not known
    here takes 1 to 3 and a guessed id); other integers (a question's position) take 1;
    text parameters take the values `text` gives for their name (TEXT_VALUES by default;
    an unknown name takes a made-up word).
    """
    text = TEXT_VALUES if text is None else text
    choices = []
    for name in sorted(rule.arguments):
        converter = rule._converters[name]
        if isinstance(converter, IntegerConverter):
            if name.endswith("_id"):
                choices.append([(name, value) for value in ids.get(name, [1, 2, 3, GUESSED_ID])])
            else:
                choices.append([(name, 1)])
        else:
            values = text.get(name, ["unknown"])
            choices.append([(name, value) for value in values])
    urls = []
    for combination in itertools.product(*choices):
        values = dict(combination)
        urls.append(_build(rule, values))
    return urls


def _build(rule, values: dict) -> str:
    url = rule.rule
    for name, value in values.items():
        url = re.sub(rf"<(?:[a-z]+(?:\([^)]*\))?:)?{name}>", str(value), url)
    return url


def rules(app, method: str, *, with_ids: bool | None = None) -> list:
    """Return the app's rules that answer `method`, static files left out."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or method not in rule.methods:
            continue
        # A pending upload's token is as private as an id; a join code is shared on purpose.
        has_ids = any(name.endswith("_id") or name == "token" for name in rule.arguments)
        if with_ids is None or has_ids == with_ids:
            found.append(rule)
    return sorted(found, key=lambda r: r.rule)


def page_text(response) -> str:
    """Return what a response tells, as text: a page as it is, an Anki package as its
    decks and notes (a zip is not text)."""
    if response.mimetype == ANKI_PACKAGE:
        return comparable(response.data)
    return response.get_data(as_text=True)


def snapshot(app) -> dict[str, list[tuple]]:
    """Return every row of every table, to compare before and after requests."""
    with app.app_context():
        tables = {}
        for table in db.metadata.sorted_tables:
            rows = db.session.execute(table.select()).all()
            tables[table.name] = sorted(tuple(map(repr, row)) for row in rows)
        db.session.remove()
    return tables


class PageAudit(HTMLParser):
    """Collect what a CSP-strict page must never contain, and the text it shows."""

    URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script":
            self._in_script = True
            if not names.get("src"):
                self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            if name == "style":
                self.problems.append(f"style= attribute on <{tag}>")
            if name in self.URL_ATTRIBUTES and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"javascript: URL in {name}= on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append("script content")
        self.text.append(data)


def audit(html: str) -> PageAudit:
    page = PageAudit()
    page.feed(html)
    page.close()
    return page
