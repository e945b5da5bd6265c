"""Import and export of figures: CSV and DHIS2's dataValueSets JSON, both ways.

CSV: one row per element, disaggregation, institution and period::

    municipality,institution,data_set,element,disaggregation,period_start,period_end,value
    gjilan,Policia e Kosovës – Drejtoria Rajonale Gjilan,POLICE,POL_CASES,,2019-01-01,2019-09-30,83

``disaggregation`` is empty for the total, else ``sex=female`` etc. ``data_set`` may be left
empty (it follows from the element and the institution's type). Comma or semicolon separated,
UTF-8 (with or without BOM). Text cells that a spreadsheet would run as a formula are written
with a leading apostrophe; numbers are written as numbers.

dataValueSets JSON, as DHIS2's ``/api/dataValueSets`` reads and writes it::

    {"dataValues": [{"dataElement": "…", "categoryOptionCombo": "…", "orgUnit": "…",
                     "period": "201901", "value": "5"}]}

Our (element, disaggregation) pairs and institutions are translated to DHIS2 UIDs through the
``Dhis2DataElementMap`` and ``Dhis2OrgUnitMap`` tables. Periods are DHIS2 ids (201901,
2019Q1, 2019S1, 2019); a range that is none of these is written as an ISO interval
``2019-01-01/2019-09-30`` (our extension; DHIS2 itself does not take it).

Imports are all or nothing: the whole file is parsed and validated first; any error refuses
the whole file with the row (or value number) and the reason of every problem.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mkk.accounts import scoping
from mkk.audit.models import AuditAction
from mkk.audit.services import record
from mkk.core import periods
from mkk.core.spreadsheet import csv_writer, neutralise, unneutralise
from mkk.directory.models import Institution

from .comparison import element_keys
from .models import (
    DataElement,
    DataSet,
    DataValue,
    Dhis2DataElementMap,
    Dhis2OrgUnitMap,
    Source,
    Status,
    Submission,
)
from .validation import MAX_FIGURE, check_values, spec_of

CSV_COLUMNS = [
    "municipality",
    "institution",
    "data_set",
    "element",
    "disaggregation",
    "period_start",
    "period_end",
    "value",
]
MAX_ROWS = 200_000
#: Largest DHIS2 JSON document read, and the deepest nesting (a dataValueSet is 3 deep).
MAX_JSON_BYTES = 50 * 1024 * 1024
MAX_JSON_DEPTH = 20


class ImportRefused(ValidationError):
    """The whole file is refused; ``messages`` lists every row and reason."""


@dataclass
class Row:
    number: int  # CSV line number (header = 1) or position in dataValues (from 1)
    institution: Institution
    data_set: DataSet
    element: DataElement
    key: str
    start: dt.date
    end: dt.date
    value: int


@dataclass
class ImportResult:
    submissions: list[Submission]
    values: int
    warnings: list[str]


# --- Helpers -----------------------------------------------------------------------------


def _parse_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text.strip())


def _parse_value(text) -> int:
    """A whole number, or ValueError (never another exception, whatever ``text`` is)."""
    if isinstance(text, bool):
        raise ValueError
    if isinstance(text, int):
        return text
    if isinstance(text, float):
        if not math.isfinite(text) or text != int(text):
            raise ValueError
        return int(text)
    if not isinstance(text, str):
        raise ValueError
    s = text.strip()
    if not s or len(s) > 30 or not (s.isdigit() or (s[0] == "-" and s[1:].isdigit())):
        raise ValueError
    return int(s)


def _json_too_deep(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON nests deeper than ``limit`` (scanned without recursion, strings skipped)."""
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


