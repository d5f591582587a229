"""The Hypothesis profiles (tests/conftest.py): CI runs every property test derandomized."""

from __future__ import annotations

import os
import re

from hypothesis import settings

from quizapp.config import PROJECT_ROOT


def test_the_ci_profile_is_derandomized_bounded_and_without_a_deadline():
    ci = settings.get_profile("ci")
    assert ci.derandomize is True
    assert ci.database is None  # nothing found on another machine is replayed
    assert ci.deadline is None
    assert ci.max_examples <= 500


def test_the_thorough_profile_is_random_and_wider():
    thorough = settings.get_profile("thorough")
    assert thorough.derandomize is False
    assert thorough.max_examples > settings.get_profile("ci").max_examples


def test_ci_is_the_default_profile():
    if os.environ.get("HYPOTHESIS_PROFILE", "ci") == "ci":
        assert settings.default.derandomize is True


def test_the_ci_script_sets_the_profile_for_each_of_its_pytest_runs():
    script = (PROJECT_ROOT / ".ci" / "run").read_text()
    runs = [line for line in script.splitlines() if re.search(r"\bpytest\b", line)]
    assert len(runs) == 2
    assert all("HYPOTHESIS_PROFILE=ci " in line for line in runs)
