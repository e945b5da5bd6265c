"""The MKK REST API (django-ninja): token authentication, the same access scoping as the
pages, pagination, and a rate limit per token.

Every endpoint loads its objects through the selectors and :mod:`mkk.accounts.scoping`
(404 for anything out of scope, 403 for a user who may see an object but not do this to
it) and writes only through the apps' services, so the API can do exactly what the pages
can. Sessions are not accepted here (no cookie, hence no CSRF to forge): a request carries
``Authorization: Bearer <token>``.
"""

import datetime as dt
import hashlib
import json
from typing import Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Path, Query, Router
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.schema import Schema
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle
from pydantic import Field

from mkk.accounts import scoping
from mkk.audit.context import Actor, _current, client_ip
from mkk.audit.models import AuditAction
from mkk.audit.services import record
from mkk.directory import selectors as directory_selectors
from mkk.directory.i18n import localized
from mkk.directory.models import EmergencyContact, Institution, Municipality, Region
from mkk.plans import selectors as plan_selectors
from mkk.plans import services as plan_services
from mkk.plans.models import ActionPlan, ActionStatus
from mkk.reports import selectors as report_selectors
from mkk.reports.models import MonitoringReport, ReportStatus
from mkk.statistics import exchange
from mkk.statistics import selectors as stat_selectors
from mkk.statistics import services as stat_services
from mkk.statistics.comparison import compare_range, element_keys
from mkk.statistics.models import DataSet, DataValue, Status, Submission

from . import schemas as s
from .services import token_authenticate

FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
LANGUAGES = {"sq": "sq", "en": "en", "sr": "sr-latn", "sr-latn": "sr-latn"}


# --- Authentication, language, audit context, rate limit -------------------------------------


def _language(request, user) -> str:
    """The Accept-Language header when it names one of ours, else the user's language."""
    for part in request.headers.get("Accept-Language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag in LANGUAGES:
            return LANGUAGES[tag]
    return user.language if user.language in LANGUAGES.values() else settings.LANGUAGE_CODE


class TokenAuth(HttpBearer):
    """``Authorization: Bearer mkk_…``: a personal access token, never a session."""

    openapi_description = "A personal access token created on the profile page (API tokens)."

    def authenticate(self, request, token):
        ip = client_ip(request)
        api_token = token_authenticate(token, ip_address=ip)
        if api_token is None:
            return None
        request.user = api_token.user
        # The audit middleware ran before authentication: changes made by this request are
        # the token user's (the middleware restores the previous context when it ends).
        _current.set(Actor(user=api_token.user, ip_address=ip))
        translation.activate(_language(request, api_token.user))
        return api_token


class TokenRateThrottle(SimpleRateThrottle):
    """``MKK_API_RATE`` requests per token (e.g. "120/min") in Django's cache (Redis in
    production, so that every worker process shares the count). Over the limit: 429 with
    Retry-After (seconds)."""

    scope = "api-token"

    def __init__(self):
        super().__init__(settings.MKK_API_RATE)

    def allow_request(self, request):
        self.rate = settings.MKK_API_RATE  # read on each request (settings can change in tests)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        token = getattr(request, "auth", None)
        if token is None:
            return None
        return f"mkk-api-rate:{token.pk}"

    def wait(self):
        if self.history:
            return max(1.0, self.duration - (self.now - self.history[-1]))
        return float(self.duration)


class CSPSafeSwagger(Swagger):
    """Swagger UI from django-ninja's bundled files (no CDN), in a page of our own that
    the strict Content-Security-Policy accepts: no inline script or style."""

    template = "api/docs.html"

    def render_page(self, request, api, **kwargs):
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings), "api": api}
        return render(request, self.template, context)


class Pages(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=500, description="Items per page (at most 500).")
        offset: int = Field(0, ge=0, le=10_000_000, description="Items to skip.")


