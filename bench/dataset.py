"""The benchmark's data sets: deterministic, built once, cached under bench/data/.

- small: 50 quizzes (banks of 20 questions), 10 learners with 100 finished attempts
  each (1,000 attempts, 10,000 answers);
- large: the same, plus one 5,000-question bank and a learner with 100,000 finished
  attempts (1,000,000 answers).

Both also hold 1,000 exam learners without attempts (the exam burst signs them in),
for each benchmarked learner, one open test to view and 2,000 open tests of
true/false questions for the answer benchmark to answer, a review card for each
question a learner answered (but learner-02's: the page without cards), and a school
(bench/school.py: classes, assignments, every learner's finished attempts; large:
2,000 learners in 40 classes of 50 and a class of 500).

Banks go through the real loader and sync; users, attempts, items and answers are
written with executemany in large transactions, not through the ORM one row at a
time. The file is keyed by VERSION and by a digest of the app's schema, so a schema
change by anyone rebuilds it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import click
from werkzeug.security import generate_password_hash

from bench import banks as bench_banks
from bench import school

#: Bump when what the builder writes changes: cached data sets are then rebuilt.
VERSION = 2
DATA_DIR = Path(__file__).resolve().parent / "data"
PASSWORD = "bench-password"
SEED = f"quizapp-bench-{VERSION}"
SIZES = ("small", "large")

LIGHT_LEARNERS = 10
LIGHT_ATTEMPTS = 100
HEAVY_ATTEMPTS = 100_000
QUESTIONS_PER_ATTEMPT = 10
EXAM_LEARNERS = 1_000
OPEN_TESTS = 2_000
FAVOURITE_QUIZZES = 8
START = dt.datetime(2024, 1, 1, 8, 0)
#: The one benchmarked learner without review cards.
NO_CARDS = "learner-02"


@dataclass
class Learner:
    """A learner the benchmark signs in as, and the attempts it uses."""

    username: str
    user_id: int
    finished: int
    page_attempt: int = 0
    #: Open test attempts of ten true/false questions, ids first..first+count-1.
    open_first: int = 0
    open_count: int = 0
    #: Review cards: one per question answered.
    cards: int = 0


@dataclass
class Manifest:
    """What a built data set holds: ids the benchmark needs, and counts for the table."""

    size: str
    version: int
    schema: str
    password: str
    learners: dict[str, Learner] = field(default_factory=dict)
    exam_users: list[str] = field(default_factory=list)
    exam_quiz: str = ""
    big_bank_file: str = ""
    #: The school (bench/school.py): its classes, assignments and starters.
    school: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=1))

    @classmethod
    def load(cls, path: Path) -> Manifest:
        data = json.loads(path.read_text())
        data["learners"] = {k: Learner(**v) for k, v in data["learners"].items()}
        return cls(**data)


# ------------------------------------------------------------------ the app side


def bench_app(database: Path):
    """Return the app on `database`, as the data set builder and the benchmark use it."""
    from quizapp import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "SECRET_KEY": "bench",
        }
    )


def schema_digest() -> str:
    """Return a digest of the app's schema (tables, indexes, triggers) on SQLite."""
    import tempfile

    from quizapp.cli import create_schema
    from quizapp.extensions import db

    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "schema.sqlite"
        app = bench_app(database)
        with app.app_context():
            create_schema()
            db.session.remove()
            db.engine.dispose()
        with sqlite3.connect(database) as connection:
            rows = connection.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
            ).fetchall()
        connection.close()
    # SQLAlchemy may write a table's constraints in another order from one create_all
    # to the next: each statement's lines are compared as a set.
    rows = [(kind, name, sorted(sql.splitlines())) for kind, name, sql in rows]
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:12]


def paths(size: str, schema: str) -> tuple[Path, Path]:
    stem = DATA_DIR / f"{size}-v{VERSION}-{schema}"
    return stem.with_suffix(".sqlite"), stem.with_suffix(".json")


def ensure(size: str, *, rebuild: bool = False) -> tuple[Path, Manifest]:
    """Return the cached data set of this size, building it first when needed."""
    schema = schema_digest()
    database, manifest_path = paths(size, schema)
    if rebuild or not (database.exists() and manifest_path.exists()):
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        for old in DATA_DIR.glob(f"{size}-v*"):
            old.unlink()
        building = database.with_suffix(".building")
        for leftover in DATA_DIR.glob(building.name + "*"):
            leftover.unlink()
        manifest = build(size, building, schema)
        building.rename(database)
        manifest.save(manifest_path)
    return database, Manifest.load(manifest_path)


# ------------------------------------------------------------------ building