class _Catalogue:
    """Lookups shared by both formats, limited to what the actor may write."""

    def __init__(self, actor, municipality):
        self.actor = actor
        self.municipality = municipality
        qs = Institution.objects.select_related("municipality")
        if actor is not None:
            qs = scoping.scope(actor, qs)
        if municipality is not None:
            qs = qs.filter(municipality=municipality)
        self.institutions = list(qs)
        self.elements = {
            e.code: e for e in DataElement.objects.prefetch_related("disaggregations__options")
        }
        self.data_sets = {ds.code: ds for ds in DataSet.objects.prefetch_related("elements")}
        self.keys = {code: set(element_keys(e)) for code, e in self.elements.items()}

    def institution(self, municipality_code: str, name: str) -> Institution | None:
        name = name.strip()
        for inst in self.institutions:
            if inst.municipality.code == municipality_code.strip() and name in (
                inst.name_sq,
                inst.name_en,
                inst.name_sr,
            ):
                return inst
        return None

    def data_set_for(
        self, institution: Institution, element: DataElement, code: str = ""
    ) -> DataSet | None:
        for ds in self.data_sets.values():
            if code and ds.code != code:
                continue
            if ds.institution_kind == institution.kind and element in ds.elements.all():
                return ds
        return None

    def may_submit(self, institution: Institution) -> bool:
        return self.actor is None or scoping.can_submit_for_institution(self.actor, institution.pk)


def _finish_row(
    cat: _Catalogue,
    errors: list,
    number: int,
    inst,
    element,
    key,
    ds_code,
    start,
    end,
    value,
    where: str,
) -> Row | None:
    if not cat.may_submit(inst):
        errors.append(
            _("%(where)s: you may not submit figures for %(institution)s.")
            % {"where": where, "institution": inst.name}
        )
        return None
    if key not in cat.keys[element.code]:
        errors.append(
            _("%(where)s: %(element)s has no category %(key)s.")
            % {"where": where, "element": element.code, "key": key}
        )
        return None
    ds = cat.data_set_for(inst, element, ds_code)
    if ds is None:
        errors.append(
            _("%(where)s: %(institution)s does not report %(element)s.")
            % {"where": where, "institution": inst.name, "element": element.code}
        )
        return None
    if value < 0:
        errors.append(
            _("%(where)s: %(value)s is negative; figures cannot be negative.")
            % {"where": where, "value": value}
        )
        return None
    if value > MAX_FIGURE:
        errors.append(
            _("%(where)s: %(value)s is larger than the largest figure accepted (%(max)s).")
            % {"where": where, "value": value, "max": MAX_FIGURE}
        )
        return None
    if end < start:
        errors.append(_("%(where)s: the period ends before it starts.") % {"where": where})
        return None
    return Row(number, inst, ds, element, key, start, end, value)


# --- Parsing -----------------------------------------------------------------------------


def _row_where(number: int) -> str:
    return _where([number], False)


