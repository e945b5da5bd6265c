"""Every rule about who may do what lives in ``mkk.accounts`` (``scoping``): no code outside
that app compares a user's role to anything, and roles are the ``Role`` enum, never strings.

A newcomer asking "who may approve?" finds one file. A view, selector or template that needs
the answer asks ``scoping`` (``scoping.can_approve(...)``, ``{% if user|may:"..." %}``)."""

from __future__ import annotations

import ast

import pytest

from mkk.accounts import models as account_models
from mkk.accounts import scoping
from mkk.accounts.models import Role

from .conftest import MKK, modules, where

ROLE_VALUES = frozenset(Role.values)
#: Sets of roles the accounts app names (``INSTITUTION_ROLES``…).
ROLE_SETS = frozenset(
    name
    for module in (account_models, scoping)
    for name, value in vars(module).items()
    if isinstance(value, set | frozenset) and value and all(isinstance(v, Role) for v in value)
)


def _is_role(node: ast.AST) -> bool:
    """``role`` itself, or ``<anything>.role``."""
    return (isinstance(node, ast.Name) and node.id == "role") or (
        isinstance(node, ast.Attribute) and node.attr == "role"
    )


def _mentions_role_enum(node: ast.AST) -> bool:
    """``Role.X``, a role value as a string, or a collection/name of such (``{Role.A, ...}``,
    ``INSTITUTION_ROLES``)."""
    for sub in ast.walk(node):
        if (
            isinstance(sub, ast.Attribute)
            and isinstance(sub.value, ast.Name)
            and sub.value.id == "Role"
        ):
            return True
        if isinstance(sub, ast.Name) and sub.id in ROLE_SETS:
            return True
        if isinstance(sub, ast.Constant) and sub.value in ROLE_VALUES:
            return True
    return False


def _user_role(node: ast.AST) -> bool:
    """``user.role``, ``request.user.role``, ``self.actor.role``…: the role of an account."""
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "role"
        and isinstance(node.value, ast.Name | ast.Attribute)
        and (
            (node.value.id if isinstance(node.value, ast.Name) else node.value.attr)
            in {"user", "actor", "account", "target", "author", "owner", "reviewer"}
        )
    )


def role_comparisons(tree: ast.Module) -> list[ast.Compare]:
    """Comparisons of an account's role: one side is a user's ``.role``, or a ``role`` is
    compared with a ``Role`` member, a role value or a set of roles.

    Other things called ``role`` (a plan's lead/supporting institution, a column of an imported
    table, a dashboard panel's kind) are compared with their own values and are not caught."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        if (
            any(_user_role(s) for s in sides)
            or any(_is_role(s) for s in sides)
            and any(_mentions_role_enum(s) for s in sides if not _is_role(s))
        ):
            found.append(node)
    return found


def role_strings(tree: ast.Module) -> list[ast.AST]:
    """A role written as a string where a ``Role`` member belongs: ``role="focal_point"`` in
    a call (a query, a constructor) or ``x.role = "coordinator"``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in {"role", "role__in"}:
            values = (
                node.value.elts
                if isinstance(node.value, ast.List | ast.Tuple | ast.Set)
                else [node.value]
            )
            if any(isinstance(v, ast.Constant) and v.value in ROLE_VALUES for v in values):
                found.append(node.value)
        if (
            isinstance(node, ast.Assign)
            and any(_is_role(t) for t in node.targets)
            and isinstance(node.value, ast.Constant)
            and node.value.value in ROLE_VALUES
        ):
            found.append(node)
    return found


def _outside_accounts() -> dict[str, ast.Module]:
    return {rel: tree for rel, tree in modules().items() if not rel.startswith("mkk/accounts/")}


def test_no_role_comparison_outside_accounts():
    offenders = [
        where(rel, node)
        for rel, tree in _outside_accounts().items()
        for node in role_comparisons(tree)
    ]
    assert not offenders, (
        "Compare roles only in mkk.accounts (add a rule named for the decision to "
        "accounts/scoping.py and call it):\n" + "\n".join(offenders)
    )


def test_roles_are_the_enum_never_strings():
    offenders = [where(rel, node) for rel, tree in modules().items() for node in role_strings(tree)]
    assert not offenders, "Write roles as Role.X, never as strings:\n" + "\n".join(offenders)


def test_templates_never_compare_user_roles():
    """Templates ask scoping (``{% load scoping %}{% if user|may:"rule" %}``)."""
    offenders = [
        f"{path.relative_to(MKK).as_posix()}:{n}"
        for path in sorted(MKK.rglob("*.html"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "user.role" in line.replace(" ", "")
    ]
    assert not offenders, "Templates ask scoping, never user.role:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "source",
    [
        "user.role == Role.ADMIN",
        "request.user.role in {Role.COORDINATOR, Role.ADMIN}",
        "u.role != 'focal_point'",
        "actor.role not in INSTITUTION_ROLES",
        "role == Role.VIEWER",
        "Role.NATIONAL == self.user.role",
    ],
)
def test_the_check_catches(source):
    assert role_comparisons(ast.parse(source))


@pytest.mark.parametrize(
    "source",
    [
        "link.role == InstitutionRole.LEAD",
        "role == 'budget'",
        "m.role == 'member'",
        "panel['role'] == 'coordinator'",
        "user.get_role_display() == label",
    ],
)
def test_the_check_passes_other_roles(source):
    assert not role_comparisons(ast.parse(source))


@pytest.mark.parametrize(
    "source",
    [
        "User.objects.filter(role='focal_point')",
        "f(role__in=['admin', 'national'])",
        "u.role = 'viewer'",
    ],
)
def test_the_string_check_catches(source):
    assert role_strings(ast.parse(source))
