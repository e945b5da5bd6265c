"""Case pages. Case workers: their institution's cases and referrals; coordinators: references
and figures only. Identity is shown only in the response to a "reveal" POST with a reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from mkk.accounts import scoping
from mkk.core import paging, periods
from mkk.core.forms import show_errors
from mkk.directory import selectors as directory_selectors

from . import forms, importer, selectors, services
from .concurrency import deadline_table
from .models import Case, Consent, GroundStatus, ProtectionOrder, ReferralStatus, ShelterStay

#: Never shown in error reports.
IDENTITY_POST = forms.IDENTITY_FIELDS

CHILD_TITLES = {
    "order": gettext_lazy("Add a protection order"),
    "court": gettext_lazy("Add a court outcome"),
    "shelter": gettext_lazy("Add a shelter stay"),
    "service": gettext_lazy("Add a service given"),
}


#: Why the statistics are written from case records (shown above the form).
STATISTICS_INTRO = gettext_lazy(
    "Counts the institution's case records for the period with the statistics' own "
    "definitions and saves them as a draft, so the totals need not be typed."
)


def _attempt(form, save):
    """Run ``save()``; a ValidationError goes onto ``form`` (kept as typed) and gives None."""
    try:
        return save()
    except ValidationError as exc:
        show_errors(form, exc)
        return None


def _identity(data: dict) -> services.Identity:
    """The identity a valid case or identity form describes (empty date: None)."""
    return services.Identity(
        **{k: data[k] or (None if k == "date_of_birth" else "") for k in forms.IDENTITY_FIELDS}
    )


def _worker_municipality(request, code):
    municipality = directory_selectors.municipality_for(request.user, code)
    scoping.require(scoping.can_work_cases(request.user))
    if request.user.institution.municipality_id != municipality.pk:
        raise Http404
    return municipality


@login_required
@never_cache
def index(request, code: str):
    municipality = directory_selectors.municipality_for(request.user, code)
    if scoping.can_work_cases(request.user):
        return _worker_index(request, municipality)
    scoping.require(scoping.can_read_case_references(request.user))
    return _coordinator_index(request, municipality)


def _worker_index(request, municipality):
    user = request.user
    search = forms.CaseSearchForm(
        request.GET,
        institutions=selectors.worker_case_institutions(user),
        years=range(timezone.localdate().year, 1999, -1),
    )
    context = {
        "municipality": municipality,
        "search": search,
        "query": paging.query_without_page(request),
        "page": _page(request, selectors.search_cases(user, **search.filters())),
        "incoming": selectors.incoming_referrals(user).filter(status=ReferralStatus.SENT),
        "outgoing": selectors.outgoing_referrals(user).filter(status=ReferralStatus.SENT),
        "now": timezone.now(),
    }
    return render(request, "cases/index_worker.html", context)


def _coordinator_index(request, municipality):
    user, today = request.user, timezone.localdate()
    year = _year(request, today)
    start, end = periods.year(year).start, min(periods.year(year).end, today)
    cases = selectors.reference_list(user, municipality)
    context = {
        "municipality": municipality,
        "page": _page(request, cases.filter(opened_on__gte=start, opened_on__lte=end)),
        "figures": selectors.case_figures(municipality=municipality, start=start, end=end),
        "year": year,
        "query": paging.query_without_page(request),
        "years": range(today.year, today.year - 5, -1),
        # The link to write statistics from case records only where that page opens (an
        # institution of those kinds there: a municipality without one answers 403).
        "can_manage": scoping.can_manage_mechanism(user, municipality.pk)
        and bool(selectors.statistics_institutions(user, municipality)),
        "per_case": scoping.can_read_case_rows(user),
    }
    return render(request, "cases/index_coordinator.html", context)


def _page(request, queryset, per_page: int = 50):
    return paging.page_of(request, queryset, per_page)


def _year(request, today) -> int:
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year else today.year


@sensitive_post_parameters(*IDENTITY_POST)
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def case_create(request, code: str):
    municipality = _worker_municipality(request, code)
    form = forms.CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        case = _attempt(
            form,
            lambda: services.case_create(
                actor=request.user,
                institution=request.user.institution,
                identity=_identity(d),
                **{k: d[k] for k in forms.CASE_FIELDS},
            ),
        )
        if case is not None:
            messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "municipality": municipality})


def _detail_context(request, case: Case, **extra) -> dict:
    user = request.user
    is_owner = user.institution_id == case.institution_id
    return {
        "case": case,
        "municipality": case.institution.municipality,
        "is_owner": is_owner,
        "incidents": case.incidents.all(),
        "referrals": case.referrals.select_related("from_institution", "to_institution"),
        "orders": case.protectionorders.all(),
        "outcomes": case.courtoutcomes.all(),
        "stays": case.shelterstays.select_related("institution"),
        "services": case.servicegivens.select_related("institution"),
        "can_see_identity": services.can_see_identity(user, case),
        "reveal_form": extra.pop("reveal_form", None) or forms.RevealForm(),
        "identity": None,
        **extra,
    }


@login_required
@never_cache
def case_detail(request, pk: int):
    case = selectors.case_for_worker(request.user, pk)
    return render(request, "cases/case_detail.html", _detail_context(request, case))


@login_required
@never_cache
@require_POST
def case_reveal(request, pk: int):
    """Show the identity in this response only, after the user gave a reason (audited)."""
    case = selectors.case_for_worker(request.user, pk)
    scoping.require(services.can_see_identity(request.user, case))
    form = forms.RevealForm(request.POST)
    identity = None
    if form.is_valid():
        try:
            identity = services.identity_reveal(
                actor=request.user, case=case, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            show_errors(form, exc)
    response = render(
        request,
        "cases/case_detail.html",
        _detail_context(request, case, reveal_form=form, identity=identity),
    )
    response["Cache-Control"] = "no-store, max-age=0"
    return response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def case_consent(request, pk: int):
    case = selectors.case_for_worker(request.user, pk)
    scoping.require(request.user.institution_id == case.institution_id)
    form = forms.ConsentForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        fresh = selectors.case_for_worker(request.user, pk)  # the form changed ``case``
        saved = _attempt(
            form,
            lambda: services.case_set_consent(
                actor=request.user, case=fresh, version=form.version, **fields
            ),
        )
        if saved is not None:
            messages.success(request, _("Consent saved."))
            return redirect("cases:detail", pk=case.pk)
    title = _("Consent to share")
    return render(request, "cases/form.html", {"form": form, "case": case, "title": title})


@login_required
@require_POST
def case_status(request, pk: int):
    case = selectors.case_for_worker(request.user, pk)
    scoping.require(request.user.institution_id == case.institution_id)
    action = services.case_close if request.POST.get("action") == "close" else services.case_reopen
    try:
        action(actor=request.user, case=case)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("cases:detail", pk=case.pk)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def incident_add(request, pk: int):
    case = selectors.case_for_worker(request.user, pk)
    scoping.require(services.can_handle(request.user, case))
    form = forms.IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_add(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("Incident added."))
            return redirect("cases:detail", pk=case.pk)
    return render(
        request, "cases/form.html", {"form": form, "case": case, "title": _("Add an incident")}
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def child_add(request, pk: int, kind: str):
    if kind not in forms.CHILD_FORMS:
        raise Http404
    case = selectors.case_for_worker(request.user, pk)
    scoping.require(services.can_handle(request.user, case))
    form = forms.CHILD_FORMS[kind](request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            services.child_add(actor=request.user, case=case, record_type=kind, **fields)
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:detail", pk=case.pk)
    return render(
        request, "cases/form.html", {"form": form, "case": case, "title": CHILD_TITLES[kind]}
    )


EDITABLE = {
    "order": (ProtectionOrder, forms.ProtectionOrderForm),
    "shelter": (ShelterStay, forms.ShelterStayForm),
}


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def child_edit(request, kind: str, pk: int):
    if kind not in EDITABLE:
        raise Http404
    model, form_class = EDITABLE[kind]
    obj = selectors.child_for_worker(request.user, model, pk)
    scoping.require(services.can_handle(request.user, obj.case))
    form = form_class(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            services.child_update(
                actor=request.user,
                obj=selectors.child_for_worker(request.user, model, pk),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:detail", pk=obj.case_id)
    title = _("Update the protection order") if kind == "order" else _("Update the shelter stay")
    return render(request, "cases/form.html", {"form": form, "case": obj.case, "title": title})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def refer(request, pk: int):
    case = selectors.case_for_worker(request.user, pk)
    scoping.require(services.can_handle(request.user, case))
    form = forms.ReferralForm(
        request.POST or None, case=case, own_institution_id=request.user.institution_id
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_send(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(
                request,
                _("Referral sent; answer due by %(due)s.")
                % {"due": timezone.localtime(referral.deadline_at).strftime("%d.%m.%Y %H:%M")},
            )
            return redirect("cases:detail", pk=case.pk)
    return render(
        request, "cases/form.html", {"form": form, "case": case, "title": _("Refer the case")}
    )


def _referral_context(request, referral, **extra) -> dict:
    case = referral.case
    user = request.user
    return {
        "referral": referral,
        "case": case,
        "incidents": case.incidents.all(),
        "is_receiver": user.institution_id == referral.to_institution_id,
        "is_sender": user.institution_id == referral.from_institution_id,
        "is_owner": user.institution_id == case.institution_id,
        "can_open_case": services.can_handle(user, case),
        "accept_form": extra.pop("accept_form", None) or forms.AcceptForm(case=case),
        "decline_form": extra.pop("decline_form", None) or forms.DeclineForm(),
        "case_consent": case.consent_to_share == Consent.YES,
        **extra,
    }


@login_required
@never_cache
def referral_detail(request, pk: int):
    """Before accepting, the receiver sees reference, demographics, incidents, reason, urgency."""
    referral = selectors.referral_for_worker(request.user, pk)
    return render(request, "cases/referral_detail.html", _referral_context(request, referral))


def _referral_accept(request, referral):
    """Accept: invalid consent data is an error shown on the page, never "no consent"."""
    form = forms.AcceptForm(request.POST, case=referral.case)
    if form.is_valid():
        data = form.cleaned_data
        accepted = _attempt(
            form,
            lambda: services.referral_accept(
                actor=request.user,
                referral=referral,
                consent_recorded=data.get("consent_recorded", False),
                legal_ground=data["legal_ground"],
                ground_reason=data["ground_reason"],
            ),
        )
        if accepted is not None:
            _accepted_message(request, accepted)
            return redirect("cases:detail", pk=accepted.case_id)
    context = _referral_context(request, referral, accept_form=form)
    return render(request, "cases/referral_detail.html", context, status=400)


def _accepted_message(request, referral) -> None:
    if referral.shares_identity:
        messages.success(request, _("Referral accepted. The case is now open to your institution."))
    elif referral.ground_status == GroundStatus.PENDING:
        messages.warning(
            request,
            _(
                "Referral accepted. The identity stays hidden until the owning "
                "institution confirms the legal ground."
            ),
        )
    else:
        messages.warning(
            request,
            _(
                "Referral accepted. Without the victim's consent or a legal ground, "
                "the identity stays hidden."
            ),
        )


def _referral_decline(request, referral):
    form = forms.DeclineForm(request.POST)
    if not form.is_valid():
        context = _referral_context(request, referral, decline_form=form)
        return render(request, "cases/referral_detail.html", context, status=400)
    reason = form.cleaned_data["decline_reason"]
    services.referral_decline(actor=request.user, referral=referral, reason=reason)
    messages.success(request, _("Referral declined."))
    return None


def _referral_simple(service, done):
    def act(request, referral):
        service(actor=request.user, referral=referral)
        messages.success(request, done)

    return act


def _referral_ground(confirm: bool):
    def act(request, referral):
        services.referral_ground_decide(actor=request.user, referral=referral, confirm=confirm)
        messages.success(
            request,
            _("Legal ground confirmed: the identity is shared.")
            if confirm
            else _("Legal ground refused: the identity stays hidden."),
        )

    return act


#: What each referral button does (accept has its own form and page).
REFERRAL_ACTIONS = {
    "decline": _referral_decline,
    "withdraw": _referral_simple(services.referral_withdraw, gettext_lazy("Referral withdrawn.")),
    "complete": _referral_simple(
        services.referral_complete, gettext_lazy("Referral marked as completed.")
    ),
    "confirm_ground": _referral_ground(True),
    "refuse_ground": _referral_ground(False),
}


@login_required
@require_POST
def referral_act(request, pk: int, action: str):
    referral = selectors.referral_for_worker(request.user, pk)
    if action == "accept":
        return _referral_accept(request, referral)
    if action not in REFERRAL_ACTIONS:
        raise Http404
    try:
        page = REFERRAL_ACTIONS[action](request, referral)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        page = None
    return page or redirect("cases:referral", pk=referral.pk)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def import_view(request, code: str):
    municipality = _worker_municipality(request, code)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = importer.import_cases(
            actor=request.user,
            institution=request.user.institution,
            data=form.cleaned_data["file"].read(),
        )
        if result.ok:
            n = len(result.created)
            text = ngettext("%(n)d case imported.", "%(n)d cases imported.", n) % {"n": n}
            messages.success(request, text)
            return redirect("cases:index", code=municipality.code)
    context = {"form": form, "municipality": municipality, "result": result}
    context.update(columns=importer.COLUMNS, required=importer.REQUIRED)
    return render(request, "cases/import.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def deadlines(request, code: str):
    """The response deadlines in force; the coordinator may set overrides for the municipality."""
    municipality = directory_selectors.municipality_for(request.user, code)
    user = request.user
    scoping.require(scoping.can_work_cases(user) or scoping.can_read_case_references(user))
    can_manage = scoping.can_manage_mechanism(user, municipality.pk)
    form = None
    if can_manage:
        form = forms.DeadlineForm(
            request.POST or None, version_of=municipality, version_extra=deadline_table
        )
    if request.method == "POST":
        scoping.require(can_manage)
        if form.is_valid() and _attempt(form, lambda: _deadline_save(request, form, municipality)):
            messages.success(request, _("Deadline saved."))
            return redirect("cases:deadlines", code=code)
    rows = selectors.deadline_rows(municipality)
    context = {"municipality": municipality, "rows": rows, "form": form}
    return render(request, "cases/deadlines.html", context)


def _deadline_save(request, form, municipality):
    fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    return services.deadline_set(
        actor=request.user, municipality=municipality, version=form.version, **fields
    )


@sensitive_post_parameters(*IDENTITY_POST)
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def identity_edit(request, pk: int):
    """Correct the identity (owner only). The form starts empty: showing the stored values
    would be a read of identity without a reason; the worker enters every field anew."""
    case = selectors.case_for_worker(request.user, pk)
    scoping.require(request.user.institution_id == case.institution_id and not case.is_anonymized)
    form = forms.IdentityForm(request.POST or None, version=services.identity_version(case))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = _attempt(
            form,
            lambda: services.identity_update(
                actor=request.user,
                case=case,
                identity=_identity(d),
                reason=d["reason"],
                version=form.version,
            ),
        )
        if saved is not None:
            messages.success(request, _("Identity corrected."))
            return redirect("cases:detail", pk=case.pk)
    intro = _("Enter every field anew; the stored values are replaced. Empty fields are removed.")
    context = {"form": form, "case": case, "title": _("Correct the identity"), "intro": intro}
    return render(request, "cases/form.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def statistics_view(request, code: str):
    """Write an institution's statistics for a period from its case records (saved as a draft
    submission of the statistics app, which the focal point then checks and submits)."""
    municipality = directory_selectors.municipality_for(request.user, code)
    allowed = selectors.statistics_institutions(request.user, municipality)
    scoping.require(bool(allowed))
    form = _statistics_form(request, allowed)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        submission = _attempt(
            form,
            lambda: services.statistics_from_cases(
                actor=request.user,
                institution=d["institution"],
                period_start=d["period_start"],
                period_end=d["period_end"],
            ),
        )
        if submission is not None:
            text = _("Figures written from the case records; check them and submit.")
            messages.success(request, text)
            return redirect("statistics:submission", pk=submission.pk)
    return render(request, "cases/form.html", _statistics_context(request, form, municipality))


def _statistics_form(request, allowed):

    last_month = periods.last_complete("month", timezone.localdate())
    return forms.StatisticsForm(
        request.POST or None,
        institutions=selectors.institution_choices(allowed),
        initial={"period_start": last_month.start, "period_end": last_month.end},
    )


def _statistics_context(request, form, municipality) -> dict:
    user = request.user
    return {
        "form": form,
        "municipality": municipality,
        "title": _("Statistics from case records"),
        "intro": STATISTICS_INTRO,
        # A focal point may write figures from case records but not open the case list.
        "hide_cases_link": not (
            scoping.can_work_cases(user) or scoping.can_read_case_references(user)
        ),
    }
