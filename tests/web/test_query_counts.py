"""The number of SQL queries of every main page does not grow with the municipality.

Each page is counted for Drenas as the ``world`` fixture has it plus one round of data
(an institution of every kind with a data set, a month's submissions of each, a meeting
with its attendance), then again after the municipality has grown ten times larger. The two
counts must be equal: a page that runs a query per institution, submission or meeting
(an N+1) fails here.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mkk.directory.models import Institution, Membership, MembershipRole
from mkk.meetings.models import Attendance, Meeting
from mkk.statistics.catalogue import ensure_default_catalogue
from mkk.statistics.models import DataSet, DataValue, Status, Submission
from tests.conftest import login

pytestmark = pytest.mark.django_db

#: (URL name, role of the user who reads it). ``code`` is added for municipal pages.
PAGES = [
    ("web:dashboard", "coordinator"),
    ("plans:index", "coordinator"),
    ("statistics:index", "coordinator"),
    ("statistics:entry", "coordinator"),
    ("statistics:completeness", "coordinator"),
    ("meetings:index", "coordinator"),
    ("cases:index", "case_police"),
    ("reports:index", "coordinator"),
]


def _months_back(n: int) -> list[tuple[dt.date, dt.date]]:
    first = timezone.localdate().replace(day=1)
    out = []
    for _i in range(n):
        end = first - dt.timedelta(days=1)
        first = end.replace(day=1)
        out.append((first, end))
    return out


def grow(place, rounds: int, start: int) -> None:
    """``rounds`` more of everything a page lists, for the municipality of ``place``."""
    municipality, mechanism = place.municipality, place.mechanism
    sets = list(DataSet.objects.filter(is_active=True).prefetch_related("elements"))
    kinds = sorted({ds.institution_kind for ds in sets})
    months = _months_back(2)
    for r in range(start, start + rounds):
        for kind in kinds:
            inst = Institution.objects.create(
                municipality=municipality,
                kind=kind,
                name_sq=f"{kind} {r}",
                name_en=f"{kind} {r}",
            )
            Membership.objects.create(
                mechanism=mechanism, institution=inst, role=MembershipRole.MEMBER
            )
            for ds in (s for s in sets if s.institution_kind == kind):
                for i, (first, last) in enumerate(months):
                    sub = Submission.objects.create(
                        institution=inst,
                        data_set=ds,
                        period_start=first,
                        period_end=last,
                        status=Status.APPROVED if i else Status.SUBMITTED,
                        submitted_at=timezone.now(),
                    )
                    DataValue.objects.bulk_create(
                        DataValue(submission=sub, element=e, key="", value=r + 1)
                        for e in ds.elements.all()
                    )
        meeting = Meeting.objects.create(
            mechanism=mechanism, date=timezone.localdate() - dt.timedelta(days=7 * r + 1)
        )
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, institution=m.institution, status="present")
            for m in Membership.objects.filter(mechanism=mechanism)[:20]
        )


def count_queries(client, world) -> dict[str, tuple[int, int]]:
    counts = {}
    for name, role in PAGES:
        user = world.drenas.users[role]
        client.logout()
        login(client, user)
        kwargs = {} if name == "web:dashboard" else {"code": "drenas"}
        url = reverse(name, kwargs=kwargs)
        client.get(url)  # warm: caches that fill once (catalogue, charts) are not the point
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        counts[name] = (response.status_code, len(ctx.captured_queries))
    return counts


def test_query_counts_do_not_grow_with_the_municipality(client, world):
    ensure_default_catalogue()
    grow(world.drenas, 1, start=0)
    small = count_queries(client, world)
    assert all(status == 200 for status, _n in small.values()), small
    grow(world.drenas, 9, start=1)
    assert Institution.objects.filter(municipality=world.drenas.municipality).count() >= 50
    large = count_queries(client, world)
    grew = {
        name: (small[name][1], large[name][1]) for name in small if small[name][1] != large[name][1]
    }
    assert not grew, f"queries (small, 10x) of pages whose count grows: {grew}"
