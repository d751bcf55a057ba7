"""The layout's rules, read from the source with `ast` so that they hold from now on.

- No import cycle between the project's modules, imports inside functions included (those
  under `if TYPE_CHECKING:` aside, as they never run).
- The core (`lms`) imports no domain app, except in its URL and settings wiring.
- No file named `<capability>_<layer>.py` or `<layer>_<capability>.py` at an app's top level:
  a capability is a room (a sub-package), not a file-name prefix.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("lms", "courses", "assessments", "forum", "certificates", "content")
DOMAIN_APPS = tuple(app for app in APPS if app != "lms")
CORE_WIRING = ("lms.urls", "lms.settings")
LAYERS = (
    "models",
    "services",
    "selectors",
    "permissions",
    "forms",
    "views",
    "urls",
    "tasks",
    "pdf",
)
PREFIXED = re.compile(rf"^(?:\w+_(?:{'|'.join(LAYERS)})|(?:{'|'.join(LAYERS)})_\w+)\.py$")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def project_modules() -> dict[str, Path]:
    """Every module of the project's apps (migrations aside: they are frozen history)."""
    modules = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            modules[_module_name(path)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST):
    """Every import statement that can run, wherever it is (functions included)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The project module an import name runs: the longest known prefix."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


@cache
def import_graph() -> dict[str, set[str]]:
    """module → the project modules it imports (a package's `__init__` is the package)."""
    modules = project_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in _import_nodes(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            else:
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    prefix = ".".join(base + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                candidates = [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]
            for candidate in candidates:
                target = _resolve(candidate, modules)
                if target and target != name:
                    targets.add(target)
        graph[name] = targets
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cycles = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        cycles.append(sorted(component))
    return cycles


def _app(module: str) -> str:
    return module.partition(".")[0]


def core_imports_of_domain(graph: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{source} → {target}"
        for source, targets in graph.items()
        if _app(source) == "lms" and not source.startswith(CORE_WIRING)
        for target in targets
        if _app(target) in DOMAIN_APPS
    )


def prefixed_files() -> list[str]:
    return sorted(
        f"{app}/{path.name}"
        for app in APPS
        for path in (ROOT / app).glob("*.py")
        if PREFIXED.match(path.name)
    )


def test_the_analysis_sees_imports_inside_functions_and_skips_type_checking():
    """The reader finds an import inside a function and ignores one under `if TYPE_CHECKING:`."""
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from courses.models import Cohort\n"
        "def f():\n    from forum.models import Post\n"
    )
    found = {node.module for node in _import_nodes(tree) if isinstance(node, ast.ImportFrom)}
    assert found == {"typing", "forum.models"}


def test_the_cycle_finder_finds_a_cycle_through_three_modules():
    """A → B → C → A is reported as one cycle; a chain is not."""
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_cycle_between_modules():
    """No module imports, directly or not, a module that imports it back."""
    cycles = import_cycles(import_graph())
    assert not cycles, "Import cycles:\n" + "\n".join(" ↔ ".join(cycle) for cycle in cycles)


def test_the_core_imports_no_domain_app():
    """`lms` imports none of courses, assessments, forum, certificates or content (URL and
    settings wiring aside): the apps register what the core offers, not the other way round."""
    assert core_imports_of_domain(import_graph()) == []


@pytest.mark.parametrize(
    ("name", "prefixed"),
    [("attendance_views.py", True), ("views_moderation.py", True), ("views.py", False), ("enums.py", False)],
)
def test_the_prefix_rule_recognises_layer_names(name, prefixed):
    """`attendance_views.py` and `views_moderation.py` are prefix-named; `views.py` is not."""
    assert bool(PREFIXED.match(name)) is prefixed


def test_no_prefix_named_file_at_an_app_top_level():
    """A capability is a room, not a file-name prefix such as `attendance_views.py`."""
    assert prefixed_files() == []


#: The courses app's rooms, each importing only rooms listed before it (docs/architecture.md).
COURSES_LADDER = ("catalogue", "cohorts", "hours", "sessions", "learning", "attendance", "tracking")


def _courses_room(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "courses" and len(parts) > 2 and parts[1] in COURSES_LADDER:
        return parts[1]
    return None


def test_the_courses_rooms_import_only_the_rooms_below_them():
    """catalogue ← cohorts ← hours ← sessions ← learning ← attendance ← tracking: a room never
    imports one listed after it, so the rooms' dependencies run one way too."""
    upward = sorted(
        f"{source} → {target}"
        for source, targets in import_graph().items()
        if (low := _courses_room(source))
        for target in targets
        if (high := _courses_room(target)) and COURSES_LADDER.index(high) > COURSES_LADDER.index(low)
    )
    assert upward == []


def test_every_courses_room_is_on_the_ladder():
    """A new room of courses/ gets its place on the ladder (and a line in docs/architecture.md)."""
    rooms = {path.parent.name for path in (ROOT / "courses").glob("*/__init__.py")} - {
        "migrations",
        "management",
    }
    assert rooms == set(COURSES_LADDER)


HISTORICAL_TASK_NAMES = (
    "courses.tasks.send_invitation",
    "courses.tasks.send_invitations",
    "courses.tasks.send_dropout_reminders",
    "courses.session_tasks.session_reminders",
    "courses.session_tasks.qualiopi_expiry_reminders",
    "courses.declaration_tasks.send_declaration_validated",
    "courses.declaration_tasks.send_declaration_refused",
    "forum.tasks.send_post_notifications",
    "forum.tasks.send_daily_digests",
)


@pytest.mark.parametrize("name", HISTORICAL_TASK_NAMES)
def test_celery_tasks_keep_their_names_when_their_room_moves(name):
    """Messages already queued and the beat schedule call tasks by name: moving a task into a
    room keeps the name it had."""
    from lms.celery import app

    assert name in app.tasks
