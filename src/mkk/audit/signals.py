"""Every create, update and delete of a domain model is written to the audit log.

A model opts in by being in an MKK app (``mkk.*``) and not setting ``audit_exclude = True``.
Fields named in ``audit_sensitive_fields`` are logged as changed, never with their value.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from mkk.core import versions
from mkk.core.models import DataVersion

from .models import AuditAction, AuditEntry
from .services import diff, municipality_of, record, snapshot

_BEFORE = "_mkk_audit_before"


def is_audited(sender) -> bool:
    return (
        sender.__module__.startswith("mkk.")
        and sender is not AuditEntry
        and not getattr(sender, "audit_exclude", False)
        and not sender._meta.auto_created
    )


@receiver(pre_save)
def _remember_before(sender, instance, raw=False, **kwargs):
    if raw or not is_audited(sender) or instance.pk is None:
        return
    try:
        old = sender._default_manager.get(pk=instance.pk)
    except sender.DoesNotExist:
        return
    setattr(instance, _BEFORE, snapshot(old))


@receiver(post_save)
def _audit_save(sender, instance, created, raw=False, **kwargs):
    if raw or not is_audited(sender):
        return
    after = snapshot(instance)
    before = None if created else getattr(instance, _BEFORE, None)
    changes = diff(sender, before, after)
    if not created and not changes:
        return
    record(AuditAction.CREATE if created else AuditAction.UPDATE, instance, changes=changes)
    if hasattr(instance, _BEFORE):
        delattr(instance, _BEFORE)


@receiver(post_delete)
def _audit_delete(sender, instance, **kwargs):
    if not is_audited(sender):
        return
    record(AuditAction.DELETE, instance, changes=diff(sender, snapshot(instance), None))


def _request_ip(request):
    from .context import client_ip

    return client_ip(request) if request is not None else None


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    record(AuditAction.LOGIN, user, actor=user, ip_address=_request_ip(request))


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record(AuditAction.LOGOUT, user, actor=user, ip_address=_request_ip(request))


@receiver(user_login_failed)
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username", ""))[:150]
    record(
        AuditAction.LOGIN_FAILED,
        object_type="accounts.user",
        object_repr=username,
        ip_address=_request_ip(request),
    )


# --- data versions of cached page parts (mkk.core.versions) --------------------------------


def _bump_for(instance) -> None:
    """A new data version for the instance's municipality; for data shown everywhere
    (``data_version_global``, or no municipality at all) the global one. Bookkeeping models
    (``audit_exclude``: notifications, jobs, counters) are never part of a cached page."""
    model = type(instance)
    if (
        not model.__module__.startswith("mkk.")
        or model in {AuditEntry, DataVersion}
        or getattr(model, "audit_exclude", False)
    ):
        return
    if getattr(model, "data_version_scope", None):
        versions.bump_named(model.data_version_scope)
    if getattr(model, "data_version_global", False):
        versions.bump(None)
        return
    municipality_id = municipality_of(instance)
    if municipality_id is None:  # a user: their municipality's pages name them
        municipality_id = getattr(instance, "municipality_id", None)
    versions.bump(municipality_id)


@receiver(post_save)
def _version_save(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # signing in changes nothing a page shows
    _bump_for(instance)


@receiver(post_delete)
def _version_delete(sender, instance, **kwargs):
    _bump_for(instance)


@receiver(m2m_changed)
def _version_m2m(sender, instance, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        _bump_for(instance)
