"""Server-side keeping of an uploaded plan between its preview and its confirmation.

The bytes stay on the server under a random token (``plan-imports/`` of the "private"
storage, shared by every application server);
the session holds the token with the user, municipality, name and hash. The confirmation
imports exactly the bytes that were previewed; nothing comes back from the browser but a
button press.
"""

from __future__ import annotations

import hashlib
import secrets
import time

from django.core.files.base import ContentFile

from mkk.ops.storage import private_storage

SESSION_KEY = "plans_pending_import"
MAX_AGE_SECONDS = 24 * 3600


FOLDER = "plan-imports"


def _sweep(storage) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    try:
        _dirs, names = storage.listdir(FOLDER)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in names:
        try:
            if storage.get_modified_time(f"{FOLDER}/{name}").timestamp() < cutoff:
                storage.delete(f"{FOLDER}/{name}")
        except OSError:
            continue


def stash(request, *, municipality_id: int, name: str, data: bytes) -> str:
    storage = private_storage()
    _sweep(storage)
    discard(request)
    token = secrets.token_hex(24)
    storage.save(f"{FOLDER}/{token}", ContentFile(data))
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
    try:
        with private_storage().open(f"{FOLDER}/{token}", "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != info.get("sha256"):
        return None
    return info["name"], data


def discard(request) -> None:
    info = request.session.pop(SESSION_KEY, None)
    if info and str(info.get("token", "")).isalnum():
        private_storage().delete(f"{FOLDER}/{info['token']}")
