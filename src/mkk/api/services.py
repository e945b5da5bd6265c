"""Writes of the API app: creating, revoking and checking personal access tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mkk.audit.models import AuditAction
from mkk.audit.services import record

from .models import ApiToken

TOKEN_PREFIX = "mkk_"  # noqa: S105 - the public marker of a token, not a secret
#: Lifetimes a user may choose (days); a token never lives longer than a year.
LIFETIMES = (30, 90, 180, 365)
MAX_ACTIVE_TOKENS = 10
#: ``last_used_at`` is written at most this often per token (not on every request).
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _split(raw: str) -> tuple[str, str] | None:
    """``mkk_<prefix>_<secret>`` → (prefix, secret), or None for anything else."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    prefix, sep, secret = raw[len(TOKEN_PREFIX) :].partition("_")
    if not sep or not prefix or not secret or len(prefix) > 16:
        return None
    return prefix, secret


@transaction.atomic
def token_create(*, actor, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token of ``actor``; returns the row and the token text, shown once."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the token a name, e.g. the program that will use it."))
    if days not in LIFETIMES:
        raise ValidationError(_("Choose how long the token is valid."))
    active = ApiToken.objects.filter(
        user=actor, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("You have %(count)s valid tokens already; revoke one you no longer use first.")
            % {"count": active}
        )
    prefix = secrets.token_hex(6)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        user=actor,
        name=name,
        prefix=prefix,
        token_hash=hash_token(raw),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    token.full_clean()
    token.save()  # the audit signal records the creation (the hash as "changed" only)
    return token, raw


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's tokens (an administrator may revoke anyone's)."""
    if token.user_id != actor.pk and not actor.is_admin:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])  # audited as a change of "revoked"
    return token


def token_authenticate(raw: str, *, ip_address: str | None = None) -> ApiToken | None:
    """The valid token ``raw`` (not expired, not revoked, its user active), or None.

    Each use updates ``last_used_at`` (at most once a minute) and writes one audit entry
    per token and day (the first use of the day, with the address): enough to see when and
    from where a token was used without one entry per request flooding the log. Every
    change made through the API is audited on its own, with the token's user as actor.
    """
    parts = _split(raw or "")
    if parts is None:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__municipality", "user__institution")
        .filter(prefix=parts[0])
        .first()
    )
    if token is None or not hmac.compare_digest(token.token_hash, hash_token(raw)):
        return None
    if not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_PRECISION)
    ).update(last_used_at=now, last_used_ip=ip_address)
    today = timezone.localdate(now)
    first_today = (
        ApiToken.objects.filter(pk=token.pk)
        .filter(Q(last_audited_on__isnull=True) | ~Q(last_audited_on=today))
        .update(last_audited_on=today)
    )
    if first_today:
        record(
            AuditAction.LOGIN,
            token,
            actor=token.user,
            ip_address=ip_address,
            reason="API token used (first use of the day)",
        )
    return token
