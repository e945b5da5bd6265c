"""Workflow, freezing, files with SHA-256, versions and diff, access, public pages."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from mkk.accounts.models import Role, User
from mkk.reports import services
from mkk.reports.models import MonitoringReport, ReportStatus
from mkk.statistics.models import DataValue

from ..conftest import login
from .conftest import GJILAN_END, GJILAN_START


@pytest.fixture
def draft(gjilan, gjilan_coordinator):
    report = services.report_create(
        actor=gjilan_coordinator,
        municipality=gjilan,
        start=GJILAN_START,
        end=GJILAN_END,
        language="sq",
        title="Raporti 2019",
    )
    return services.report_update_narrative(
        actor=gjilan_coordinator,
        report=report,
        title="Raporti 2019",
        summary_remarks="Përmbledhje.",
        challenges="Sfida e parë.",
        recommendations="Rekomandim.",
        section_remarks={"statistics": "Vërejtje për shifrat."},
    )


def _police_value():
    return DataValue.objects.get(
        element__code="POL_CASES",
        key="",
        submission__period_start=GJILAN_START,
        submission__institution__municipality__code="gjilan",
    )


def _police(snapshot):
    fig = next(f for f in snapshot["statistics"]["figures"] if f["element"]["code"] == "POL_CASES")
    return fig["values"][""]["current"]


@pytest.mark.django_db
def test_submit_freezes_snapshot_and_files(draft, gjilan_coordinator):
    services.report_send_to_review(actor=gjilan_coordinator, report=draft)
    report = services.report_submit(actor=gjilan_coordinator, report=draft)
    assert report.status == ReportStatus.SUBMITTED
    assert _police(report.snapshot) == 83
    files = {f.format: f for f in report.files.filter(public=False)}
    assert set(files) == {"pdf", "docx", "xlsx", "html"}
    for f in files.values():
        content = f.read()
        assert hashlib.sha256(content).hexdigest() == f.sha256 and len(content) == f.size
        assert f.full_path.parent.name == "reports"
    pdf_before = files["pdf"].read()

    # A later correction of the data changes neither the snapshot nor the kept files.
    value = _police_value()
    value.value = 90
    value.save()
    report.refresh_from_db()
    assert _police(report.snapshot) == 83
    assert report.files.get(format="pdf", public=False).read() == pdf_before
    assert _police(services.data_for(report, public=False)) == 83

    # A new version copies the texts; its figures are live until it is submitted.
    new = services.report_new_version(actor=gjilan_coordinator, report=report)
    assert new.version == 2 and new.previous_version == report
    assert new.challenges == "Sfida e parë." and new.section_remarks == {
        "statistics": "Vërejtje për shifrat."
    }
    assert _police(services.data_for(new, public=False)) == 90
    with pytest.raises(ValidationError):
        services.report_new_version(actor=gjilan_coordinator, report=report)
    with pytest.raises(ValidationError):
        services.report_update_narrative(
            actor=gjilan_coordinator,
            report=report,
            title="x",
            summary_remarks="",
            challenges="",
            recommendations="",
            section_remarks={},
        )


@pytest.mark.django_db
def test_only_the_coordinator_moves_the_workflow(draft, demo):
    viewer = User.objects.get(username="gjilan.viewer")
    other = User.objects.get(username="drenas.coordinator")
    for actor in (viewer, other):
        with pytest.raises(PermissionDenied):
            services.report_submit(actor=actor, report=draft)
    with pytest.raises(ValidationError):
        services.report_publish(actor=User.objects.get(username="gjilan.coordinator"), report=draft)


@pytest.mark.django_db
def test_pages_workflow_download_and_public(client, draft, gjilan_coordinator, demo):
    login(client, gjilan_coordinator)
    index = client.get(reverse("reports:index", kwargs={"code": "gjilan"}))
    assert index.status_code == 200 and "Raporti 2019" in index.content.decode()
    detail = client.get(reverse("reports:detail", kwargs={"pk": draft.pk}))
    body = detail.content.decode()
    assert detail.status_code == 200
    assert "janë paraqitur 83 raste" in body and "Vërejtje për shifrat." in body
    assert "style=" not in body.split('<article class="report-preview"')[1]

    edit = client.post(
        reverse("reports:edit", kwargs={"pk": draft.pk}),
        {
            "title": "Raporti 2019",
            "summary_remarks": 'A & B <c> "d"',
            "challenges": "",
            "recommendations": "",
            "remarks_statistics": "",
            "remarks_mechanism": "",
            "remarks_meetings": "",
            "remarks_plan": "",
            "remarks_followups": "",
        },
    )
    assert edit.status_code == 302
    body = client.get(reverse("reports:detail", kwargs={"pk": draft.pk})).content.decode()
    assert "A &amp; B &lt;c&gt; &quot;d&quot;" in body

    download = client.get(reverse("reports:download", kwargs={"pk": draft.pk, "fmt": "docx"}))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert (
        client.get(reverse("reports:download", kwargs={"pk": draft.pk, "fmt": "exe"})).status_code
        == 404
    )

    # The public URL of a report that is not published answers 404, with or without login.
    client.logout()
    public_url = reverse("reports:public_detail", kwargs={"slug": draft.public_slug})
    assert client.get(public_url).status_code == 404
    assert (
        client.get(
            reverse("reports:public_download", kwargs={"slug": draft.public_slug, "fmt": "pdf"})
        ).status_code
        == 404
    )

    login(client, gjilan_coordinator)
    for step in ("review", "submit"):
        assert (
            client.post(
                reverse("reports:transition", kwargs={"pk": draft.pk}), {"step": step}
            ).status_code
            == 302
        )
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED
    stored = draft.files.get(format="pdf", public=False)
    served = client.get(reverse("reports:download", kwargs={"pk": draft.pk, "fmt": "pdf"}))
    assert served.content == stored.read()
    assert served["X-Checksum-SHA256"] == stored.sha256

    # Not approved yet: the coordinator cannot publish it.
    client.post(reverse("reports:transition", kwargs={"pk": draft.pk}), {"step": "publish"})
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED
    # The coordinator does not get the Mayor's buttons.
    page = client.get(reverse("reports:detail", kwargs={"pk": draft.pk})).content.decode()
    assert 'name="decision"' not in page
    assert (
        client.post(
            reverse("reports:decide", kwargs={"pk": draft.pk}), {"decision": "approve"}
        ).status_code
        == 403
    )

    # The Mayor (viewer) sees the submitted report; a viewer of Drenas does not.
    client.logout()
    login(client, User.objects.get(username="gjilan.viewer"))
    page = client.get(reverse("reports:detail", kwargs={"pk": draft.pk}))
    assert page.status_code == 200
    body = page.content.decode()
    # The one-page summary, the buttons, and the checksums folded into a details section.
    assert 'id="summary"' in body and 'name="decision" value="approve"' in body
    assert "<details" in body and body.index("<details") < body.index(stored.sha256)
    assert (
        client.post(
            reverse("reports:transition", kwargs={"pk": draft.pk}), {"step": "publish"}
        ).status_code
        == 403
    )
    # Returning needs comments; what was typed comes back.
    refused = client.post(
        reverse("reports:decide", kwargs={"pk": draft.pk}), {"decision": "return", "comment": " "}
    )
    assert refused.status_code == 400
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED
    approved = client.post(
        reverse("reports:decide", kwargs={"pk": draft.pk}),
        {"decision": "approve", "comment": "Në rregull."},
    )
    assert approved.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReportStatus.APPROVED and draft.approval_comment == "Në rregull."
    assert draft.decided_by.username == "gjilan.viewer"
    services.report_new_version(actor=gjilan_coordinator, report=draft)
    page = client.get(reverse("reports:detail", kwargs={"pk": draft.pk})).content.decode()
    assert "Version 2" not in page and "Versioni 2" not in page  # a draft stays hidden
    client.logout()
    login(client, User.objects.get(username="drenas.viewer"))
    assert client.get(reverse("reports:detail", kwargs={"pk": draft.pk})).status_code == 404

    client.logout()
    login(client, gjilan_coordinator)
    assert (
        client.post(
            reverse("reports:transition", kwargs={"pk": draft.pk}), {"step": "publish"}
        ).status_code
        == 302
    )
    draft.refresh_from_db()
    assert draft.status == ReportStatus.PUBLISHED
    assert draft.files.filter(public=True).count() == 4
    client.logout()
    page = client.get(public_url)
    assert page.status_code == 200 and "KONFIDENCIAL" not in page.content.decode()
    pdf = client.get(
        reverse("reports:public_download", kwargs={"slug": draft.public_slug, "fmt": "pdf"})
    )
    assert pdf.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "KONFIDENCIAL" not in text and "83" in text


@pytest.mark.django_db
def test_drafts_hidden_from_viewers_and_national(client, draft, demo):
    national = User.objects.get(username="national")
    assert national.role == Role.NATIONAL
    for username in ("gjilan.viewer", "national", "gjilan.police"):
        client.logout()
        login(client, User.objects.get(username=username))
        assert client.get(reverse("reports:detail", kwargs={"pk": draft.pk})).status_code == 404
        listing = client.get(reverse("reports:index", kwargs={"code": "gjilan"}))
        assert listing.status_code == 200 and "Raporti 2019" not in listing.content.decode()
        assert (
            client.post(reverse("reports:index", kwargs={"code": "gjilan"}), {}).status_code == 403
        )


@pytest.mark.django_db
def test_diff_between_versions(client, draft, gjilan_coordinator):
    services.report_submit(actor=gjilan_coordinator, report=draft)
    value = _police_value()
    value.value = 90
    value.save()
    new = services.report_new_version(
        actor=gjilan_coordinator, report=MonitoringReport.objects.get(pk=draft.pk)
    )
    services.report_update_narrative(
        actor=gjilan_coordinator,
        report=new,
        title=new.title,
        summary_remarks="Përmbledhje e re.",
        challenges=new.challenges,
        recommendations=new.recommendations,
        section_remarks=new.section_remarks,
    )
    login(client, gjilan_coordinator)
    page = client.get(reverse("reports:diff", kwargs={"pk": new.pk}))
    body = page.content.decode()
    assert page.status_code == 200
    assert "83" in body and "90" in body
    assert "Përmbledhje e re." in body
    assert client.get(reverse("reports:diff", kwargs={"pk": draft.pk})).status_code == 404


@pytest.mark.django_db
def test_create_form_errors_in_the_users_language(client, gjilan_coordinator):
    login(client, gjilan_coordinator)
    response = client.post(
        reverse("reports:index", kwargs={"code": "gjilan"}),
        {"period_start": "2019-09-30", "period_end": "2019-01-01", "language": "sq", "title": ""},
        HTTP_ACCEPT_LANGUAGE="sq",
    )
    assert response.status_code == 200
    assert "Fundi i periudhës është para fillimit të saj." in response.content.decode()
    assert not MonitoringReport.objects.exists()
    response = client.post(
        reverse("reports:index", kwargs={"code": "gjilan"}),
        {"period_start": "2019-01-01", "period_end": "2019-06-30", "language": "en", "title": ""},
    )
    assert response.status_code == 302
    assert MonitoringReport.objects.get().language == "en"


@pytest.mark.django_db
def test_too_long_text_comes_back_with_the_reason(client, draft, gjilan_coordinator):
    login(client, gjilan_coordinator)
    long_text = "Sfidë " + "x" * 20001
    response = client.post(
        reverse("reports:edit", kwargs={"pk": draft.pk}),
        {
            "title": "Raporti 2019",
            "summary_remarks": "",
            "challenges": long_text,
            "recommendations": "Rekomandim i ri",
            "remarks_statistics": "",
            "remarks_mechanism": "",
            "remarks_meetings": "",
            "remarks_plan": "",
            "remarks_followups": "",
        },
        HTTP_ACCEPT_LANGUAGE="sq",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Një tekst mund të ketë më së shumti 20000 shenja." in body
    assert long_text in body and "Rekomandim i ri" in body
    draft.refresh_from_db()
    assert draft.challenges == "Sfida e parë."


@pytest.mark.django_db
def test_mayor_returns_with_comments_then_a_named_approver_approves(draft, demo):
    from mkk.audit.models import AuditAction, AuditEntry

    coordinator = User.objects.get(username="gjilan.coordinator")
    mayor = User.objects.get(username="gjilan.viewer")
    services.report_submit(actor=coordinator, report=draft)
    with pytest.raises(PermissionDenied):  # the coordinator does not approve her own report
        services.report_approve(actor=coordinator, report=draft)
    with pytest.raises(ValidationError):  # returning needs comments
        services.report_return(actor=mayor, report=draft, comment="  ")
    report = services.report_return(actor=mayor, report=draft, comment="Shtoni buxhetin.")
    assert report.status == ReportStatus.RETURNED and report.is_editable
    entry = AuditEntry.objects.get(action=AuditAction.RETURN, object_id=str(report.pk))
    assert entry.reason == "Shtoni buxhetin." and entry.actor == mayor
    with pytest.raises(ValidationError):  # only an approved report is published
        services.report_publish(actor=coordinator, report=report)
    services.report_update_narrative(
        actor=coordinator,
        report=report,
        title=report.title,
        summary_remarks="Me buxhetin.",
        challenges="",
        recommendations="",
        section_remarks={},
    )
    report = services.report_submit(actor=coordinator, report=report)
    assert report.status == ReportStatus.SUBMITTED and report.decided_by is None
    # A named approver of the municipality (here a focal point) may approve too.
    named = User.objects.get(username="gjilan.police")
    with pytest.raises(PermissionDenied):
        services.report_approve(actor=named, report=report)
    report.mechanism.report_approver = named
    report.mechanism.save()
    report = services.report_approve(actor=named, report=report, comment="")
    assert report.status == ReportStatus.APPROVED and report.decided_by == named
    report = services.report_publish(actor=coordinator, report=report)
    assert report.status == ReportStatus.PUBLISHED
    actions = list(
        AuditEntry.objects.filter(object_type="reports.monitoringreport", object_id=str(report.pk))
        .exclude(action__in=[AuditAction.CREATE, AuditAction.UPDATE])
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["submit", "return", "submit", "approve", "publish"]
    # Each step is notified: the Mayor on submission, the coordinator on the decision.
    from mkk.notifications.models import Notification

    mine = Notification.objects.filter(recipient=mayor).values_list("event", flat=True)
    assert list(mine).count("report_submitted") == 2 and "report_published" in mine
    returned = Notification.objects.get(recipient=coordinator, event="report_returned")
    assert "Shtoni buxhetin." in returned.body and returned.url.endswith(f"/reports/{report.pk}/")
    assert Notification.objects.filter(recipient=coordinator, event="report_approved").exists()
