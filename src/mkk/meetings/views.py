from __future__ import annotations

from csp.constants import NONCE
from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mkk.accounts import scoping
from mkk.audit.models import AuditAction
from mkk.audit.services import record
from mkk.core import paging
from mkk.core.forms import show_errors
from mkk.directory import selectors as directory_selectors

from . import ics, minutes, richtext, selectors, services
from .forms import (
    ActivityForm,
    AttendanceForm,
    CaseDiscussedForm,
    DecisionForm,
    DecisionTextForm,
    FollowUpForm,
    MeetingForm,
    PeriodForm,
)
from .models import Activity, FollowUpStatus, Meeting, MeetingKind

GET_POST = require_http_methods(["GET", "POST"])
#: The minutes editor (Trix) adds one <style> element with its default rules; it carries this
#: response's nonce (read from <meta name="csp-nonce">). Nothing else inline is allowed.
EDITOR_CSP = csp_update({"style-src": [NONCE]})


def _municipality(request, code):
    municipality = directory_selectors.municipality_for(request.user, code)
    scoping.require(scoping.can_read_records(request.user))
    return municipality


def _meeting(request, pk, *, manage=False) -> Meeting:
    meeting = selectors.meeting_for(request.user, pk)
    scoping.require(scoping.can_read_records(request.user))
    if manage:
        scoping.require(
            scoping.can_manage_mechanism(request.user, meeting.mechanism.municipality_id)
        )
    return meeting


def _institutions(municipality):
    """Institutions that can own a follow-up task: the municipality's active ones."""
    return directory_selectors.active_institutions_of(municipality)


def _meeting_page(request, template: str, meeting, **context):
    """A page of one meeting: the meeting and its municipality beside what the page shows."""
    context.update(meeting=meeting, municipality=meeting.mechanism.municipality)
    return render(request, template, context)


def _to_meeting(meeting_id: int, anchor: str = ""):
    """Back to the meeting's page, at the part just changed (``#decisions``, ``#decision-3``)."""
    return redirect(reverse("meetings:detail", kwargs={"pk": meeting_id}) + anchor)


def _mark_actions(user, tasks, municipality_id: int):
    """Set on each task whether this user may move it on (the owner's focal point or the
    coordinator: ``can_act``) and cancel or reopen a cancelled one (coordinator: ``can_cancel``)."""
    manages = scoping.can_manage_mechanism(user, municipality_id)
    for task in tasks:
        task.can_act = scoping.can_submit_for_institution(user, task.owner_id)
        task.can_cancel = manages
    return tasks


@login_required
@require_GET
def index(request, code: str):
    municipality = _municipality(request, code)
    period = PeriodForm(request.GET or None)
    start, end = period.period()
    summary = selectors.meeting_summary(municipality=municipality, start=start, end=end)
    context = {
        "municipality": municipality,
        "meetings": selectors.meetings_for(request.user, municipality).filter(
            date__gte=start, date__lte=end
        ),
        "next_meeting": selectors.next_meeting(request.user, municipality),
        "period": period,
        "summary": summary,
        "by_type_rows": [(label, summary.by_type[kind]) for kind, label in MeetingKind.choices],
        "can_manage": scoping.can_record_meetings(request.user, municipality),
    }
    return render(request, "meetings/index.html", context)


@login_required
@GET_POST
@EDITOR_CSP
def meeting_create(request, code: str):
    municipality = _municipality(request, code)
    scoping.require(scoping.can_manage_mechanism(request.user, municipality.pk))
    mechanism = directory_selectors.mechanism_of(municipality)
    scoping.require(mechanism is not None)
    form = MeetingForm(request.POST or None, instance=Meeting(mechanism=mechanism))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_save(
                actor=request.user, meeting=form.instance, agenda=form.cleaned_data["agenda"]
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "municipality": municipality, "editor_labels": richtext.editor_labels()},
    )


