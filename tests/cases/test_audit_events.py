"""Every state change of a case, a referral or a follow-up task records its named audit event
(issue 16.5), with the actor and the object, and without case content in the reason (issue 12.1:
decline reasons, consent answers and referral reasons are case content)."""

from __future__ import annotations

import datetime as dt

import pytest

from mkk.audit.models import AuditAction, AuditEntry
from mkk.cases import services
from mkk.cases.models import Consent
from mkk.directory.models import InstitutionKind as K
from mkk.meetings import services as meeting_services
from mkk.meetings.models import Decision, FollowUp, FollowUpStatus, Meeting, MeetingStatus

from .helpers import NAME, open_case

pytestmark = pytest.mark.django_db

REFERRAL_REASON = "Mbështetje sociale për fëmijët."
DECLINE_REASON = "Nuk kemi kapacitet këtë javë."


def _event(action, obj, actor) -> AuditEntry:
    rows = AuditEntry.objects.filter(
        action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    )
    assert rows.count() == 1, f"{action}: {rows.count()} rows"
    row = rows.get()
    assert row.actor == actor and row.actor_username == actor.username
    for content in (REFERRAL_REASON, DECLINE_REASON, NAME, "Dhunë fizike", "yes", "no"):
        assert content not in row.reason
    assert not row.changes  # the change itself is in the automatic update entry
    return row


@pytest.fixture
def sent(world):
    police = world.drenas.users["case_police"]
    qps = world.drenas.users["case_social_work"]
    case = open_case(police)
    referral = services.referral_send(
        actor=police, case=case, to_institution=qps.institution, reason=REFERRAL_REASON
    )
    return police, qps, case, referral


def test_referral_send_records_referral_sent(sent):
    police, _qps, case, referral = sent
    row = _event(AuditAction.REFERRAL_SENT, referral, police)
    assert row.object_repr == case.reference


def test_referral_accept_records_referral_accepted(sent):
    _police, qps, _case, referral = sent
    services.referral_accept(actor=qps, referral=referral)
    _event(AuditAction.REFERRAL_ACCEPTED, referral, qps)


def test_referral_decline_records_referral_declined_without_the_reason(sent):
    _police, qps, _case, referral = sent
    services.referral_decline(actor=qps, referral=referral, reason=DECLINE_REASON)
    _event(AuditAction.REFERRAL_DECLINED, referral, qps)


def test_referral_withdraw_records_referral_withdrawn(sent):
    police, _qps, _case, referral = sent
    services.referral_withdraw(actor=police, referral=referral)
    _event(AuditAction.REFERRAL_WITHDRAWN, referral, police)


def test_referral_complete_records_referral_completed(sent):
    _police, qps, _case, referral = sent
    services.referral_accept(actor=qps, referral=referral)
    services.referral_complete(actor=qps, referral=referral)
    _event(AuditAction.REFERRAL_COMPLETED, referral, qps)


def test_case_close_and_reopen_record_their_events(world):
    police = world.drenas.users["case_police"]
    case = open_case(police)
    services.case_close(actor=police, case=case)
    _event(AuditAction.CASE_CLOSED, case, police)
    services.case_reopen(actor=police, case=case)
    _event(AuditAction.CASE_REOPENED, case, police)


def test_case_set_consent_records_consent_recorded_without_the_answer(world):
    police = world.drenas.users["case_police"]
    case = open_case(police)
    services.case_set_consent(
        actor=police,
        case=case,
        consent_to_share=Consent.NO,
        consent_date=dt.date(2026, 1, 7),
        sharing_legal_ground="",
    )
    _event(AuditAction.CONSENT_RECORDED, case, police)


def test_follow_up_status_change_records_its_event(world):
    g = world.gjilan
    meeting = Meeting.objects.create(
        mechanism=g.mechanism, date=dt.date(2019, 2, 14), status=MeetingStatus.HELD, place="Salla"
    )
    decision = Decision.objects.create(meeting=meeting, number=1, text="V")
    task = FollowUp.objects.create(
        decision=decision, owner=g.inst(K.POLICE), description="D", due_date=dt.date(2019, 3, 1)
    )
    focal = g.users["focal_police"]
    meeting_services.follow_up_set_status(actor=focal, follow_up=task, status=FollowUpStatus.DONE)
    _event(AuditAction.FOLLOW_UP_STATUS, task, focal)
