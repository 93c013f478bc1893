"""No room imports upward: only oms/ imports oms, and intake/oms_core import neither agents nor review_ui.

Imports are read with ast, including those inside functions (a lazy import is still a dependency).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

# room -> top-level packages it must not import
FORBIDDEN = {
    "intake": {"oms", "agents", "review_ui"},
    "oms_core": {"oms", "agents", "review_ui"},
    "agents": {"oms", "review_ui"},
    "review_ui": {"oms"},
}


def imported_packages(path: Path) -> set[tuple[int, str]]:
    """(line, top-level package) of every absolute import in a module."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {(node.lineno, alias.name.split(".")[0]) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add((node.lineno, node.module.split(".")[0]))
    return found


def test_the_reader_sees_imports_inside_functions_too(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import os\n\ndef f():\n    from oms.health import readiness\n    import agents.graph\n")
    assert imported_packages(module) == {(1, "os"), (4, "oms"), (5, "agents")}


@pytest.mark.parametrize("room", sorted(FORBIDDEN))
def test_no_room_imports_upward(room):
    modules = sorted((REPO / room).rglob("*.py"))
    assert modules, f"no modules found under {room}/"
    upward = [f"{path.relative_to(REPO)}:{line} imports {package}"
              for path in modules for line, package in sorted(imported_packages(path))
              if package in FORBIDDEN[room]]
    assert upward == []
