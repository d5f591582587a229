"""The peak memory of downloading a gradebook CSV, for a class of 50 and the big class.

Measured in-process with tracemalloc (Python's allocations while the app answers the
request and the streamed body is read to its end), on a copy of the data set, signed
in as each class's teacher through the login form. Flat means the big class's peak is
close to the class of 50's: the rows are streamed, not held.
"""

from __future__ import annotations

import shutil
import tempfile
import tracemalloc
from pathlib import Path

from bench import dataset, endpoints
from bench.client import csrf_token


def csv_peaks(size: str) -> dict[str, dict[str, float]]:
    """Return {endpoint: {"learners", "peak_mb", "bytes"}} for the two gradebook CSVs."""
    source, manifest = dataset.ensure(size)
    peaks = {}
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / source.name
        shutil.copyfile(source, database)
        app = dataset.bench_app(database)
        for name in (endpoints.CSV, endpoints.CSV_BIG):
            page = endpoints.PAGES[name]
            client = app.test_client()
            form = client.get("/auth/login").get_data(as_text=True)
            client.post(
                "/auth/login",
                data={
                    "username": page.account,
                    "password": manifest.password,
                    "csrf_token": csrf_token(form),
                },
            )
            path = page.path(manifest.school)
            client.get(path).get_data()  # warm: templates, statements, connections
            tracemalloc.start()
            response = client.get(path, buffered=False)
            length = sum(len(chunk) for chunk in response.response)
            response.close()
            _now, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            peaks[name] = {
                "learners": page.shows(manifest.school),
                "peak_mb": peak / 1e6,
                "bytes": length,
            }
        with app.app_context():
            from quizapp.extensions import db

            db.session.remove()
            db.engine.dispose()
    return peaks
