"""The import directions of docs/ARCHITECTURE.md, checked on the source.

Every import statement counts, at module level or inside a function: an import moved into a
function still runs, so it cannot hide a cycle or a wrong direction. Only imports under
``if TYPE_CHECKING:`` are left out of the cycle check (they never run), not of the layers.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("lev_desktop", "db", "exports", "ui", "resources")

# Lowest first. A module may import modules of its own layer or of a lower one.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "base",
        (
            "lev_desktop",  # the package itself: version and name
            "lev_desktop.i18n",
            "lev_desktop.thai_format",
            "lev_desktop.paths",
            "lev_desktop.dblock",  # the one database lock of the window and the CLI
            "lev_desktop.progress",
            "lev_desktop.gazetteer",
            "lev_desktop.changes",  # what an operation changed: plain flags
            "resources",
        ),
    ),
    # routing: the reporting route, from the domain's office levels and the gazetteer's names
    ("domain", ("lev_desktop.domain", "lev_desktop.routing")),
    # errors turns storage errors (SQLite, the ownership guard) into Thai sentences
    ("db", ("db", "lev_desktop.options", "lev_desktop.errors")),
    (
        "core",
        (
            "lev_desktop.services",
            "lev_desktop.deadlines",
            "lev_desktop.exchange",
            "lev_desktop.continuity",
        ),
    ),
    ("exports", ("exports",)),
    ("cli", ("lev_desktop.cli", "lev_desktop.i18n_tools")),
    ("ui", ("ui",)),
]
# ui and cli both sit on top of the core, beside each other: neither imports the other.
APART = {("ui", "cli"), ("cli", "ui")}

# Import edges that break the layers today, each with the issue that removes it. Keep empty.
KNOWN: set[tuple[str, str]] = set()

# Parts of the code (a subpackage of the core, of exports or of ui) whose imports go both ways.
# Each is to be removed by the issue named; the test fails when one disappears, so that the
# list only shrinks.
KNOWN_PART_CYCLES: list[list[str]] = []
KNOWN_MODULE_CYCLES: list[list[str]] = []


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int
    typing_only: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def our_modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:  # Alembic scripts, loaded by path
                continue
            found[module_name(path)] = path
    return found


def layer_of(module: str) -> int:
    best, rank = -1, -1
    for index, (_name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), index
    assert rank >= 0, f"{module} belongs to no layer: add it to LAYERS"
    return rank


def _typing_only_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for sub in node.body:
                for inner in ast.walk(sub):
                    if isinstance(inner, (ast.Import, ast.ImportFrom)):
                        lines.add(inner.lineno)
    return lines


def edges(modules: dict[str, Path]) -> Iterator[Edge]:
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = _typing_only_lines(tree)
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: resolve against this module's package
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    stem = ".".join(base + ([node.module] if node.module else []))
                else:
                    stem = node.module or ""
                # ``from a.b import c`` loads the module a.b.c if there is one, else a.b
                targets = [
                    f"{stem}.{alias.name}" if f"{stem}.{alias.name}" in modules else stem
                    for alias in node.names
                ]
            for target in targets:
                resolved = _resolve(target, modules)
                if resolved and resolved != name:
                    yield Edge(name, resolved, node.lineno, node.lineno in typing_only)


def _resolve(target: str, modules: dict[str, Path]) -> str | None:
    """The module of ours that ``target`` (a module or a name in one) loads, if any."""
    while target:
        if target in modules:
            return target
        target = target.rpartition(".")[0]
    return None


def test_every_module_has_a_layer():
    for name in our_modules():
        layer_of(name)


def test_imports_go_down_the_layers():
    modules = our_modules()
    wrong = []
    for edge in edges(modules):
        source, target = layer_of(edge.source), layer_of(edge.target)
        pair = (LAYERS[source][0], LAYERS[target][0])
        if (target > source or pair in APART) and (edge.source, edge.target) not in KNOWN:
            wrong.append(
                f"{modules[edge.source].relative_to(ROOT)}:{edge.line}: {edge.source} "
                f"({pair[0]}) imports {edge.target} ({pair[1]})"
            )
    assert wrong == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for edge in edges(modules):
        if not edge.typing_only:
            graph[edge.source].add(edge.target)
            # importing a.b.c runs a/__init__ and a/b/__init__ first, unless the importer is
            # inside that package (then its __init__ is already running)
            parent = edge.target.rpartition(".")[0]
            while parent:
                inside = edge.source == parent or edge.source.startswith(parent + ".")
                if parent in modules and not inside:
                    graph[edge.source].add(parent)
                parent = parent.rpartition(".")[0]
    return graph


def test_no_import_cycles():
    assert _cycles(_graph(our_modules())) == KNOWN_MODULE_CYCLES


def part_of(module: str) -> str:
    """The part a module belongs to: a subpackage of the core, exports or ui, else itself."""
    parts = module.split(".")
    if parts[0] == "lev_desktop" and len(parts) > 2:
        return ".".join(parts[:2])
    if parts[0] in ("exports", "ui") and len(parts) > 1:
        return ".".join(parts[:2])
    if parts[0] == "db":
        return "db"
    return module


def test_no_cycles_between_parts():
    graph: dict[str, set[str]] = {}
    for edge in edges(our_modules()):
        source, target = part_of(edge.source), part_of(edge.target)
        if not edge.typing_only and source != target:
            graph.setdefault(source, set()).add(target)
    assert _cycles(graph) == KNOWN_PART_CYCLES


def test_the_checks_see_a_cycle_and_a_wrong_direction():
    """The checker itself: a cycle hidden in a function and an upward import are found."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert layer_of("lev_desktop.services.plans") > layer_of("db.store")
    tree = ast.parse("def f():\n    import ui.app\n")
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import)]
    assert [alias.name for alias in imports[0].names] == ["ui.app"]
