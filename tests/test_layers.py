"""The shape of the code: the rules live below the blueprints.

Every module outside `quizapp.web` imports (at import time, following every module it
imports in turn) no module of `quizapp.web`: attempts, banks, classrooms, review,
progress, sets and source can be used by a command, a test or another app without a
single page. Each module is read, not run: its top-level imports are followed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "quizapp"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def top_level_imports(name: str) -> set[str]:
    """Return the quizapp modules a module imports when it is imported (not in functions)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If):  # `if TYPE_CHECKING:` imports run only for checkers
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    # A module imports its packages' __init__ too.
    closure = set()
    for imported in found:
        parts = imported.split(".")
        closure.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return {m for m in closure if m in MODULES}


def reached(name: str) -> set[str]:
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        for other in top_level_imports(current):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


DOMAIN = sorted(m for m in MODULES if not m.startswith("quizapp.web"))


@pytest.mark.parametrize("name", DOMAIN)
def test_a_module_below_the_blueprints_imports_none_of_them(name):
    assert sorted(m for m in reached(name) if m.startswith("quizapp.web")) == []


def test_the_walk_can_fail_a_blueprint_reaches_its_own_views():
    assert "quizapp.web.quiz.views" in reached("quizapp.web.quiz")


def test_every_table_is_in_the_models_package():
    outside = []
    for name, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        defines = "__tablename__" in text or " = Table(" in text
        if not name.startswith("quizapp.models") and defines:
            outside.append(name)
    assert outside == []
