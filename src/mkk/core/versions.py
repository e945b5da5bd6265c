"""Page parts cached per data version (Django's cache: local memory by default, Redis when
``MKK_CACHE_URL`` is set).

Every saved or deleted model of an MKK app gives its scope a new version token in the same
transaction (wired in ``mkk.audit.signals``, which knows every domain model's municipality;
bulk writes call ``bump`` themselves): the municipality's, or the global one for data shown
everywhere (models without a municipality, and those marked ``data_version_global``). A
cached value is keyed by the tokens of the global scope and of its municipality, so the
first read after a change computes it anew and nothing stale is ever served. The token is
written in the changing transaction, so a reader never pairs old data with a new token.

Keys also hold what decides what a user may see: role, municipality, institution and
language (``scope_of``), so that no entry is shared across users of different scope.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.dispatch import receiver
from django.utils.translation import get_language

GLOBAL = "*"
#: Seconds an entry lives at most (changes replace it sooner: a new token, a new key).
TIMEOUT = 15 * 60


#: Tokens read during the current request (one query for every cached part of a page).
#: Only inside a request, and forgotten on every ``bump``: a page that writes and then
#: reads sees its own change.
_request = threading.local()


@receiver(request_started)
def _begin(**kwargs) -> None:
    _request.tokens = {}


@receiver(request_finished)
def _end(**kwargs) -> None:
    _request.tokens = None


def _scope(municipality_id: int | None) -> str:
    return GLOBAL if municipality_id is None else f"m{municipality_id}"


def bump(*municipality_ids: int | None) -> None:
    """New tokens for these municipalities (``None``: the global scope)."""
    from .models import DataVersion

    scopes = sorted({_scope(m) for m in municipality_ids})
    if getattr(_request, "tokens", None):
        _request.tokens = {}
    DataVersion.objects.bulk_create(
        [DataVersion(scope=s, token=secrets.token_hex(8)) for s in scopes],
        update_conflicts=True,
        unique_fields=["scope"],
        update_fields=["token"],
    )


def bump_named(*names: str) -> None:
    """New tokens for named scopes: data read apart from any page, such as a catalogue that
    a model names in ``data_version_scope`` (its changes renew that scope as well)."""
    from .models import DataVersion

    if getattr(_request, "tokens", None):
        _request.tokens = {}
    DataVersion.objects.bulk_create(
        [DataVersion(scope=n, token=secrets.token_hex(8)) for n in sorted(set(names))],
        update_conflicts=True,
        unique_fields=["scope"],
        update_fields=["token"],
    )


def named_token(name: str) -> str:
    """The token of a named scope ("0" when never changed); one query a request."""
    from .models import DataVersion

    memo = getattr(_request, "tokens", None)
    if memo is not None and ("named", name) in memo:
        return memo[("named", name)]
    value = DataVersion.objects.filter(scope=name).values_list("token", flat=True).first() or "0"
    if memo is not None:
        memo[("named", name)] = value
    return value


def tokens(municipality_id: int | None) -> str:
    """The global token and the municipality's, in one query ("0" for a scope never
    changed)."""
    from .models import DataVersion

    memo = getattr(_request, "tokens", None)
    if memo is not None and municipality_id in memo:
        return memo[municipality_id]
    wanted = [GLOBAL] if municipality_id is None else [GLOBAL, _scope(municipality_id)]
    found = dict(DataVersion.objects.filter(scope__in=wanted).values_list("scope", "token"))
    value = ".".join(found.get(s, "0") for s in wanted)
    if memo is not None:
        memo[municipality_id] = value
    return value


def scope_of(user) -> tuple:
    """What decides what this user may see: role, municipality, institution, language."""
    return (
        getattr(user, "pk", None),
        getattr(user, "role", None),
        getattr(user, "municipality_id", None),
        getattr(user, "institution_id", None),
        get_language(),
    )


def key_for(
    name: str,
    *,
    municipality_id: int | None,
    user,
    parts: Iterable = (),
    share_across_users: bool = True,
) -> str:
    """The cache key of ``name`` for this data version, reader scope and ``parts`` (also the
    vary-on value of a template's ``{% cache %}`` fragment)."""
    scope: tuple = ()
    if user is not None:
        scope = scope_of(user)[1:] if share_across_users else scope_of(user)
    raw = repr((name, tokens(municipality_id), municipality_id, scope, tuple(parts)))
    return "mkk:v:" + hashlib.sha256(raw.encode()).hexdigest()


def cached(
    name: str,
    compute: Callable[[], Any],
    *,
    municipality_id: int | None,
    user,
    parts: Iterable = (),
    share_across_users: bool = True,
) -> Any:
    """``compute()`` once per data version of ``municipality_id`` (and the global data),
    per user scope (``scope_of``, without the user's id when ``share_across_users``) and per
    ``parts`` (the page's own arguments: dates, ranges). ``user=None`` only for what is the
    same for every reader in every language (the statistics catalogue's definitions)."""
    key = key_for(
        name,
        municipality_id=municipality_id,
        user=user,
        parts=parts,
        share_across_users=share_across_users,
    )
    hit = cache.get(key)
    if hit is None:
        hit = (compute(),)  # a tuple, so that a computed None is a hit too
        cache.set(key, hit, TIMEOUT)
    return hit[0]
