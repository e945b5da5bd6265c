"""Writes of the reports app: create, edit narratives, the workflow, versions, files.

Workflow: draft → in review → submitted to the Mayor → approved by the Mayor (or returned
with comments, editable again) → published. Submitting freezes the report: the internal and
the public snapshot are stored, and the internal files (PDF, DOCX, XLSX, HTML) are rendered
and kept with their SHA-256. Only an approved report is published; publishing renders the
public files from the public snapshot. Later data corrections change neither. The Mayor is
every viewer account of the municipality or the mechanism's named approver, never the person
who submitted (``scoping.can_approve_report``). Each step is audited and notified.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mkk.accounts import scoping
from mkk.audit.models import AuditAction
from mkk.audit.services import record
from mkk.core import concurrency
from mkk.directory.models import Mechanism, Municipality
from mkk.ops.storage import private_storage

from .builder import build_report_data
from .filejobs import render_files_later
from .models import MonitoringReport, ReportFile, ReportFormat, ReportStatus
from .render import render_all

NARRATIVE_SECTIONS = ("mechanism", "meetings", "statistics", "plan", "followups")
MAX_NARRATIVE = 20000


def _require_manager(actor, report_or_municipality) -> None:
    municipality_id = (
        report_or_municipality.pk
        if isinstance(report_or_municipality, Municipality)
        else report_or_municipality.mechanism.municipality_id
    )
    scoping.require(scoping.can_manage_mechanism(actor, municipality_id))


def _check_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ValidationError(_("The end of the period is before its start."))
    if (end - start).days > 366 * 2:
        raise ValidationError(_("A report covers at most two years."))


@transaction.atomic
def report_create(
    *,
    actor,
    municipality: Municipality,
    start: dt.date,
    end: dt.date,
    language: str,
    title: str = "",
) -> MonitoringReport:
    _require_manager(actor, municipality)
    _check_period(start, end)
    mechanism = Mechanism.objects.filter(municipality=municipality).first()
    if mechanism is None:
        raise ValidationError(_("This municipality has no mechanism recorded."))
    report = MonitoringReport(
        mechanism=mechanism,
        period_start=start,
        period_end=end,
        language=language,
        title=title.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    report.full_clean()
    report.save()
    return report


def _clean_text(value: str) -> str:
    text = (value or "").replace("\r\n", "\n").replace("\x00", "")
    if len(text) > MAX_NARRATIVE:
        raise ValidationError(
            _("A text may have at most %(max)s characters.") % {"max": MAX_NARRATIVE}
        )
    return text.strip()


@transaction.atomic
def report_update_narrative(
    *,
    actor,
    report: MonitoringReport,
    title: str,
    summary_remarks: str,
    challenges: str,
    recommendations: str,
    section_remarks: dict[str, str],
    version: str | None = None,
) -> MonitoringReport:
    _require_manager(actor, report)
    concurrency.check(report, version)  # locks the row: someone else's newer save is refused
    report = MonitoringReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_editable:
        raise ValidationError(_("A submitted report cannot be changed; make a new version."))
    report.title = (title or "").strip()[:250]
    report.summary_remarks = _clean_text(summary_remarks)
    report.challenges = _clean_text(challenges)
    report.recommendations = _clean_text(recommendations)
    report.section_remarks = {
        key: _clean_text(section_remarks.get(key, ""))
        for key in NARRATIVE_SECTIONS
        if _clean_text(section_remarks.get(key, ""))
    }
    report.full_clean()
    report.save()
    return report


def _transition(actor, report, allowed_from, to, action, reason=""):
    _require_manager(actor, report)
    report = MonitoringReport.objects.select_for_update().get(pk=report.pk)
    if report.status not in allowed_from:
        raise ValidationError(
            _("This step is not possible for a report that is “%(status)s”.")
            % {"status": report.get_status_display()}
        )
    report.status = to
    return report


@transaction.atomic
def report_send_to_review(*, actor, report: MonitoringReport) -> MonitoringReport:
    report = _transition(actor, report, {ReportStatus.DRAFT}, ReportStatus.IN_REVIEW, None)
    report.save()
    return report


@transaction.atomic
def report_return_to_draft(
    *, actor, report: MonitoringReport, reason: str = ""
) -> MonitoringReport:
    report = _transition(actor, report, {ReportStatus.IN_REVIEW}, ReportStatus.DRAFT, None)
    report.save()
    record(AuditAction.RETURN, report, actor=actor, reason=reason)
    return report


def data_for(report: MonitoringReport, *, public: bool) -> dict:
    """The report's figures: frozen if submitted, live otherwise."""
    if report.is_frozen:
        snap = report.public_snapshot if public else report.snapshot
        if snap is not None:
            return snap
    return build_report_data(
        municipality=report.mechanism.municipality,
        start=report.period_start,
        end=report.period_end,
        language=report.language,
        public=public,
    )


