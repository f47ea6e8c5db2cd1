"""The layers point one way: pages/app → ui → core; seed, bench and tests may use core; core uses none of them.

Imports are read with `ast` from every module of the product (no import is executed), so the test also
catches imports inside functions. It fails on:
- any import cycle between modules (modules of the same package included);
- core importing streamlit, ui, pages, seed, bench or tests;
- ui importing pages, seed, bench or tests; bench importing tests, or tests importing bench;
- ui or pages running SQL: importing sqlalchemy/sqlmodel query builders or calling `.execute(`/`text(`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "ui", "pages", "seed", "bench", "harness", "tests")
FORBIDDEN = {
    "core": ("streamlit", "ui", "pages", "seed", "bench", "tests", "harness"),
    "ui": ("pages", "seed", "bench", "tests", "harness"),
    "pages": ("seed", "bench", "tests", "harness"),
    "seed": ("streamlit", "ui", "pages", "bench", "tests", "harness"),
    "bench": ("tests", "pages"),
    "tests": ("bench",),
    "harness": ("tests", "bench", "pages"),
}
#: What ui and pages may not import: the query builders (reads go through core).
SQL_MODULES = ("sqlalchemy", "sqlmodel.sql")
#: Imports from those that are no SQL: the engine type the caches hold, and the errors a page catches.
SQL_ALLOWED = ("sqlalchemy.engine", "sqlalchemy.exc")
SQL_NAMES = {"select", "text", "func", "update", "delete", "insert"}


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def product_modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the product and its tooling: dotted name → file."""
    found = {"app": root / "app.py"}
    for pkg in PACKAGES:
        for path in sorted((root / pkg).rglob("*.py")) if (root / pkg).is_dir() else ():
            if "artifacts" not in path.parts:
                found[module_name(path)] = path
    return found


def _resolve(current: str, is_pkg: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = current.split(".")
    base = base if is_pkg else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports_of(name: str, path: Path) -> Iterator[tuple[str, int, tuple[str, ...]]]:
    """(imported module, line, imported names) for every import statement in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_pkg = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno, ()
        elif isinstance(node, ast.ImportFrom):
            yield _resolve(name, is_pkg, node), node.lineno, tuple(a.name for a in node.names)


def graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module → the product modules it imports (`from pkg import mod` counts as importing pkg.mod)."""
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        for target, _, names in imports_of(name, path):
            for candidate in [f"{target}.{n}" for n in names] + [target]:
                if candidate in modules and candidate != name:
                    edges[name].add(candidate)
                    break
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def wrong_way(modules: dict[str, Path]) -> list[str]:
    """`file:line imports X` for every import that breaks FORBIDDEN."""
    out = []
    for name, path in modules.items():
        layer = name.split(".")[0]
        banned = FORBIDDEN.get(layer, ())
        for target, line, _ in imports_of(name, path):
            top = target.split(".")[0]
            if top in banned:
                out.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    return out


def sql_in_ui(modules: dict[str, Path]) -> list[str]:
    """`file:line …` for every SQL builder import or execute/text call in ui/, pages/ and app.py."""
    out = []
    for name, path in modules.items():
        if name.split(".")[0] not in ("ui", "pages", "app"):
            continue
        rel = path.relative_to(ROOT)
        for target, line, names in imports_of(name, path):
            if (target.startswith(SQL_MODULES) and not target.startswith(SQL_ALLOWED)) or (target == "sqlmodel" and SQL_NAMES & set(names)):
                out.append(f"{rel}:{line} imports {target} {', '.join(names)}".strip())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("execute", "exec"):
                out.append(f"{rel}:{node.lineno} calls .{node.func.attr}()")
    return out


def test_no_import_cycles() -> None:
    found = cycles(graph(product_modules()))
    assert not found, "import cycles:\n" + "\n".join(" ↔ ".join(c) for c in found)


def test_layers_point_one_way() -> None:
    found = wrong_way(product_modules())
    assert not found, "imports against the layers:\n" + "\n".join(found)


def test_ui_and_pages_run_no_sql() -> None:
    found = sql_in_ui(product_modules())
    assert not found, "SQL outside core:\n" + "\n".join(found)


@pytest.mark.parametrize(("layer", "line", "kind"), [
    ("core", "import streamlit as st", "wrong_way"),
    ("core", "from ui import data", "wrong_way"),
    ("core", "from seed import geo", "wrong_way"),
    ("ui", "from sqlmodel import select", "sql"),
    ("pages", "import sqlalchemy as sa", "sql"),
    ("tests", "from bench import presets", "wrong_way"),
])
def test_the_checks_catch_a_forbidden_import(tmp_path: Path, layer: str, line: str, kind: str) -> None:
    """Each check fails on a planted forbidden import, in a copy of the layer's first module."""
    modules = product_modules()
    victim = next(n for n in modules if n.split(".")[0] == layer and n.count(".") == 1)
    planted = tmp_path / "planted.py"
    planted.write_text(line + "\n" + modules[victim].read_text(encoding="utf-8"), encoding="utf-8")
    global ROOT
    saved = ROOT
    try:
        ROOT = tmp_path
        check = wrong_way if kind == "wrong_way" else sql_in_ui
        (tmp_path / layer).mkdir()
        (tmp_path / layer / "planted.py").write_text(planted.read_text(encoding="utf-8"), encoding="utf-8")
        found = check({f"{layer}.planted": tmp_path / layer / "planted.py"})
    finally:
        ROOT = saved
    assert found and "planted.py:1" in found[0]


def test_the_cycle_check_catches_a_cycle() -> None:
    edges = graph(product_modules())
    edges["core.scope"].add("core.workflow")  # core.workflow already reaches core.scope
    assert any("core.scope" in c and "core.workflow" in c for c in cycles(edges))
