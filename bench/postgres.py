"""The class at once on PostgreSQL: a schema of its own holding just what the class needs.

The cached data sets are SQLite files, built with sqlite3. Copying one into PostgreSQL
would cost minutes for rows the class never reads; instead a schema of its own
(`bench_class`, dropped and made again on every run, so a run starts clean and the
test suite's `public` schema is never touched) gets the app's schema through its
migrations, the class's exam bank through the real loader and sync, and the class's
learners (the data set's exam learners, with its password) in one executemany.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import insert, text
from sqlalchemy.engine import make_url
from werkzeug.security import generate_password_hash

from bench import banks as bench_banks
from bench import dataset
from quizapp.config import sqlalchemy_url

SCHEMA = "bench_class"


def in_schema(url: str, schema: str = SCHEMA) -> str:
    """Return `url` with every connection's search_path set to `schema`.

    The app and its migrations name no schema, so they all work in this one.
    """
    parsed = make_url(sqlalchemy_url(url))  # as the app reads DATABASE_URL
    if not parsed.drivername.startswith("postgresql"):
        raise ValueError(f"not a PostgreSQL URL: {parsed.render_as_string(hide_password=True)}")
    scoped = parsed.update_query_dict({"options": f"-csearch_path={schema}"})
    return scoped.render_as_string(hide_password=False)


def shown(url: str) -> str:
    """Return `url` as the results may show it: without its password."""
    return make_url(url).render_as_string(hide_password=True) if url else url


def exam_bank(manifest: dataset.Manifest) -> tuple[str, str]:
    """Return (slug, YAML) of the bank the data set's exam learners take their test on."""
    slug = manifest.exam_quiz.removeprefix("bank:")
    if slug == bench_banks.BIG_BANK:
        return slug, Path(manifest.big_bank_file).read_text(encoding="utf-8")
    for candidate, yaml_text in bench_banks.small_banks(dataset.SEED):
        if candidate == slug:
            return slug, yaml_text
    raise LookupError(f"no benchmark bank {slug!r}")


def prepare(url: str, manifest: dataset.Manifest, usernames: list[str]) -> str:
    """Make the class's schema afresh in the database at `url`; return the URL that uses it."""
    from quizapp import create_app
    from quizapp.banks.loader import load_bank
    from quizapp.banks.sync import sync_bank
    from quizapp.cli import create_schema
    from quizapp.config import Defaults
    from quizapp.extensions import db
    from quizapp.models import User

    scoped = in_schema(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": scoped, "SECRET_KEY": "bench"})
    print(f"PostgreSQL: making schema {SCHEMA} for the class…", file=sys.stderr)
    with app.app_context():
        with db.engine.begin() as connection:
            # A connection left open on the schema would make DROP wait forever.
            connection.execute(text("SET LOCAL lock_timeout = '20s'"))
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        create_schema()
        slug, yaml_text = exam_bank(manifest)
        sync_bank(load_bank(yaml_text.encode(), f"{slug}.yaml", sources_dir=Defaults.SEEDS_DIR))
        # The data set's cheap hash: signing 200 learners in is not what is measured.
        password_hash = generate_password_hash(manifest.password, method="pbkdf2:sha256:1000")
        db.session.execute(
            insert(User.__table__),
            [
                {
                    "username": username,
                    "display_name": username.replace("-", " ").title(),
                    "email": None,
                    "password_hash": password_hash,
                    "role": "learner",
                }
                for username in usernames
            ],
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return scoped
