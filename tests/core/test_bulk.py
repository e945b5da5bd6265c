"""Bulk review of progress updates and statistics submissions: one confirmation, each item
reviewed by its own service (audited), refusals named, nothing outside the user's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from mkk.audit.models import AuditAction, AuditEntry
from mkk.directory.models import InstitutionKind as K
from mkk.plans.models import ProgressUpdate, ReviewState
from mkk.statistics.models import Status
from tests.conftest import login
from tests.plans.helpers import make_plan
from tests.statistics.conftest import make_submission

pytestmark = pytest.mark.django_db


def _updates(place, n):
    plan = make_plan(place, n_actions=n)
    return [
        ProgressUpdate.objects.create(
            action=action,
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 6, 30),
            status="in_progress",
            narrative="x",
            review_state=ReviewState.SUBMITTED,
        )
        for action in plan.actions.order_by("order")
    ]


def test_bulk_approve_updates_after_one_confirmation(client, world):
    updates = _updates(world.drenas, 3)
    foreign = _updates(world.gjilan, 1)[0]
    login(client, world.drenas.users["coordinator"])
    url = reverse("plans:reviews", kwargs={"code": "drenas"})
    ids = [updates[0].pk, updates[1].pk, foreign.pk]
    # A foreign id is not even a valid choice: nothing happens, the form says why.
    response = client.post(url, {"ids": ids, "decision": "approve"})
    assert response.status_code == 200
    assert ProgressUpdate.objects.filter(review_state=ReviewState.APPROVED).count() == 0
    ids = ids[:2]
    response = client.post(url, {"ids": ids, "decision": "approve"})
    body = response.content.decode()
    assert response.status_code == 200 and 'name="confirm"' in body  # the confirmation
    assert "I.1.1" in body and "I.1.2" in body and "I.1.3" not in body
    assert ProgressUpdate.objects.filter(review_state=ReviewState.APPROVED).count() == 0
    response = client.post(url, {"ids": ids, "decision": "approve", "confirm": "True"})
    assert response.status_code == 302
    states = {u.pk: u.review_state for u in ProgressUpdate.objects.all()}
    assert states[updates[0].pk] == states[updates[1].pk] == ReviewState.APPROVED
    assert states[updates[2].pk] == states[foreign.pk] == ReviewState.SUBMITTED
    assert AuditEntry.objects.filter(action=AuditAction.APPROVE).count() == 2


def test_bulk_return_needs_a_comment_and_names_refused_items(client, world):
    updates = _updates(world.drenas, 2)
    login(client, world.drenas.users["coordinator"])
    url = reverse("plans:reviews", kwargs={"code": "drenas"})
    ids = [u.pk for u in updates]
    response = client.post(url, {"ids": ids, "decision": "return", "confirm": "True"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    # One of them is reviewed by someone else in the meantime: it is named, the other goes through.
    ProgressUpdate.objects.filter(pk=updates[0].pk).update(review_state=ReviewState.APPROVED)
    response = client.post(
        url,
        {"ids": ids, "decision": "return", "comment": "Shtoni dëshmi.", "confirm": "True"},
        follow=True,
    )
    body = response.content.decode()
    assert ProgressUpdate.objects.get(pk=updates[1].pk).review_state == ReviewState.RETURNED
    assert ProgressUpdate.objects.get(pk=updates[0].pk).review_state == ReviewState.APPROVED
    assert "I.1.1" in body  # the refused item is named


def test_bulk_review_is_the_coordinators(client, world):
    updates = _updates(world.drenas, 1)
    login(client, world.drenas.users[f"focal_{K.SOCIAL_WORK}"])
    url = reverse("plans:reviews", kwargs={"code": "drenas"})
    data = {"ids": [updates[0].pk], "decision": "approve", "confirm": "True"}
    assert client.post(url, data).status_code == 403


def test_bulk_approve_and_filter_submissions(client, world):
    d = world.drenas
    subs = [
        make_submission(
            d.inst(kind),
            ds,
            dt.date(2025, 1, 1),
            dt.date(2025, 1, 31),
            values,
            status=Status.SUBMITTED,
        )
        for kind, ds, values in (
            (K.POLICE, "POLICE", {("POL_CASES", ""): 5}),
            (K.SOCIAL_WORK, "SOCIAL_WORK", {("QPS_VICTIMS", ""): 3}),
        )
    ]
    login(client, d.users["coordinator"])
    url = reverse("statistics:submissions", kwargs={"code": "drenas"})
    html = client.get(url, {"institution": d.inst(K.POLICE).pk}).content.decode()
    assert f'id="pick-{subs[0].pk}"' in html and f'id="pick-{subs[1].pk}"' not in html
    assert client.get(url, {"year": "1999x"}).status_code == 200
    ids = [s.pk for s in subs]
    response = client.post(url, {"ids": ids, "decision": "approve"})
    assert 'name="confirm"' in response.content.decode()
    client.post(url, {"ids": ids, "decision": "approve", "confirm": "True"})
    assert {s.status for s in type(subs[0]).objects.all()} == {Status.APPROVED}
    # The focal point may read the list but not decide.
    login(client, d.users[f"focal_{K.POLICE}"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"ids": ids, "decision": "return", "comment": "x"}).status_code == 403
