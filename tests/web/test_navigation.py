"""The navigation asks scoping for each entry: every link a role is shown opens (never 403),
and the pages a role may open are linked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mkk.directory.models import InstitutionKind as K
from mkk.web.context_processors import NAV

USERS = [
    "admin",
    "national",
    "coordinator",
    "viewer",
    f"focal_{K.POLICE}",
    f"case_{K.POLICE}",
]


def _user(world, name):
    return getattr(world, name) if name in {"admin", "national"} else world.drenas.users[name]


def _nav(client, url) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return {item["app"]: item["url"] for item in response.context["nav_items"]}


@pytest.mark.parametrize("name", USERS)
def test_every_link_in_the_navigation_opens(client, login_as, world, name):
    user = _user(world, name)
    login_as(user)
    # A page about Drenas: the entries that take the municipality code are there too.
    nav = _nav(client, reverse("reports:index", kwargs={"code": "drenas"}))
    assert nav, name
    for app, url in nav.items():
        assert client.get(url).status_code == 200, (name, app, url)
    # Each entry is shown exactly when its scoping rule allows it.
    shown = {name_.split(":")[0] for _, name_, allowed, _ in NAV if allowed(user)}
    assert set(nav) == shown


def test_the_navigation_follows_the_rules(client, login_as, world):
    login_as(world.drenas.users["coordinator"])
    nav = _nav(client, reverse("reports:index", kwargs={"code": "drenas"}))
    assert {"cases", "meetings", "accounts", "audit", "notifications"} <= set(nav)
    assert "national" not in nav and "web" in nav
    login_as(world.drenas.users["viewer"])
    nav = _nav(client, reverse("reports:index", kwargs={"code": "drenas"}))
    assert set(nav) == {"web", "reports"}
    login_as(world.national)
    nav = _nav(client, reverse("reports:index", kwargs={"code": "drenas"}))
    assert "national" in nav and "cases" in nav and "meetings" not in nav