def parse_csv(data: bytes | str, *, actor, municipality=None) -> tuple[list[Row], list[str]]:
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], [_("The file is not UTF-8 text. Save it as CSV (UTF-8).")]
    else:
        text = data.lstrip("\ufeff")
    if not text.strip():
        return [], [_("The file is empty.")]
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (csv.Error, StopIteration):
        return [], [_("The file is not a readable CSV file.")]
    missing = [c for c in CSV_COLUMNS if c not in header and c != "data_set"]
    if missing:
        return [], [_("Row 1: missing columns: %(columns)s.") % {"columns": ", ".join(missing)}]
    idx = {name: header.index(name) for name in CSV_COLUMNS if name in header}
    cat = _Catalogue(actor, municipality)
    rows, errors = [], []
    try:
        for number, cells in enumerate(reader, start=2):
            if number > MAX_ROWS:
                errors.append(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
                break
            if not any(c.strip() for c in cells):
                continue
            if len(cells) < len(header):
                cells = cells + [""] * (len(header) - len(cells))
            get = {name: unneutralise(cells[i].strip()) for name, i in idx.items()}
            row = _csv_row(cat, errors, number, get)
            if row:
                rows.append(row)
    except csv.Error as exc:
        errors.append(_("The file is not a readable CSV file: %(error)s") % {"error": exc})
    return rows, errors


def _csv_row(cat, errors: list[str], number: int, get: dict) -> Row | None:
    """One CSV line's cells (by column) as a row, or None with the reason in ``errors``."""
    where = _row_where(number)
    inst = cat.institution(get["municipality"], get["institution"])
    if inst is None:
        errors.append(
            _("%(where)s: unknown institution %(name)s in %(municipality)s.")
            % {"where": where, "name": get["institution"], "municipality": get["municipality"]}
        )
        return None
    element = cat.elements.get(get["element"].upper())
    if element is None:
        errors.append(
            _("%(where)s: unknown data element %(code)s.")
            % {"where": where, "code": get["element"]}
        )
        return None
    try:
        start, end = _parse_date(get["period_start"]), _parse_date(get["period_end"])
    except ValueError:
        errors.append(_("%(where)s: dates must be written YYYY-MM-DD.") % {"where": where})
        return None
    try:
        value = _parse_value(get["value"])
    except ValueError:
        errors.append(
            _("%(where)s: %(value)s is not a whole number.")
            % {"where": where, "value": get["value"] or "''"}
        )
        return None
    disaggregation = get["disaggregation"].replace(" ", "")
    data_set = get.get("data_set", "").upper()
    return _finish_row(
        cat, errors, number, inst, element, disaggregation, data_set, start, end, value, where
    )


def parse_dhis2(data: bytes | str, *, actor, municipality=None) -> tuple[list[Row], list[str]]:
    values, refused = _dhis2_values(data)
    if refused:
        return [], refused
    cat = _Catalogue(actor, municipality)
    de_map = {
        (m.data_element_uid, m.category_option_combo_uid): m
        for m in Dhis2DataElementMap.objects.select_related("element")
    }
    ou_map = {m.org_unit_uid: m.institution_id for m in Dhis2OrgUnitMap.objects.all()}
    insts = {i.pk: i for i in cat.institutions}
    rows, errors = [], []
    for number, item in enumerate(values, start=1):
        row = _dhis2_row(cat, errors, number, item, de_map, ou_map, insts)
        if row:
            rows.append(row)
    return rows, errors


def _dhis2_values(data: bytes | str) -> tuple[list, list[str]]:
    """The ``dataValues`` of a dataValueSets document, or why the file cannot be read."""
    if len(data) > MAX_JSON_BYTES:
        return [], [
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_JSON_BYTES // (1024 * 1024)}
        ]
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], [_("The file is not valid JSON.")]
    if _json_too_deep(data):
        return [], [
            _("The JSON nests deeper than %(depth)s levels; a DHIS2 data value set never does.")
            % {"depth": MAX_JSON_DEPTH}
        ]
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        return [], [_("The file is not valid JSON.")]
    values = doc.get("dataValues") if isinstance(doc, dict) else None
    if not isinstance(values, list):
        return [], [_('The file has no "dataValues" list.')]
    if len(values) > MAX_ROWS:
        return [], [_("The file has more than %(max)s rows.") % {"max": MAX_ROWS}]
    return values, []


def _dhis2_row(cat, errors, number, item, de_map, ou_map, insts) -> Row | None:
    """One data value as a row, or None with the reason in ``errors``."""
    where = _where([number], True)
    if not isinstance(item, dict):
        errors.append(_("%(where)s: not an object.") % {"where": where})
        return None
    de, coc = str(item.get("dataElement", "")), str(item.get("categoryOptionCombo", "") or "")
    mapping = de_map.get((de, coc)) or (de_map.get((de, "")) if not coc else None)
    if mapping is None:
        errors.append(
            _("%(where)s: data element %(de)s / %(coc)s is not in the mapping table.")
            % {"where": where, "de": de, "coc": coc or "default"}
        )
        return None
    inst = insts.get(ou_map.get(str(item.get("orgUnit", ""))))
    if inst is None:
        errors.append(
            _("%(where)s: unknown organisation unit %(ou)s.")
            % {"where": where, "ou": item.get("orgUnit", "")}
        )
        return None
    try:
        p = parse_period(str(item.get("period", "")))
    except ValueError:
        errors.append(
            _("%(where)s: unknown period %(period)s.")
            % {"where": where, "period": item.get("period", "")}
        )
        return None
    try:
        value = _parse_value(item.get("value", ""))
    except ValueError:
        errors.append(
            _("%(where)s: %(value)s is not a whole number.")
            % {"where": where, "value": item.get("value", "")}
        )
        return None
    return _finish_row(
        cat, errors, number, inst, mapping.element, mapping.key, "", p.start, p.end, value, where
    )


