"""meeting_summary: the numbers the monitoring report uses, on the demo data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest

from mkk.accounts import demo as accounts_demo
from mkk.directory import demo as directory_demo
from mkk.meetings import demo
from mkk.meetings.models import Activity, Attendance, Decision, FollowUp, FollowUpStatus, Meeting
from mkk.meetings.selectors import meeting_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    d = directory_demo.load()
    accounts_demo.load(d)
    demo.load(d, out=StringIO())
    return d


def test_gjilan_january_september_2019_held_four_meetings(directory):
    gjilan = directory["municipalities"]["gjilan"]
    s = meeting_summary(municipality=gjilan, start=dt.date(2019, 1, 1), end=dt.date(2019, 9, 30))
    assert s.meetings_held == 4
    assert s.by_type == {"regular": 4, "extraordinary": 0, "case_conference": 0}
    assert s.case_conferences == 0
    assert len(s.attendance) == 11  # the 10 members and Liria
    # 44 rows: 4 meetings x 11; not present: 2 + 1 + 3 + 1 = 7.
    assert s.attendance_rate == Decimal("84.1")  # 37 / 44
    police = next(r for r in s.attendance if r.institution == directory["gjilan"]["police"])
    assert (police.meetings, police.present, police.rate) == (4, 4, Decimal("100.0"))
    court = next(r for r in s.attendance if r.institution == directory["gjilan"]["court"])
    assert (court.present, court.excused, court.absent, court.rate) == (2, 2, 0, Decimal("50.0"))
    assert len(s.challenges) == 4
    assert {a.partner for a in s.activities} >= {"UN Women"}
    assert any("Koordinatori Nacional" in a.partner for a in s.activities)
    # Outside the period nothing counts.
    assert (
        meeting_summary(
            municipality=gjilan, start=dt.date(2019, 10, 1), end=dt.date(2019, 12, 31)
        ).meetings_held
        == 0
    )


def test_drenas_2025_counts_and_overdue(directory):
    drenas = directory["municipalities"]["drenas"]
    s = meeting_summary(municipality=drenas, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    assert s.meetings_held == 5 and s.case_conferences == 1 and s.cases_discussed == 1
    assert s.decisions_taken == 5
    # 6 tasks; the December meeting's task was done only in February 2026 (due 28.02.2026).
    assert (s.follow_ups.total, s.follow_ups.done, s.follow_ups.open, s.follow_ups.overdue) == (
        6,
        5,
        1,
        0,
    )
    # As of 1 December 2025 the task due 30.11.2025 (done 5.12.2025) was open and overdue.
    s = meeting_summary(municipality=drenas, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 1))
    assert (s.follow_ups.total, s.follow_ups.done, s.follow_ups.overdue) == (5, 4, 1)
    assert s.follow_ups.overdue_list[0].due_date == dt.date(2025, 11, 30)


def test_summary_ignores_planned_and_cancelled_and_other_municipalities(directory):
    drenas = directory["municipalities"]["drenas"]
    s = meeting_summary(municipality=drenas, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert s.meetings_held == 3  # March, June, September; December is planned
    Meeting.objects.filter(mechanism__municipality=drenas, date=dt.date(2026, 3, 12)).update(
        status="cancelled"
    )
    s = meeting_summary(municipality=drenas, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert s.meetings_held == 2


def test_demo_is_idempotent(directory):
    counts = (
        Meeting.objects.count(),
        Attendance.objects.count(),
        Decision.objects.count(),
        FollowUp.objects.count(),
        Activity.objects.count(),
    )
    demo.load(directory, out=StringIO())
    assert counts == (
        Meeting.objects.count(),
        Attendance.objects.count(),
        Decision.objects.count(),
        FollowUp.objects.count(),
        Activity.objects.count(),
    )
    assert FollowUp.objects.filter(status=FollowUpStatus.DONE).exists()
    assert FollowUp.objects.filter(status=FollowUpStatus.OPEN).exists()


def test_index_page_shows_the_period_summary(client, directory):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from tests.conftest import login

    login(client, get_user_model().objects.get(username="gjilan.coordinator"))
    url = reverse("meetings:index", kwargs={"code": "gjilan"})
    response = client.get(url, {"start": "2019-01-01", "end": "2019-09-30"})
    assert response.status_code == 200
    assert response.context["summary"].meetings_held == 4
    assert len(response.context["meetings"]) == 4
    html = response.content.decode()
    assert "84,1 %" in html or "84.1 %" in html
    # Another period, another list.
    response = client.get(url, {"start": "2020-01-01", "end": "2020-12-31"})
    assert response.context["summary"].meetings_held == 0 and not response.context["meetings"]
