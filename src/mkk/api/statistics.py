"""Statistics: the catalogue, submissions and single figures, entry (also as DHIS2
dataValueSets), and the comparison engine of the statistics pages and reports."""

import datetime as dt
import json
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from mkk.accounts import scoping
from mkk.directory import selectors as directory_selectors
from mkk.directory.i18n import localized
from mkk.statistics import exchange
from mkk.statistics import selectors as stat_selectors
from mkk.statistics import services as stat_services
from mkk.statistics.comparison import compare_range, element_keys
from mkk.statistics.models import Status, Submission

from . import common as c
from . import schemas as s

router = Router(tags=["statistics"])


def _submission_out(sub: Submission) -> dict:
    return {
        "id": sub.pk,
        "municipality": sub.institution.municipality.code,
        "institution_id": sub.institution_id,
        "institution": localized(sub.institution, "name"),
        "data_set": sub.data_set.code,
        "period_start": sub.period_start,
        "period_end": sub.period_end,
        "period_type": sub.period_type,
        "status": sub.status,
        "source": sub.source,
        "submitted_at": sub.submitted_at,
        "approved_at": sub.approved_at,
        "values": [
            {"element": v.element.code, "disaggregation": v.key, "value": v.value}
            for v in sub.values.all()
        ],
    }


def _require_records(request) -> None:
    scoping.require(scoping.can_read_records(request.user))


@router.get(
    "/statistics/data-sets", response=c.answers(list[s.DataSetOut]), operation_id="data_sets"
)
def data_sets(request):
    """The national catalogue: data sets, their elements and disaggregation keys."""
    out = []
    for ds in stat_selectors.catalogue_data_sets():
        out.append(
            {
                "code": ds.code,
                "name": localized(ds, "name"),
                "institution_kind": ds.institution_kind,
                "period_type": ds.period_type,
                "deadline_days": ds.deadline_days,
                "elements": [
                    {"code": e.code, "name": localized(e, "name"), "keys": element_keys(e)}
                    for e in ds.elements.order_by("order", "code")
                ],
            }
        )
    return out


@router.get(
    "/statistics/submissions",
    response=c.answers(list[s.SubmissionOut]),
    operation_id="submissions",
)
@paginate(c.Pages)
def submission_list(
    request,
    municipality: str | None = c.code_param(),
    institution: int | None = c.query_id(),
    data_set: str | None = Query(None, pattern=s.UPPER_CODE),
    status: Literal["draft", "submitted", "approved", "returned"] | None = None,
    period_from: dt.date | None = c.from_param(),
    period_to: dt.date | None = c.to_param(),
):
    """Submissions of figures (a focal point sees only their institution's)."""
    m = c.municipality_of(request, municipality)
    _require_records(request)
    qs = c.narrowed(
        stat_selectors.submissions_for(request.user, m).prefetch_related("values__element"),
        institution_id=institution,
        data_set__code=data_set,
        status=status,
        period_from=period_from,
        period_to=period_to,
    )
    return [_submission_out(x) for x in qs.select_related("institution__municipality")]


@router.get(
    "/statistics/submissions/{submission_id}",
    response=c.answers(s.SubmissionOut),
    operation_id="submission",
)
def submission_detail(request, submission_id: int = c.path_id()):
    return _submission_out(stat_selectors.submission_for(request.user, submission_id))


@router.get(
    "/statistics/values",
    response=c.answers(list[s.DataValueOut]),
    operation_id="values",
)
@paginate(c.Pages)
def values(
    request,
    municipality: str | None = c.code_param(),
    institution: int | None = c.query_id(),
    start: dt.date | None = Query(None, description="Submissions lying wholly inside"),
    end: dt.date | None = Query(None, description="[start, end] (both optional)."),
    include_submitted: bool = Query(True, description="Also figures not yet approved."),
):
    """Single figures of approved (and, unless excluded, submitted) submissions."""
    m = c.municipality_of(request, municipality)
    _require_records(request)
    c.check_range(start, end)
    statuses = [Status.APPROVED, Status.SUBMITTED] if include_submitted else [Status.APPROVED]
    qs = stat_selectors.figures_for(request.user, statuses)
    if m is not None:
        qs = qs.filter(submission__institution__municipality=m)
    if institution is not None:
        qs = qs.filter(submission__institution_id=institution)
    if start:
        qs = qs.filter(submission__period_start__gte=start)
    if end:
        qs = qs.filter(submission__period_end__lte=end)
    qs = qs.order_by("submission__period_start", "submission_id", "element__order", "key", "pk")
    return [_value_out(v) for v in qs]


