"""The audit log in people's words (issue 15.10).

An entry is stored as written (field names, ids, ISO times, the reason as given). For the
reader it is shown with the field's label (``verbose_name``), the named object instead of an
id, the user's name, the local time of Kosovo, and the reasons that the system itself writes
("load_demo", "xlsx", "import_plan …") in the reader's language. Values that were hidden
before (``privacy.redact``: private case fields; ``services.SENSITIVE``: identity data) stay
hidden: nothing is looked up for them, and a reference to a case record is never resolved to
its name.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from .services import SENSITIVE

KOSOVO = ZoneInfo("Europe/Belgrade")  # Kosovo keeps Central European time
NOT_RESOLVED_APPS = {"cases"}  # names of case records are never looked up here
MAX_TEXT = 160


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Row:
    entry: object
    when: dt.datetime
    user: str
    username: str
    object_kind: str
    object_name: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""


def _model(object_type: str):
    try:
        return apps.get_model(object_type) if "." in (object_type or "") else None
    except (LookupError, ValueError):
        return None


def _field(model, name: str):
    if model is None:
        return None
    for candidate in (name, name.removesuffix("_id")):
        try:
            return model._meta.get_field(candidate)
        except Exception:  # noqa: BLE001, S112  (FieldDoesNotExist and reverse relations)
            continue
    return None


#: Labels of fields that carry no ``verbose_name`` of their own (bookkeeping columns shared by
#: many models: who recorded a row and when, message and token internals). A field's own
#: ``verbose_name`` wins; a relation without one falls back to the related model's name.
FIELD_LABELS = {
    "created_by": gettext_lazy("person who created it"),
    "created_at": gettext_lazy("time of creation"),
    "updated_at": gettext_lazy("time of the last change"),
    "recorded_by": gettext_lazy("person who recorded it"),
    "recorded_at": gettext_lazy("time of recording"),
    "consent_recorded_by": gettext_lazy("person who recorded the consent"),
    "sent_by": gettext_lazy("person who sent it"),
    "responded_by": gettext_lazy("person who answered"),
    "ground_decided_by": gettext_lazy("person who decided on the legal ground"),
    "completed_by": gettext_lazy("person who completed it"),
    "invitation_sequence": gettext_lazy("invitation number"),
    "year": gettext_lazy("year"),
    "last": gettext_lazy("last number given"),
    "token_hash": gettext_lazy("token fingerprint"),
    "public_slug": gettext_lazy("name in the public link"),
    "digest_pending": gettext_lazy("waiting for the summary e-mail"),
    "cc": gettext_lazy("copy to"),
    "bcc": gettext_lazy("hidden copy to"),
    "reply_to": gettext_lazy("reply address"),
    "body": gettext_lazy("message text"),
    "alternatives": gettext_lazy("other formats of the message"),
    "attachments": gettext_lazy("attachments"),
    "headers": gettext_lazy("message headers"),
    "key": gettext_lazy("key"),
    "object_id": gettext_lazy("object number"),
    "last_audited_on": gettext_lazy("last use written to the audit log"),
}


def field_label(model, name: str) -> str:
    found = _field(model, name)
    label = getattr(found, "verbose_name", None)
    if found is not None and str(label) == found.name.replace("_", " "):
        # no label of its own: the shared label, or (a relation) the related model's name
        if found.name in FIELD_LABELS:
            label = FIELD_LABELS[found.name]
        elif found.is_relation and found.related_model is not None:
            label = found.related_model._meta.verbose_name
    if label:
        return capfirst(str(label))
    return capfirst(name.replace("_", " "))


def _date(text: str) -> str | None:
    try:
        if len(text) == 10:
            return formats.date_format(dt.date.fromisoformat(text), "d.m.Y")
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if timezone.is_aware(moment):
        moment = moment.astimezone(KOSOVO)
    return formats.date_format(moment, "d.m.Y H:i")


class _Names:
    """Looks up the names of related objects once per page."""

    def __init__(self):
        self.cache: dict[tuple[type, str], str] = {}

    def name(self, target: type[models.Model], pk) -> str:
        key = (target, str(pk))
        if key not in self.cache:
            obj = target._default_manager.filter(pk=pk).first()
            if obj is None:
                self.cache[key] = _("(deleted, no. %(id)s)") % {"id": pk}
            elif hasattr(obj, "get_full_name") and obj.get_full_name():
                self.cache[key] = obj.get_full_name()
            else:
                self.cache[key] = str(obj)
        return self.cache[key]


def value_text(model, name: str, value, names: _Names) -> str:
    if value is None or value == "" or value == {} or value == []:
        return "–"
    if value == SENSITIVE:
        return _("changed (the value is not kept)")
    if not isinstance(value, bool | int | float | str | list | dict):
        return str(value)  # a marker set by privacy.redact, e.g. "(not shown)"
    found = _field(model, name)
    if isinstance(value, bool):
        return pgettext("audit value", "yes") if value else pgettext("audit value", "no")
    if found is not None and getattr(found, "choices", None):
        for key, label in found.flatchoices:
            if str(key) == str(value):
                return str(label)
    if found is not None and found.is_relation and found.related_model is not None:
        target = found.related_model
        if target._meta.app_label in NOT_RESOLVED_APPS:
            return _("no. %(id)s") % {"id": value}
        if isinstance(value, int | str):
            return names.name(target, value)
    if isinstance(value, str) and value[:4].isdigit() and "-" in value[:8]:
        shown = _date(value)
        if shown:
            return shown
    if isinstance(value, list | dict):
        text = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    else:
        text = str(value)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


# Reasons the system writes itself, in the reader's language. Free text that a person
# typed (a comment, a correction's reason) is shown as they wrote it.
_REASONS: list[tuple[re.Pattern, object]] = [
    (re.compile(r"^load_demo$"), gettext_lazy("demo data loaded")),
    (re.compile(r"^published$"), gettext_lazy("public version published")),
    (
        re.compile(r"^(?P<format>pdf|docx|xlsx|html|csv|ics|json)(?P<public> public)?$"),
        None,  # handled below
    ),
    (re.compile(r"^import_plan (?P<name>.+)$"), gettext_lazy("plan imported from %(name)s")),
    (
        re.compile(r"^statistics_import (?P<name>.+)$"),
        gettext_lazy("statistics imported from %(name)s"),
    ),
    (re.compile(r"^import_cases command$"), gettext_lazy("cases imported (command)")),
    (
        re.compile(r"^import_cases: (?P<n>\d+) cases$"),
        gettext_lazy("cases imported: %(n)s"),
    ),
    (re.compile(r"^anonymize_cases$"), gettext_lazy("cases anonymised after retention")),
    (
        re.compile(r"^anonymised after the retention period \((?P<n>\d+) days\)$"),
        gettext_lazy("anonymised after the retention period (%(n)s days)"),
    ),
    (re.compile(r"^rotate_keys$"), gettext_lazy("encryption keys rotated")),
    (
        re.compile(r"^rotate_keys: (?P<n>\d+) identities, (?P<m>\d+) values re-encrypted$"),
        gettext_lazy("encryption keys rotated: %(n)s identities, %(m)s values"),
    ),
    (
        re.compile(r"^cases_statistics command$"),
        gettext_lazy("statistics written from case records (command)"),
    ),
    (
        re.compile(r"^statistics reminder (?P<code>\S+) (?P<period>.+)$"),
        gettext_lazy("reminder for the statistics %(code)s, %(period)s"),
    ),
    (
        re.compile(r"^statistics CSV (?P<period>.+), (?P<n>\d+) values$"),
        gettext_lazy("statistics exported as CSV, %(period)s, %(n)s values"),
    ),
    (
        re.compile(r"^statistics dataValueSets (?P<period>.+), (?P<n>\d+) values$"),
        gettext_lazy("statistics exported for DHIS2, %(period)s, %(n)s values"),
    ),
    (re.compile(r"^meeting invitation$"), gettext_lazy("meeting invitation")),
    (
        re.compile(r"^monitoring_report command$"),
        gettext_lazy("monitoring report made (command)"),
    ),
    (
        re.compile(r"^monitoring report (?P<period>\S+) (?P<format>\w+)$"),
        gettext_lazy("monitoring report %(period)s, %(format)s"),
    ),
]


def reason_text(reason: str) -> str:
    text = str(reason or "").strip()
    if not text:
        return ""
    for pattern, template in _REASONS:
        match = pattern.match(text)
        if not match:
            continue
        values = match.groupdict()
        if template is None:
            fmt = values["format"].upper()
            return (
                _("%(format)s file, public version") % {"format": fmt}
                if values.get("public")
                else _("%(format)s file") % {"format": fmt}
            )
        return str(template) % values
    return text


def _changes(model, changes: dict, names: _Names, *, created: bool = False) -> list[Change]:
    out = []
    for name, pair in changes.items():
        label = field_label(model, name)
        if isinstance(pair, list | tuple) and len(pair) == 2:
            before = value_text(model, name, pair[0], names)
            after = value_text(model, name, pair[1], names)
            if before == after == "–":
                continue  # an empty field of a new object says nothing
            out.append(Change(label, "" if created else before, after))
        elif isinstance(pair, dict):  # e.g. a correction: {value key: [before, after]}
            for key, sub in pair.items():
                if isinstance(sub, list | tuple) and len(sub) == 2:
                    out.append(Change(f"{label}: {key}", _plain(sub[0]), _plain(sub[1])))
        else:
            out.append(Change(label, "", _plain(pair)))
    return out


def _plain(value) -> str:
    return "–" if value is None or value == "" else str(value)


def rows(entries) -> list[Row]:
    """Each entry of a page as the reader reads it."""
    names = _Names()
    out = []
    for entry in entries:
        model = _model(entry.object_type)
        actor = getattr(entry, "actor", None)
        full = actor.get_full_name() if actor is not None else ""
        kind = capfirst(str(model._meta.verbose_name)) if model is not None else entry.object_type
        out.append(
            Row(
                entry=entry,
                when=timezone.localtime(entry.timestamp, KOSOVO) if entry.timestamp else None,
                user=full or entry.actor_username or _("the system"),
                username=entry.actor_username if full else "",
                object_kind=kind,
                object_name=entry.object_repr,
                changes=_changes(
                    model, entry.changes or {}, names, created=entry.action == "create"
                ),
                reason=reason_text(entry.reason),
            )
        )
    return out
