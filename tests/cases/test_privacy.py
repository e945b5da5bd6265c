"""The rules of issue 7, proved through the pages: who sees what, identity and audit."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from mkk.audit.models import AuditAction, AuditEntry
from mkk.cases import services
from mkk.cases.models import Case, Referral, ReferralStatus, VictimIdentity
from mkk.directory.models import InstitutionKind as K
from tests.conftest import login

from .helpers import ADDRESS, NAME, NUMBER, PHONE, open_case

pytestmark = pytest.mark.django_db

SECRETS = [NAME, NUMBER, ADDRESS, PHONE, "Zana", "1990-05-04"]


def _no_identity(response):
    body = response.content.decode()
    for value in (NAME, NUMBER, ADDRESS, PHONE):
        assert value not in body, f"identity value leaked into {response.request['PATH_INFO']}"


def _create_through_page(client, world):
    police = world.drenas.users["case_police"]
    login(client, police)
    response = client.post(
        reverse("cases:create", kwargs={"code": "drenas"}),
        {
            "full_name": NAME,
            "personal_number": NUMBER,
            "date_of_birth": "1990-05-04",
            "phone": PHONE,
            "address": ADDRESS,
            "sex": "female",
            "age_group": "adult",
            "opened_on": "2026-01-10",
            "consent_to_share": "not_asked",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(institution=police.institution)
    assert NAME not in response["Location"] and NUMBER not in response["Location"]
    response = client.post(
        reverse("cases:incident_add", kwargs={"pk": case.pk}),
        {
            "occurred_on": "2026-01-09",
            "forms": ["physical", "economic"],
            "relation": "spouse",
            "perpetrator_sex": "male",
            "perpetrator_age_group": "adult",
            "risk_level": "high",
            "children_affected": "1",
            "reported_at": "2026-01-09T22:15",
            "summary": "Dhunë fizike.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return case


def test_police_opens_refers_qps_sees_identity_only_after_accepting_with_consent(client, world):
    case = _create_through_page(client, world)
    police = world.drenas.users["case_police"]
    qps_inst = world.drenas.inst(K.SOCIAL_WORK)
    # the police refers the case to the centre for social work
    response = client.post(
        reverse("cases:refer", kwargs={"pk": case.pk}),
        {
            "to_institution": qps_inst.pk,
            "urgency": "normal",
            "reason": "Vlerësim i rrezikut për fëmijët.",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get(case=case)
    assert referral.deadline_at > referral.sent_at

    qps = world.drenas.users["case_social_work"]
    client.logout()
    login(client, qps)
    # before accepting: the referral page (reference, demographics, reason); no identity or case
    response = client.get(reverse("cases:referral", kwargs={"pk": referral.pk}))
    assert response.status_code == 200
    assert case.reference in response.content.decode()
    _no_identity(response)
    assert client.get(reverse("cases:detail", kwargs={"pk": case.pk})).status_code == 404
    assert (
        client.post(
            reverse("cases:reveal", kwargs={"pk": case.pk}), {"reason": "need to call her"}
        ).status_code
        == 404
    )

    # accepted without consent: the case opens, the identity does not
    response = client.post(reverse("cases:referral_accept", kwargs={"pk": referral.pk}), {})
    assert response.status_code == 302
    response = client.get(reverse("cases:detail", kwargs={"pk": case.pk}))
    assert response.status_code == 200
    _no_identity(response)
    assert (
        client.post(
            reverse("cases:reveal", kwargs={"pk": case.pk}), {"reason": "need to call her"}
        ).status_code
        == 403
    )

    # the police records the victim's consent: now the social worker may reveal, with a reason
    client.logout()
    login(client, police)
    response = client.post(
        reverse("cases:consent", kwargs={"pk": case.pk}),
        {"consent_to_share": "yes", "consent_date": "2026-01-10", "sharing_legal_ground": ""},
    )
    assert response.status_code == 302
    client.logout()
    login(client, qps)
    response = client.get(reverse("cases:detail", kwargs={"pk": case.pk}))
    _no_identity(response)  # not shown until asked for, with a reason
    response = client.post(reverse("cases:reveal", kwargs={"pk": case.pk}), {"reason": "x"})
    assert response.status_code == 200
    _no_identity(response)  # reason too short: still hidden
    response = client.post(
        reverse("cases:reveal", kwargs={"pk": case.pk}), {"reason": "Thirrje për takimin e parë"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert NAME in body and NUMBER in body and ADDRESS in body
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.filter(action=AuditAction.VIEW_IDENTITY).get()
    assert entry.actor == qps and entry.reason == "Thirrje për takimin e parë"
    assert entry.object_repr == case.reference


def test_accepting_with_consent_recorded_by_the_receiver_opens_identity(world):
    police = world.drenas.users["case_police"]
    qps = world.drenas.users["case_social_work"]
    case = open_case(police)
    referral = services.referral_send(
        actor=police, case=case, to_institution=qps.institution, reason="r"
    )
    assert not services.can_see_identity(qps, case)
    services.referral_accept(actor=qps, referral=referral, consent_recorded=True)
    assert services.can_see_identity(qps, case)


def test_legal_ground_opens_identity_without_consent(world):
    police = world.drenas.users["case_police"]
    qps = world.drenas.users["case_social_work"]
    case = open_case(
        police, sharing_legal_ground="child_at_risk", sharing_reason="Fëmijë në rrezik."
    )
    referral = services.referral_send(
        actor=police, case=case, to_institution=qps.institution, reason="r"
    )
    services.referral_accept(actor=qps, referral=referral)
    assert services.can_see_identity(qps, case)


def test_declined_referral_gives_no_access(client, world):
    police = world.drenas.users["case_police"]
    qps = world.drenas.users["case_social_work"]
    case = open_case(police)
    referral = services.referral_send(
        actor=police, case=case, to_institution=qps.institution, reason="r"
    )
    login(client, qps)
    response = client.post(
        reverse("cases:referral_decline", kwargs={"pk": referral.pk}), {"decline_reason": ""}
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT  # a reason is required
    client.post(
        reverse("cases:referral_decline", kwargs={"pk": referral.pk}),
        {"decline_reason": "Jashtë kompetencës"},
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED and referral.responded_at
    assert client.get(reverse("cases:detail", kwargs={"pk": case.pk})).status_code == 404
    # only the receiving institution answers
    shelter = world.drenas.users["case_shelter"]
    referral2 = services.referral_send(
        actor=police, case=case, to_institution=shelter.institution, reason="r"
    )
    response = client.post(reverse("cases:referral_accept", kwargs={"pk": referral2.pk}))
    assert response.status_code == 404


def test_qps_gets_404_on_police_case_not_referred(client, world):
    police = world.drenas.users["case_police"]
    case = open_case(police)
    login(client, world.drenas.users["case_social_work"])
    for name in ["detail", "incident_add", "refer", "consent"]:
        assert client.get(reverse(f"cases:{name}", kwargs={"pk": case.pk})).status_code == 404, name
    for name in ["reveal", "status"]:
        assert (
            client.post(
                reverse(f"cases:{name}", kwargs={"pk": case.pk}), {"reason": "abcdefg"}
            ).status_code
            == 404
        )
    response = client.get(reverse("cases:index", kwargs={"code": "drenas"}))
    assert case.reference not in response.content.decode()


def test_guessing_every_case_id_of_another_institution(client, world):
    police = world.drenas.users["case_police"]
    pks = [open_case(police, ident=None).pk]
    login(client, world.drenas.users["case_shelter"])
    for pk in [*pks, pks[0] + 1, 999999]:
        assert client.get(reverse("cases:detail", kwargs={"pk": pk})).status_code == 404


def test_coordinator_sees_reference_and_response_time_never_identity(client, world):
    police = world.drenas.users["case_police"]
    qps = world.drenas.users["case_social_work"]
    case = open_case(police)
    referral = services.referral_send(
        actor=police, case=case, to_institution=qps.institution, reason="r"
    )
    services.referral_accept(actor=qps, referral=referral, consent_recorded=True)
    referral.refresh_from_db()
    # The national role sees figures only, never a case row (tests/cases/test_national.py).
    for who in [world.drenas.users["coordinator"], world.admin]:
        client.logout()
        login(client, who)
        response = client.get(
            reverse("cases:index", kwargs={"code": "drenas"}), {"year": case.opened_on.year}
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert case.reference in body
        assert (
            str(referral.response_hours).replace(".", ",") in body
            or str(referral.response_hours) in body
        )
        _no_identity(response)
        assert client.get(reverse("cases:detail", kwargs={"pk": case.pk})).status_code == 404
        assert (
            client.post(
                reverse("cases:reveal", kwargs={"pk": case.pk}), {"reason": "abcdefgh"}
            ).status_code
            == 404
        )
        assert client.get(reverse("cases:referral", kwargs={"pk": referral.pk})).status_code == 404


def test_coordinator_querysets_never_load_identity(world, django_assert_max_num_queries):
    from mkk.cases import selectors

    police = world.drenas.users["case_police"]
    open_case(police)
    qs = selectors.reference_list(world.drenas.users["coordinator"], world.drenas.municipality)
    assert "victimidentity" not in str(qs.query).lower()
    assert all("identity" not in f for f in qs.query.select_related or {})


@pytest.mark.parametrize("who", ["focal_police", "viewer"])
def test_focal_points_and_viewers_have_no_case_pages(client, world, who):
    case = open_case(world.drenas.users["case_police"])
    login(client, world.drenas.users[who])
    assert client.get(reverse("cases:index", kwargs={"code": "drenas"})).status_code == 403
    assert client.get(reverse("cases:create", kwargs={"code": "drenas"})).status_code == 403
    assert client.get(reverse("cases:detail", kwargs={"pk": case.pk})).status_code == 404


def test_reveal_is_post_only(client, world):
    police = world.drenas.users["case_police"]
    case = open_case(police)
    login(client, police)
    response = client.get(reverse("cases:reveal", kwargs={"pk": case.pk}), {"reason": "abcdefgh"})
    assert response.status_code == 405
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW_IDENTITY).exists()


def test_identity_columns_hold_no_plain_text(world):
    police = world.drenas.users["case_police"]
    open_case(police)
    table = VictimIdentity._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        rows = cursor.fetchall()
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(Case._meta.db_table)}")  # noqa: S608
        rows += cursor.fetchall()
    dump = repr(rows)
    for secret in [*SECRETS, NUMBER[:6], "Testimi"]:
        assert secret not in dump
    identity = VictimIdentity.objects.get()
    assert identity.full_name == NAME  # decrypts through the field


def test_audit_log_never_holds_identity_values(world):
    police = world.drenas.users["case_police"]
    case = open_case(police)
    services.identity_update(
        actor=police,
        case=case,
        reason="correction",
        identity=services.Identity(
            full_name="Zana Testimi-Re", personal_number=NUMBER, address="Tjetër 9"
        ),
    )
    entries = list(AuditEntry.objects.filter(object_type="cases.victimidentity"))
    assert entries
    dump = repr([(e.changes, e.object_repr, e.reason) for e in AuditEntry.objects.all()])
    for secret in [*SECRETS, "Tjetër 9"]:
        assert secret not in dump
    assert entries[0].changes["full_name"] == ["(changed)", "(changed)"]


def test_identity_correction_form_starts_empty_and_is_owner_only(client, world):
    police = world.drenas.users["case_police"]
    case = open_case(police)
    login(client, police)
    url = reverse("cases:identity_edit", kwargs={"pk": case.pk})
    response = client.get(url)
    assert response.status_code == 200
    _no_identity(response)
    response = client.post(
        url, {"full_name": "Zana Re", "personal_number": "1234509876", "reason": "gabim shtypi"}
    )
    assert response.status_code == 302
    assert VictimIdentity.objects.get(case=case).full_name == "Zana Re"
    client.logout()
    login(client, world.drenas.users["case_social_work"])
    assert client.get(url).status_code == 404