def _value_out(v) -> dict:
    return {
        "submission_id": v.submission_id,
        "municipality": v.submission.institution.municipality.code,
        "institution_id": v.submission.institution_id,
        "data_set": v.submission.data_set.code,
        "element": v.element.code,
        "disaggregation": v.key,
        "period_start": v.submission.period_start,
        "period_end": v.submission.period_end,
        "status": v.submission.status,
        "value": v.value,
    }


def _prepared(user, item, where: str, errors: list[str]):
    """One submission of the request checked before anything is saved: ``(where, institution,
    data set, item, values)``, or None with its reasons added to ``errors``."""
    inst = stat_selectors.entry_institution_for(user, item.institution)
    scoping.require(scoping.can_submit_for_institution(user, inst.pk))
    ds = stat_selectors.data_set_by_code(item.data_set)
    if ds is None:
        errors.append(f"{where}: " + _("unknown data set %(code)s.") % {"code": item.data_set})
        return None
    if not (
        c.FIRST_DAY <= item.period_start <= c.LAST_DAY
        and c.FIRST_DAY <= item.period_end <= c.LAST_DAY
    ):
        errors.append(f"{where}: " + _("Dates must lie between 2000 and 2100."))
        return None
    vals: dict[tuple[str, str], int] = {}
    for v in item.values:
        k = (v.element, v.disaggregation)
        if k in vals:
            errors.append(
                f"{where}: "
                + _("%(element)s %(key)s is given twice.")
                % {"element": v.element, "key": v.disaggregation or _("total")}
            )
        vals[k] = v.value
    return where, inst, ds, item, vals


@router.post(
    "/statistics/submissions",
    response=c.answers(s.SavedListOut),
    operation_id="submissions_save",
)
def submissions_save(request, payload: s.SubmissionsIn):
    """Save figures of one or more institutions, data sets and periods: all of them, or
    (on any error) none, with every reason. The rules are the entry form's; ``submit``
    sends a submission for approval; approved figures are locked."""
    scoping.require(scoping.can_enter_figures(request.user))
    prepared, errors = [], []
    for n, item in enumerate(payload.submissions, start=1):
        where = _("Submission %(n)s") % {"n": n}
        one = _prepared(request.user, item, where, errors)
        if one is not None:
            prepared.append(one)
    if errors:
        c.refuse(*errors)
    saved, errors = _save_all(request.user, prepared)
    if errors:
        c.refuse(*errors)
    return {"submissions": saved}


def _save_all(user, prepared: list) -> tuple[list[dict], list[str]]:
    """Save every prepared submission in one transaction; on any refusal none is kept."""
    saved, errors = [], []
    with transaction.atomic():
        for where, inst, ds, item, vals in prepared:
            try:
                sub = stat_services.submission_save(
                    actor=user,
                    institution=inst,
                    data_set=ds,
                    period_start=item.period_start,
                    period_end=item.period_end,
                    values=vals,
                    source="manual",
                    submit=item.submit,
                    comment=item.comment,
                )
            except ValidationError as exc:
                errors.extend(f"{where}: {m}" for m in exc.messages)
            else:
                saved.append({"id": sub.pk, "status": sub.status, "warnings": sub.warnings})
        if errors:
            transaction.set_rollback(True)
    return saved, errors


@router.post(
    "/statistics/dataValueSets",
    response=c.answers(s.ImportOut),
    operation_id="data_value_sets",
)
def data_value_sets(request, payload: s.Dhis2ValueSet):
    """DHIS2 dataValueSets, as DHIS2's ``/api/dataValueSets`` writes them: every value is
    translated through the mapping tables, checked by the rules of the entry form, and
    saved and submitted all together, or refused all together with every reason."""
    scoping.require(scoping.can_enter_figures(request.user))
    errors = []
    for n, item in enumerate(payload.dataValues, start=1):
        try:
            period = exchange.parse_period(item.period)
        except (ValueError, TypeError):
            continue  # the importer names it
        if not (period.start >= c.FIRST_DAY and period.end <= c.LAST_DAY):
            errors.append(_("Value %(n)s: dates must lie between 2000 and 2100.") % {"n": n})
        text = str(item.value).strip()
        if text.lstrip("-").isdigit() and int(text) > s.MAX_FIGURE:
            errors.append(
                _("Value %(n)s: %(value)s is more than %(max)s.")
                % {"n": n, "value": text, "max": s.MAX_FIGURE}
            )
    if errors:
        c.refuse(*errors)
    data = json.dumps({"dataValues": [v.dict(exclude_none=True) for v in payload.dataValues]})
    result = exchange.import_dhis2(data, actor=request.user)
    return {
        "submissions": [
            {"id": x.pk, "status": x.status, "warnings": x.warnings} for x in result.submissions
        ],
        "values": result.values,
    }


