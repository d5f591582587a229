"""Faults injected on purpose, for the tests that check nothing is ever half-written.

Set FAULTS (QUIZAPP_FAULTS in the environment of a test server) to a comma-separated
list of signals, and a receiver of each raises once the rest of the request has
written its rows: `answer-recorded` (an answer, after the response row is flushed) or
`attempt-finished` (after the finishing UPDATE). A production configuration never sets
it; unset, this module connects nothing.
"""

from __future__ import annotations

from flask import Flask, current_app

from quizapp import signals


class InjectedFault(RuntimeError):
    """The failure a test asked for."""


SIGNALS = {
    "answer-recorded": signals.answer_recorded,
    "attempt-finished": signals.attempt_finished,
}


def _raise_if_asked(name: str):
    def receiver(sender, **_details) -> None:
        if name in current_app.config.get("FAULTS_ENABLED", ()):
            raise InjectedFault(f"fault injected on {name}")

    return receiver


# Connected once, strongly: each receiver asks the app in hand whether to fail.
_RECEIVERS = {name: _raise_if_asked(name) for name in SIGNALS}
for _name, _signal in SIGNALS.items():
    _signal.connect(_RECEIVERS[_name])


def init_app(app: Flask) -> None:
    """Read FAULTS into the set of faults this app injects."""
    wanted = app.config.get("FAULTS") or ""
    names = {part.strip() for part in str(wanted).split(",") if part.strip()}
    unknown = names - SIGNALS.keys()
    if unknown:
        raise ValueError(f"unknown FAULTS {sorted(unknown)}; known: {sorted(SIGNALS)}")
    app.config["FAULTS_ENABLED"] = frozenset(names)
