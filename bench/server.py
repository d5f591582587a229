"""The app under gunicorn on loopback, as the benchmark serves it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.endpoints import BARE

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "quizapp-bench-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def workers() -> int:
    """One sync worker per core, as the targets are stated."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Server:
    """gunicorn serving the app in bench mode on a copy of a data set's database (a SQLite
    file) or on a database URL (PostgreSQL)."""

    def __init__(
        self, database: Path | str, *, workers: int, log: Path, pages: Path | None = None
    ) -> None:
        self.database = database
        #: Where the benchmark saves pages for the ceiling rows (bench mode's BENCH_PAGES).
        self.pages = pages
        self.workers = workers
        self.port = free_port()
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database_url(self) -> str:
        if isinstance(self.database, str):
            return self.database
        return f"sqlite:///{self.database}"

    def start(self) -> Server:
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": SECRET_KEY,
            # Bench mode: the bare endpoint and the SQL count header.
            "QUIZAPP_BENCH": "true",
        }
        if self.pages is not None:
            env["QUIZAPP_BENCH_PAGES"] = str(self.pages)
        command = [
            gunicorn,
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--no-control-socket",
            "--log-level",
            "warning",
            "quizapp:create_app()",
        ]
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        self._wait_until_ready()
        return self

    def _wait_until_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.url}/bench/{BARE}", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s; see {self.log}")

    def cpu_seconds(self) -> float:
        """Return the CPU time (user + system) the workers have used so far."""
        if self.process is None:
            return 0.0
        total = 0.0
        tick = os.sysconf("SC_CLK_TCK")
        for child in Path(f"/proc/{self.process.pid}/task").glob("*/children"):
            for pid in child.read_text().split():
                try:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                total += (int(fields[11]) + int(fields[12])) / tick
        return total

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # gunicorn stops cleanly on TERM
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
