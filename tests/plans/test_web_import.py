"""Upload → preview (nothing saved) → confirm, with the bytes kept on the server."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mkk.accounts.models import Role
from mkk.plans.models import Action, ActionPlan, ImportRun
from tests.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(drenas_directory):
    return UserFactory(
        username="c",
        role=Role.COORDINATOR,
        municipality=drenas_directory["municipalities"]["drenas"],
    )


def _upload(client, data, name="plan.txt"):
    return client.post(
        reverse("plans:import", kwargs={"code": "drenas"}),
        {"document": SimpleUploadedFile(name, data)},
    )


def test_upload_preview_confirm(client, coordinator, seed_bytes, private_media):
    login(client, coordinator)
    response = _upload(client, seed_bytes)
    assert response.status_code == 200
    result = response.context["result"]
    assert result.dry_run and result.counts["actions"] == 37
    assert ActionPlan.objects.count() == 0  # the preview saves nothing
    assert any(w["kind"] == "code_duplicate" for w in result.warnings)
    page = response.content.decode()
    assert "I.4..2" in page  # the warning about the irregular code is shown
    response = client.post(
        reverse("plans:import_confirm", kwargs={"code": "drenas"}), {"confirm": "1"}
    )
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert response["Location"] == reverse("plans:import_run", kwargs={"pk": run.pk})
    assert Action.objects.count() == 37 and run.actor == coordinator
    assert client.get(response["Location"]).status_code == 200
    # the stored upload is gone; a second confirmation has nothing to import
    response = client.post(
        reverse("plans:import_confirm", kwargs={"code": "drenas"}), {"confirm": "1"}
    )
    assert response.status_code == 302 and ImportRun.objects.count() == 1
    assert not list((private_media / "plan-imports").iterdir())
    # the same document again: the preview says nothing will change
    response = _upload(client, seed_bytes)
    assert not response.context["result"].changed_anything


def test_bad_upload_shows_the_reason(client, coordinator):
    login(client, coordinator)
    response = _upload(client, b"\x00\x01 not a plan", name="plan.docx")
    assert response.status_code == 200
    assert response.context["form"].errors["document"]
    response = _upload(client, b"x", name="plan.exe")
    assert response.context["form"].errors["document"]
    assert ActionPlan.objects.count() == 0


def test_only_the_coordinator_imports(client, drenas_directory, seed_bytes):
    drenas = drenas_directory["municipalities"]["drenas"]
    focal = UserFactory(
        username="f",
        role=Role.FOCAL_POINT,
        municipality=drenas,
        institution=drenas_directory["drenas"]["police"],
    )
    login(client, focal)
    assert client.get(reverse("plans:import", kwargs={"code": "drenas"})).status_code == 403
    assert _upload(client, seed_bytes).status_code == 403
    assert (
        client.post(reverse("plans:import_confirm", kwargs={"code": "drenas"})).status_code == 403
    )


def test_confirm_is_bound_to_the_session_user(client, coordinator, seed_bytes, private_media):
    login(client, coordinator)
    _upload(client, seed_bytes)
    other = UserFactory(username="c2", role=Role.COORDINATOR, municipality=coordinator.municipality)
    session = client.session
    info = session["plans_pending_import"]
    login(client, other)  # a new session: the pending upload is not carried over
    session = client.session
    session["plans_pending_import"] = info  # even if a token leaks into another session
    session.save()
    client.post(reverse("plans:import_confirm", kwargs={"code": "drenas"}), {"confirm": "1"})
    assert ActionPlan.objects.count() == 0


def test_demo_loads_idempotently(drenas_directory, private_media):
    from mkk.accounts import demo as accounts_demo
    from mkk.plans import demo
    from mkk.plans.models import ProgressUpdate

    accounts_demo.load(drenas_directory)
    demo.load(drenas_directory)
    assert Action.objects.count() == 37
    n = ProgressUpdate.objects.count()
    assert n >= 6 and ProgressUpdate.objects.filter(review_state="returned").count() == 1
    assert ProgressUpdate.objects.filter(review_state="approved").count() >= 4
    demo.load(drenas_directory)
    assert ProgressUpdate.objects.count() == n and ActionPlan.objects.count() == 1
