"""Bulk import of an institution's cases from CSV: validated as a whole, all or nothing.

One row is one case with its first incident. Columns (header row, any order, names as
below; comma or semicolon separated, UTF-8)::

    personal_number, full_name, date_of_birth, phone, address, sex, age_group, age_band,
    residence_municipality, opened_on, external_reference, consent_to_share, consent_date,
    legal_ground, legal_ground_reason, incident_date, forms, relation, perpetrator_sex,
    perpetrator_age_group, risk_level, children_affected, reported_at

Required: sex, age_group, opened_on, incident_date, forms, relation, perpetrator_sex, and the
personal number or the full name with the date of birth. ``forms`` lists the forms of
violence separated by ``|`` or ``+`` (physical|psychological|sexual|economic). Dates are
``YYYY-MM-DD`` or ``DD.MM.YYYY``; ``reported_at`` also takes a time (``YYYY-MM-DD HH:MM``).

The import never writes a value into a message: errors name the row, the column and why.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mkk.accounts import scoping
from mkk.audit.models import AuditAction
from mkk.audit.services import record
from mkk.directory.models import Municipality

from . import services
from .crypto import normalize_personal_number
from .models import (
    AgeBand,
    AgeGroup,
    Case,
    Consent,
    LegalGround,
    Relation,
    RiskLevel,
    Sex,
    ViolenceForm,
)

COLUMNS = [
    "personal_number",
    "full_name",
    "date_of_birth",
    "phone",
    "address",
    "sex",
    "age_group",
    "age_band",
    "residence_municipality",
    "opened_on",
    "external_reference",
    "consent_to_share",
    "consent_date",
    "legal_ground",
    "legal_ground_reason",
    "incident_date",
    "forms",
    "relation",
    "perpetrator_sex",
    "perpetrator_age_group",
    "risk_level",
    "children_affected",
    "reported_at",
]
REQUIRED = [
    "sex",
    "age_group",
    "opened_on",
    "incident_date",
    "forms",
    "relation",
    "perpetrator_sex",
]
MAX_ROWS = 5000


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class RowError(Exception):
    pass


def _date(value: str, column: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise RowError(_("%(column)s: not a date (use YYYY-MM-DD or DD.MM.YYYY)") % {"column": column})


def _datetime(value: str, column: str) -> dt.datetime | None:
    value = value.strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            return timezone.make_aware(dt.datetime.strptime(value, fmt))
        except ValueError:
            continue
    day = _date(value, column)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0))) if day else None


def _choice(value: str, choices, column: str, *, required: bool = True) -> str:
    value = value.strip().lower()
    if not value:
        if required:
            raise RowError(_("%(column)s: missing") % {"column": column})
        return ""
    if value not in choices.values:
        raise RowError(
            _("%(column)s: unknown value (allowed: %(allowed)s)")
            % {"column": column, "allowed": ", ".join(choices.values)}
        )
    return value


def _int(value: str, column: str) -> int:
    value = value.strip()
    if not value:
        return 0
    if not value.isdigit() or int(value) > 50:
        raise RowError(_("%(column)s: not a whole number between 0 and 50") % {"column": column})
    return int(value)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("The file is not UTF-8 text. Save it as CSV UTF-8 and try again.")
        ) from exc


def _parse_row(row: dict, municipalities: dict) -> dict:
    get = lambda name: (row.get(name) or "").strip()  # noqa: E731
    for name in REQUIRED:
        if not get(name):
            raise RowError(_("%(column)s: missing") % {"column": name})
    number = get("personal_number")
    dob = _date(get("date_of_birth"), "date_of_birth")
    if not number and not (get("full_name") and dob):
        raise RowError(_("neither a personal number nor a full name with a date of birth"))
    if number and len(normalize_personal_number(number)) != 10:
        raise RowError(_("personal_number: a personal number has 10 digits"))
    forms = [
        f.strip().lower()
        for f in get("forms").replace("+", "|").replace(",", "|").split("|")
        if f.strip()
    ]
    unknown = [f for f in forms if f not in ViolenceForm.values]
    if unknown or not forms:
        raise RowError(
            _("forms: unknown form of violence (allowed: %(allowed)s)")
            % {"allowed": ", ".join(ViolenceForm.values)}
        )
    residence = None
    if get("residence_municipality"):
        residence = municipalities.get(get("residence_municipality").lower())
        if residence is None:
            raise RowError(_("residence_municipality: unknown municipality code"))
    opened_on = _date(get("opened_on"), "opened_on")
    incident_date = _date(get("incident_date"), "incident_date")
    today = timezone.localdate()
    if opened_on > today or incident_date > today:
        raise RowError(_("a date is in the future"))
    consent = _choice(get("consent_to_share") or Consent.NOT_ASKED, Consent, "consent_to_share")
    consent_date = _date(get("consent_date"), "consent_date")
    if consent == Consent.YES and not consent_date:
        raise RowError(_("consent_date: missing (consent is yes)"))
    age_group = _choice(get("age_group"), AgeGroup, "age_group")
    age_band = _choice(get("age_band"), AgeBand, "age_band", required=False)
    return {
        "identity": services.Identity(
            full_name=get("full_name"),
            personal_number=number,
            date_of_birth=dob,
            phone=get("phone"),
            address=get("address"),
        ),
        "case": {
            "sex": _choice(get("sex"), Sex, "sex"),
            "age_group": age_group,
            "age_band": age_band,
            "residence_municipality": residence,
            "opened_on": opened_on,
            "external_reference": get("external_reference")[:60],
            "consent_to_share": consent,
            "consent_date": consent_date,
            "sharing_legal_ground": _choice(
                get("legal_ground"), LegalGround, "legal_ground", required=False
            ),
            "sharing_reason": get("legal_ground_reason")[:2000],
        },
        "incident": {
            "occurred_on": incident_date,
            "forms": forms,
            "relation": _choice(get("relation"), Relation, "relation"),
            "perpetrator_sex": _choice(get("perpetrator_sex"), Sex, "perpetrator_sex"),
            "perpetrator_age_group": _choice(
                get("perpetrator_age_group") or AgeGroup.ADULT, AgeGroup, "perpetrator_age_group"
            ),
            "risk_level": _choice(get("risk_level"), RiskLevel, "risk_level", required=False),
            "children_affected": _int(get("children_affected"), "children_affected"),
            "reported_at": _datetime(get("reported_at"), "reported_at"),
        },
    }


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


def import_cases(*, actor, institution, data: bytes) -> ImportResult:
    """Validate every row; save all of them in one transaction, or none."""
    if not (scoping.can_work_cases(actor) and actor.institution_id == institution.pk):
        raise PermissionDenied
    result = ImportResult()
    reader = _reader(data, result)
    if reader is None:
        return result
    parsed = _parse_rows(reader, institution, result)
    if not parsed and not result.errors:
        result.errors.append(_("The file has no rows."))
    if result.errors:
        return result
    try:
        with transaction.atomic():
            _save_rows(actor, institution, parsed, result)
    except _Rollback:
        result.created = []
    return result


def _reader(data: bytes, result: ImportResult) -> csv.DictReader | None:
    """The file as rows keyed by its (known) column names, or None with the errors said."""
    if len(data) > getattr(settings, "MKK_MAX_UPLOAD_BYTES", 10 * 1024 * 1024):
        result.errors.append(_("The file is too large."))
        return None
    try:
        text = decode(data)
    except ValidationError as exc:
        result.errors.append(" ".join(exc.messages))
        return None
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        result.errors.append(_("Missing columns: %(columns)s") % {"columns": ", ".join(missing)})
        return None
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        result.errors.append(
            _("Unknown columns: %(columns)s") % {"columns": ", ".join(unknown[:10])}
        )
        return None
    reader.fieldnames = header
    return reader


def _parse_rows(reader: csv.DictReader, institution, result: ImportResult) -> list:
    """Every row parsed, as (row number, item); the errors of the others in ``result``."""
    municipalities = {m.code: m for m in Municipality.objects.all()}
    parsed: list = []
    # Importing the same file twice must not double the cases: the institution's own
    # reference of a case may appear once.
    seen_refs = set(
        Case.objects.filter(institution=institution)
        .exclude(external_reference="")
        .values_list("external_reference", flat=True)
    )
    try:
        for number, row in enumerate(reader, start=2):
            if number - 1 > MAX_ROWS:
                result.errors.append(_("More than %(n)d rows: split the file.") % {"n": MAX_ROWS})
                return []
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue  # blank line
            if None in row:
                result.errors.append(_("Row %(row)d: more cells than columns") % {"row": number})
                continue
            try:
                parsed.append((number, _parse_unique(row, municipalities, seen_refs)))
            except RowError as exc:
                result.errors.append(_("Row %(row)d: %(reason)s") % {"row": number, "reason": exc})
    except csv.Error:
        result.errors.append(_("The file is not valid CSV."))
        return []
    return parsed


def _parse_unique(row: dict, municipalities: dict, seen_refs: set) -> dict:
    item = _parse_row(row, municipalities)
    ref = item["case"]["external_reference"]
    if ref and ref in seen_refs:
        raise RowError(_("external_reference: this case is already in the system or in the file"))
    if ref:
        seen_refs.add(ref)
    return item


def _save_rows(actor, institution, parsed: list, result: ImportResult) -> None:
    """Create every case (inside the caller's transaction); any refused row rolls all back."""
    for number, item in parsed:
        try:
            with transaction.atomic():
                case = services.case_create(
                    actor=actor, institution=institution, identity=item["identity"], **item["case"]
                )
                services.incident_add(actor=actor, case=case, **item["incident"])
        except ValidationError as exc:
            result.errors.append(
                _("Row %(row)d: %(reason)s") % {"row": number, "reason": _messages(exc)}
            )
            continue
        result.created.append(case.reference)
    if result.errors:
        raise _Rollback
    record(
        AuditAction.IMPORT,
        institution,
        actor=actor,
        reason=f"import_cases: {len(result.created)} cases",
    )


class _Rollback(Exception):
    pass