@login_required
@GET_POST
@EDITOR_CSP
def meeting_edit(request, pk: int):
    meeting = _meeting(request, pk, manage=True)
    form = MeetingForm(
        request.POST or None, instance=meeting, version_extra=services.meeting_agenda
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_save(
                actor=request.user,
                meeting=form.instance,
                agenda=form.cleaned_data["agenda"],
                version=form.version,
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    labels = richtext.editor_labels()
    return _meeting_page(
        request, "meetings/meeting_form.html", meeting, form=form, editor_labels=labels
    )


@login_required
@require_GET
def meeting_detail(request, pk: int):
    meeting = _meeting(request, pk)
    municipality = meeting.mechanism.municipality
    for decision in meeting.decisions.all():
        _mark_actions(request.user, decision.follow_ups.all(), municipality.pk)
    context = {
        "meeting": meeting,
        "municipality": municipality,
        "can_manage": scoping.can_manage_mechanism(request.user, municipality.pk),
        "case_form": CaseDiscussedForm(),
        "activities": meeting.activities.all(),
    }
    return render(request, "meetings/detail.html", context)


@login_required
@GET_POST
def attendance(request, pk: int):
    meeting = _meeting(request, pk, manage=True)
    institutions = services.attendance_institutions(meeting)
    form = AttendanceForm(
        request.POST or None,
        institutions=institutions,
        meeting=meeting,
        version_of=meeting,
        version_extra=services.meeting_attendance,
    )
    if request.method == "POST" and form.is_valid():
        try:
            rows = form.cleaned_rows()
            services.attendance_record(
                actor=request.user, meeting=meeting, rows=rows, version=form.version
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("Attendance was saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    labels = richtext.editor_labels()
    return _meeting_page(
        request, "meetings/attendance.html", meeting, form=form, editor_labels=labels
    )


@login_required
@require_POST
def case_add(request, pk: int):
    meeting = _meeting(request, pk, manage=True)
    form = CaseDiscussedForm(request.POST)
    if form.is_valid():
        try:
            services.case_discussed_add(
                actor=request.user, meeting=meeting, reference=form.cleaned_data["reference"]
            )
        except ValidationError as exc:
            show_errors(form, exc)
    if form.errors:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, _("The case reference was added."))
    return redirect(reverse("meetings:detail", kwargs={"pk": meeting.pk}) + "#cases")


@login_required
@require_POST
def case_remove(request, pk: int):
    case = selectors.case_discussed_for(request.user, pk)
    meeting = _meeting(request, case.meeting_id, manage=True)
    services.case_discussed_remove(actor=request.user, case=case)
    messages.success(request, _("The case reference was removed."))
    return redirect(reverse("meetings:detail", kwargs={"pk": meeting.pk}) + "#cases")


@login_required
@GET_POST
def decision_create(request, pk: int):
    meeting = _meeting(request, pk, manage=True)
    municipality = meeting.mechanism.municipality
    form = DecisionForm(request.POST or None, institutions=_institutions(municipality))
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_create(
                actor=request.user,
                meeting=meeting,
                text=form.cleaned_data["text"],
                follow_up=form.follow_up(),
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The decision was saved."))
            return _to_meeting(meeting.pk, "#decisions")
    return render(
        request,
        "meetings/decision_form.html",
        {"form": form, "meeting": meeting, "municipality": municipality},
    )


@login_required
@GET_POST
def follow_up_create(request, pk: int):
    decision = selectors.decision_for(request.user, pk)
    meeting = _meeting(request, decision.meeting_id, manage=True)
    municipality = meeting.mechanism.municipality
    form = FollowUpForm(request.POST or None, institutions=_institutions(municipality))
    if request.method == "POST" and form.is_valid():
        try:
            fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            services.follow_up_create(actor=request.user, decision=decision, **fields)
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The follow-up task was saved."))
            return _to_meeting(meeting.pk, "#decisions")
    context = {"form": form, "decision": decision, "meeting": meeting, "municipality": municipality}
    return render(request, "meetings/follow_up_form.html", context)


@login_required
@GET_POST
def decision_edit(request, pk: int):
    decision = selectors.decision_for(request.user, pk)
    meeting = _meeting(request, decision.meeting_id, manage=True)
    form = DecisionTextForm(
        request.POST or None, initial={"text": decision.text}, version_of=decision
    )
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            services.decision_update(
                actor=request.user, decision=decision, text=text, version=form.version
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The decision was saved."))
            return _to_meeting(meeting.pk, f"#decision-{decision.pk}")
    template = "meetings/decision_form.html"
    return _meeting_page(request, template, meeting, form=form, decision=decision)


@login_required
@GET_POST
def follow_up_edit(request, pk: int):
    task = selectors.follow_up_for(request.user, pk)
    meeting = _meeting(request, task.decision.meeting_id, manage=True)
    municipality = meeting.mechanism.municipality
    initial = {"owner": task.owner_id, "description": task.description, "due_date": task.due_date}
    form = FollowUpForm(
        request.POST or None,
        initial=initial,
        institutions=_institutions(municipality),
        version_of=task,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_update(actor=request.user, follow_up=task, **form.cleaned_data)
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The follow-up task was saved."))
            return _to_meeting(meeting.pk, f"#decision-{task.decision_id}")
    context = {"form": form, "decision": task.decision, "task": task}
    return _meeting_page(request, "meetings/follow_up_form.html", meeting, **context)


def _require_move(user, task, status: str) -> int:
    """403 unless this user may move the task to ``status``; the municipality's id."""
    scoping.require(scoping.can_read_records(user))
    scoping.require(scoping.can_submit_for_institution(user, task.owner_id))
    municipality_id = task.decision.meeting.mechanism.municipality_id
    if FollowUpStatus.CANCELLED in {status, task.status}:
        # Only the coordinator cancels a task, or brings a cancelled one back.
        scoping.require(scoping.can_manage_mechanism(user, municipality_id))
    return municipality_id


@login_required
@require_POST
def follow_up_status(request, pk: int):
    """The owner's focal point (or the coordinator) moves a task on; htmx swaps the row."""
    task = selectors.follow_up_for(request.user, pk)
    status = request.POST.get("status", FollowUpStatus.DONE)
    municipality_id = _require_move(request.user, task, status)
    error = ""
    try:
        services.follow_up_set_status(actor=request.user, follow_up=task, status=status)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    target = request.POST.get("next", "")
    if request.htmx:
        _mark_actions(request.user, [task], municipality_id)
        context = {"task": task, "error": error, "next_url": target}
        return render(request, "meetings/_follow_up_status.html", context)
    if error:
        messages.error(request, error)
    else:
        now = _("The task is now: %(status)s.") % {"status": task.get_status_display()}
        messages.success(request, now)
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return _to_meeting(task.decision.meeting_id)


@login_required
@require_GET
def follow_ups(request, code: str):
    """A focal point's tasks ("my follow-ups"); the coordinator sees every institution's."""
    municipality = _municipality(request, code)
    mine = request.user.institution_id is not None and request.GET.get("all") != "1"
    tasks = selectors.follow_ups_for(request.user, municipality, mine=mine)
    show = request.GET.get("show", "open")
    if show == "open":
        tasks = tasks.filter(status__in=selectors.OPEN_STATUSES)
    page = paging.page_of(request, tasks)
    context = {
        "municipality": municipality,
        "tasks": _mark_actions(request.user, list(page), municipality.pk),
        "page": page,
        "query": paging.query_without_page(request),
        "mine": mine,
        "show": show,
        "today": timezone.localdate(),
    }
    return render(request, "meetings/follow_ups.html", context)


@login_required
@GET_POST
def invitations(request, pk: int):
    meeting = _meeting(request, pk, manage=True)
    recipients = services.invitation_recipients(meeting)
    if request.method == "POST":
        try:
            result = services.invitations_send(
                actor=request.user, meeting=meeting, domain=request.get_host()
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            _tell_sent(request, result)
            return redirect("meetings:detail", pk=meeting.pk)
    context = {"recipients": recipients, "body": services.invitation_body(meeting)}
    return _meeting_page(request, "meetings/invitations.html", meeting, **context)


def _tell_sent(request, result) -> None:
    """Say how many focal persons were invited, and name those without an e-mail address."""
    count = len(result.sent)
    messages.success(
        request,
        ngettext(
            "The invitation was sent to %(count)d focal person.",
            "The invitation was sent to %(count)d focal persons.",
            count,
        )
        % {"count": count},
    )
    if result.skipped:
        names = ", ".join(m.institution.name for m in result.skipped)
        messages.warning(
            request, _("Not sent, no e-mail address recorded: %(names)s.") % {"names": names}
        )


@login_required
@require_GET
def minutes_export(request, pk: int, fmt: str):
    """The minutes as DOCX or PDF for signing, in the user's language; the export is audited."""
    meeting = _meeting(request, pk)
    content_type, render_document = {
        "docx": (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            minutes.render_docx,
        ),
        "pdf": ("application/pdf", minutes.render_pdf),
    }[fmt]
    response = HttpResponse(render_document(meeting), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{minutes.file_name(meeting, fmt)}"'
    record(AuditAction.EXPORT, meeting, actor=request.user, reason=fmt)
    return response


@login_required
@require_GET
def meeting_ics(request, pk: int):
    meeting = _meeting(request, pk)
    response = HttpResponse(
        ics.meeting_calendar(meeting, domain=request.get_host()),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@login_required
@require_GET
def activities(request, code: str):
    municipality = _municipality(request, code)
    items = selectors.activities_for(request.user, municipality)
    page = paging.page_of(request, items)
    context = {
        "municipality": municipality,
        "activities": page,
        "page": page,
        "query": paging.query_without_page(request),
        "can_manage": scoping.can_record_meetings(request.user, municipality),
    }
    return render(request, "meetings/activities.html", context)


def _activity_form(request, municipality, activity):
    meetings = selectors.meetings_for(request.user, municipality)
    form = ActivityForm(request.POST or None, instance=activity, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_save(actor=request.user, activity=form.instance, version=form.version)
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The activity was saved."))
            return redirect("meetings:activities", code=municipality.code)
    return render(
        request,
        "meetings/activity_form.html",
        {"form": form, "municipality": municipality, "activity": activity},
    )


@login_required
@GET_POST
def activity_create(request, code: str):
    municipality = _municipality(request, code)
    scoping.require(scoping.can_manage_mechanism(request.user, municipality.pk))
    mechanism = directory_selectors.mechanism_of(municipality)
    scoping.require(mechanism is not None)
    return _activity_form(request, municipality, Activity(mechanism=mechanism))


@login_required
@GET_POST
def activity_edit(request, pk: int):
    activity = selectors.activity_for(request.user, pk)
    municipality = activity.mechanism.municipality
    scoping.require(scoping.can_read_records(request.user))
    scoping.require(scoping.can_manage_mechanism(request.user, municipality.pk))
    return _activity_form(request, municipality, activity)
