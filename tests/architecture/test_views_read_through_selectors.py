"""Views and API endpoints are thin: they read through the apps' selectors (which apply
``scoping``) and write through services, never through ``Model.objects`` themselves."""

from __future__ import annotations

import ast

from .conftest import modules, where


def is_view_module(rel: str) -> bool:
    """``views.py``, ``*_views.py``, modules of a ``views/`` package, and the API's endpoint
    modules (``api/`` except its own models, selectors and services)."""
    parts = rel.split("/")
    name = parts[-1]
    if name.endswith("views.py") or "views" in parts[2:-1]:
        return True
    return parts[1] == "api" and name not in {"models.py", "selectors.py", "services.py"}


def objects_uses(tree: ast.Module) -> list[ast.Attribute]:
    """``Something.objects`` (and ``_default_manager``) anywhere in the module."""
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in {"objects", "_default_manager"}
    ]


def test_views_never_call_objects():
    offenders = [
        where(rel, node)
        for rel, tree in modules().items()
        if is_view_module(rel)
        for node in objects_uses(tree)
    ]
    assert not offenders, (
        "Views and the API read through selectors and write through services "
        "(move the query into the app's selectors.py):\n" + "\n".join(offenders)
    )


def test_the_check_sees_views_and_the_api():
    assert is_view_module("mkk/plans/views.py")
    assert is_view_module("mkk/reports/file_views.py")
    assert is_view_module("mkk/statistics/views/entry.py")
    assert is_view_module("mkk/api/api.py")
    assert is_view_module("mkk/api/plans.py")
    assert not is_view_module("mkk/api/selectors.py")
    assert not is_view_module("mkk/plans/selectors.py")
    assert objects_uses(ast.parse("Action.objects.filter(pk=1)"))
