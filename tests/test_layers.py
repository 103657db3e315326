"""Layers point down (issue 20): every import of every app, read with `ast` (the
ones inside functions too), checked against the intended order of the apps.

    learners → notes → quizzes, flashcards → podcasts, progress, search, interchange → generator

An app imports its own modules and the apps of the layers below it; apps of one
layer do not import each other. `studysite` is two things: plumbing (chinese,
htmx, http, keys, throttle, middleware, forms, templatetags, apps…) that any app
may import and that imports no app; and the top (settings, urls, views, wsgi,
asgi) that may import anything and that no app imports. The project package
keeps no models of its own, so `studysite.models` counts as top. `bench/` and
`harness/` may import apps, never `tests`. No import hides inside a function to
dodge a cycle, and no module imports itself back through others.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lower number, lower layer. An app may import an app of a lower layer only.
LAYERS: dict[str, int] = {
    "learners": 0,
    "notes": 1,
    "quizzes": 2,
    "flashcards": 2,
    "podcasts": 3,
    "progress": 3,
    "search": 3,
    "interchange": 3,
    "generator": 4,
}
PROJECT = "studysite"
# The top of the project package: may import any app; no app or plumbing imports it.
PROJECT_TOP = {f"{PROJECT}.{name}" for name in ("settings", "urls", "views", "wsgi", "asgi")} | {
    f"{PROJECT}.models"  # learners' settings belong to the learners app, not the project
}
TOOLS = ("bench", "harness")  # scripts over the product: may import apps, never tests
FIRST_PARTY = {*LAYERS, PROJECT, *TOOLS, "tests"}

# Imports inside a function that are not there to dodge a cycle, each with its reason.
FUNCTION_IMPORTS_ALLOWED: dict[tuple[str, str], str] = {
    # The audio extra (GPL-3.0+) is optional: the app runs without it, so these are
    # imported where speech is made, and `audio.available()` asks whether they can be.
    ("podcasts/audio.py", "espeakng_loader"): "optional extra",
    ("podcasts/audio.py", "lameenc"): "optional extra",
}


@dataclass(frozen=True)
class Import:
    path: str  # relative to the root, e.g. "notes/admin.py"
    line: int
    module: str  # the first-party module it resolves to, or the third-party name
    in_function: str | None  # the enclosing function's name, if any

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def product_files(root: Path = ROOT) -> Iterator[Path]:
    """Every .py file of the apps, the project package and the tools, migrations aside."""
    for top in sorted({*LAYERS, PROJECT, *TOOLS}):
        for path in sorted((root / top).rglob("*.py")):
            if "migrations" not in path.relative_to(root).parts:
                yield path


def _resolve(name: str, modules: set[str]) -> str:
    """The longest known module that `name` is or lies in (a class or function
    imported from a module resolves to that module)."""
    while name not in modules and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def imports_of(path: Path, modules: set[str], root: Path = ROOT) -> list[Import]:
    """Every import statement in the file, with the first-party module it names."""
    rel = path.relative_to(root).as_posix()
    package = module_name(path, root)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, function or child.name)
                continue
            names: list[str] = []
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:  # relative: from . import x, from ..y import z
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (child.level - 1)]
                    base = ".".join([*anchor, *([base] if base else [])])
                # `from pkg import sub` names the submodule when there is one.
                names = [".".join(filter(None, [base, alias.name])) for alias in child.names]
            for name in names:
                resolved = _resolve(name, modules) if name.split(".")[0] in FIRST_PARTY else name
                imp = Import(rel, getattr(child, "lineno", 0), resolved, function)
                if imp not in found:  # from x import a, b: one import of x
                    found.append(imp)
            visit(child, function)

    visit(ast.parse(path.read_text(encoding="utf-8"), filename=rel), None)
    return found


def all_imports(root: Path = ROOT) -> dict[str, list[Import]]:
    files = list(product_files(root))
    tests = {module_name(p, root) for p in (root / "tests").rglob("*.py")}
    modules = {module_name(p, root) for p in files} | tests | set(FIRST_PARTY)
    return {module_name(p, root): imports_of(p, modules, root) for p in files}


def layer_violations(graph: dict[str, list[Import]]) -> list[str]:
    """Each import that points up, sideways within a layer, or into tests."""
    problems = []
    for importer, imports in graph.items():
        source = importer.split(".")[0]
        for imp in imports:
            target = imp.module.split(".")[0]
            if target not in FIRST_PARTY or target == source and source != PROJECT:
                continue
            why = None
            if target == "tests":
                why = "product code and tools never import tests"
            elif source in TOOLS:
                if source == "harness" and target == "bench":
                    why = "harness is shared by tests and bench: it imports no bench script"
                else:
                    continue  # tools may import apps and the project
            elif target in TOOLS:
                why = f"{source} imports the {target} tool"
            elif source in LAYERS and target in LAYERS:
                if LAYERS[target] == LAYERS[source]:
                    why = f"{source} and {target} are one layer: neither imports the other"
                elif LAYERS[target] > LAYERS[source]:
                    why = f"{target} lies above {source}"
            elif source in LAYERS and target == PROJECT and imp.module in PROJECT_TOP:
                why = f"{imp.module} is the top of the project: no app imports it"
            elif importer not in PROJECT_TOP and source == PROJECT:
                if target in LAYERS:
                    why = f"{importer} is plumbing: it imports no app"
                elif imp.module in PROJECT_TOP:
                    why = f"{importer} is plumbing: it imports nothing of the top"
            if why:
                problems.append((imp.path, imp.line, f"{imp.where}: imports {imp.module} ({why})"))
    return [message for *_where, message in sorted(problems)]


def function_import_violations(graph: dict[str, list[Import]]) -> list[str]:
    """Imports inside a function body of the apps and the project package. Two
    kinds are fine: those in an app's apps.py (Django imports it before the app
    registry is ready, so models can only be imported once `ready()` runs or a
    receiver it connects is called), and the optional extras named in
    FUNCTION_IMPORTS_ALLOWED."""
    problems = []
    for importer, imports in graph.items():
        if importer.split(".")[0] in TOOLS:
            continue  # scripts: they set Django up before they import models
        for imp in imports:
            if imp.in_function is None:
                continue
            if imp.path.endswith("/apps.py"):
                continue
            if (imp.path, imp.module.split(".")[0]) in FUNCTION_IMPORTS_ALLOWED:
                continue
            message = f"{imp.where}: imports {imp.module} inside {imp.in_function}()"
            problems.append((imp.path, imp.line, message))
    return [message for *_where, message in sorted(problems)]


def cycles(graph: dict[str, list[Import]]) -> list[str]:
    """Each import cycle among first-party modules, as the chain of imports that closes it."""
    edges: dict[str, dict[str, Import]] = {}
    for importer, imports in graph.items():
        for imp in imports:
            if imp.module in graph and imp.module != importer:
                edges.setdefault(importer, {}).setdefault(imp.module, imp)
    # Tarjan's strongly connected components; a component of two or more is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[str] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, {}):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                members = set(component)
                chain = [
                    f"{imp.where} → {target}"
                    for source in sorted(members)
                    for target, imp in sorted(edges.get(source, {}).items())
                    if target in members
                ]
                found.append(" ⇄ ".join(sorted(members)) + ":\n      " + "\n      ".join(chain))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def _report(title: str, problems: list[str]) -> str:
    return f"{title} ({len(problems)}):\n  " + "\n  ".join(problems)


def test_apps_import_only_downward():
    problems = layer_violations(all_imports())
    assert not problems, _report("imports that do not point down", problems)


def test_no_imports_inside_functions():
    problems = function_import_violations(all_imports())
    assert not problems, _report("imports inside functions", problems)


def test_no_import_cycles():
    problems = cycles(all_imports())
    assert not problems, _report("import cycles", problems)


# The checker itself, on small made-up trees.


def _tree(tmp_path: Path, files: dict[str, str]) -> dict[str, list[Import]]:
    for name in {*LAYERS, PROJECT, *TOOLS, "tests"}:
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("")
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return all_imports(tmp_path)


def test_checker_sees_upward_sideways_and_hidden_imports(tmp_path):
    graph = _tree(
        tmp_path,
        {
            "notes/admin.py": "def urls():\n    from interchange.views import export\n",
            "quizzes/models.py": "from flashcards import models\nfrom notes.models import Note\n",
            "studysite/htmx.py": "from quizzes.models import Attempt\n",
            "studysite/views.py": "from progress import views\n",
            "progress/views.py": "from studysite.views import home\nfrom studysite import htmx\n",
            "bench/run.py": "from tests.factories import make\nfrom quizzes import models\n",
            "generator/views.py": "from .. import progress\n",
            "harness/servers.py": "from bench import run\nfrom notes import models\n",
        },
    )
    assert layer_violations(graph) == [
        "bench/run.py:1: imports tests (product code and tools never import tests)",
        "harness/servers.py:1: imports bench.run"
        " (harness is shared by tests and bench: it imports no bench script)",
        "notes/admin.py:2: imports interchange (interchange lies above notes)",
        "progress/views.py:1: imports studysite.views"
        " (studysite.views is the top of the project: no app imports it)",
        "quizzes/models.py:1: imports flashcards"
        " (quizzes and flashcards are one layer: neither imports the other)",
        "studysite/htmx.py:1: imports quizzes.models (studysite.htmx is plumbing: it imports no app)",
    ]
    assert function_import_violations(graph) == [
        "notes/admin.py:2: imports interchange inside urls()"
    ]


def test_checker_sees_cycles_through_functions(tmp_path):
    graph = _tree(
        tmp_path,
        {
            "podcasts/models.py": "def enqueue():\n    from podcasts.tasks import render\n",
            "podcasts/tasks.py": "from podcasts import models\n",
            "podcasts/views.py": "from podcasts import models\n",
        },
    )
    assert cycles(graph) == [
        "podcasts.models ⇄ podcasts.tasks:\n"
        "      podcasts/models.py:2 → podcasts.tasks\n"
        "      podcasts/tasks.py:1 → podcasts.models"
    ]


def readme_layout() -> tuple[list[str], str]:
    """The folders the README's Layout block names, in its order, and the
    sentence after it that states the order of the apps."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Layout", 1)[1].split("```", 2)
    folders = [line.split("/")[0] for line in block[1].splitlines() if line[:1].isalpha()]
    return folders, block[2].split("\n\n", 2)[1]


def test_the_readme_layout_matches_the_code():
    folders, rule = readme_layout()
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests"}
    assert packages - set(folders) == set(), "packages missing from the README's Layout"
    assert [f for f in folders if not (ROOT / f).is_dir()] == []
    apps = [f for f in folders if f in LAYERS]
    assert [LAYERS[app] for app in apps] == sorted(LAYERS[app] for app in apps), "bottom first"
    stated = rule.split(":", 1)[1].split(";", 1)[0].replace("\n", " ")
    assert [layer.replace(" ", "").split(",") for layer in stated.split("→")] == [
        sorted((app for app in LAYERS if LAYERS[app] == n), key=stated.index)
        for n in sorted(set(LAYERS.values()))
    ]
