"""Classes: join codes, rosters, assignments, the gradebook, item analysis and CSV.

Domain code only: no requests here. The teacher's pages are in quizapp/teach/classes.py,
the learner's in quizapp/join.py. None of these functions commits: the caller decides
what belongs in one transaction.
"""
