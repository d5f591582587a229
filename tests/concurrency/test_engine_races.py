"""Races inside one process, where the signals can be counted: one finish, one grade."""

from __future__ import annotations

import threading

from concurrency.test_server_under_load import _answered_attempt, make_learners
from drive import log_in

from quizapp.extensions import db
from quizapp.models import Attempt
from quizapp.signals import attempt_finished

RACERS = 8


def test_finishing_from_eight_tabs_at_once_sends_attempt_finished_once(loaded):
    app = loaded
    (learner,) = make_learners(app, 1)
    attempt_id = _answered_attempt(app, learner)
    finished: list[int] = []
    lock = threading.Lock()

    def count(sender, **_details):
        with lock:
            finished.append(sender.id)

    barrier = threading.Barrier(RACERS, timeout=60)
    statuses: list[int] = []

    def tab():
        client = app.test_client()
        with app.app_context():
            log_in(client, db.session.get(type(learner), learner.id))
        barrier.wait()
        statuses.append(client.post(f"/quiz/{attempt_id}/finish").status_code)

    with attempt_finished.connected_to(count):
        threads = [threading.Thread(target=tab) for _ in range(RACERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert statuses == [302] * RACERS
    assert finished == [attempt_id]
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).is_finished
        db.session.remove()