@contextmanager
def progress_bar(length: int, label: str) -> Iterator[Callable[[int], None]]:
    """Yield a function advancing a progress bar on a terminal (stderr); plain lines elsewhere."""
    stream = sys.stderr
    if stream.isatty() and os.environ.get("TERM") != "dumb":
        with click.progressbar(length=length, label=label, file=stream, width=30) as bar:
            yield bar.update
        return
    click.echo(f"{label}…", err=True)
    yield lambda _n: None


def stamp(moment: dt.datetime) -> str:
    """Write a time as SQLAlchemy stores it in SQLite (microseconds always written)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


@dataclass(frozen=True)
class Version:
    """A question version as the builder uses it: ready-made JSON for items and answers."""

    id: int
    question_id: int
    type: str
    view: str
    right: tuple[str, float, str]
    wrong: tuple[str, float, str]


def _answers(spec: dict[str, Any], view: dict[str, Any]) -> tuple[Any, Any]:
    """Return a right and a wrong response to a question, as its type gives them."""
    from quizapp.question_types import TYPES

    kind = TYPES[spec["type"]]
    return kind.correct_response(spec), kind.wrong_response(spec, view)


def _versions(rng: random.Random) -> dict[str, list[Version]]:
    """Return the current versions of every bank's live questions, by quiz key."""
    from quizapp.extensions import db
    from quizapp.grading import grade
    from quizapp.models import Bank, Question, QuestionVersion
    from quizapp.question_types import TYPES

    rows = db.session.execute(
        db.select(Bank.slug, QuestionVersion.id, QuestionVersion.question_id, QuestionVersion.spec)
        .join(Question, Question.bank_id == Bank.id)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Question.retired_at.is_(None))
        .order_by(QuestionVersion.id)
    )
    by_quiz: dict[str, list[Version]] = {}
    for slug, version_id, question_id, spec in rows:
        view = TYPES[spec["type"]].present(spec, rng)
        right, wrong = _answers(spec, view)
        marks = []
        for value in (right, wrong):
            result = grade(spec, value)
            marks.append((json.dumps(value), result.fraction, result.feedback))
        version = Version(
            version_id, question_id, spec["type"], json.dumps(view), marks[0], marks[1]
        )
        by_quiz.setdefault(f"bank:{slug}", []).append(version)
    return by_quiz


class Writer:
    """Rows for users, attempts, items and answers, written with executemany."""

    BATCH = 20_000
    #: Tables in the order their rows are written (a row's parents first).
    TABLES = (
        "users",
        "classrooms",
        "memberships",
        "assignments",
        "attempts",
        "attempt_items",
        "responses",
        "review_cards",
    )

    def __init__(self, connection: sqlite3.Connection, tables: dict[str, Any]) -> None:
        self.connection = connection
        self.tables = tables
        self.next_id = {
            name: (connection.execute(f"SELECT COALESCE(MAX(id), 0) FROM {name}").fetchone()[0] + 1)
            for name in self.TABLES
        }
        self.pending: dict[str, list[tuple]] = {}
        self.columns: dict[str, list[str]] = {}
        self.tails: dict[str, tuple] = {}
        self.statements: dict[str, str] = {}

    def new_id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def add(self, table: str, row: dict[str, Any]) -> None:
        if table not in self.columns:
            self._prepare(table, row)
        values = tuple(row[name] for name in self.columns[table]) + self.tails[table]
        batch = self.pending.setdefault(table, [])
        batch.append(values)
        if len(batch) >= self.BATCH:
            self.flush(table)

    def _prepare(self, table: str, row: dict[str, Any]) -> None:
        # Columns others add later get their Python default (or NULL): the builder keeps
        # working while the schema grows.
        columns = list(row)
        extra, tail = [], []
        for column in self.tables[table].columns:
            if column.name in row:
                continue
            default = column.default
            value = None
            if default is not None and default.is_scalar:
                value = default.arg
            elif default is not None and default.is_callable:
                value = default.arg(None)
            if isinstance(value, dt.datetime):
                value = stamp(value)
            extra.append(column.name)
            tail.append(value)
        self.columns[table] = columns
        self.tails[table] = tuple(tail)
        names = ", ".join(columns + extra)
        marks = ", ".join("?" * (len(columns) + len(extra)))
        self.statements[table] = f"INSERT INTO {table} ({names}) VALUES ({marks})"

    def flush(self, table: str | None = None) -> None:
        """Write the pending rows of `table` (of every table if None), parents first."""
        for name in [table] if table else self.TABLES:
            rows = self.pending.pop(name, None)
            if rows:
                for parent in self.TABLES[: self.TABLES.index(name)]:
                    self.flush(parent)
                self.connection.executemany(self.statements[name], rows)


def _kind(bank_id: int | None, assignment_id: int | None) -> str:
    """What an attempt of the data set drew from (see models.DrawnFrom)."""
    if assignment_id is not None:
        return "assignment"
    return "mixed" if bank_id is None else "bank"


