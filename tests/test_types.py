"""`make check` type-checks the project: mypy with django-stubs, strict on the pure modules.

mypy itself runs in `make check`; these tests keep its configuration honest when
code moves. A strict override whose module was moved or renamed is only a note
to mypy (exit 0), so the module would silently lose its strict checking.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
MYPY = PYPROJECT["tool"]["mypy"]
# Every per-module flag of `mypy --strict` (`strict = true` in an override would
# switch strict mode on for the whole run).
STRICT_FLAGS = {
    "disallow_any_generics",
    "disallow_subclassing_any",
    "disallow_untyped_calls",
    "disallow_untyped_defs",
    "disallow_incomplete_defs",
    "check_untyped_defs",
    "disallow_untyped_decorators",
    "warn_unused_ignores",
    "warn_return_any",
    "no_implicit_reexport",
    "strict_equality",
    "extra_checks",
}
# Issue 20: the rules, formats and charts, checked strictly.
PURE = {
    "quizzes.grading",
    "quizzes.items",
    "learners.scheduling",
    "learners.mastery",
    "search.matching",
    "notes.rendering",
    "interchange.document",
    "interchange.quizgecko",
    "interchange.gift",
    "interchange.tabular",
    "interchange.anki",
    "interchange.fixture",
    "interchange.formats",
    "interchange.markup",
    "generator.generate",
    "podcasts.script",
    "progress.charts",
    "progress.analytics",
}
# What a pure module never touches: the database, requests, sessions.
IMPURE = re.compile(r"^django\.(db|http|contrib|test|shortcuts|views|template)\b")


def strict_modules() -> set[str]:
    strict = [
        override
        for override in MYPY.get("overrides", [])
        if STRICT_FLAGS.issubset(flag for flag, on in override.items() if on is True)
    ]
    return {module for override in strict for module in override["module"]}


def path_of(module: str) -> Path:
    return ROOT / (module.replace(".", "/") + ".py")


def test_the_pure_modules_are_checked_strictly():
    assert PURE.issubset(strict_modules())


def test_no_override_switches_strict_mode_on_for_everything():
    assert not any(override.get("strict") for override in MYPY.get("overrides", []))
    assert not MYPY.get("strict")


def test_every_strict_module_exists():
    """A moved module must take its place in the strict list with it."""
    missing = sorted(m for m in strict_modules() if not path_of(m).is_file())
    assert missing == []


def test_every_strict_module_is_pure():
    """Strict typing is for code without the ORM or requests; a module that grows
    them moves out of the list (or the code moves out of the module)."""
    impure = {}
    for module in sorted(m for m in strict_modules() if path_of(m).is_file()):
        tree = ast.parse(path_of(module).read_text(encoding="utf-8"))
        imported = [
            node.module if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        ]
        bad = [name for name in imported if name and IMPURE.match(name)]
        if bad:
            impure[module] = bad
    assert impure == {}


def test_the_whole_project_is_checked_with_the_django_plugin():
    assert "mypy_django_plugin.main" in MYPY["plugins"]
    assert PYPROJECT["tool"]["django-stubs"]["django_settings_module"] == "studysite.settings"
    packages = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    assert {p.rstrip("*") for p in packages} <= set(MYPY["files"])
    assert {"bench", "tests"} <= set(MYPY["files"])
    assert "ignore_errors" not in str(MYPY)


def test_make_check_runs_mypy():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    check = makefile.split("\ncheck:", 1)[1].split("\n\n", 1)[0]
    assert "$(BIN)/mypy" in check
