"""Helpers for the structure checks: every module of ``src/mkk`` parsed once."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
MKK = SRC / "mkk"


@cache
def modules() -> dict[str, ast.Module]:
    """Relative path (``mkk/plans/views.py``) → its syntax tree; migrations excluded."""
    out = {}
    for path in sorted(MKK.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if "/migrations/" in rel:
            continue
        out[rel] = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
    return out


def where(rel: str, node: ast.AST) -> str:
    return f"{rel}:{node.lineno}: {ast.unparse(node)[:120]}"
