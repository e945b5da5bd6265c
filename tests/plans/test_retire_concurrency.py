"""Retiring an action is the state asked for, with the action's version (issue 12, item 3).

The form used to toggle: two people clicking "retire" at once left the action active again.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from mkk.core.concurrency import stamp
from mkk.plans import services
from mkk.plans.models import Action
from tests.concurrency import in_threads
from tests.conftest import logged_in_clients

from .helpers import make_plan


def _retire_data(response) -> dict:
    form = response.context["retire_form"]
    return {name: str(form[name].value() or "") for name in form.fields}


def _two_coordinators(world, language="sq"):
    plan = make_plan(world.drenas)
    action = plan.actions.get(code="I.1.1")
    page = reverse("plans:action", kwargs={"pk": action.pk})
    clients = logged_in_clients(world.drenas.users["coordinator"], language)
    return action, page, clients


@pytest.mark.django_db
def test_two_retire_clicks_at_once_leave_the_action_retired(world):
    action, page, (anna, besa) = _two_coordinators(world)
    url = reverse("plans:action_retire", kwargs={"pk": action.pk})
    first, second = _retire_data(anna.get(page)), _retire_data(besa.get(page))
    assert first["state"] == second["state"] == "retire" and first["version"]

    first["reason"] = "E përfshirë në veprimin I.1.2"
    assert anna.post(url, first).status_code == 302
    second["reason"] = "Arsyeja e Besës"
    response = besa.post(url, second)
    assert response.status_code == 200  # refused with a message, not toggled back
    action.refresh_from_db()
    assert action.is_retired  # the second click did not make it active again
    form = response.context["retire_form"]
    message = " ".join(form.non_field_errors())
    assert "Dikush tjetër" in message, message  # in the user's language (Albanian)
    assert form["reason"].value() == "Arsyeja e Besës"  # what Besa typed is kept
    page_text = response.content.decode()
    assert "Arsyeja e Besës" in page_text and message.split(":")[0] in page_text
    # the form now offers (and posts) the other state, against the version now stored
    again = _retire_data(response)
    assert again["state"] == "restore" and again["version"] != second["version"]
    assert besa.post(url, again).status_code == 302
    action.refresh_from_db()
    assert not action.is_retired


@pytest.mark.django_db
def test_retire_after_someone_else_restored_is_refused_in_serbian(world):
    action, page, (anna, besa) = _two_coordinators(world, language="sr-latn")
    Action.objects.filter(pk=action.pk).update(is_retired=True)
    url = reverse("plans:action_retire", kwargs={"pk": action.pk})
    first, second = _retire_data(anna.get(page)), _retire_data(besa.get(page))
    assert first["state"] == second["state"] == "restore"
    assert anna.post(url, first).status_code == 302  # Anna makes it active again
    second["reason"] = "Vraćanje"
    response = besa.post(url, second)
    assert response.status_code == 200
    message = " ".join(response.context["retire_form"].non_field_errors())
    assert "Neko" in message, message
    assert response.context["retire_form"]["reason"].value() == "Vraćanje"
    action.refresh_from_db()
    assert not action.is_retired


@pytest.mark.django_db
def test_retire_posts_the_state_not_a_toggle(world):
    """Without a version (an old page), posting "retire" twice never restores the action."""
    action, _page, (anna, _besa) = _two_coordinators(world)
    url = reverse("plans:action_retire", kwargs={"pk": action.pk})
    for _ in range(2):
        assert anna.post(url, {"state": "retire", "reason": ""}).status_code == 302
        action.refresh_from_db()
        assert action.is_retired
    # a post without the state asked for is refused, nothing changes
    assert anna.post(url, {"reason": "x"}).status_code == 200
    action.refresh_from_db()
    assert action.is_retired


@pytest.mark.django_db(transaction=True)
def test_threads_retiring_at_once_one_retires_the_others_are_told(world):
    """Four coordinators click "retire" on the same page version at the same moment
    (PostgreSQL: the row lock serialises them): the action ends retired, never toggled back."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (the in-memory SQLite test database locks)")
    plan = make_plan(world.drenas)
    action = plan.actions.get(code="I.1.1")
    token = stamp(action)
    coordinator = world.drenas.users["coordinator"]

    def retire(_n: int, mine) -> None:
        services.action_set_retired(
            actor=coordinator, action=mine, retired=True, reason="", version=token
        )

    results = in_threads(
        4, retire, prepare=lambda _n: Action.objects.get(pk=action.pk), won="retired"
    )
    assert sorted(results) == ["conflict"] * 3 + ["retired"], results
    assert Action.objects.get(pk=action.pk).is_retired
