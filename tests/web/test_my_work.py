"""The focal point's "My work" page: what to report, what came back, statistics due, tasks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from mkk.directory.models import InstitutionKind as K
from mkk.plans.models import ProgressUpdate, ReviewState
from mkk.statistics.models import Status
from tests.conftest import login
from tests.plans.helpers import make_plan
from tests.statistics.conftest import make_submission

pytestmark = pytest.mark.django_db


def test_my_work_lists_the_institutions_own_work(client, world):
    d = world.drenas
    plan = make_plan(d, lead_kind=K.SOCIAL_WORK, n_actions=2)
    action = plan.actions.order_by("order").first()
    ProgressUpdate.objects.create(
        action=action,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 6, 30),
        status="in_progress",
        narrative="x",
        review_state=ReviewState.RETURNED,
        reviewer_comment="Mungon lista e pjesëmarrësve.",
    )
    sub = make_submission(
        d.inst(K.SOCIAL_WORK),
        "SOCIAL_WORK",
        dt.date(2025, 2, 1),
        dt.date(2025, 2, 28),
        {("QPS_VICTIMS", ""): 4},
        status=Status.RETURNED,
    )
    sub.review_comment = "Shuma nuk përputhet."
    sub.save()
    other = make_submission(
        d.inst(K.POLICE),
        "POLICE",
        dt.date(2025, 2, 1),
        dt.date(2025, 2, 28),
        {("POL_CASES", ""): 4},
        status=Status.RETURNED,
    )
    other.review_comment = "Policia: korrigjoni."
    other.save()
    user = d.users[f"focal_{K.SOCIAL_WORK}"]
    login(client, user)
    dashboard = client.get(reverse("web:dashboard")).content.decode()
    assert reverse("web:my_work") in dashboard  # in the navigation
    body = client.get(reverse("web:my_work")).content.decode()
    assert "Mungon lista e pjesëmarrësve." in body
    assert "Shuma nuk përputhet." in body
    assert "Policia: korrigjoni." not in body  # another institution's
    assert reverse("plans:progress", kwargs={"pk": action.pk}) in body
    assert reverse("statistics:submission", kwargs={"pk": sub.pk}) in body


def test_my_work_is_for_institution_roles(client, world):
    login(client, world.drenas.users["coordinator"])
    assert client.get(reverse("web:my_work")).status_code == 403
    assert reverse("web:my_work") not in client.get(reverse("web:dashboard")).content.decode()
