"""Every table of the app, with the behaviour that belongs to a row, one module per domain.

accounts (users), banks (banks, questions, versions), attempts (attempts, their items and
answers), classes (classrooms, memberships, assignments, extra time), review (review cards),
quiz_stats (figures kept by triggers), uploads (pending uploads), rate_limits (the
counters, apart from the app's metadata).
"""

from quizapp.models.accounts import User
from quizapp.models.attempts import Attempt, AttemptItem, DrawnFrom, QuizKind, Response
from quizapp.models.banks import Bank, Question, QuestionVersion
from quizapp.models.base import DEADLINE_GRACE, new_token, utcnow
from quizapp.models.classes import Assignment, Classroom, ExtraTime, Membership
from quizapp.models.quiz_stats import QuizStat
from quizapp.models.review import ReviewCard
from quizapp.models.uploads import PendingUpload

__all__ = [
    "DEADLINE_GRACE",
    "Assignment",
    "Attempt",
    "AttemptItem",
    "Bank",
    "Classroom",
    "DrawnFrom",
    "ExtraTime",
    "Membership",
    "PendingUpload",
    "Question",
    "QuestionVersion",
    "QuizKind",
    "QuizStat",
    "Response",
    "ReviewCard",
    "User",
    "new_token",
    "utcnow",
]
