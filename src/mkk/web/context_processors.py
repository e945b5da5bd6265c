"""Navigation by role, and the municipality the page is about."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from mkk.accounts import scoping
from mkk.accounts.scoping import sees_all_municipalities

#: (label, url name, the scoping rule that decides who sees it, whether the url takes the
#: municipality code). The rule is the one the page itself requires: no link that answers 403.
NAV = [
    (_("Dashboard"), "web:dashboard", scoping.can_use_dashboard, False),
    (_("Kosovo"), "national:dashboard", scoping.can_read_national, False),
    (_("My work"), "web:my_work", scoping.works_for_institution, False),
    (_("Mechanism"), "directory:municipality", scoping.can_read_aggregates, True),
    (_("Action plan"), "plans:index", scoping.can_read_aggregates, True),
    (_("Statistics"), "statistics:index", scoping.can_read_aggregates, True),
    (_("Meetings"), "meetings:index", scoping.can_read_records, True),
    (_("Cases"), "cases:index", scoping.can_see_cases, True),
    (_("Reports"), "reports:index", scoping.can_use_dashboard, True),
    (_("Users"), "accounts:users", scoping.can_list_users, True),
    (_("Audit log"), "audit:index", scoping.can_read_audit, False),
    (_("Sent e-mails"), "notifications:outbox", scoping.can_read_outbox, False),
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
    for label, name, allowed, takes_code in NAV:
        if not allowed(user):
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