def parse_period(text: str) -> periods.Period:
    if "/" in text:
        a, _sep, b = text.partition("/")
        return periods.date_range(_parse_date(a), _parse_date(b))
    return periods.from_dhis2(text)


def format_period(start: dt.date, end: dt.date) -> str:
    return periods.to_dhis2(start, end) or f"{start.isoformat()}/{end.isoformat()}"


# --- Import ------------------------------------------------------------------------------


def _where(numbers: list[int], dhis2: bool) -> str:
    joined = ", ".join(str(n) for n in numbers)
    if dhis2:
        return ngettext("Value %(numbers)s", "Values %(numbers)s", len(numbers)) % {
            "numbers": joined
        }
    return ngettext("Row %(numbers)s", "Rows %(numbers)s", len(numbers)) % {"numbers": joined}


def import_rows(
    rows: list[Row],
    errors: list[str],
    *,
    actor,
    source: str,
    approve: bool = False,
    dhis2: bool = False,
) -> ImportResult:
    """Validate the parsed rows as a whole and save them in one transaction, or refuse all."""
    errors = list(errors)
    groups, numbers = _group_rows(rows, errors, dhis2)
    if approve and actor is not None:
        for r in rows:
            if not scoping.can_manage_mechanism(actor, r.institution.municipality_id):
                raise PermissionDenied
    by_gkey = {(r.institution.pk, r.data_set.pk, r.start, r.end): r for r in rows}
    existing = {}
    for gkey, values in groups.items():
        merged = _merged(by_gkey[gkey], values, _where(numbers[gkey], dhis2), errors)
        if merged is not None:
            existing[gkey] = merged
    if errors:
        raise ImportRefused(errors)
    if not rows:
        raise ImportRefused([_("The file has no figures.")])
    with transaction.atomic():
        saved, warnings = _save_groups(existing, by_gkey, actor, source, approve)
        for municipality_id in {s.institution.municipality_id for s in saved}:
            record(
                AuditAction.IMPORT,
                None,
                actor=actor,
                municipality_id=municipality_id,
                object_type="statistics.submission",
                object_repr=f"{source}: {len(saved)} submissions, {len(rows)} values",
            )
    return ImportResult(saved, len(rows), warnings)


def _group_rows(rows: list[Row], errors: list[str], dhis2: bool):
    """The rows' figures per (institution, data set, period), and their row numbers; a
    repeated figure is an error."""
    groups: dict[tuple, dict[tuple[str, str], int]] = defaultdict(dict)
    numbers: dict[tuple, list[int]] = defaultdict(list)
    seen: dict[tuple, int] = {}
    for r in rows:
        gkey = (r.institution.pk, r.data_set.pk, r.start, r.end)
        vkey = (r.element.code, r.key)
        if (gkey, vkey) in seen:
            errors.append(
                _("%(where)s repeats %(first)s (same institution, period, element and category).")
                % {
                    "where": _where([r.number], dhis2),
                    "first": _where([seen[(gkey, vkey)]], dhis2).lower(),
                }
            )
            continue
        seen[(gkey, vkey)] = r.number
        groups[gkey][vkey] = r.value
        numbers[gkey].append(r.number)
    return groups, numbers