api = NinjaAPI(
    title="MKK API",
    version="1.0",
    description=(
        "Read and write the data of the municipal coordination mechanisms against domestic "
        "violence with the rights of the token's user. Objects outside the user's scope "
        "answer 404."
    ),
    urls_namespace="api:v1",
    auth=TokenAuth(),
    throttle=[TokenRateThrottle()],
    docs=CSPSafeSwagger(settings={"validatorUrl": None, "deepLinking": True}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": _("You may not do this.")}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return api.create_response(
        request,
        {"detail": _("The request was refused; nothing was saved."), "errors": exc.messages},
        status=422,
    )


@api.exception_handler(NinjaValidationError)
def _schema_invalid(request, exc):
    """Input that does not fit the schema: the same shape as every other refusal."""
    errors = []
    for e in exc.errors:
        where = ".".join(str(part) for part in e.get("loc", ()) if part not in ("payload",))
        errors.append(f"{where}: {e.get('msg', '')}" if where else str(e.get("msg", "")))
    return api.create_response(
        request,
        {
            "detail": _("The request does not fit the API's schema; nothing was saved."),
            "errors": errors,
        },
        status=422,
    )


def answers(ok) -> dict:
    """Every status an operation can answer, each with its body schema."""
    return {200: ok, 401: s.Error, 403: s.Error, 404: s.Error, 422: s.Errors, 429: s.Error}


def _refuse(*messages: str):
    raise ValidationError(list(messages))


def _check_range(start: dt.date | None, end: dt.date | None) -> None:
    for day in (start, end):
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            _refuse(_("Dates must lie between 2000 and 2100."))
    if start and end and end < start:
        _refuse(_("The period ends before it starts."))


def _municipality(request, code: str | None) -> Municipality | None:
    return directory_selectors.municipality_for(request.user, code) if code else None


MAX_ID = 2_147_483_647


def _code():
    return Query(None, pattern=s.MUNICIPALITY_CODE, description="Municipality code, e.g. drenas.")


def _from():
    return Query(None, description="Only what ends on or after this day.")


def _to():
    return Query(None, description="Only what starts on or before this day.")


def _pid():
    return Path(..., ge=1, le=MAX_ID)


def _qid():
    return Query(None, ge=1, le=MAX_ID)


# --- Directory ----------------------------------------------------------------------------

directory = Router(tags=["directory"])


def _names(obj) -> dict:
    return {"sq": obj.name_sq, "sr": obj.name_sr or obj.name_sq, "en": obj.name_en or obj.name_sq}


def _municipality_out(m: Municipality) -> dict:
    return {"code": m.code, "name": localized(m, "name"), "names": _names(m)}


def _institution_out(i: Institution) -> dict:
    return {
        "id": i.pk,
        "municipality": i.municipality.code,
        "kind": i.kind,
        "kind_label": str(i.get_kind_display()),
        "name": localized(i, "name"),
        "names": _names(i),
        "abbreviation": i.abbreviation,
        "phone": i.phone,
        "email": i.email,
        "address": i.address,
        "is_active": i.is_active,
    }


@directory.get(
    "/municipalities", response=answers(list[s.MunicipalityOut]), operation_id="municipalities"
)
@paginate(Pages)
def municipalities(request):
    """The municipalities the token's user may read (all of them for national roles)."""
    return [_municipality_out(m) for m in directory_selectors.municipalities_for(request.user)]


@directory.get(
    "/municipalities/{code}",
    response=answers(s.MunicipalityDetailOut),
    operation_id="municipality",
)
def municipality(request, code: str = Path(..., pattern=s.MUNICIPALITY_CODE)):
    m = directory_selectors.municipality_for(request.user, code)
    scoping.require(scoping.can_read_aggregates(request.user))
    mech = directory_selectors.mechanism_of(m)
    out = _municipality_out(m)
    out["mechanism"] = None
    if mech is not None:
        out["mechanism"] = {
            "name": mech.name,
            "decision_number": mech.decision_number,
            "decision_date": mech.decision_date,
            "coordinator_name": mech.coordinator_name,
            "coordinator_title": mech.coordinator_title,
            "members": [
                {
                    "institution_id": ms.institution_id,
                    "institution": localized(ms.institution, "name"),
                    "role": ms.role,
                    "focal_person": ms.focal_person,
                    "focal_person_title": ms.focal_person_title,
                }
                for ms in directory_selectors.memberships(mech)
            ],
        }
    return out


@directory.get(
    "/institutions",
    response=answers(list[s.InstitutionOut]),
    operation_id="institutions",
)
@paginate(Pages)
def institutions(request, municipality: str | None = _code()):
    m = _municipality(request, municipality)
    scoping.require(scoping.can_read_aggregates(request.user))
    qs = directory_selectors.institutions_for(request.user, m)
    return [_institution_out(i) for i in qs]


@directory.get(
    "/institutions/{institution_id}",
    response=answers(s.InstitutionOut),
    operation_id="institution",
)
def institution(request, institution_id: int = _pid()):
    inst = directory_selectors.institution_for(request.user, institution_id)
    scoping.require(scoping.can_read_aggregates(request.user))
    return _institution_out(inst)


@directory.get("/contacts", response=answers(list[s.ContactOut]), operation_id="contacts")
@paginate(Pages)
def contacts(request, municipality: str | None = _code()):
    """Public emergency contacts (the numbers a municipality publishes)."""
    qs = scoping.scope(request.user, EmergencyContact.objects.select_related("municipality"))
    m = _municipality(request, municipality)
    if m is not None:
        qs = qs.filter(municipality=m)
    return [
        {
            "id": c.pk,
            "municipality": c.municipality.code,
            "institution_id": c.institution_id,
            "name": localized(c, "name"),
            "numbers": [str(n) for n in c.numbers],
            "free_of_charge": c.free_of_charge,
        }
        for c in qs
    ]


# --- Plans and progress ---------------------------------------------------------------------

plans = Router(tags=["plans"])


def _plan_out(p: ActionPlan) -> dict:
    return {
        "id": p.pk,
        "municipality": p.mechanism.municipality.code,
        "title": p.title,
        "start_year": p.start_year,
        "end_year": p.end_year,
        "status": p.status,
        "adoption_decision": p.adoption_decision,
        "adoption_date": p.adoption_date,
        "reporting_period_months": p.reporting_period_months,
    }


def _row_out(row) -> dict:
    return {
        "code": row.code,
        "title": row.title,
        "counts": row.counts,
        "total": row.total,
        "completion_rate": row.completion_rate,
    }


def _plan_for(request, plan_id: int) -> ActionPlan:
    plan = scoping.get_for_user(
        request.user, ActionPlan.objects.select_related("mechanism__municipality"), pk=plan_id
    )
    scoping.require(scoping.can_read_aggregates(request.user))
    return plan


def _action_out(a, status: str) -> dict:
    return {
        "id": a.pk,
        "plan_id": a.plan_id,
        "code": a.code,
        "description": a.description,
        "specific_objective": a.specific_objective.code,
        "start_year": a.start_year,
        "end_year": a.end_year,
        "lead_institutions": plan_selectors._lead_names(a),
        "status": status,
        "is_retired": a.is_retired,
    }


def _update_out(u) -> dict:
    return {
        "id": u.pk,
        "action_id": u.action_id,
        "period_start": u.period_start,
        "period_end": u.period_end,
        "status": u.status,
        "narrative": u.narrative,
        "review_state": u.review_state,
        "submitted_at": u.submitted_at,
        "reviewed_at": u.reviewed_at,
        "reviewer_comment": u.reviewer_comment,
        "spending": [{"funder": sp.funder, "amount": sp.amount} for sp in u.spending.all()],
    }


@plans.get("/plans", response=answers(list[s.PlanOut]), operation_id="plans")
@paginate(Pages)
def plan_list(request, municipality: str | None = _code()):
    m = _municipality(request, municipality)
    scoping.require(scoping.can_read_aggregates(request.user))
    qs = scoping.scope(request.user, ActionPlan.objects.select_related("mechanism__municipality"))
    if m is not None:
        qs = qs.filter(mechanism__municipality=m)
    return [_plan_out(p) for p in qs]


@plans.get(
    "/plans/{plan_id}",
    response=answers(s.PlanDetailOut),
    operation_id="plan",
)
def plan_detail(request, plan_id: int = _pid()):
    """The plan with its implementation today: actions by status and the completion rate
    (the latest approved update of each action counts), planned and spent budget."""
    plan = _plan_for(request, plan_id)
    today = timezone.localdate()
    impl = plan_selectors.implementation_of(plan, dt.date(plan.start_year, 1, 1), today)
    out = _plan_out(plan)
    out.update(
        {
            "as_of": today,
            "overall": _row_out(impl.overall) if impl.overall else None,
            "objectives": [_row_out(r) for r in impl.objectives],
            "planned_total": impl.planned_total,
            "spent_total": impl.spent_total,
        }
    )
    return out


@plans.get(
    "/plans/{plan_id}/actions",
    response=answers(list[s.ActionOut]),
    operation_id="plan_actions",
)
@paginate(Pages)
def plan_actions(request, plan_id: int = _pid(), include_retired: bool = False):
    plan = _plan_for(request, plan_id)
    impl = plan_selectors.implementation_of(
        plan, dt.date(plan.start_year, 1, 1), timezone.localdate()
    )
    return [
        _action_out(a, impl.status_of.get(a.pk, ActionStatus.NOT_STARTED))
        for a in plan_selectors.actions_of(plan, include_retired=include_retired)
    ]


def _status_of(action) -> str:
    impl = plan_selectors.implementation_of(
        action.plan, dt.date(action.plan.start_year, 1, 1), timezone.localdate()
    )
    return impl.status_of.get(action.pk, ActionStatus.NOT_STARTED)


@plans.get(
    "/actions/{action_id}",
    response=answers(s.ActionDetailOut),
    operation_id="action",
)
def action_detail(request, action_id: int = _pid()):
    action = plan_selectors.action_for(request.user, action_id)
    out = _action_out(action, _status_of(action))
    out["outputs"] = action.outputs
    out["updates"] = [_update_out(u) for u in plan_selectors.updates_of(action)]
    return out


@plans.get(
    "/actions/{action_id}/progress",
    response=answers(list[s.ProgressOut]),
    operation_id="action_progress",
)
@paginate(Pages)
def progress_list(
    request,
    action_id: int = _pid(),
    period_from: dt.date | None = _from(),
    period_to: dt.date | None = _to(),
):
    action = plan_selectors.action_for(request.user, action_id)
    _check_range(period_from, period_to)
    qs = plan_selectors.updates_of(action)
    if period_from:
        qs = qs.filter(period_end__gte=period_from)
    if period_to:
        qs = qs.filter(period_start__lte=period_to)
    return [_update_out(u) for u in qs]


@plans.put(
    "/actions/{action_id}/progress",
    response=answers(s.ProgressOut),
    operation_id="action_progress_save",
)
def progress_save(request, payload: s.ProgressIn, action_id: int = _pid()):
    """Create or change the progress update of one reporting period (the lead institution's
    focal point, or the coordinator), as the progress form does; ``submit`` sends it for
    review."""
    action = plan_selectors.action_for(request.user, action_id)
    scoping.require(scoping.can_report_progress(request.user, action))
    _check_range(payload.period_start, None)
    update = plan_services.progress_save(
        actor=request.user,
        action=action,
        period_start=payload.period_start,
        status=payload.status,
        narrative=payload.narrative,
        spending=dict(payload.spending),
        submit=payload.submit,
    )
    return _update_out(update)


# --- Statistics -----------------------------------------------------------------------------

statistics = Router(tags=["statistics"])


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


@statistics.get(
    "/statistics/data-sets", response=answers(list[s.DataSetOut]), operation_id="data_sets"
)
def data_sets(request):
    """The national catalogue: data sets, their elements and disaggregation keys."""
    out = []
    for ds in DataSet.objects.filter(is_active=True).prefetch_related(
        "elements__disaggregations__options"
    ):
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


@statistics.get(
    "/statistics/submissions",
    response=answers(list[s.SubmissionOut]),
    operation_id="submissions",
)
@paginate(Pages)
def submission_list(
    request,
    municipality: str | None = _code(),
    institution: int | None = _qid(),
    data_set: str | None = Query(None, pattern=s.UPPER_CODE),
    status: Literal["draft", "submitted", "approved", "returned"] | None = None,
    period_from: dt.date | None = _from(),
    period_to: dt.date | None = _to(),
):
    """Submissions of figures (a focal point sees only their institution's)."""
    m = _municipality(request, municipality)
    _require_records(request)
    _check_range(period_from, period_to)
    qs = stat_selectors.submissions_for(request.user, m).prefetch_related("values__element")
    if institution is not None:
        qs = qs.filter(institution_id=institution)
    if data_set:
        qs = qs.filter(data_set__code=data_set)
    if status:
        qs = qs.filter(status=status)
    if period_from:
        qs = qs.filter(period_end__gte=period_from)
    if period_to:
        qs = qs.filter(period_start__lte=period_to)
    return [_submission_out(x) for x in qs.select_related("institution__municipality")]


@statistics.get(
    "/statistics/submissions/{submission_id}",
    response=answers(s.SubmissionOut),
    operation_id="submission",
)
def submission_detail(request, submission_id: int = _pid()):
    return _submission_out(stat_selectors.submission_for(request.user, submission_id))


@statistics.get(
    "/statistics/values",
    response=answers(list[s.DataValueOut]),
    operation_id="values",
)
@paginate(Pages)
def values(
    request,
    municipality: str | None = _code(),
    institution: int | None = _qid(),
    start: dt.date | None = Query(None, description="Submissions lying wholly inside"),
    end: dt.date | None = Query(None, description="[start, end] (both optional)."),
    include_submitted: bool = Query(True, description="Also figures not yet approved."),
):
    """Single figures of approved (and, unless excluded, submitted) submissions."""
    m = _municipality(request, municipality)
    _require_records(request)
    _check_range(start, end)
    statuses = [Status.APPROVED, Status.SUBMITTED] if include_submitted else [Status.APPROVED]
    qs = scoping.scope(
        request.user,
        DataValue.objects.filter(submission__status__in=statuses).select_related(
            "submission__institution__municipality", "submission__data_set", "element"
        ),
        own_institution=True,
    )
    if m is not None:
        qs = qs.filter(submission__institution__municipality=m)
    if institution is not None:
        qs = qs.filter(submission__institution_id=institution)
    if start:
        qs = qs.filter(submission__period_start__gte=start)
    if end:
        qs = qs.filter(submission__period_end__lte=end)
    qs = qs.order_by("submission__period_start", "submission_id", "element__order", "key", "pk")
    return [
        {
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
        for v in qs
    ]


@statistics.post(
    "/statistics/submissions",
    response=answers(s.SavedListOut),
    operation_id="submissions_save",
)
def submissions_save(request, payload: s.SubmissionsIn):
    """Save figures of one or more institutions, data sets and periods: all of them, or
    (on any error) none, with every reason. The rules are the entry form's; ``submit``
    sends a submission for approval; approved figures are locked."""
    scoping.require(scoping.can_enter_figures(request.user))
    prepared, errors = [], []
    for n, item in enumerate(payload.submissions, start=1):
        inst = scoping.get_for_user(
            request.user,
            Institution.objects.select_related("municipality"),
            own_institution=True,
            pk=item.institution,
        )
        scoping.require(scoping.can_submit_for_institution(request.user, inst.pk))
        ds = DataSet.objects.filter(code=item.data_set).first()
        where = _("Submission %(n)s") % {"n": n}
        if ds is None:
            errors.append(f"{where}: " + _("unknown data set %(code)s.") % {"code": item.data_set})
            continue
        if not (
            FIRST_DAY <= item.period_start <= LAST_DAY and FIRST_DAY <= item.period_end <= LAST_DAY
        ):
            errors.append(f"{where}: " + _("Dates must lie between 2000 and 2100."))
            continue
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
        prepared.append((where, inst, ds, item, vals))
    if errors:
        _refuse(*errors)
    saved = []
    with transaction.atomic():
        for where, inst, ds, item, vals in prepared:
            try:
                sub = stat_services.submission_save(
                    actor=request.user,
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
    if errors:
        _refuse(*errors)
    return {"submissions": saved}


@statistics.post(
    "/statistics/dataValueSets",
    response=answers(s.ImportOut),
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
        if not (period.start >= FIRST_DAY and period.end <= LAST_DAY):
            errors.append(_("Value %(n)s: dates must lie between 2000 and 2100.") % {"n": n})
        text = str(item.value).strip()
        if text.lstrip("-").isdigit() and int(text) > s.MAX_FIGURE:
            errors.append(
                _("Value %(n)s: %(value)s is more than %(max)s.")
                % {"n": n, "value": text, "max": s.MAX_FIGURE}
            )
    if errors:
        _refuse(*errors)
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


@statistics.get(
    "/statistics/comparison",
    response=answers(s.ComparisonOut),
    operation_id="comparison",
)
def comparison(
    request,
    start: dt.date,
    end: dt.date,
    scope: Literal["municipality", "region", "national"] = "municipality",
    municipality: str | None = _code(),
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
    region_obj = None
    if scope == "municipality":
        if not municipality:
            _refuse(_("Name the municipality (municipality=code)."))
        m = directory_selectors.municipality_for(request.user, municipality)
        scoping.require(scoping.can_read_aggregates(request.user))
        area = m.code
    else:
        # A region or all of Kosovo: roles that read every municipality (national, admin).
        scoping.require(scoping.sees_all_municipalities(request.user))
        m = None
        if scope == "region":
            if not region:
                _refuse(_("Name the police region (region=code)."))
            region_obj = Region.objects.filter(code=region).first()
            if region_obj is None:
                raise Http404
        area = region_obj.code if region_obj else "kosovo"
    _check_range(start, end)
    if end.year - start.year > 10:
        _refuse(_("Compare at most ten years at once."))
    result = compare_range(
        municipality=m,
        region=region_obj,
        national=scope == "national",
        start=start,
        end=end,
        include_submitted=include_submitted,
    )
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
        # Per institution only for one municipality; a region or Kosovo answers with totals.
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


# --- Reports ----------------------------------------------------------------------------------

reports = Router(tags=["reports"])


def _report_out(r: MonitoringReport) -> dict:
    return {
        "id": r.pk,
        "municipality": r.mechanism.municipality.code,
        "title": r.display_title,
        "period_start": r.period_start,
        "period_end": r.period_end,
        "language": r.language,
        "version": r.version,
        "status": r.status,
        "published_at": r.published_at,
    }


def _published_for(request, report_id: int) -> MonitoringReport:
    report = report_selectors.report_for(request.user, report_id)
    if report.status != ReportStatus.PUBLISHED:
        raise Http404
    return report


@reports.get(
    "/reports",
    response=answers(list[s.ReportOut]),
    operation_id="reports",
)
@paginate(Pages)
def report_list(
    request,
    municipality: str | None = _code(),
    period_from: dt.date | None = _from(),
    period_to: dt.date | None = _to(),
):
    """Published monitoring reports the user may read."""
    _check_range(period_from, period_to)
    qs = scoping.scope(
        request.user,
        MonitoringReport.objects.filter(status=ReportStatus.PUBLISHED).select_related(
            "mechanism__municipality"
        ),
    )
    m = _municipality(request, municipality)
    if m is not None:
        qs = qs.filter(mechanism__municipality=m)
    if period_from:
        qs = qs.filter(period_end__gte=period_from)
    if period_to:
        qs = qs.filter(period_start__lte=period_to)
    return [_report_out(r) for r in qs]


@reports.get(
    "/reports/{report_id}",
    response=answers(s.ReportDetailOut),
    operation_id="report",
)
def report_detail(request, report_id: int = _pid()):
    report = _published_for(request, report_id)
    out = _report_out(report)
    out["files"] = [
        {
            "id": f.pk,
            "format": f.format,
            "language": f.language,
            "public": f.public,
            "size": f.size,
            "sha256": f.sha256,
            "url": reverse("api:v1:report_file", kwargs={"report_id": report.pk, "file_id": f.pk}),
        }
        for f in report.files.all()
    ]
    return out


@reports.get(
    "/reports/{report_id}/files/{file_id}",
    response={k: v for k, v in answers(None).items() if k != 200},
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as stored when the report was frozen.",
                "content": {
                    ctype: {"schema": {"type": "string", "format": "binary"}}
                    for ctype in (
                        "application/pdf",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        "text/html",
                    )
                },
            }
        }
    },
    operation_id="report_file",
    url_name="report_file",
)
def report_file(request, report_id: int = _pid(), file_id: int = _pid()):
    """The stored file (PDF, DOCX, XLSX or HTML) of a published report, checked against its
    SHA-256; the download is written to the audit log."""
    report = _published_for(request, report_id)
    stored = report.files.filter(pk=file_id).first()
    if stored is None:
        raise Http404
    try:
        content = stored.read()
    except OSError as exc:
        raise Http404 from exc
    if hashlib.sha256(content).hexdigest() != stored.sha256:
        raise Http404  # the kept file was altered: never serve it
    from mkk.reports.render import FORMATS

    record(
        AuditAction.EXPORT,
        report,
        actor=request.user,
        reason=f"API {stored.format}{' public' if stored.public else ''}",
    )
    response = HttpResponse(content, content_type=FORMATS[stored.format][0])
    name = (
        f"monitoring-report-{report.mechanism.municipality.code}-{report.period_start:%Y%m%d}-"
        f"{report.period_end:%Y%m%d}-v{report.version}{'-public' if stored.public else ''}"
        f".{stored.format}"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Checksum-SHA256"] = stored.sha256
    return response


api.add_router("", directory)
api.add_router("", plans)
api.add_router("", statistics)
api.add_router("", reports)