def _add_attempt(
    writer: Writer,
    rng: random.Random,
    *,
    user_id: int,
    bank_id: int | None,
    title: str,
    pool: list[Version],
    started: dt.datetime,
    finished: bool,
    mode: str = "practice",
    assignment_id: int | None = None,
    number: int | None = None,
    answered: dict[int, tuple[float, dt.datetime, int]] | None = None,
) -> int:
    """Write one attempt of ten questions drawn from `pool`; return its id.

    A finished attempt has every question answered (70 % right); `answered`, when
    given, gathers each question's latest credit, time and number of answers (what a
    review card holds).
    """
    attempt_id = writer.new_id("attempts")
    versions = rng.sample(pool, QUESTIONS_PER_ATTEMPT)
    score = 0.0
    items = []
    for position, version in enumerate(versions, start=1):
        item_id = writer.new_id("attempt_items")
        items.append(
            {
                "id": item_id,
                "attempt_id": attempt_id,
                "position": position,
                "question_version_id": version.id,
                "view": version.view,
            }
        )
        if finished:
            value, fraction, feedback = version.right if rng.random() < 0.7 else version.wrong
            score += fraction
            moment = started + dt.timedelta(seconds=20 * position)
            items[-1]["answer"] = (value, fraction, feedback, stamp(moment))
            if answered is not None:
                count = answered.get(version.question_id, (0.0, moment, 0))[2]
                answered[version.question_id] = (fraction, moment, count + 1)
    writer.add(
        "attempts",
        {
            "id": attempt_id,
            "user_id": user_id,
            "guest_key": None,
            # An assignment, a bank's quiz, or the mixed quiz.
            "kind": _kind(bank_id, assignment_id),
            "bank_id": bank_id,
            "title": title,
            "mode": mode,
            "time_limit": None,
            "started_at": stamp(started),
            "deadline": None,
            "finished_at": stamp(started + dt.timedelta(minutes=5)) if finished else None,
            "score": score if finished else None,
            "max_score": QUESTIONS_PER_ATTEMPT,
            "assignment_id": assignment_id,
            "number": number,
        },
    )
    for item in items:
        answer = item.pop("answer", None)
        writer.add("attempt_items", item)
        if answer is not None:
            value, fraction, feedback, answered_at = answer
            writer.add(
                "responses",
                {
                    "id": writer.new_id("responses"),
                    "item_id": item["id"],
                    "value": value,
                    "fraction": fraction,
                    "feedback": feedback,
                    "answered_at": answered_at,
                },
            )
    return attempt_id


