"""Every URL that takes an id answers 404 to a user of another municipality.

Each app lists its id-taking URL names in ``tests/<app>/idor.py`` as ``CASES``: a function
that builds (or finds) an object of Gjilan and returns the URL kwargs. This test fails when
a URL with a parameter is not listed, so no new URL escapes it.
"""

from __future__ import annotations

import importlib

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .conftest import login

APPS = [
    "directory",
    "accounts",
    "audit",
    "web",
    "plans",
    "statistics",
    "meetings",
    "cases",
    "reports",
    "notifications",
    "api",
]
#: URL names whose parameter is not a private object (public pages, Django's own).
NOT_PRIVATE = {
    "web:public_municipality",  # public emergency contacts, by design
    "reports:public_detail",  # a published report, by design (checked in the reports tests)
    "reports:public_download",
    "set_language",
    "accounts:enrol",  # a secret one-time token, not an id (tests/accounts/test_invite.py)
    "accounts:password_reset_confirm",  # Django's signed reset token (test_password.py)
}


def _cases() -> dict:
    cases = {}
    for app in APPS:
        try:
            module = importlib.import_module(f"tests.{app}.idor")
        except ModuleNotFoundError:
            continue
        cases.update(module.CASES)
    return cases


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue  # Django admin: staff-only, behind OTPAdminSite
            if f"{namespace}{p.namespace}" == "api:v1":
                continue  # REST API: token auth only; tests/api/test_idor.py covers each operation
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _named_patterns(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p


def _parameterised() -> set[str]:
    names = set()
    for name, pattern in _named_patterns():
        if pattern.pattern.regex.groupindex:
            names.add(name)
    return names


def test_every_id_taking_url_is_covered():
    missing = _parameterised() - set(_cases()) - NOT_PRIVATE
    assert not missing, f"add these URL names to tests/<app>/idor.py: {sorted(missing)}"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator", "focal_police", "case_police", "viewer"])
def test_other_municipality_gets_404(client, world, who):
    user = world.drenas.users[who]
    login(client, user)
    failures = []
    for name, kwargs_for in sorted(_cases().items()):
        url = reverse(name, kwargs=kwargs_for(world))
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url)
        if response.status_code != 404:
            failures.append(f"{name} {url} -> {response.status_code}")
    assert not failures, failures
