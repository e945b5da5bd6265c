"""Pages of the case layer: forms, records that follow, import upload, deadlines, dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mkk.cases import services
from mkk.cases.models import Case, ProtectionOrder, ReferralDeadline, ServiceGiven, ShelterStay
from mkk.directory.models import InstitutionKind as K
from tests.conftest import login

from .helpers import open_case
from .test_numbers import GOOD

pytestmark = pytest.mark.django_db


def test_create_form_refuses_without_number_or_name_and_birth(client, world):
    login(client, world.drenas.users["case_police"])
    url = reverse("cases:create", kwargs={"code": "drenas"})
    response = client.post(
        url,
        {
            "full_name": "Vetëm Emri",
            "sex": "female",
            "age_group": "adult",
            "opened_on": "2026-01-10",
            "consent_to_share": "not_asked",
        },
    )
    assert response.status_code == 200
    assert Case.objects.count() == 0
    assert "errorlist" in response.content.decode()
    response = client.post(
        url,
        {
            "personal_number": "12",
            "sex": "female",
            "age_group": "adult",
            "opened_on": "2026-01-10",
            "consent_to_share": "not_asked",
        },
    )
    assert response.status_code == 200 and Case.objects.count() == 0
    # Albanian by default
    assert "numri personal ka 10 shifra" in response.content.decode().lower()


def test_case_worker_of_another_municipality_cannot_open_cases_here(client, world):
    login(client, world.gjilan.users["case_police"])
    assert client.get(reverse("cases:create", kwargs={"code": "drenas"})).status_code == 404


def test_records_that_follow(client, world):
    police = world.drenas.users["case_police"]
    case = open_case(police)
    login(client, police)
    r = client.post(
        reverse("cases:child_add", kwargs={"pk": case.pk, "kind": "order"}),
        {"kind": "interim_police", "status": "issued", "requested_on": "2026-01-10"},
    )
    assert (
        r.status_code == 200 and ProtectionOrder.objects.count() == 0
    )  # issued needs a decision date
    r = client.post(
        reverse("cases:child_add", kwargs={"pk": case.pk, "kind": "order"}),
        {
            "kind": "interim_police",
            "status": "issued",
            "requested_on": "2026-01-10",
            "decided_on": "2026-01-10",
        },
    )
    assert r.status_code == 302
    order = ProtectionOrder.objects.get()
    r = client.post(
        reverse("cases:child_edit", kwargs={"kind": "order", "pk": order.pk}),
        {
            "kind": "interim_police",
            "status": "violated",
            "requested_on": "2026-01-10",
            "decided_on": "2026-01-10",
            "violated_on": "2026-01-12",
        },
    )
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.status == "violated"
    r = client.post(
        reverse("cases:child_add", kwargs={"pk": case.pk, "kind": "court"}),
        {"decided_on": "2026-03-01", "outcome": "suspended", "final": "on"},
    )
    assert r.status_code == 302
    r = client.post(
        reverse("cases:child_add", kwargs={"pk": case.pk, "kind": "service"}),
        {"kind": "psycho_social", "given_on": "2026-01-11"},
    )
    assert r.status_code == 302
    assert ServiceGiven.objects.get().institution == police.institution
    assert (
        client.get(
            reverse("cases:child_add", kwargs={"pk": case.pk, "kind": "nonsense"})
        ).status_code
        == 404
    )
    response = client.get(reverse("cases:detail", kwargs={"pk": case.pk}))
    assert response.status_code == 200
    # another institution of the same municipality cannot edit the order
    client.logout()
    login(client, world.drenas.users["case_shelter"])
    assert (
        client.get(
            reverse("cases:child_edit", kwargs={"kind": "order", "pk": order.pk})
        ).status_code
        == 404
    )


def test_shelter_after_accepting_records_the_stay(client, world):
    police = world.drenas.users["case_police"]
    shelter = world.drenas.users["case_shelter"]
    case = open_case(police)
    r = services.referral_send(
        actor=police,
        case=case,
        to_institution=shelter.institution,
        reason="Strehim",
        urgency="urgent",
    )
    assert r.deadline_at - r.sent_at == dt.timedelta(hours=2)
    login(client, shelter)
    client.post(reverse("cases:referral_accept", kwargs={"pk": r.pk}), {"consent_recorded": "on"})
    response = client.post(
        reverse("cases:child_add", kwargs={"pk": case.pk, "kind": "shelter"}),
        {"admitted_on": "2026-01-11", "accompanying_children": "2"},
    )
    assert response.status_code == 302
    stay = ShelterStay.objects.get()
    assert stay.institution == shelter.institution
    response = client.post(
        reverse("cases:child_edit", kwargs={"kind": "shelter", "pk": stay.pk}),
        {"admitted_on": "2026-01-11", "discharged_on": "2026-01-01", "accompanying_children": "2"},
    )
    assert response.status_code == 200  # discharge before admission refused
    # the shelter may not close or change consent of the police's case
    assert client.get(reverse("cases:consent", kwargs={"pk": case.pk})).status_code == 403
    assert (
        client.post(
            reverse("cases:status", kwargs={"pk": case.pk}), {"action": "close"}
        ).status_code
        == 403
    )
    client.post(reverse("cases:referral_complete", kwargs={"pk": r.pk}))
    r.refresh_from_db()
    assert r.status == "completed" and r.completed_at


def test_import_upload_page(client, world):
    login(client, world.drenas.users["case_police"])
    url = reverse("cases:import", kwargs={"code": "drenas"})
    bad = GOOD + "5555555555;;;female;adult;2026-01-05;2026-01-04;kicking;spouse;male;;;\n"
    response = client.post(
        url, {"file": SimpleUploadedFile("x.csv", bad.encode(), content_type="text/csv")}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "forms" in body and Case.objects.count() == 0
    response = client.post(
        url, {"file": SimpleUploadedFile("x.csv", GOOD.encode(), content_type="text/csv")}
    )
    assert response.status_code == 302 and Case.objects.count() == 2


def test_deadlines_page(client, world):
    login(client, world.drenas.users["coordinator"])
    url = reverse("cases:deadlines", kwargs={"code": "drenas"})
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"from_kind": "police", "to_kind": "social_work", "urgency": "normal", "hours": "12"}
    )
    assert response.status_code == 302
    assert ReferralDeadline.objects.get(municipality=world.drenas.municipality).hours == 12
    client.logout()
    login(client, world.drenas.users["case_police"])
    assert client.get(url).status_code == 200
    assert (
        client.post(
            url, {"from_kind": "", "to_kind": "shelter", "urgency": "normal", "hours": "1"}
        ).status_code
        == 403
    )


def test_dashboard_panels_show_overdue_on_both_sides(client, world):
    police = world.drenas.users["case_police"]
    qps = world.drenas.users["case_social_work"]
    case = open_case(police)
    services.referral_send(
        actor=police,
        case=case,
        to_institution=qps.institution,
        reason="r",
        sent_at=timezone.now() - dt.timedelta(hours=30),
    )
    for user in [police, qps, world.drenas.users["coordinator"]]:
        client.logout()
        login(client, user)
        body = client.get(reverse("web:dashboard")).content.decode()
        assert case.reference in body, user
    client.logout()
    login(client, world.gjilan.users["coordinator"])
    assert case.reference not in client.get(reverse("web:dashboard")).content.decode()


def test_gbvims_type_suggested_from_forms(world):
    police = world.drenas.users["case_police"]
    case = open_case(police)
    assert case.incidents.get().gbvims_type == "physical_assault"
    inc = services.incident_add(
        actor=police,
        case=case,
        occurred_on=dt.date(2026, 1, 1),
        forms=["economic"],
        relation="spouse",
        perpetrator_sex="male",
    )
    assert inc.gbvims_type == "denial"
    assert world.drenas.inst(K.POLICE)


def test_statistics_from_cases_page(client, world):
    from mkk.statistics.catalogue import ensure_default_catalogue
    from mkk.statistics.models import Submission

    ensure_default_catalogue()
    police = world.drenas.users["case_police"]
    open_case(police, opened_on=dt.date(2026, 4, 10))
    focal = world.drenas.users["focal_police"]
    login(client, focal)
    assert "cases/statistics" in client.get(reverse("web:dashboard")).content.decode()
    url = reverse("cases:statistics", kwargs={"code": "drenas"})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "institution": police.institution_id,
            "period_start": "2026-04-01",
            "period_end": "2026-04-30",
        },
    )
    sub = Submission.objects.get(institution=police.institution)
    assert response.status_code == 302 and response["Location"].endswith(f"/{sub.pk}/")
    assert sub.source == "cases" and sub.status == "draft"
    # the focal point of another institution cannot write the police's figures
    client.logout()
    login(client, world.drenas.users["focal_social_work"])
    response = client.post(
        url,
        {
            "institution": police.institution_id,
            "period_start": "2026-04-01",
            "period_end": "2026-04-30",
        },
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    # case workers and viewers: no
    for who in ["case_police", "viewer"]:
        client.logout()
        login(client, world.drenas.users[who])
        assert client.get(url).status_code == 403
