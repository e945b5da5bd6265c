"""Every arrow between modules is a plain import the import graph (and import-linter) sees:
no module loads another by name with ``importlib`` (a renamed selector must fail at import,
never silently drop a report section)."""

from __future__ import annotations

import ast

from .conftest import modules, where


def importlib_uses(tree: ast.Module) -> list[ast.AST]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(
            a.name == "importlib" or a.name.startswith("importlib.") for a in node.names
        ):
            found.append(node)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("importlib"):
            found.append(node)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "__import__"
        ):
            found.append(node)
    return found


def test_no_module_imports_by_name():
    offenders = [where(rel, n) for rel, tree in modules().items() for n in importlib_uses(tree)]
    assert not offenders, "Import modules plainly, never by name:\n" + "\n".join(offenders)


def test_the_check_catches():
    for source in (
        "import importlib",
        "from importlib import import_module",
        "import importlib.util",
        "__import__('mkk.plans')",
    ):
        assert importlib_uses(ast.parse(source)), source
