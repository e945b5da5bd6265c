"""Optimistic concurrency for every edit form: no save silently overwrites another person's.

How it works (one mechanism for every edit form):

* The form shows the record with a hidden ``version`` field: a signed snapshot of the record's
  fields as they were when the page was drawn (sensitive fields only as a keyed hash, an HMAC
  with the server's secret, so a low-entropy value such as a date of birth or a personal number
  cannot be recovered from the page by trying candidates; the signature stops anyone from
  forging the token). Forms get it from :class:`VersionedFormMixin`.
* The service that saves the record calls :func:`check` inside its transaction, before it
  writes: the row is locked (``SELECT ... FOR UPDATE``) and compared with the snapshot. When
  someone else saved in between, :class:`EditConflict` is raised: a ``ValidationError`` whose
  message names every field the other person changed (its label, old value → new value).
* The form shows that message above the fields, keeps everything this user typed, and carries
  the new version: saving again then deliberately keeps this user's entries.

Callers without a form (commands, imports, the API) pass no version and are not checked.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .values import plain as _plain
from .values import sensitive_fields

FIELD = "version"
_SALT = "mkk.web.concurrency"  # kept from its first home: versions of open pages stay valid
_HIDDEN = "\x00hidden"

Extra = Callable[[models.Model], dict[str, Any]] | None


def state_of(obj: models.Model, extra: Extra = None) -> dict[str, Any]:
    """The record's fields as plain values (sensitive ones as a keyed hash), plus ``extra(obj)``."""
    model = type(obj)
    ignore = set(getattr(model, "audit_ignore_fields", ()))
    secret = sensitive_fields(model)
    out: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name in ignore:
            continue
        if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
            continue
        value = _plain(getattr(obj, f.attname))
        if f.name in secret or f.attname in secret:
            # keyed: the token is signed, not encrypted, and its payload is readable by the user
            plain = json.dumps(value, default=str)
            digest = salted_hmac(_SALT, plain, algorithm="sha256").hexdigest()[:32]
            value = _HIDDEN + digest
        out[f.name] = value
    if extra is not None:
        # Reviewed: ``extra`` is this function's callback parameter, not QuerySet.extra().
        out.update({str(k): _plain(v) for k, v in extra(obj).items()})  # nosec B610
    return out


def _sign(obj: models.Model, state: dict[str, Any]) -> str:
    return signing.dumps(
        {"m": obj._meta.label_lower, "pk": obj.pk, "v": state}, salt=_SALT, compress=True
    )


def stamp(obj: models.Model, extra: Extra = None) -> str:
    """The version token of ``obj`` as it is now (goes into the form's hidden field)."""
    return _sign(obj, state_of(obj, extra))


class EditConflict(ValidationError):
    """Someone else saved the record after this form was drawn."""

    def __init__(self, current: models.Model, changes: list[tuple[str, Any, Any]], fresh: str):
        self.current = current
        self.changes = changes
        self.fresh = fresh
        shown = "; ".join(
            _("%(field)s: %(old)s → %(new)s") % {"field": label, "old": old, "new": new}
            for label, old, new in _described(current, changes)
        )
        super().__init__(
            _(
                "Someone else saved this record while you were editing it. They changed: "
                "%(changes)s. What you typed is still in the form: check it against their "
                "changes and save again to keep yours."
            )
            % {"changes": shown},
            code="edit_conflict",
        )


def check(obj: models.Model, token: str | None, *, extra: Extra = None) -> None:
    """Refuse the save when the stored record differs from the version the form showed.

    Call inside ``transaction.atomic()`` before writing: the row stays locked until the
    transaction ends, so of two saves of the same version exactly one goes through. ``obj``
    may be unsaved (the form created a new record): when the form was drawn for a record that
    did not exist yet and one exists now, that is a conflict too.
    """
    if not token or obj.pk is None:
        return
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        data = None
    if (
        not isinstance(data, dict)
        or data.get("m") != obj._meta.label_lower
        or data.get("pk") not in (None, obj.pk)
    ):
        raise ValidationError(
            _("The form could not be matched with the saved record; reload the page."),
            code="edit_version",
        )
    current = type(obj)._default_manager.select_for_update().filter(pk=obj.pk).first()
    if current is None:
        raise ValidationError(
            _("Someone else deleted this record while you were editing it."), code="edit_gone"
        )
    seen: dict[str, Any] = data.get("v") or {}
    now = state_of(current, extra)
    changes = [(k, seen.get(k), now.get(k)) for k in sorted(set(seen) | set(now))]
    changes = [c for c in changes if c[1] != c[2]]
    if changes:
        raise EditConflict(current, changes, _sign(current, now))


def stamp_new(model: type[models.Model]) -> str:
    """The version of a record that does not exist yet (a first submission)."""
    return signing.dumps(
        {"m": model._meta.label_lower, "pk": None, "v": {}}, salt=_SALT, compress=True
    )


def _described(current, changes):
    model = type(current)
    for name, old, new in changes:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        if field is not None and not getattr(field, "concrete", False):
            field = None  # an ``extra`` key named like a reverse relation
        label = str(getattr(field, "verbose_name", "") or _EXTRA_LABELS.get(name) or name)
        label = label[:1].upper() + label[1:]
        yield label, _shown(field, old), _shown(field, new)


#: Labels of ``extra`` state keys that are not model fields.
_EXTRA_LABELS: dict[str, Any] = {}


def label_extra(key: str, label) -> None:
    """Give an ``extra`` state key a human label (e.g. 'values' → 'Figures')."""
    _EXTRA_LABELS[key] = label


def _shown(field, value) -> str:
    if isinstance(value, str) and value.startswith(_HIDDEN):
        return _("(changed, not shown)")
    if value is None or value == "" or value == []:
        return "–"
    if field is not None and field.is_relation and field.related_model is not None:
        related = field.related_model._default_manager.filter(pk=value).first()
        value = related if related is not None else value
    elif field is not None and field.choices:
        value = dict(field.flatchoices).get(value, value)
    elif isinstance(value, bool):
        value = _("yes") if value else _("no")
    elif isinstance(value, dict):
        value = ", ".join(f"{k} = {v}" for k, v in sorted(value.items()))
    text = " ".join(str(value).split())
    return f"“{text[:80]}…”" if len(text) > 80 else f"“{text}”"


class VersionedFormMixin:
    """Adds the hidden ``version`` field. A ModelForm takes it from its instance; any other
    form from ``version_of=`` (and ``version_extra=`` for state kept in other rows)."""

    def __init__(
        self, *args, version_of=None, version_extra: Extra = None, version_model=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields[FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        obj = version_of if version_of is not None else getattr(self, "instance", None)
        if obj is not None and obj.pk is not None:
            self.fields[FIELD].initial = stamp(obj, version_extra)
        elif version_model is not None:  # a first submission: nobody else may make it meanwhile
            self.fields[FIELD].initial = stamp_new(version_model)

    @property
    def version(self) -> str | None:
        return (getattr(self, "cleaned_data", None) or {}).get(FIELD) or None

    def add_error(self, field, error):
        if isinstance(error, EditConflict):
            # keep what was typed; the next save is made against the version now stored
            self.data = self.data.copy()
            self.data[self.add_prefix(FIELD)] = error.fresh
            field = None
        return super().add_error(field, error)
