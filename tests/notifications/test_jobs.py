"""Events from the apps and the scheduled jobs: who is told, once, with references only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail as django_mail
from django.utils import timezone

from mkk.cases.models import Referral
from mkk.directory.models import InstitutionKind as K
from mkk.notifications import jobs, tasks
from mkk.notifications.models import Job, JobStatus, Notification
from mkk.reports import filejobs as reportjobs

from ..cases.helpers import open_case
from .test_notify import _identity_free, _refer, _with_email

D = dt.date


@pytest.mark.django_db
def test_referral_due_soon_and_overdue_once_each(world, settings):
    settings.MKK_REFERRAL_WARN_PERCENT = 75
    receiver = _with_email(world.drenas.users["case_social_work"], "qps@example.invalid", "en")
    sender = world.drenas.users["case_police"]
    case, referral = _refer(world, urgency="normal")
    total = referral.deadline_at - referral.sent_at
    Notification.objects.all().delete()

    assert jobs.referral_deadlines(now=referral.sent_at + total * 0.5) == {
        "due_soon": 0,
        "overdue": 0,
    }
    later = referral.sent_at + total * 0.8
    assert jobs.referral_deadlines(now=later) == {"due_soon": 1, "overdue": 0}
    assert jobs.referral_deadlines(now=later) == {"due_soon": 0, "overdue": 0}  # once
    [soon] = Notification.objects.filter(event="referral_due_soon")
    assert soon.recipient == receiver and case.reference in soon.title
    assert [m.to for m in django_mail.outbox] == [["qps@example.invalid"]]

    after = referral.deadline_at + dt.timedelta(minutes=1)
    assert jobs.referral_deadlines(now=after) == {"due_soon": 0, "overdue": 1}
    assert jobs.referral_deadlines(now=after) == {"due_soon": 0, "overdue": 0}
    overdue = Notification.objects.filter(event="referral_overdue")
    assert {n.recipient for n in overdue} == {receiver, sender}
    for n in overdue:
        _identity_free(n.title + n.body)


@pytest.mark.django_db
def test_answered_referral_gets_no_warning(world):
    _case, referral = _refer(world, urgency="normal")
    Referral.objects.filter(pk=referral.pk).update(status="accepted")
    after = referral.deadline_at + dt.timedelta(hours=1)
    assert jobs.referral_deadlines(now=after) == {"due_soon": 0, "overdue": 0}


@pytest.mark.django_db
def test_statistics_returned_tells_the_focal_point(world):
    from mkk.statistics import services
    from mkk.statistics.models import DataSet

    focal = world.drenas.users["focal_social_work"]
    sub = services.submission_save(
        actor=focal,
        institution=world.drenas.inst(K.SOCIAL_WORK),
        data_set=DataSet.objects.get(code="SOCIAL_WORK"),
        period_start=D(2025, 1, 1),
        period_end=D(2025, 1, 31),
        values={
            ("QPS_VICTIMS", ""): 7,
            ("QPS_VICTIMS", "sex=female"): 5,
            ("QPS_VICTIMS", "sex=male"): 2,
        },
        submit=True,
    )
    services.submission_return(
        actor=world.drenas.users["coordinator"], submission=sub, comment="Men are missing"
    )
    [entry] = Notification.objects.filter(recipient=focal)
    assert entry.event == "statistics_returned"
    assert entry.title.startswith("Të dhënat u kthyen:") and "2025" in entry.title
    assert entry.url == f"/statistics/submissions/{sub.pk}/"
    assert "Men are missing" not in entry.body  # the comment is read on the page


@pytest.mark.django_db
@pytest.mark.parametrize("approve", [True, False])
def test_progress_review_tells_the_reporter(world, approve):
    from mkk.core.periods import period_label
    from mkk.plans import services
    from mkk.plans.models import ProgressUpdate

    from ..plans.helpers import make_plan

    plan = make_plan(world.drenas)
    action = plan.actions.first()
    focal = world.drenas.users["focal_social_work"]
    update = ProgressUpdate.objects.create(
        action=action,
        period_start=D(2025, 1, 1),
        period_end=D(2025, 6, 30),
        status="in_progress",
        review_state="submitted",
        submitted_by=focal,
    )
    services.progress_review(
        actor=world.drenas.users["coordinator"],
        update=update,
        approve=approve,
        comment="" if approve else "Add the number of sessions.",
    )
    [entry] = Notification.objects.filter(recipient=focal)
    assert entry.event == ("progress_approved" if approve else "progress_returned")
    # the period as every period is labelled (mkk.core.periods), in the recipient's language
    label = period_label(D(2025, 1, 1), D(2025, 6, 30), focal.language)
    assert action.code in entry.title and label in entry.body
    assert entry.url == f"/plans/updates/{update.pk}/"


@pytest.mark.django_db
def test_statistics_reminder_before_the_deadline_once_per_period(world):
    from mkk.core import periods
    from mkk.statistics.models import DataSet

    focal = _with_email(world.drenas.users["focal_social_work"], "focal@example.invalid", "en")
    ds = DataSet.objects.get(code="SOCIAL_WORK")
    ptype = ds.period_type if ds.period_type != "range" else "month"
    # A day two days before the deadline of a period, found from the data set's own rules.
    p = periods.last_complete(ptype, D(2026, 3, 15))
    due = periods.deadline(p.end, ds.deadline_days)
    today = due - dt.timedelta(days=2)
    assert periods.last_complete(ptype, today) == p
    assert jobs.statistics_reminders(today=today - dt.timedelta(days=5)) == 0  # too early
    sent = jobs.statistics_reminders(today=today)
    assert sent >= 1
    entries = Notification.objects.filter(recipient=focal, event="statistics_due")
    assert entries.count() == 1
    assert entries[0].title.startswith(f"Figures due by {due:%d.%m.%Y}")
    assert entries[0].url == "/m/drenas/statistics/entry/"
    assert jobs.statistics_reminders(today=today) == 0  # once per period and deadline
    assert jobs.statistics_reminders(today=today + dt.timedelta(days=1)) == 0
    assert len([m for m in django_mail.outbox if m.to == ["focal@example.invalid"]]) == 1


@pytest.mark.django_db
def test_anonymize_task_runs_the_retention_service(world, settings):
    from mkk.cases import services as case_services
    from mkk.cases.models import Case, VictimIdentity

    police = world.drenas.users["case_police"]
    case = open_case(police)
    case_services.case_close(actor=police, case=case)
    Case.objects.filter(pk=case.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=settings.MKK_CASE_RETENTION_DAYS + 1)
    )
    assert tasks.anonymize_cases() == 1
    case.refresh_from_db()
    assert case.anonymized_at is not None
    assert VictimIdentity.objects.get(case=case).full_name == ""
    assert tasks.anonymize_cases() == 0


@pytest.mark.django_db(transaction=True)
def test_large_report_renders_in_a_job_and_the_page_shows_it(client, world, settings, tmp_path):
    from mkk.reports import services
    from tests.conftest import login

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.MKK_REPORT_BACKGROUND_DAYS = 190
    coordinator = world.drenas.users["coordinator"]
    viewer = _with_email(world.drenas.users["viewer"], "mayor@example.invalid", "en")
    report = services.report_create(
        actor=coordinator,
        municipality=world.drenas.municipality,
        start=D(2025, 1, 1),
        end=D(2025, 12, 31),
        language="sq",
        title="Raporti vjetor 2025",
    )
    assert reportjobs.is_large(report)
    services.report_submit(actor=coordinator, report=report)  # autocommit: the job runs
    job = Job.objects.get(object_id=report.pk)
    assert job.status == JobStatus.DONE, job.error
    assert {f.format for f in report.files.filter(public=False)} == {"pdf", "docx", "xlsx", "html"}
    [entry] = Notification.objects.filter(recipient=viewer, event="report_submitted")
    assert "Raporti vjetor 2025 (01.01.2025–31.12.2025)" in entry.title
    assert django_mail.outbox[0].to == ["mayor@example.invalid"]

    login(client, coordinator)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert 'id="report-files"' in page and "data-hx-get" not in page  # done: no polling

    # While a job waits, the page polls its status.
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    status = client.get(f"/reports/{report.pk}/files/status/").content.decode()
    assert "data-hx-trigger" in status and "<progress" in status

    # A failed job is shown and can be started again.
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="OSError: disk full")
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "disk full" in page
    response = client.post(f"/reports/{report.pk}/files/restart/")
    assert response.status_code == 302
    assert Job.objects.filter(object_id=report.pk, status=JobStatus.DONE).count() == 1
