"""Four eyes (issue 15.3): nobody approves their own submission, progress update or report;
a municipality with a single coordinator names a deputy approver."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from mkk.accounts import scoping
from mkk.directory.models import InstitutionKind as K
from mkk.plans import services as plan_services
from mkk.plans.models import ReviewState
from mkk.statistics import services as stat_services
from mkk.statistics.models import DataSet, Status
from tests.conftest import login
from tests.plans.helpers import make_plan

pytestmark = pytest.mark.django_db


def _figures(world, actor):
    return stat_services.submission_save(
        actor=actor,
        institution=world.drenas.inst(K.SOCIAL_WORK),
        data_set=DataSet.objects.get(code="SOCIAL_WORK"),
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 1, 31),
        values={
            ("QPS_VICTIMS", ""): 7,
            ("QPS_VICTIMS", "sex=female"): 5,
            ("QPS_VICTIMS", "sex=male"): 2,
        },
        submit=True,
    )


def test_rule_in_scoping(world):
    coordinator = world.drenas.users["coordinator"]
    focal = world.drenas.users["focal_police"]
    mid = world.drenas.municipality.pk
    assert scoping.can_approve(coordinator, mid, author_id=focal.pk)
    assert not scoping.can_approve(coordinator, mid, author_id=coordinator.pk)
    assert not scoping.can_approve(focal, mid, author_id=coordinator.pk)
    assert not scoping.can_approve(world.gjilan.users["coordinator"], mid, author_id=focal.pk)
    world.drenas.mechanism.deputy_approver = focal
    world.drenas.mechanism.save()
    assert scoping.can_approve(focal, mid, author_id=coordinator.pk)
    assert not scoping.can_approve(focal, mid, author_id=focal.pk)
    # The Mayor's office approves reports, never the person who submitted them.
    viewer = world.drenas.users["viewer"]
    assert scoping.can_approve_report(viewer, mid, author_id=coordinator.pk)
    assert not scoping.can_approve_report(coordinator, mid, author_id=coordinator.pk)
    assert not scoping.can_approve_report(world.gjilan.users["viewer"], mid, author_id=None)
    world.drenas.mechanism.report_approver = world.drenas.users["focal_shelter"]
    world.drenas.mechanism.save()
    assert scoping.can_approve_report(world.drenas.users["focal_shelter"], mid, author_id=None)


def test_coordinator_cannot_approve_figures_she_submitted(client, world):
    coordinator = world.drenas.users["coordinator"]
    sub = _figures(world, coordinator)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        stat_services.submission_approve(actor=coordinator, submission=sub)
    assert "yourself" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError):
        stat_services.submission_return(actor=coordinator, submission=sub, comment="x")
    # The page says why and shows no approve button.
    login(client, coordinator)
    page = client.get(reverse("statistics:submission", kwargs={"pk": sub.pk})).content.decode()
    assert "submission_approve" not in page and "/approve/" not in page
    assert "deputy" in page or "zëvendës" in page
    # The named deputy approves it.
    deputy = world.drenas.users["focal_police"]
    world.drenas.mechanism.deputy_approver = deputy
    world.drenas.mechanism.save()
    client.logout()
    login(client, deputy)
    page = client.get(reverse("statistics:submission", kwargs={"pk": sub.pk}))
    assert page.status_code == 200
    response = client.post(reverse("statistics:submission_approve", kwargs={"pk": sub.pk}))
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.status == Status.APPROVED and sub.approved_by == deputy


def test_deputy_does_not_approve_her_own_and_others_may_not_at_all(world):
    focal = world.drenas.users["focal_social_work"]
    sub = _figures(world, focal)
    with pytest.raises(PermissionDenied):
        stat_services.submission_approve(actor=world.drenas.users["focal_police"], submission=sub)
    world.drenas.mechanism.deputy_approver = focal
    world.drenas.mechanism.save()
    with pytest.raises(ValidationError):
        stat_services.submission_approve(actor=focal, submission=sub)
    stat_services.submission_approve(actor=world.drenas.users["coordinator"], submission=sub)


def test_coordinator_cannot_approve_her_own_progress_update(client, world, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    plan = make_plan(world.drenas, lead_kind=K.SOCIAL_WORK, n_actions=1)
    action = plan.actions.get(code="I.1.1")
    coordinator = world.drenas.users["coordinator"]
    update = plan_services.progress_save(
        actor=coordinator,
        action=action,
        period_start=dt.date(2025, 1, 1),
        status="in_progress",
        narrative="Dy sesione.",
        spending={},
        submit=True,
    )
    with pytest.raises(ValidationError):
        plan_services.progress_review(actor=coordinator, update=update, approve=True, comment="")
    login(client, coordinator)
    page = client.get(reverse("plans:update", kwargs={"pk": update.pk})).content.decode()
    assert 'name="decision"' not in page
    deputy = world.drenas.users["focal_police"]
    world.drenas.mechanism.deputy_approver = deputy
    world.drenas.mechanism.save()
    client.logout()
    login(client, deputy)
    assert client.get(reverse("plans:reviews", kwargs={"code": "drenas"})).status_code == 200
    response = client.post(
        reverse("plans:update", kwargs={"pk": update.pk}), {"decision": "approve", "comment": ""}
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.review_state == ReviewState.APPROVED and update.reviewed_by == deputy
