"""Views are short (issue 16): a view's body (its docstring left out) is at most 25 lines:
access, form, service, redirect or page. A longer view either hands its work to a form, a
selector, a service or a small helper, or says why it is long in a comment line of its body
that starts ``# long:`` and gives the reason.

A view is a public function of a view module (see ``is_view_module``) whose first parameter
(after ``self``) is ``request``: function views, class-based views' handlers, API endpoints.
"""

from __future__ import annotations

import ast
import io
import tokenize

from .conftest import MKK, modules
from .test_views_read_through_selectors import is_view_module

MAX_VIEW_LINES = 25
MARK = "# long:"


def is_view(node: ast.AST) -> bool:
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or node.name.startswith("_"):
        return False
    names = [a.arg for a in node.args.args]
    if names[:1] in (["self"], ["cls"]):
        names = names[1:]
    return names[:1] == ["request"]


def body_span(node: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[int, int]:
    """First and last line of the body, the docstring left out (comments count)."""
    body = node.body
    if (
        len(body) > 1
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        return body[0].end_lineno + 1, node.end_lineno
    return body[0].lineno, node.end_lineno


def reasons(source: str) -> dict[int, str]:
    """Line → the reason of a ``# long:`` comment on it (comments only, never strings)."""
    out = {}
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT and token.string.startswith(MARK):
            out[token.start[0]] = token.string[len(MARK) :].strip()
    return out


def long_views(rel: str, tree: ast.Module, source: str) -> list[str]:
    said = None
    out = []
    for node in ast.walk(tree):
        if not is_view(node):
            continue
        first, last = body_span(node)
        length = last - first + 1
        if length <= MAX_VIEW_LINES:
            continue
        if said is None:
            said = reasons(source)
        if any(said[line] for line in said if node.lineno <= line <= last):
            continue
        out.append(f"{rel}:{node.lineno} {node.name}: {length} lines")
    return out


def test_views_are_short_or_say_why():
    offenders = []
    for rel, tree in modules().items():
        if is_view_module(rel):
            source = (MKK.parent / rel).read_text(encoding="utf-8")
            offenders += long_views(rel, tree, source)
    assert not offenders, (
        f"Views over {MAX_VIEW_LINES} lines (docstring left out): hand the work to a form, "
        f"selector, service or helper, or say why in a comment line `{MARK} <reason>` in "
        "the body:\n" + "\n".join(offenders)
    )


def _check(source: str) -> list[str]:
    return long_views("mkk/x/views.py", ast.parse(source), source)


def test_the_check_counts_the_body_and_reads_the_reason():
    lines = "\n".join(f"    x{n} = {n}" for n in range(MAX_VIEW_LINES))
    fits = f'def page(request):\n    """Doc\n    string."""\n{lines}\n'
    assert _check(fits) == []
    long = f"def page(request):\n{lines}\n    return x0\n"
    assert _check(long) == ["mkk/x/views.py:1 page: 26 lines"]
    reason = f'def page(request):\n    """Doc."""\n    # long: one table, row by row\n{lines}\n'
    assert _check(reason) == []
    # An empty reason, or the mark in a string, does not count.
    assert _check(f"def page(request):\n    x = 0\n    # long:\n{lines}\n")
    assert _check(f'def page(request):\n    x = "# long: no"\n{lines}\n')
    assert _check(reason.replace("# long: one table, row by row", "# one table"))
    # Helpers and non-views are not views; class handlers are.
    assert _check(f"def _helper(request):\n{lines}\n    return x0\n") == []
    assert _check(f"def rows(data):\n{lines}\n    return x0\n") == []
    assert _check(f"class V:\n  def post(self, request):\n{lines}\n    return x0\n")