def _merged(r: Row, values: dict, where: str, errors: list[str]) -> dict | None:
    """The figures to save for one submission (the stored ones with the file's over them),
    or None: nothing to do, or refused (the reason in ``errors``)."""
    sub = Submission.objects.filter(
        institution=r.institution, data_set=r.data_set, period_start=r.start, period_end=r.end
    ).first()
    merged = dict(sub.values_dict()) if sub is not None else {}
    merged.update(values)
    period = periods.period_label(r.start, r.end)
    if sub is not None and sub.is_locked:
        if sub.values_dict() != merged:  # the same approved figures again: nothing to do
            errors.append(
                _(
                    "%(where)s: the figures of %(institution)s for %(period)s are approved and "
                    "locked; a correction needs a reason in the application."
                )
                % {"where": where, "institution": r.institution.name, "period": period}
            )
        return None
    specs = [spec_of(e) for e in r.data_set.elements.prefetch_related("disaggregations__options")]
    for message in check_values(specs, merged):
        errors.append(
            _("%(where)s (%(institution)s, %(period)s): %(message)s")
            % {
                "where": where,
                "institution": r.institution.name,
                "period": period,
                "message": message,
            }
        )
    return merged


def _save_groups(existing: dict, by_gkey: dict, actor, source: str, approve: bool):
    from . import services

    saved, warnings = [], []
    for gkey, merged in existing.items():
        r = by_gkey[gkey]
        sub = services.submission_save(
            actor=actor,
            institution=r.institution,
            data_set=r.data_set,
            period_start=r.start,
            period_end=r.end,
            values=merged,
            source=source,
            submit=True,
        )
        if approve:
            sub = services.submission_approve(actor=actor, submission=sub, imported=True)
        saved.append(sub)
        warnings.extend(sub.warnings)
    return saved, warnings


def import_csv(
    data: bytes | str, *, actor, municipality=None, approve: bool = False
) -> ImportResult:
    rows, errors = parse_csv(data, actor=actor, municipality=municipality)
    return import_rows(rows, errors, actor=actor, source=Source.IMPORT, approve=approve)


def import_dhis2(
    data: bytes | str, *, actor, municipality=None, approve: bool = False
) -> ImportResult:
    rows, errors = parse_dhis2(data, actor=actor, municipality=municipality)
    return import_rows(rows, errors, actor=actor, source=Source.DHIS2, approve=approve, dhis2=True)


# --- Export ------------------------------------------------------------------------------


def export_values(
    *,
    municipality=None,
    start: dt.date,
    end: dt.date,
    include_submitted: bool = True,
    institutions=None,
    region=None,
):
    """Data values of submissions lying wholly inside [start, end], of one municipality, of
    one police region (its municipal institutions and the regional ones serving it) or, with
    neither, of all of Kosovo."""
    from django.db.models import Q

    statuses = [Status.APPROVED, Status.SUBMITTED] if include_submitted else [Status.APPROVED]
    if municipality is not None:
        where = Q(submission__institution__municipality=municipality)
    elif region is not None:
        where = (
            Q(submission__institution__level="municipal")
            & Q(submission__institution__municipality__region=region)
        ) | (
            Q(submission__institution__level="regional")
            & (
                Q(submission__institution__region=region)
                | Q(
                    submission__institution__region__isnull=True,
                    submission__institution__municipality__region=region,
                )
            )
        )
    else:
        where = Q()
    qs = DataValue.objects.filter(
        where,
        submission__status__in=statuses,
        submission__period_start__gte=start,
        submission__period_end__lte=end,
    ).select_related("submission__institution__municipality", "submission__data_set", "element")
    if institutions is not None:
        qs = qs.filter(submission__institution__in=list(institutions))
    return qs.order_by(
        "submission__institution__municipality__code",
        "submission__institution__name_sq",
        "submission__period_start",
        "submission__period_end",
        "element__order",
        "element__code",
        "key",
    )


def _audit_target(municipality, kw) -> dict:
    """What an export's audit entry names: the municipality, the region or nothing (Kosovo)."""
    region = kw.get("region")
    if municipality is not None:
        return {"obj": municipality}
    if region is not None:
        return {"obj": region}
    return {"object_type": "directory.kosovo", "object_id": "", "object_repr": "Kosovo"}


