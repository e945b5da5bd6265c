"""No lost update on the plan's edit forms (issue 12, item 3): two people, one action."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from mkk.core.concurrency import EditConflict, stamp
from mkk.directory.models import InstitutionKind as K
from mkk.plans import services
from mkk.plans.concurrency import action_links
from mkk.plans.models import Action, ActionPlan, ProgressUpdate, ReviewState
from tests.concurrency import in_threads
from tests.conftest import login

from .helpers import make_plan


def _form_data(response) -> dict:
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    return data


@pytest.mark.django_db
def test_second_save_of_an_action_is_refused_and_keeps_what_was_typed(world):
    plan = make_plan(world.drenas)
    action = plan.actions.get(code="I.1.1")
    url = reverse("plans:action_edit", kwargs={"pk": action.pk})
    coordinator = world.drenas.users["coordinator"]
    anna, besa = Client(), Client()
    login(anna, coordinator)
    login(besa, coordinator)
    first, second = _form_data(anna.get(url)), _form_data(besa.get(url))
    assert first["version"] and second["version"]

    first["description"] = "Sesione informuese në shkolla"
    assert anna.post(url, first).status_code == 302
    second["notes"] = "Shënim i Besës"
    response = besa.post(url, second)
    assert response.status_code == 200  # refused, not a 500 and not a silent overwrite
    page = response.content.decode()
    form = response.context["form"]
    message = " ".join(form.non_field_errors())
    assert "Veprimi 1" in message and "Sesione informuese në shkolla" in message
    assert form["notes"].value() == "Shënim i Besës"  # what Besa typed is kept
    assert "Shënim i Besës" in page
    action.refresh_from_db()
    assert action.description == "Sesione informuese në shkolla" and action.notes == ""
    # saving again on purpose (the form now carries the new version) keeps Besa's entries
    again = _form_data(response)
    assert again["version"] != second["version"]
    assert besa.post(url, again).status_code == 302
    action.refresh_from_db()
    assert action.notes == "Shënim i Besës"
    assert action.description == "Veprimi 1"  # Besa's form still had the old text


@pytest.mark.django_db
def test_conflict_message_is_in_the_users_language(world):
    plan = make_plan(world.drenas)
    action = plan.actions.get(code="I.1.1")
    token = stamp(action, action_links)
    Action.objects.filter(pk=action.pk).update(description="Ndryshuar")
    from django.utils import translation

    for language, word in (("sq", "Dikush"), ("sr-latn", "Neko"), ("en", "Someone")):
        with translation.override(language), pytest.raises(EditConflict) as info:
            services.action_save(
                actor=world.drenas.users["coordinator"],
                plan=plan,
                action=action,
                values={"specific_objective": action.specific_objective, "code": "I.1.1"},
                lead=[world.drenas.inst(K.SOCIAL_WORK)],
                supporting=[],
                version=token,
            )
        assert word in info.value.messages[0], (language, info.value.messages[0])
        assert "Ndryshuar" in info.value.messages[0]


@pytest.mark.django_db
def test_two_first_reports_of_a_period(world, private_media):
    plan = make_plan(world.drenas, lead_kind=K.SOCIAL_WORK)
    action = plan.actions.get(code="I.1.1")
    url = reverse("plans:progress", kwargs={"pk": action.pk}) + "?period=2025-01-01"
    focal = world.drenas.users["focal_social_work"]
    anna, besa = Client(), Client()
    login(anna, focal)
    login(besa, focal)
    a, b = _form_data(anna.get(url)), _form_data(besa.get(url))
    for data, text in ((a, "Raporti i Anës"), (b, "Raporti i Besës")):
        data.update({"period": "2025-01-01", "status": "in_progress", "narrative": text})
    assert anna.post(url, a).status_code == 302
    response = besa.post(url, b)
    assert response.status_code == 200
    assert "Raporti i Anës" in " ".join(response.context["form"].non_field_errors())
    assert response.context["form"]["narrative"].value() == "Raporti i Besës"
    assert ProgressUpdate.objects.get().narrative == "Raporti i Anës"


@pytest.mark.django_db(transaction=True)
def test_threads_saving_the_same_version_one_wins(world):
    """Real concurrent transactions (PostgreSQL: the row lock serialises them)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (the in-memory SQLite test database locks)")
    plan = make_plan(world.drenas)
    action = plan.actions.get(code="I.1.1")
    token = stamp(action, action_links)
    coordinator = world.drenas.users["coordinator"]
    lead = [world.drenas.inst(K.SOCIAL_WORK)]

    def save(n: int, mine) -> None:
        services.action_save(
            actor=coordinator,
            plan=ActionPlan.objects.get(pk=plan.pk),
            action=mine,
            values={
                "specific_objective": mine.specific_objective,
                "code": "I.1.1",
                "description": f"Versioni {n}",
            },
            lead=lead,
            supporting=[],
            version=token,
        )

    results = in_threads(4, save, prepare=lambda _n: Action.objects.get(pk=action.pk))
    assert results.count("saved") == 1, results
    assert results.count("conflict") == 3, results
    winner = Action.objects.get(pk=action.pk).description
    assert winner.startswith("Versioni ")


