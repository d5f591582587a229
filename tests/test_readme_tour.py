"""The README's tour matches the tree: a newcomer who follows it finds every place it names,
and every package of the app is on it."""

from __future__ import annotations

import re

from quizapp.config import PROJECT_ROOT

PATHLIKE = re.compile(r"^[\w*./-]+(/|\.\w+)$")  # a folder/ or a file.ext, not `loader`
README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def _tour_rows() -> list[str]:
    section = README.split("## A tour", 1)[1].split("\n## ", 1)[0]
    return [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]


def _named_paths() -> list[str]:
    """Each path a tour row names; `a.py`, `b.py` after a folder are files in that folder."""
    paths = []
    for cell in _tour_rows():
        names = [n for n in re.findall(r"`([^`]+)`", cell) if PATHLIKE.match(n)]
        folder = names[0].rsplit("/", 1)[0] + "/" if "/" in names[0].rstrip("/") else ""
        paths.append(names[0])
        paths += [n if "/" in n else folder + n for n in names[1:]]
    return paths


def test_every_place_the_tour_names_exists():
    missing = [p for p in _named_paths() if not list(PROJECT_ROOT.glob(p))]
    assert missing == []


def test_every_package_of_the_app_is_on_the_tour():
    named = set(_named_paths())
    packages = sorted(
        f"quizapp/{d.name}/"
        for d in (PROJECT_ROOT / "quizapp").iterdir()
        if d.is_dir() and any(d.glob("*.py"))
    )
    assert [p for p in packages if p not in named] == []