def export_csv(*, actor=None, municipality=None, start: dt.date, end: dt.date, **kw) -> str:
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    n = 0
    for v in export_values(municipality=municipality, start=start, end=end, **kw):
        s = v.submission
        writer.writerow(
            [
                neutralise(s.institution.municipality.code),
                neutralise(s.institution.name_sq),
                neutralise(s.data_set.code),
                neutralise(v.element.code),
                neutralise(v.key),
                s.period_start.isoformat(),
                s.period_end.isoformat(),
                v.value,
            ]
        )
        n += 1
    target = _audit_target(municipality, kw)
    record(
        AuditAction.EXPORT,
        target.pop("obj", None),
        **target,
        actor=actor,
        reason=f"statistics CSV {start}–{end}, {n} values",
    )
    return out.getvalue()


class MappingMissing(ValidationError):
    pass


def export_dhis2(*, actor=None, municipality=None, start: dt.date, end: dt.date, **kw) -> str:
    de_map = {(m.element_id, m.key): m for m in Dhis2DataElementMap.objects.all()}
    ou_map = {m.institution_id: m.org_unit_uid for m in Dhis2OrgUnitMap.objects.all()}
    out, missing = [], set()
    for v in export_values(municipality=municipality, start=start, end=end, **kw):
        s = v.submission
        m = de_map.get((v.element_id, v.key))
        ou = ou_map.get(s.institution_id)
        if m is None:
            missing.add(
                _("data element %(code)s, category %(key)s")
                % {"code": v.element.code, "key": v.key or _("total")}
            )
        if ou is None:
            missing.add(_("institution %(name)s") % {"name": s.institution.name})
        if m is None or ou is None:
            continue
        item = {"dataElement": m.data_element_uid}
        if m.category_option_combo_uid:
            item["categoryOptionCombo"] = m.category_option_combo_uid
        item.update(
            {
                "orgUnit": ou,
                "period": format_period(s.period_start, s.period_end),
                "value": str(v.value),
            }
        )
        out.append(item)
    if missing:
        raise MappingMissing(
            [_("No DHIS2 mapping for %(what)s.") % {"what": w} for w in sorted(missing)]
        )
    target = _audit_target(municipality, kw)
    record(
        AuditAction.EXPORT,
        target.pop("obj", None),
        **target,
        actor=actor,
        reason=f"statistics dataValueSets {start}–{end}, {len(out)} values",
    )
    return json.dumps({"dataValues": out}, ensure_ascii=False, indent=1)


# --- Mapping table -----------------------------------------------------------------------

_UID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def pseudo_uid(seed: str) -> str:
    """A deterministic, valid-looking DHIS2 UID (letter + 10 characters) for a demo mapping."""
    digest = hashlib.sha256(seed.encode()).digest()
    first = _UID_CHARS[digest[0] % 52]
    return first + "".join(_UID_CHARS[b % 62] for b in digest[1:11])


@transaction.atomic
def mapping_generate(institutions=()) -> int:
    """Fill the mapping table with demo UIDs for every element, category and the given
    institutions that have none. For demonstrations and tests: a real DHIS2 instance has its
    own UIDs, entered in the admin or loaded with ``statistics_dhis2_mapping --load``."""
    created = 0
    for e in DataElement.objects.prefetch_related("disaggregations__options"):
        for key in element_keys(e):
            _m, new = Dhis2DataElementMap.objects.get_or_create(
                element=e,
                key=key,
                defaults={
                    "data_element_uid": pseudo_uid(f"de:{e.code}"),
                    "category_option_combo_uid": pseudo_uid(f"coc:{key}") if key else "",
                },
            )
            created += new
    for inst in institutions:
        _m, new = Dhis2OrgUnitMap.objects.get_or_create(
            institution=inst,
            defaults={"org_unit_uid": pseudo_uid(f"ou:{inst.municipality.code}:{inst.name_sq}")},
        )
        created += new
    return created
