"""The token page (empty, with a new token, with a revoked one) and the docs page are valid
HTML for the Nu Html Checker (skipped when it is not installed: make vnu)."""

from __future__ import annotations

import pytest

from ..checkers import VNU, nu_messages
from ..conftest import login
from .conftest import auth, token


@pytest.mark.django_db
def test_token_and_docs_pages_are_valid_html(client, world, tmp_path):
    if not VNU.exists():
        pytest.skip("Nu Html Checker not installed (make vnu)")
    user = world.drenas.users["focal_police"]
    old = token(user, "Eksporti & <i>testi</i>")
    client.get("/api/municipalities", **auth(old))
    login(client, user)
    pages = {"empty-form-error": client.post("/profile/tokens/", {"name": "", "days": "90"})}
    pages["created"] = client.post("/profile/tokens/", {"name": "Sinkronizimi", "days": "30"})
    token_id = user.api_tokens.get(name="Sinkronizimi").pk
    client.post(f"/profile/tokens/{token_id}/revoke/")
    pages["list"] = client.get("/profile/tokens/")
    client.logout()
    pages["docs"] = client.get("/api/docs")
    files = []
    for name, response in pages.items():
        assert response.status_code == 200, name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    assert "&lt;i&gt;testi&lt;/i&gt;" in pages["list"].content.decode()  # escaped, never markup
    messages = nu_messages(files)
    assert not messages, [(m.get("url", "").rsplit("/", 1)[-1], m.get("message")) for m in messages]
