"""The endpoints the benchmark measures, and how a learner's requests to them look."""

from __future__ import annotations

from dataclasses import dataclass

from bench.dataset import QUESTIONS_PER_ATTEMPT, Learner

BARE = "bare"
QUESTION = "question"
SUBMIT = "submit"
PROGRESS = "progress"
#: In table order.
ENDPOINTS = (BARE, QUESTION, SUBMIT, PROGRESS)
DESCRIPTIONS = {
    BARE: "GET /bench/bare: a view that returns 'ok' (bench mode only)",
    QUESTION: "GET a question of an open test (10 questions, navigation shown)",
    SUBMIT: "POST an answer to the next unanswered question of an open test",
    PROGRESS: "GET /progress/: summaries, chart of the newest 50, newest 20 attempts",
}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: str = ""


def question_path(learner: Learner) -> str:
    return f"/quiz/{learner.page_attempt}/q/1"


def submit_target(learner: Learner, index: int) -> str:
    """Return the path of the `index`th answer the benchmark posts (wrapping round)."""
    index %= learner.open_count * QUESTIONS_PER_ATTEMPT
    attempt = learner.open_first + index // QUESTIONS_PER_ATTEMPT
    return f"/quiz/{attempt}/q/{index % QUESTIONS_PER_ATTEMPT + 1}"


def submit_body(csrf_token: str) -> str:
    """Every open test holds true/false questions only: one body answers them all."""
    return f"csrf_token={csrf_token}&answer=true&go=next"


def request_for(endpoint: str, learner: Learner, csrf_token: str, index: int = 0) -> Request:
    if endpoint == BARE:
        return Request("GET", "/bench/bare")
    if endpoint == QUESTION:
        return Request("GET", question_path(learner))
    if endpoint == SUBMIT:
        return Request("POST", submit_target(learner, index), submit_body(csrf_token))
    if endpoint == PROGRESS:
        return Request("GET", "/progress/")
    raise ValueError(endpoint)