def _store(report: MonitoringReport, fmt: str, public: bool, content: bytes) -> ReportFile:
    """Keep one rendered file through the "private" storage; the file it replaces is removed
    only once the transaction commits, so a failure keeps the old one."""
    storage = private_storage()
    name = storage.save(f"reports/{secrets.token_hex(16)}.{fmt}", ContentFile(content))
    try:
        for old in ReportFile.objects.filter(report=report, format=fmt, public=public):
            old_name = old.storage_name
            old.delete()
            transaction.on_commit(lambda n=old_name: storage.delete(n))
        return ReportFile.objects.create(
            report=report,
            format=fmt,
            language=report.language,
            public=public,
            path=name.removeprefix("reports/"),
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
        )
    except Exception:
        storage.delete(name)
        raise


def render_files(report: MonitoringReport, *, public: bool) -> list[ReportFile]:
    data = report.public_snapshot if public else report.snapshot
    files: list[ReportFile] = []
    try:
        # Every format from one Document: each chart is drawn once.
        rendered = render_all(data, report.narrative(), report.title, formats=ReportFormat.values)
        for fmt, content in rendered.items():
            files.append(_store(report, fmt, public, content))
    except Exception:
        # A format that fails half way: the files already written for the others go too
        # (their rows roll back with the caller's transaction), so nothing is orphaned.
        for kept in files:
            private_storage().delete(kept.storage_name)
        raise
    return files


@transaction.atomic
def report_submit(*, actor, report: MonitoringReport) -> MonitoringReport:
    report = _transition(
        actor,
        report,
        {ReportStatus.DRAFT, ReportStatus.IN_REVIEW, ReportStatus.RETURNED},
        ReportStatus.SUBMITTED,
        None,
    )
    municipality = report.mechanism.municipality
    args = {
        "municipality": municipality,
        "start": report.period_start,
        "end": report.period_end,
        "language": report.language,
    }
    report.snapshot = build_report_data(**args, public=False)
    report.public_snapshot = build_report_data(**args, public=True)
    report.submitted_at = timezone.now()
    report.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    report.decided_at = None
    report.decided_by = None
    report.save()
    render_files_later(report, public=False)
    record(AuditAction.SUBMIT, report, actor=actor)
    approvers = _report_approvers(report)
    _notify(approvers, "report_submitted", report)
    return report


def _report_approvers(report: MonitoringReport) -> list:
    from mkk.accounts.models import Role, User

    mechanism = report.mechanism
    people = User.objects.filter(
        is_active=True, municipality_id=mechanism.municipality_id, role=Role.VIEWER
    )
    found = {u.pk: u for u in people}
    if mechanism.report_approver_id and mechanism.report_approver.is_active:
        found[mechanism.report_approver_id] = mechanism.report_approver
    found.pop(report.submitted_by_id, None)
    return list(found.values())


def _report_managers(report: MonitoringReport) -> list:
    from mkk.accounts.models import Role, User

    people = User.objects.filter(
        is_active=True, municipality_id=report.mechanism.municipality_id, role=Role.COORDINATOR
    )
    found = {u.pk: u for u in people}
    if report.submitted_by_id and report.submitted_by.is_active:
        found[report.submitted_by_id] = report.submitted_by
    return list(found.values())


