"""Personal access tokens: shown once, stored hashed, expire, revoked, audited; token auth
only (a session is not enough); a rate limit per token with 429 and Retry-After."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from mkk.api.models import ApiToken
from mkk.audit.models import AuditAction, AuditEntry

from ..conftest import login
from .conftest import auth, token

pytestmark = pytest.mark.django_db

TOKEN_RE = re.compile(r"mkk_[0-9a-f]{12}_[A-Za-z0-9_-]{40,}")


def _create_on_page(client, user, name="Eksporti i policisë", days="90"):
    login(client, user)
    response = client.post("/profile/tokens/", {"name": name, "days": days})
    assert response.status_code == 200
    found = TOKEN_RE.findall(response.content.decode())
    assert found, "the new token is shown on the page"
    return response, found[0]


def test_token_is_shown_once_and_stored_hashed(client, world):
    user = world.drenas.users["coordinator"]
    response, raw = _create_on_page(client, user)
    assert response["Cache-Control"].startswith("private, no-store")
    row = ApiToken.objects.get(user=user)
    assert row.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    secret = raw.split("_", 2)[2]
    stored = " ".join(str(v) for v in ApiToken.objects.filter(pk=row.pk).values().first().values())
    assert secret not in stored and raw not in stored
    assert row.expires_at - timezone.now() > dt.timedelta(days=89)
    # The audit entry of the creation names the token but never its hash or secret.
    created = AuditEntry.objects.get(object_type="api.apitoken", action=AuditAction.CREATE)
    assert created.actor == user
    assert set(created.changes["token_hash"]) == {"(changed)"}
    assert secret not in str(created.changes)
    # Shown once: the page never shows it again.
    again = client.get("/profile/tokens/")
    assert raw not in again.content.decode() and secret not in again.content.decode()
    assert f"mkk_{row.prefix}_" in again.content.decode()


def test_a_valid_token_reads_and_its_use_is_audited_once_a_day(client, world):
    user = world.drenas.users["coordinator"]
    raw = token(user)
    for _i in range(3):
        response = client.get("/api/municipalities", **auth(raw))
        assert response.status_code == 200
        assert [m["code"] for m in response.json()["items"]] == ["drenas"]
    row = ApiToken.objects.get(user=user)
    assert row.last_used_at is not None and row.last_used_ip == "127.0.0.1"
    uses = AuditEntry.objects.filter(action=AuditAction.LOGIN, object_type="api.apitoken")
    assert uses.count() == 1
    assert uses.get().actor == user and uses.get().ip_address == "127.0.0.1"


def test_expired_revoked_unknown_and_disabled_tokens_are_refused(client, world):
    user = world.drenas.users["coordinator"]
    raw = token(user)
    assert client.get("/api/municipalities", **auth(raw)).status_code == 200
    # Expired.
    ApiToken.objects.filter(user=user).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/municipalities", **auth(raw)).status_code == 401
    # Revoked on the page (and audited).
    raw2 = token(user, "second")
    login(client, user)
    row = ApiToken.objects.get(user=user, name="second")
    assert client.post(f"/profile/tokens/{row.pk}/revoke/").status_code == 302
    client.logout()
    assert client.get("/api/municipalities", **auth(raw2)).status_code == 401
    revoked = AuditEntry.objects.filter(
        object_type="api.apitoken", object_id=str(row.pk), action=AuditAction.UPDATE
    ).get()
    assert "revoked_at" in revoked.changes
    # A token with a wrong secret, an unknown one, and rubbish.
    raw3 = token(user, "third")
    for bad in (raw3[:-2] + "xx", "mkk_000000000000_" + "a" * 43, "garbage", ""):
        assert client.get("/api/municipalities", **auth(bad)).status_code == 401
    # A user who is disabled loses every token at once.
    user.is_active = False
    user.save()
    assert client.get("/api/municipalities", **auth(raw3)).status_code == 401


def test_a_session_is_not_accepted(client, world):
    """Token auth only: a logged-in browser cannot use the API (so no CSRF to forge)."""
    login(client, world.drenas.users["coordinator"])
    assert client.get("/api/municipalities").status_code == 401
    response = client.post("/api/statistics/submissions", "{}", content_type="application/json")
    assert response.status_code == 401


def test_the_page_refuses_bad_input_with_a_message(client, world):
    user = world.drenas.users["focal_police"]
    login(client, user)
    response = client.post("/profile/tokens/", {"name": "", "days": "7"})
    assert response.status_code == 200
    assert not ApiToken.objects.filter(user=user).exists()
    assert response.context["form"].errors.keys() == {"name", "days"}


def test_an_unverified_second_factor_cannot_reach_the_token_page(client, world):
    client.force_login(world.drenas.users["coordinator"])  # password only, no TOTP yet
    response = client.get("/profile/tokens/")
    assert response.status_code == 302 and "/accounts/otp/" in response["Location"]


@pytest.mark.parametrize("location", ["locmem", "redis://127.0.0.1:6379/3"])
def test_rate_limit_per_token(client, world, location):
    backend = (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if location == "locmem"
        else {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}
    )
    with override_settings(CACHES={"default": backend}, MKK_API_RATE="3/min"):
        cache.clear()
        first = token(world.drenas.users["coordinator"], "first")
        other = token(world.drenas.users["coordinator"], "other")
        for _i in range(3):
            assert client.get("/api/municipalities", **auth(first)).status_code == 200
        limited = client.get("/api/municipalities", **auth(first))
        assert limited.status_code == 429
        assert 1 <= int(limited["Retry-After"]) <= 60
        # The limit is per token: another token of the same user still works.
        assert client.get("/api/municipalities", **auth(other)).status_code == 200
        cache.clear()


def test_schema_and_docs_are_public_and_the_docs_page_keeps_the_strict_csp(client):
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    body = schema.json()
    assert body["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    assert "/api/statistics/dataValueSets" in body["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    policy = docs["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    html = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    assert "<script>" not in html  # no inline script: only src= and a JSON data block