@pytest.mark.django_db
def test_two_reviewers_deciding_at_once_the_second_is_told(world):
    plan = make_plan(world.drenas)
    focal = world.drenas.users["focal_social_work"]
    update = ProgressUpdate.objects.create(
        action=plan.actions.get(code="I.1.1"),
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 6, 30),
        status="in_progress",
        narrative="Raport",
        review_state="submitted",
        submitted_by=focal,
    )
    deputy = world.drenas.users["focal_police"]
    world.drenas.mechanism.deputy_approver = deputy
    world.drenas.mechanism.save()
    url = reverse("plans:update", kwargs={"pk": update.pk})
    anna, besa = Client(), Client()
    login(anna, world.drenas.users["coordinator"])
    login(besa, deputy)
    first, second = _form_data(anna.get(url)), _form_data(besa.get(url))
    assert first["version"] and second["version"]
    assert anna.post(url, {**first, "decision": "approve"}).status_code == 302
    typed = {"decision": "return", "comment": "Mungon buxheti i shpenzuar"}
    response = besa.post(url, {**second, **typed})
    assert response.status_code == 200  # refused, not a silent overwrite
    page = response.content.decode()
    message = " ".join(response.context["form"].non_field_errors())
    with translation.override("sq"):
        approved = str(ReviewState.APPROVED.label)
    assert f"“{approved}”" in message and "drenas.coordinator" in message  # what they decided
    assert message.split(":")[0] in page  # the message is on the page
    assert "Mungon buxheti i shpenzuar" in page  # what the reviewer typed is kept
    update.refresh_from_db()
    assert update.review_state == "approved" and update.reviewer_comment == ""
    # deciding again is refused too, with a plain reason on the page (no version: same rule)
    response = besa.post(url, typed)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    update.refresh_from_db()
    assert update.review_state == "approved"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("with_version", [True, False])
def test_threads_reviewing_the_same_update_one_decides(world, with_version):
    """Four reviewers decide at once (PostgreSQL): one decision stands, the others are told."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (the in-memory SQLite test database locks)")
    plan = make_plan(world.drenas)
    update = ProgressUpdate.objects.create(
        action=plan.actions.get(code="I.1.1"),
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 6, 30),
        status="in_progress",
        narrative="Raport",
        review_state="submitted",
        submitted_by=world.drenas.users["focal_social_work"],
    )
    token = stamp(update) if with_version else None
    coordinator = world.drenas.users["coordinator"]
    results: list[str] = []
    barrier = threading.Barrier(4)

    def decide(n: int) -> None:
        try:
            mine = ProgressUpdate.objects.select_related("action__plan__mechanism").get(
                pk=update.pk
            )
            barrier.wait()
            services.progress_review(
                actor=coordinator,
                update=mine,
                approve=n % 2 == 0,
                comment=f"Koment {n}",
                version=token,
            )
            results.append("decided")
        except ValidationError as exc:
            results.append("told" if exc.messages else "silent")
        except Exception as exc:  # noqa: BLE001 - any other outcome fails the test below
            results.append(f"error {type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("decided") == 1, results
    assert results.count("told") == 3, results
    update.refresh_from_db()
    assert update.review_state in ("approved", "returned") and update.reviewer_comment