def _notify(recipients, event: str, report: MonitoringReport, *, actor=None, comment=""):
    """Tell the people concerned (inbox, and e-mail by their preference), each in their
    language. Nothing is sent where the notifications app is not installed."""
    from django.apps import apps

    if not recipients or not apps.is_installed("mkk.notifications"):
        return
    from django.urls import reverse
    from django.utils import translation

    from mkk.notifications.services import notify

    def comment_in(lang: str) -> str:
        if not comment:
            return ""
        with translation.override(lang):
            return _("Comments: %(comment)s") % {"comment": comment}

    notify(
        recipients=recipients,
        event=event,
        obj=report,
        url=reverse("reports:detail", kwargs={"pk": report.pk}),
        context={
            "report": f"{report.display_title} "
            f"({report.period_start:%d.%m.%Y}–{report.period_end:%d.%m.%Y})",
            "municipality": report.mechanism.municipality,
            "actor": str(actor) if actor is not None else "",
            "comment": comment_in if event == "report_approved" else comment,
        },
    )


def _decide(actor, report: MonitoringReport) -> MonitoringReport:
    report = MonitoringReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(
            _("This step is not possible for a report that is “%(status)s”.")
            % {"status": report.get_status_display()}
        )
    scoping.require(
        scoping.can_approve_report(
            actor, report.mechanism.municipality_id, author_id=report.submitted_by_id
        )
    )
    return report


@transaction.atomic
def report_approve(*, actor, report: MonitoringReport, comment: str = "") -> MonitoringReport:
    """The Mayor approves the submitted report (optionally with a comment)."""
    report = _decide(actor, report)
    report.status = ReportStatus.APPROVED
    report.decided_at = timezone.now()
    report.decided_by = actor
    report.approval_comment = _clean_text(comment)
    report.save()
    record(AuditAction.APPROVE, report, actor=actor, reason=report.approval_comment)
    _notify(
        _report_managers(report),
        "report_approved",
        report,
        actor=actor,
        comment=report.approval_comment,
    )
    return report


@transaction.atomic
def report_return(*, actor, report: MonitoringReport, comment: str) -> MonitoringReport:
    """The Mayor returns the submitted report with comments; the coordinator edits it again."""
    comment = _clean_text(comment)
    if not comment:
        raise ValidationError(_("Say what needs to change when returning the report."))
    report = _decide(actor, report)
    report.status = ReportStatus.RETURNED
    report.decided_at = timezone.now()
    report.decided_by = actor
    report.approval_comment = comment
    report.save()
    record(AuditAction.RETURN, report, actor=actor, reason=comment)
    _notify(_report_managers(report), "report_returned", report, actor=actor, comment=comment)
    return report


@transaction.atomic
def report_publish(*, actor, report: MonitoringReport) -> MonitoringReport:
    """Only a report the Mayor approved is published."""
    report = _transition(actor, report, {ReportStatus.APPROVED}, ReportStatus.PUBLISHED, None)
    report.published_at = timezone.now()
    report.save()
    render_files_later(report, public=True)
    record(AuditAction.PUBLISH, report, actor=actor)
    _notify(_report_managers(report) + _report_approvers(report), "report_published", report)
    return report


@transaction.atomic
def report_new_version(*, actor, report: MonitoringReport) -> MonitoringReport:
    _require_manager(actor, report)
    if not report.is_frozen:
        raise ValidationError(_("Only a submitted or published report gets a new version."))
    if report.next_versions.exists():
        raise ValidationError(_("A newer version of this report exists already."))
    new = MonitoringReport.objects.create(
        mechanism=report.mechanism,
        period_start=report.period_start,
        period_end=report.period_end,
        language=report.language,
        title=report.title,
        version=report.version + 1,
        previous_version=report,
        summary_remarks=report.summary_remarks,
        challenges=report.challenges,
        recommendations=report.recommendations,
        section_remarks=dict(report.section_remarks or {}),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    return new


@transaction.atomic
def report_delete_draft(*, actor, report: MonitoringReport) -> None:
    _require_manager(actor, report)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("Only a draft can be deleted."))
    report.delete()
