"""Consent is the owner's (issue 12.2): a "No" recorded by the owning institution is never
overturned by the receiver; sharing without consent needs a legal ground chosen by the owner,
or recorded by the receiver and confirmed by the owner, with a reason and an audit event."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mkk.audit.models import AuditAction, AuditEntry
from mkk.cases import services
from mkk.cases.models import Consent, GroundStatus, Referral, ReferralStatus
from tests.conftest import login

from .helpers import open_case

pytestmark = pytest.mark.django_db


def _refused_case_and_referral(world):
    police = world.drenas.users["case_police"]
    qps = world.drenas.users["case_social_work"]
    case = open_case(police, consent=Consent.NO)
    referral = services.referral_send(
        actor=police, case=case, to_institution=qps.institution, reason="Mbështetje sociale."
    )
    return police, qps, case, referral


def test_receiver_cannot_overturn_the_owners_no(client, world):
    police, qps, case, referral = _refused_case_and_referral(world)
    with pytest.raises(ValidationError):
        services.referral_accept(actor=qps, referral=referral, consent_recorded=True)
    login(client, qps)
    page = client.get(reverse("cases:referral", kwargs={"pk": referral.pk})).content.decode()
    assert 'name="consent_recorded"' not in page  # not offered
    url = reverse("cases:referral_accept", kwargs={"pk": referral.pk})
    response = client.post(url, {"consent_recorded": "on"})
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert not services.can_see_identity(qps, case)


def test_invalid_consent_data_is_an_error_not_no_consent(client, world):
    police, qps, case, referral = _refused_case_and_referral(world)
    login(client, qps)
    url = reverse("cases:referral_accept", kwargs={"pk": referral.pk})
    for data in ({"legal_ground": "not-a-ground"}, {"legal_ground": "child_at_risk"}):
        response = client.post(url, data)
        assert response.status_code == 400
        assert "errorlist" in response.content.decode()
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.SENT  # nothing was accepted silently


def test_receivers_legal_ground_waits_for_the_owner_who_confirms(client, world):
    police, qps, case, referral = _refused_case_and_referral(world)
    login(client, qps)
    response = client.post(
        reverse("cases:referral_accept", kwargs={"pk": referral.pk}),
        {"legal_ground": "danger_to_life", "ground_reason": "Kërcënim i drejtpërdrejtë."},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.ground_status == GroundStatus.PENDING
    assert not services.can_see_identity(qps, case)
    assert AuditEntry.objects.filter(
        action=AuditAction.SUBMIT, object_type="cases.referral", object_id=str(referral.pk)
    ).exists()
    # The receiver cannot confirm its own ground.
    assert (
        client.post(
            reverse("cases:referral_ground_confirm", kwargs={"pk": referral.pk})
        ).status_code
        == 403
    )
    login(client, police)
    page = client.get(reverse("cases:referral", kwargs={"pk": referral.pk})).content.decode()
    assert "Kërcënim i drejtpërdrejtë." in page
    response = client.post(reverse("cases:referral_ground_confirm", kwargs={"pk": referral.pk}))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.ground_status == GroundStatus.CONFIRMED
    assert referral.ground_decided_by == police
    assert services.can_see_identity(qps, case)
    assert AuditEntry.objects.filter(
        action=AuditAction.APPROVE, object_id=str(referral.pk), actor=police
    ).exists()
    # A decision is taken once.
    with pytest.raises(ValidationError):
        services.referral_ground_decide(actor=police, referral=referral, confirm=False)


def test_owner_refuses_the_receivers_legal_ground(world):
    police, qps, case, referral = _refused_case_and_referral(world)
    services.referral_accept(
        actor=qps, referral=referral, legal_ground="legal_duty", ground_reason="Detyrim ligjor."
    )
    with pytest.raises(PermissionDenied):
        services.referral_ground_decide(actor=qps, referral=referral, confirm=True)
    services.referral_ground_decide(actor=police, referral=referral, confirm=False)
    referral.refresh_from_db()
    assert referral.ground_status == GroundStatus.REFUSED
    assert not services.can_see_identity(qps, case)
    assert AuditEntry.objects.filter(action=AuditAction.RETURN, object_id=str(referral.pk)).exists()


def test_owners_legal_ground_needs_a_reason_and_is_audited(client, world):
    police, qps, case, referral = _refused_case_and_referral(world)
    login(client, police)
    url = reverse("cases:consent", kwargs={"pk": case.pk})
    response = client.post(url, {"consent_to_share": "no", "sharing_legal_ground": "court_order"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    case.refresh_from_db()
    assert case.sharing_legal_ground == ""
    response = client.post(
        url,
        {
            "consent_to_share": "no",
            "sharing_legal_ground": "court_order",
            "sharing_reason": "Urdhër i prokurorit.",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.sharing_legal_ground == "court_order"
    entry = AuditEntry.objects.filter(
        action=AuditAction.OTHER, object_type="cases.case", object_id=str(case.pk)
    ).get()
    assert entry.reason == "legal ground for sharing: court_order"
    assert "Urdhër" not in entry.reason  # the free-text reason is case content
    services.referral_accept(actor=qps, referral=referral)
    assert services.can_see_identity(qps, case)


def test_a_later_no_by_the_owner_wins_over_the_receivers_consent(world):
    police = world.drenas.users["case_police"]
    qps = world.drenas.users["case_social_work"]
    case = open_case(police)
    referral = services.referral_send(
        actor=police, case=case, to_institution=qps.institution, reason="r"
    )
    services.referral_accept(actor=qps, referral=referral, consent_recorded=True)
    assert services.can_see_identity(qps, case)
    services.case_set_consent(
        actor=police,
        case=case,
        consent_to_share=Consent.NO,
        consent_date=None,
        sharing_legal_ground="",
    )
    case.refresh_from_db()
    assert not services.can_see_identity(qps, Referral.objects.get(pk=referral.pk).case)


def test_owner_is_notified_of_each_sharing_decision(world):
    from mkk.notifications.models import Notification

    police, qps, case, referral = _refused_case_and_referral(world)
    services.referral_accept(
        actor=qps, referral=referral, legal_ground="legal_duty", ground_reason="ARSYE-E-LIRE-77"
    )
    inbox = Notification.objects.filter(recipient=police)
    assert inbox.count() == 1
    note = inbox.get()
    assert case.reference in note.title and "ARSYE-E-LIRE-77" not in note.body
    services.referral_ground_decide(actor=police, referral=referral, confirm=True)
    assert Notification.objects.filter(recipient=police).count() == 2
    services.case_set_consent(
        actor=police,
        case=case,
        consent_to_share=Consent.NO,
        consent_date=None,
        sharing_legal_ground="court_order",
        sharing_reason="Urdhër.",
    )
    assert Notification.objects.filter(recipient=police).count() == 3
