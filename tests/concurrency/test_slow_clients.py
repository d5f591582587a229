"""Fifty slow clients cannot keep a learner out in the README's Deploy setup.

A slow client (slowloris) opens a connection, sends the start of a request and then one
header line every few seconds, never finishing. gunicorn reads request headers with no
time limit: a sync worker stays with that one client for as long as it keeps trickling
(until the arbiter's --timeout kills the worker, and the next slow client takes it), so
fifty of them hold the four workers and nobody else is answered. The Deploy section's
answer is nginx in front: it waits for all of them in one event loop and hands gunicorn
only complete requests (`proxy_request_buffering`, on by default).

The first test runs that setup: the `location` block of the README's nginx example, as
written there, in front of gunicorn's four sync workers (the concurrency tests' server);
fifty slow clients trickle headers to nginx while a normal client asks for the home
page. The second shows the danger is real: the same fifty clients against bare gunicorn,
and the normal client waits in vain.

Why not gunicorn's `gthread` workers instead (checked on gunicorn 27.0.1, 2 cores): a
gthread worker accepts every connection in its main loop and waits up to 5 s for the
first bytes without tying up a thread (`DEFAULT_WORKER_DATA_TIMEOUT`), but once a client
has sent any, a pool thread reads the rest of the headers blocking, with no time limit
(`ThreadWorker.handle`, `next(conn.parser)`). So each slow client holds one thread: with
one worker, 50 slow clients starved 50 threads (no answer in 3 s, six tries of six) and
51 threads answered in milliseconds. With four workers, connections go to whichever
worker's loop accepts first, often all fifty to one worker: 4 workers x 2, x 16 and x 32
threads all left the normal client unanswered in 2 to 4 tries of 6, depending on which
worker took it. That lottery is why the bad case below is only shown for sync workers,
and why the README relies on nginx rather than on threads. Behind nginx, 4 sync workers
and 4 x 4 gthread workers answered every try, in 3 to 40 ms; so did nginx with clients
trickling a POST body instead of headers, which starve bare sync workers the same way.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from concurrency.conftest import START_TIMEOUT, run_gunicorn

SLOW_CLIENTS = 50
TRICKLE_EVERY = 1.0  # seconds between two header lines of each slow client
ANSWER_TIMEOUT = 20  # generous: nginx and an idle worker answer in milliseconds
STARVED_FOR = 3  # how long the normal client waits in vain in the bad case
SETTLE_TIMEOUT = 20  # for nginx to have read the first line of every slow client
STATUS_PATH = "/nginx-status"  # the test's own window on nginx, not part of the README
README = Path(__file__).resolve().parents[2] / "README.md"


def nginx_binary() -> str:
    """Return Debian's nginx; without it skip, except in CI, which must run this test."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if found:
        return found
    if "CI" in os.environ:
        pytest.fail("nginx is missing: .ci/setup installs Debian's nginx for this test")
    pytest.skip("nginx is not installed (apt-get install nginx); CI runs this test")