def _figure_out(row) -> dict:
    inst = row.institution
    return {
        "institution_id": inst.pk if inst else None,
        "institution": localized(inst, "name") if inst else None,
        "kind": inst.kind if inst else None,
        "municipality": inst.municipality.code if inst else None,
        "data_set": row.data_set.code if row.data_set else None,
        "element": row.element.code,
        "disaggregation": row.disaggregation,
        "current": row.current,
        "previous": row.previous,
        "difference": row.difference,
        "percent": row.percent,
        "current_coverage": row.current_coverage,
        "previous_coverage": row.previous_coverage,
        "unapproved": row.unapproved,
    }


def _totals_out(key: str, kind: str, totals) -> dict:
    return {
        "key": key,
        "kind": kind,
        "name": totals.name,
        "population": totals.population,
        "rows": [
            {
                "element": r.element.code,
                "disaggregation": r.disaggregation,
                "current": r.current,
                "previous": r.previous,
                "difference": r.difference,
                "percent": r.percent,
                "current_per_10k": r.current_per_10k,
                "previous_per_10k": r.previous_per_10k,
            }
            for r in totals.rows.values()
        ],
    }


def _comparison_out(result, scope: str, area: str) -> dict:
    return {
        "scope": scope,
        "area": area,
        "totals": _totals_out(area, scope, result.totals) if result.totals else None,
        "regions": [_totals_out(code, "region", tot) for code, tot in result.regions.items()],
        "units": [_totals_out(key, unit.kind, tot) for key, (unit, tot) in result.units.items()],
        "start": result.start,
        "end": result.end,
        "previous_start": result.previous_start,
        "previous_end": result.previous_end,
        # Per institution only for one municipality; a region or Kosovo c.answers with totals.
        "rows": [_figure_out(r) for r in result.rows] if scope == "municipality" else [],
        "coverage": [
            {
                "institution_id": c.institution.pk,
                "institution": localized(c.institution, "name"),
                "data_set": c.data_set.code,
                "current": c.current,
                "previous": c.previous,
                "missing_current": c.missing_current,
                "missing_previous": c.missing_previous,
                "unapproved": c.unapproved,
            }
            for c in result.coverage
        ],
    }


def _comparison_area(user, scope: str, municipality: str | None, region: str | None):
    """What is compared, if this user may read it: ``(municipality, region, area code)``."""
    if scope == "municipality":
        if not municipality:
            c.refuse(_("Name the municipality (municipality=code)."))
        m = directory_selectors.municipality_for(user, municipality)
        scoping.require(scoping.can_read_aggregates(user))
        return m, None, m.code
    # A region or all of Kosovo: roles that read every municipality (national, admin).
    scoping.require(scoping.sees_all_municipalities(user))
    if scope != "region":
        return None, None, "kosovo"
    if not region:
        c.refuse(_("Name the police region (region=code)."))
    region_obj = directory_selectors.region_for(region)
    return None, region_obj, region_obj.code


@router.get(
    "/statistics/comparison",
    response=c.answers(s.ComparisonOut),
    operation_id="comparison",
)
def comparison(
    request,
    start: dt.date,
    end: dt.date,
    scope: Literal["municipality", "region", "national"] = "municipality",
    municipality: str | None = c.code_param(),
    region: str | None = Query(None, pattern=r"^[a-z][a-z0-9-]{1,39}$"),
    include_submitted: bool = True,
):
    """Figures of [start, end] against the same range a year earlier, from the engine the
    statistics pages and reports use: for one municipality (``rows`` per institution), a
    police region or all of Kosovo (national roles; totals summed in the database, each
    institution counted once at its reporting level). ``totals`` sums the scope, ``regions``
    each region, ``units`` each municipality and each regional or national institution;
    figures per 10,000 inhabitants where the population is known. A missing figure is
    null, never 0; ``coverage`` says which institutions and data sets miss which days."""
    m, region_obj, area = _comparison_area(request.user, scope, municipality, region)
    c.check_range(start, end)
    if end.year - start.year > 10:
        c.refuse(_("Compare at most ten years at once."))
    result = compare_range(
        municipality=m,
        region=region_obj,
        national=scope == "national",
        start=start,
        end=end,
        include_submitted=include_submitted,
    )
    return _comparison_out(result, scope, area)
