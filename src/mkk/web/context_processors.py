"""Navigation by role, and the municipality the page is about."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from mkk.accounts.models import Role
from mkk.accounts.scoping import sees_all_municipalities

ALL = set(Role.values)
RECORDS = {Role.ADMIN, Role.COORDINATOR, Role.FOCAL_POINT, Role.CASE_WORKER}

#: (label, url name, roles that see it, whether the url takes the municipality code)
NAV = [
    (_("Dashboard"), "web:dashboard", ALL, False),
    (_("Kosovo"), "national:dashboard", {Role.ADMIN, Role.NATIONAL}, False),
    (_("My work"), "web:my_work", {Role.FOCAL_POINT, Role.CASE_WORKER}, False),
    (_("Mechanism"), "directory:municipality", ALL - {Role.VIEWER}, True),
    (_("Action plan"), "plans:index", ALL - {Role.VIEWER}, True),
    (_("Statistics"), "statistics:index", ALL - {Role.VIEWER}, True),
    (_("Meetings"), "meetings:index", RECORDS, True),
    (_("Cases"), "cases:index", {Role.CASE_WORKER, Role.COORDINATOR, Role.NATIONAL}, True),
    (_("Reports"), "reports:index", ALL, True),
    (_("Users"), "accounts:users", {Role.COORDINATOR}, True),
    (_("Audit log"), "audit:index", {Role.ADMIN, Role.COORDINATOR}, False),
    (_("Sent e-mails"), "notifications:outbox", {Role.ADMIN, Role.COORDINATOR}, False),
]


def current_municipality_code(request) -> str | None:
    """The municipality the page is about, if the user may see it; else the user's own."""
    user = getattr(request, "user", None)
    own = (
        user.municipality.code
        if user is not None and user.is_authenticated and user.municipality_id
        else None
    )
    match = getattr(request, "resolver_match", None)
    if match and "code" in match.kwargs and (own is None or match.kwargs["code"] == own):
        return match.kwargs["code"] if sees_all_municipalities(user) or own else own
    return own


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    code = current_municipality_code(request)
    items = []
    for label, name, roles, takes_code in NAV:
        if user.role not in roles:
            continue
        if takes_code and not code:
            continue
        try:
            url = reverse(name, kwargs={"code": code} if takes_code else None)
        except NoReverseMatch:
            continue  # that part of the system is not installed
        items.append({"label": label, "url": url, "active": False, "app": name.split(":")[0]})
    # The current section: the app of the page, else the longest link the path starts with.
    match = getattr(request, "resolver_match", None)
    app = match.app_name if match else ""
    current = [i for i in items if i["app"] == app and app not in {"web", "directory"}]
    if not current:
        prefixes = [i for i in items if i["url"] != "/" and request.path.startswith(i["url"])]
        prefixes += [i for i in items if i["url"] == request.path]
        current = sorted(prefixes, key=lambda i: len(i["url"]))[-1:]
    for item in current[:1]:
        item["active"] = True
    return {"nav_items": items, "nav_code": code}