def build(size: str, database: Path, schema: str) -> Manifest:
    """Build the data set `size` in `database`; return its manifest."""
    from quizapp.banks.loader import load_bank
    from quizapp.banks.sync import sync_bank
    from quizapp.cli import create_schema
    from quizapp.config import Defaults
    from quizapp.extensions import db
    from quizapp.models import Bank

    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}")
    manifest = Manifest(size=size, version=VERSION, schema=schema, password=PASSWORD)
    app = bench_app(database)
    banks = [*bench_banks.small_banks(SEED), bench_banks.pool_bank(SEED)]
    if size == "large":
        big = DATA_DIR / f"big-bank-v{VERSION}.yaml"
        if not big.exists():
            big.write_text(bench_banks.big_bank(), encoding="utf-8")
        banks.append((bench_banks.BIG_BANK, big.read_text(encoding="utf-8")))
        manifest.big_bank_file = str(big)
    with app.app_context():
        create_schema()
        with progress_bar(len(banks), f"{size}: loading {len(banks)} banks") as advance:
            for slug, text in banks:
                loaded = load_bank(text.encode(), f"{slug}.yaml", sources_dir=Defaults.SEEDS_DIR)
                sync_bank(loaded)
                db.session.commit()
                advance(1)
        versions = _versions(random.Random(f"{SEED}-views"))
        bank_ids = {slug: id_ for slug, id_ in db.session.execute(db.select(Bank.slug, Bank.id))}
        tables = {name: db.metadata.tables[name] for name in Writer.TABLES}
        db.session.remove()
        db.engine.dispose()

    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("BEGIN")
    writer = Writer(connection, tables)
    password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")

    def add_user(username: str, role: str = "learner") -> int:
        user_id = writer.new_id("users")
        writer.add(
            "users",
            {
                "id": user_id,
                "username": username,
                "display_name": username.replace("-", " ").title(),
                "email": None,
                "password_hash": password_hash,
                "role": role,
                "session_token": hashlib.sha256(f"{SEED}-{username}".encode()).hexdigest()[:22],
                "created_at": stamp(START),
            },
        )
        return user_id

    small_quizzes = [
        key
        for key in versions
        if key not in (f"bank:{bench_banks.BIG_BANK}", f"bank:{bench_banks.POOL_BANK}")
    ]
    truefalse = [v for key in small_quizzes for v in versions[key] if v.type == "truefalse"]
    titles = {key: f"Benchmark quiz {key.rsplit('-', 1)[-1]}" for key in small_quizzes}
    titles[f"bank:{bench_banks.BIG_BANK}"] = "Every question"

    plan: list[tuple[str, int, list[str]]] = []
    for number in range(1, LIGHT_LEARNERS + 1):
        plan.append((f"learner-{number:02d}", LIGHT_ATTEMPTS, small_quizzes))
    if size == "large":
        plan.append(("heavy", HEAVY_ATTEMPTS, [*small_quizzes, f"bank:{bench_banks.BIG_BANK}"]))
    total = sum(count for _, count, _ in plan)

    with progress_bar(total, f"{size}: writing {total:,} attempts") as advance:
        for username, count, quizzes in plan:
            learner_rng = random.Random(f"{SEED}-{username}")
            user_id = add_user(username)
            favourites = learner_rng.sample(quizzes, FAVOURITE_QUIZZES - 1)
            if size == "large" and username == "heavy":
                favourites.append(f"bank:{bench_banks.BIG_BANK}")
            else:
                favourites.append(learner_rng.choice([q for q in quizzes if q not in favourites]))
            moment = START
            # Every learner has a review card for each question answered, but one: the
            # progress page with 5,000 cards is compared with the page without any.
            answered: dict[int, tuple[float, dt.datetime, int]] | None = (
                None if username == NO_CARDS else {}
            )
            for index in range(count):
                quiz = learner_rng.choice(favourites)
                _add_attempt(
                    writer,
                    learner_rng,
                    user_id=user_id,
                    bank_id=bank_ids[quiz.removeprefix("bank:")],
                    title=titles[quiz],
                    pool=versions[quiz],
                    started=moment,
                    finished=True,
                    answered=answered,
                )
                moment += dt.timedelta(minutes=10)
                if index % 1000 == 999:
                    advance(1000)
            advance(count % 1000)
            manifest.learners[username] = Learner(username, user_id, count)
            if answered is not None:
                cards = school.add_cards(
                    writer, stamp, user_id, answered, random.Random(f"{SEED}-cards-{username}")
                )
                manifest.learners[username].cards = cards

    benchmarked = ["learner-01"] + (["heavy"] if size == "large" else [])
    with progress_bar(len(benchmarked) * OPEN_TESTS, f"{size}: opening tests") as advance:
        for username in benchmarked:
            learner = manifest.learners[username]
            # The same questions for every learner and size: what a page shows is equal.
            open_rng = random.Random(f"{SEED}-open")
            moment = dt.datetime(2026, 1, 1, 9, 0)
            learner.page_attempt = _add_attempt(
                writer,
                open_rng,
                user_id=learner.user_id,
                bank_id=bank_ids["quiz-01"],
                title=titles["bank:quiz-01"],
                pool=versions["bank:quiz-01"],
                started=moment,
                finished=False,
                mode="test",
            )
            learner.open_first = writer.next_id["attempts"]
            learner.open_count = OPEN_TESTS
            for _ in range(OPEN_TESTS):
                _add_attempt(
                    writer,
                    open_rng,
                    user_id=learner.user_id,
                    bank_id=None,
                    title="Mixed quiz",
                    pool=truefalse,
                    started=moment,
                    finished=False,
                    mode="test",
                )
            advance(OPEN_TESTS)

    learners, classes, big_class = school.SCHOOL[size]
    attempts = (classes * school.CLASS_SIZE + big_class) * school.ASSIGNMENTS_PER_CLASS
    with progress_bar(attempts, f"{size}: writing a school of {learners:,}") as advance:
        manifest.school = school.build(
            writer,
            size=size,
            seed=SEED,
            versions=versions,
            bank_ids=bank_ids,
            add_user=add_user,
            add_attempt=lambda rng, **details: _add_attempt(writer, rng, **details),
            stamp=stamp,
            advance=advance,
        )

    manifest.exam_users = [f"exam-{n:04d}" for n in range(1, EXAM_LEARNERS + 1)]
    for username in manifest.exam_users:
        add_user(username)
    exam_bank = bench_banks.BIG_BANK if size == "large" else bench_banks.small_bank_slug(1)
    manifest.exam_quiz = f"bank:{exam_bank}"
    writer.flush()
    connection.execute("COMMIT")
    for table in ("banks", "questions", *Writer.TABLES):
        manifest.counts[table] = connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    manifest.counts["finished_attempts"] = connection.execute(
        "SELECT COUNT(*) FROM attempts WHERE finished_at IS NOT NULL"
    ).fetchone()[0]
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return manifest