def readme_location_block(upstream_port: int) -> str:
    """Return the nginx `location` block of the README's Deploy section, aimed at gunicorn."""
    blocks = re.findall(r"```nginx\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1, "the README should show one nginx block"
    block = blocks[0]
    assert "proxy_pass http://127.0.0.1:8000;" in block, block
    return block.replace("127.0.0.1:8000", f"127.0.0.1:{upstream_port}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(port: int, path: str, timeout: float) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def nginx_config(folder: Path, port: int, upstream_port: int) -> str:
    # Every path nginx would write to by default (/var/lib/nginx, /run) is moved into
    # the test's folder. Run as root, nginx's workers would become `nobody`, who cannot
    # enter pytest's private temp folder to spool a large answer: keep them root there.
    user = "user root;" if os.geteuid() == 0 else ""
    temp = " ".join(
        f"{kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    location = readme_location_block(upstream_port)
    return f"""
{user}
worker_processes 1;
pid {folder / "nginx.pid"};
error_log stderr;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    {temp}
    server {{
        listen 127.0.0.1:{port};
        location = {STATUS_PATH} {{ stub_status; }}
{location}
    }}
}}
"""


@contextmanager
def run_nginx(folder: Path, upstream_port: int) -> Iterator[int]:
    """Run nginx in the foreground on a free port in front of gunicorn; yield the port.

    A port picked free may be taken again before nginx binds it: then try another.
    """
    binary = nginx_binary()
    for _ in range(5):
        port = free_port()
        conf = folder / "nginx.conf"
        conf.write_text(nginx_config(folder, port, upstream_port), encoding="utf-8")
        log_path = folder / "nginx.log"
        with log_path.open("w") as log:
            # Its own session, so that its worker goes too if the master must be killed.
            process = subprocess.Popen(
                [binary, "-p", str(folder), "-c", str(conf), "-g", "daemon off;"],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        try:
            if _nginx_serving(process, port):
                yield port
                return
            text = log_path.read_text()
            assert "Address already in use" in text, f"nginx did not start:\n{text}"
        finally:
            _stop(process)
    pytest.fail("nginx found no free port in five tries")


def _nginx_serving(process: subprocess.Popen, port: int) -> bool:
    """Wait until nginx answers on its port; False if it exits first."""
    deadline = time.monotonic() + START_TIMEOUT
    while process.poll() is None:
        try:
            if fetch(port, STATUS_PATH, timeout=5)[0] == 200:
                return True
        except OSError:
            pass
        assert time.monotonic() < deadline, "nginx never answered"
        time.sleep(0.1)
    return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # fast shutdown: the master stops its worker
        try:
            process.wait(timeout=30)
            return
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def nginx_reading(port: int) -> int:
    """How many connections nginx is reading request headers from (stub_status)."""
    status, text = fetch(port, STATUS_PATH, timeout=ANSWER_TIMEOUT)
    assert status == 200, text
    match = re.search(r"Reading: (\d+)", text)
    assert match, text
    return int(match.group(1))


class SlowClients:
    """Connections that send a request line and then trickle header lines, never ending."""

    def __init__(self, port: int, count: int) -> None:
        self.port, self.count = port, count
        self.sockets: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._trickle, daemon=True)

    def __enter__(self) -> SlowClients:
        try:
            for i in range(self.count):
                slow = socket.create_connection(("127.0.0.1", self.port), timeout=ANSWER_TIMEOUT)
                self.sockets.append(slow)
                slow.settimeout(None)  # blocking: recv(MSG_DONTWAIT) below then never waits
                slow.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: {i}\r\n".encode())
            self._thread.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _trickle(self) -> None:
        line = 0
        while not self._stop.wait(TRICKLE_EVERY):
            line += 1
            for slow in self.sockets:
                with suppress(OSError):  # a closed one is counted by still_waiting()
                    slow.sendall(f"X-Line-{line}: still coming\r\n".encode())

    def still_waiting(self) -> int:
        """How many are still open and unanswered: nothing to read, no end of stream."""
        waiting = 0
        for slow in self.sockets:
            try:
                slow.recv(1, socket.MSG_DONTWAIT | socket.MSG_PEEK)
            except BlockingIOError:
                waiting += 1
            except OSError:
                pass
        return waiting

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        for slow in self.sockets:
            slow.close()


def test_fifty_slow_clients_do_not_keep_a_learner_out_behind_nginx(loaded, tmp_path):
    with (
        run_gunicorn(loaded, TRUSTED_PROXIES="1") as server,
        run_nginx(tmp_path, server.port) as port,
        SlowClients(port, SLOW_CLIENTS) as slow,
    ):
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while nginx_reading(port) < SLOW_CLIENTS:
            assert time.monotonic() < deadline, "nginx did not take in the slow clients"
            time.sleep(0.05)

        status, page = fetch(port, "/", timeout=ANSWER_TIMEOUT)

        assert status == 200, page[-500:]
        assert slow.still_waiting() == SLOW_CLIENTS
        assert nginx_reading(port) >= SLOW_CLIENTS
    assert server.errors() == []


def test_bare_gunicorn_is_starved_by_the_same_fifty_slow_clients(loaded):
    """Without nginx the four sync workers each take a slow client and wait on it.

    The normal client connects after all fifty, so it is queued behind them (the kernel
    hands out connections in order) and cannot be answered while they trickle: waiting
    STARVED_FOR seconds shows it as surely as waiting longer would.
    """
    with run_gunicorn(loaded) as server:
        with SlowClients(server.port, SLOW_CLIENTS), pytest.raises(TimeoutError):
            fetch(server.port, "/", timeout=STARVED_FOR)
        # Once they are gone the same server answers at once: it was only starved.
        assert fetch(server.port, "/", timeout=ANSWER_TIMEOUT)[0] == 200
