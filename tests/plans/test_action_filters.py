"""Filters of the plan's action list: institution, status, year, overdue, retired; pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from mkk.directory.models import InstitutionKind as K
from mkk.plans.models import ActionInstitution, ProgressUpdate, ReviewState
from tests.conftest import login

from .helpers import make_plan

pytestmark = pytest.mark.django_db


def _codes(client, **params) -> set[str]:
    html = client.get(reverse("plans:actions", kwargs={"code": "drenas"}), params).content.decode()
    return {code for code in ("I.1.1", "I.1.2", "I.1.3") if f">{code}</a>" in html}


def test_action_list_filters(client, world):
    d = world.drenas
    plan = make_plan(d, n_actions=3)
    a1, a2, a3 = plan.actions.order_by("order")
    ActionInstitution.objects.create(
        action=a2, institution=d.inst(K.POLICE), text_as_written="Policia", role="partner"
    )
    a3.start_year, a3.end_year = 2027, 2028
    a3.save()
    a1.end_year = 2025
    a1.save()
    ProgressUpdate.objects.create(
        action=a2,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 6, 30),
        status="completed",
        narrative="x",
        review_state=ReviewState.APPROVED,
    )
    login(client, d.users["coordinator"])
    assert _codes(client) == {"I.1.1", "I.1.2", "I.1.3"}
    assert _codes(client, institution=d.inst(K.POLICE).pk) == {"I.1.2"}
    assert _codes(client, status="completed") == {"I.1.2"}
    assert _codes(client, year=2025) == {"I.1.1", "I.1.2"}
    assert _codes(client, overdue="on") == {"I.1.1"}  # ended in 2025, not completed
    a3.is_retired = True
    a3.save()
    assert _codes(client) == {"I.1.1", "I.1.2"}
    assert _codes(client, retired="on") == {"I.1.1", "I.1.2", "I.1.3"}
    # Nonsense in the query string is ignored, never an error page.
    response = client.get(
        reverse("plans:actions", kwargs={"code": "drenas"}), {"year": "abc", "status": "<x>"}
    )
    assert response.status_code == 200
