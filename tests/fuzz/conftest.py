"""Hypothesis settings for the fuzz tests: bounded for CI, no deadline to flake on.

HYPOTHESIS_PROFILE picks one: `ci` (the default: a few hundred examples per property,
enough to find the usual mistakes in about a minute), or `thorough` for a long hunt
before a release.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# A shared machine can be slow at any moment: a deadline would fail good code.
settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "thorough",
    max_examples=5_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
