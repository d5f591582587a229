"""The endpoints the benchmark measures, and how a learner's requests to them look."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.dataset import QUESTIONS_PER_ATTEMPT, Learner
from quizapp.classrooms.gradebook import PER_PAGE

BARE = "bare"
QUESTION = "question"
SUBMIT = "submit"
PROGRESS = "progress"
#: The same pages' final HTML, served from memory by the same app (bench mode).
CEILINGS = {"ceiling-question": "question", "ceiling-progress": "progress"}
#: The same for the teachers' pages of a class of 50 (measured with the school).
TEACHER_CEILINGS = {
    "ceiling-gradebook": "gradebook",
    "ceiling-gradebook-csv": "gradebook-csv",
    "ceiling-analysis": "analysis",
    "ceiling-class-analysis": "class-analysis",
    "ceiling-history": "history",
}
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


def request_for(
    endpoint: str,
    learner: Learner,
    csrf_token: str,
    index: int = 0,
    school: dict[str, Any] | None = None,
) -> Request:
    if endpoint in PAGES:
        page = PAGES[endpoint]
        body = f"csrf_token={csrf_token}" if page.method == "POST" else ""
        return Request(page.method, page.path(school or {}), body)
    if endpoint == BARE:
        return Request("GET", "/bench/bare")
    if endpoint in CEILINGS or endpoint in TEACHER_CEILINGS:
        return Request("GET", f"/bench/ceiling/{(CEILINGS | TEACHER_CEILINGS)[endpoint]}")
    if endpoint == QUESTION:
        return Request("GET", question_path(learner))
    if endpoint == SUBMIT:
        return Request("POST", submit_target(learner, index), submit_body(csrf_token))
    if endpoint == PROGRESS:
        return Request("GET", "/progress/")
    raise ValueError(endpoint)


# ------------------------------------------------------------------ the school's pages

GRADEBOOK = "gradebook"
GRADEBOOK_BIG = "gradebook-big"
CSV = "gradebook-csv"
CSV_BIG = "gradebook-csv-big"
ANALYSIS = "analysis"
ANALYSIS_BIG = "analysis-big"
CLASS_ANALYSIS = "class-analysis"
CLASS_ANALYSIS_BIG = "class-analysis-big"
HISTORY = "history"
REVIEW = "review"
REVIEW_START = "review-start"
START_BIG = "start-big-pool"
START_SMALL = "start-small-pool"
#: Who signs in for the rows where each of many accounts makes one request.
STARTERS = "starters"


@dataclass(frozen=True)
class Page:
    """A page of the school rows: who asks for it, how, and what a browser gets."""

    label: str
    account: str
    method: str
    status: int
    #: Its path, from the data set's school (bench/school.py's manifest entry).
    path: Callable[[dict[str, Any]], str]
    #: Learners it shows (teachers' pages): its cost may grow with them, no faster.
    shows: Callable[[dict[str, Any]], int] | None = None


def _class(school: dict[str, Any], big: bool) -> dict[str, Any]:
    return school["big_class"] if big else school["classes"][0]


def _teacher_page(
    label: str, suffix: str, big: bool, *, assignment: bool = False, per_page: int | None = None
) -> Page:
    def path(school: dict[str, Any]) -> str:
        group = _class(school, big)
        middle = f"/assignments/{group['assignments'][0]}" if assignment else ""
        return f"/teach/classes/{group['id']}{middle}/{suffix}"

    def shows(school: dict[str, Any]) -> int:
        learners = school["big_class"]["size"] if big else school["class_size"]
        return min(learners, per_page) if per_page else learners

    account = "teacher-big" if big else "teacher"
    return Page(label, account, "GET", 200, path, shows)


PAGES: dict[str, Page] = {
    # The gradebook shows a page of learners (its first page here); the CSV all of them.
    GRADEBOOK: _teacher_page("gradebook, class of 50", "gradebook", False, per_page=PER_PAGE),
    GRADEBOOK_BIG: _teacher_page("gradebook, big class", "gradebook", True, per_page=PER_PAGE),
    CSV: _teacher_page("gradebook CSV, class of 50", "gradebook.csv", False),
    CSV_BIG: _teacher_page("gradebook CSV, big class", "gradebook.csv", True),
    ANALYSIS: _teacher_page("item analysis, assignment", "analysis", False, assignment=True),
    ANALYSIS_BIG: _teacher_page("item analysis, big assignment", "analysis", True, assignment=True),
    CLASS_ANALYSIS: _teacher_page("item analysis, class of 50", "analysis", False),
    CLASS_ANALYSIS_BIG: _teacher_page("item analysis, big class", "analysis", True),
    HISTORY: Page(
        "a learner's history",
        "teacher",
        "GET",
        200,
        lambda school: f"/teach/classes/{school['classes'][0]['id']}/learners/{school['learner']}",
    ),
    REVIEW: Page("review page", "heavy", "GET", 200, lambda _school: "/review/"),
    REVIEW_START: Page("review quiz start", "heavy", "POST", 302, lambda _school: "/review/start"),
    START_BIG: Page(
        "assignment start, big pool",
        STARTERS,
        "POST",
        302,
        lambda school: f"/assignments/{school['start']['big']}/start",
    ),
    START_SMALL: Page(
        "assignment start, 50 pool",
        STARTERS,
        "POST",
        302,
        lambda school: f"/assignments/{school['start']['small']}/start",
    ),
}
#: The teachers' pages measured on a class of 50 and on the big class, in pairs.
FLAT_PAIRS = (
    (GRADEBOOK_BIG, GRADEBOOK),
    (CSV_BIG, CSV),
    (ANALYSIS_BIG, ANALYSIS),
    (CLASS_ANALYSIS_BIG, CLASS_ANALYSIS),
)
