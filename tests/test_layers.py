"""The house's layers: imports inside `factcheck/` only point down, and never in a circle.

The import graph is read with the standard library's `ast`, function-local imports
included (a lazy import is still a dependency). We walk it ourselves rather than use
import-linter: its cycle contract covers siblings of one package only, and the same
twenty lines give the before/after figures (`python -m tests.test_layers` prints them).

Layers, bottom first, in the order the data flows (ingest → extract → db → workflow →
batch/report → web → cli). A module may import from its own layer and from layers below;
the groups inside one layer may not import each other.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "factcheck"

# Each entry: one layer, as groups of module prefixes that must not import each other.
LAYERS: list[list[tuple[str, ...]]] = [
    [("factcheck", "factcheck.schema", "factcheck.errors", "factcheck.config")],
    [("factcheck.verdicts", "factcheck.public")],
    [("factcheck.ingest",)],
    [("factcheck.extract",)],
    [("factcheck.db",)],
    [("factcheck.workflow", "factcheck.matching")],
    [("factcheck.batch",), ("factcheck.report",)],
    [("factcheck.web",)],
    [("factcheck.cli",)],
]


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports_of(path: Path, known: set[str]) -> Iterator[tuple[str, int]]:
    """(imported factcheck module, line) for every import in the file, lazy ones too."""
    module = module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("factcheck"):
                    yield _closest(alias.name, known), node.lineno
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, path.name == "__init__.py", node)
            if not target.startswith("factcheck"):
                continue
            for alias in node.names:
                # `from factcheck.extract import offline` imports a module, not a name.
                candidate = f"{target}.{alias.name}"
                yield _closest(candidate if candidate in known else target, known), node.lineno


def _closest(name: str, known: set[str]) -> str:
    while name not in known and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def import_graph() -> dict[str, dict[str, int]]:
    """module -> {imported module: first line}; only modules of the package."""
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    known = set(files)
    graph: dict[str, dict[str, int]] = {}
    for module, path in sorted(files.items()):
        edges: dict[str, int] = {}
        for target, line in imports_of(path, known):
            if target != module and target in known:
                edges.setdefault(target, line)
        graph[module] = edges
    return graph


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def layer_of(module: str) -> tuple[int, int] | None:
    """(layer, group) of the longest prefix that names the module."""
    best: tuple[int, int, int] | None = None
    for li, groups in enumerate(LAYERS):
        for gi, prefixes in enumerate(groups):
            for prefix in prefixes:
                if module == prefix or module.startswith(prefix + "."):
                    if best is None or len(prefix) > best[2]:
                        best = (li, gi, len(prefix))
    return None if best is None else (best[0], best[1])


def upward_imports(graph: dict[str, dict[str, int]]) -> list[str]:
    """Every import from a lower layer to a higher one, or across groups of one layer."""
    bad = []
    for module, edges in sorted(graph.items()):
        here = layer_of(module)
        for target, line in sorted(edges.items()):
            there = layer_of(target)
            if here is None or there is None:
                continue
            if there[0] > here[0] or (there[0] == here[0] and there[1] != here[1]):
                bad.append(f"{module}:{line} imports {target}")
    return bad


def test_every_module_has_a_layer() -> None:
    missing = [m for m in import_graph() if layer_of(m) is None]
    assert not missing, f"modules outside LAYERS: {missing}"


def test_no_import_cycles() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


def test_imports_only_point_down() -> None:
    bad = upward_imports(import_graph())
    assert not bad, "imports against the layers:\n" + "\n".join(bad)


# What a handler must not do itself: build or run a query (factcheck.db has a function
# for each one). A thin CLI and web layer parse, call the library and present.
_QUERY_CALLS = {"select", "update", "insert", "delete", "scalars", "scalar", "execute", "query"}


def test_handlers_write_no_queries() -> None:
    found = []
    for folder in ("cli", "web"):
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "sqlalchemy"
                ):
                    names = {a.name for a in node.names} & _QUERY_CALLS
                    if names:
                        found.append(f"{path.name}:{node.lineno} imports {sorted(names)}")
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                    owner = node.func.value
                    if (
                        node.func.attr in _QUERY_CALLS
                        and isinstance(owner, ast.Name)
                        and owner.id == "session"
                    ):
                        found.append(f"{path.name}:{node.lineno} calls session.{node.func.attr}")
    assert not found, "queries in handlers:\n" + "\n".join(found)


def test_the_walker_sees_cycles_and_lazy_imports(tmp_path: Path) -> None:
    graph = {"a": {"b": 1}, "b": {"c": 2}, "c": {"a": 3}, "d": {"a": 1}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b": 1}, "b": {}}) == []
    src = tmp_path / "factcheck_probe.py"
    src.write_text("def f():\n    from factcheck.workflow.review import x\n", encoding="utf-8")
    tree = ast.parse(src.read_text())
    lazy = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert lazy and lazy[0].module == "factcheck.workflow.review"


if __name__ == "__main__":
    g = import_graph()
    edges = sum(len(e) for e in g.values())
    found = cycles(g)
    bad = upward_imports(g)
    unplaced = [m for m in g if layer_of(m) is None]
    print(f"{len(g)} modules, {edges} imports between them")
    print(f"{len(found)} import cycles")
    for c in found:
        print("  cycle: " + " <-> ".join(c))
    print(f"{len(bad)} imports against the layers")
    for line in bad:
        print("  " + line)
    if unplaced:
        print(f"{len(unplaced)} modules outside the layers: {', '.join(unplaced)}")
