"""Signals other parts of the app listen to, so that the quiz engine stays small.

Receivers are called inside the request's transaction: what they write commits or
rolls back with the answer itself.
"""

from blinker import Namespace

_signals = Namespace()

#: Sent after an answer is stored; kwargs: attempt, item, response, now.
answer_recorded = _signals.signal("answer-recorded")
#: Sent once, when an attempt is finished and scored; kwargs: attempt, now.
attempt_finished = _signals.signal("attempt-finished")
