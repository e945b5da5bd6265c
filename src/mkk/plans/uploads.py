"""Server-side keeping of an uploaded plan between its preview and its confirmation.

The bytes stay on the server under a random token (``PRIVATE_MEDIA_ROOT/plan-imports``);
the session holds the token with the user, municipality, name and hash. The confirmation
imports exactly the bytes that were previewed; nothing comes back from the browser but a
button press.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from pathlib import Path

from django.conf import settings

SESSION_KEY = "plans_pending_import"
MAX_AGE_SECONDS = 24 * 3600


def _root() -> Path:
    root = Path(settings.PRIVATE_MEDIA_ROOT) / "plan-imports"
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def _sweep(root: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in root.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue


def stash(request, *, municipality_id: int, name: str, data: bytes) -> str:
    root = _root()
    _sweep(root)
    discard(request)
    token = secrets.token_hex(24)
    path = root / token
    path.write_bytes(data)
    path.chmod(0o600)
    request.session[SESSION_KEY] = {
        "token": token,
        "user": request.user.pk,
        "municipality": municipality_id,
        "name": name,
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    return token


def pending(request, *, municipality_id: int) -> tuple[str, bytes] | None:
    """(name, bytes) of this user's pending upload for this municipality, or None."""
    info = request.session.get(SESSION_KEY)
    if (
        not info
        or info.get("user") != request.user.pk
        or info.get("municipality") != municipality_id
    ):
        return None
    token = str(info.get("token", ""))
    if not token.isalnum():
        return None
    path = _root() / token
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != info.get("sha256"):
        return None
    return info["name"], data


def discard(request) -> None:
    info = request.session.pop(SESSION_KEY, None)
    if info and str(info.get("token", "")).isalnum():
        (_root() / info["token"]).unlink(missing_ok=True)
