"""notify(): inbox entries and e-mails in each recipient's language, references only."""

from __future__ import annotations

import pytest
from django.core import mail as django_mail

from mkk.cases import services as case_services
from mkk.directory.models import InstitutionKind as K
from mkk.notifications import services, tasks
from mkk.notifications.models import Notification, OutboxMessage, Preference

from ..cases.helpers import ADDRESS, NAME, NUMBER, PHONE, open_case

REASON = "Assessment needed at Rruga e Fshehtë"


def _refer(world, urgency="urgent"):
    police = world.drenas.users["case_police"]
    case = open_case(police)
    referral = case_services.referral_send(
        actor=police,
        case=case,
        to_institution=world.drenas.inst(K.SOCIAL_WORK),
        reason=REASON,
        urgency=urgency,
    )
    return case, referral


def _with_email(user, address, language=""):
    user.email = address
    user.language = language
    user.save()
    return user


def _identity_free(text: str) -> None:
    for secret in (NAME, NUMBER, ADDRESS, PHONE, REASON, "Zana", "Fshehtë"):
        assert secret not in text, secret


@pytest.mark.django_db
def test_urgent_referral_reaches_receivers_at_once_in_their_language(
    world, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "mkk.notifications.backends.QueuedEmailBackend"
    worker = _with_email(world.drenas.users["case_social_work"], "qps@example.invalid", "sr-latn")
    with django_capture_on_commit_callbacks(execute=True):
        case, referral = _refer(world)
    entry = Notification.objects.get(recipient=worker)
    assert entry.event == "referral_urgent"
    assert entry.title == f"HITNO upućivanje: slučaj {case.reference}"
    assert entry.url == f"/cases/referrals/{referral.pk}/"
    assert not entry.is_read and not entry.digest_pending
    [message] = django_mail.outbox
    assert message.to == ["qps@example.invalid"]
    assert message.subject == f"MKK: HITNO upućivanje: slučaj {case.reference}"
    assert f"http://127.0.0.1:8000/cases/referrals/{referral.pk}/" in message.body
    assert "podešavanja obaveštenja" in message.body  # the footer, in Serbian too
    for text in (entry.title, entry.body, message.subject, message.body):
        _identity_free(text)
    assert OutboxMessage.objects.get().status == "sent"
    # The sender is not told about their own referral.
    assert not Notification.objects.filter(recipient=world.drenas.users["case_police"]).exists()


@pytest.mark.django_db
def test_default_language_is_albanian(world):
    worker = _with_email(world.drenas.users["case_social_work"], "qps@example.invalid")
    case, _referral = _refer(world)
    entry = Notification.objects.get(recipient=worker)
    assert entry.title == f"Referim URGJENT: rasti {case.reference}"
    assert "Përgjigjja duhet dhënë deri më" in entry.body


@pytest.mark.django_db
def test_normal_referral_waits_for_the_digest(world, settings):
    worker = _with_email(world.drenas.users["case_social_work"], "qps@example.invalid", "en")
    case, _r = _refer(world, urgency="normal")
    entry = Notification.objects.get(recipient=worker)
    assert entry.event == "referral_received" and entry.digest_pending
    assert django_mail.outbox == []  # not at once
    assert tasks.send_digests() == 1
    [message] = django_mail.outbox
    assert message.subject == "MKK: 1 new notification"
    assert f"New referral: case {case.reference}" in message.body
    entry.refresh_from_db()
    assert not entry.digest_pending
    assert tasks.send_digests() == 0  # once


@pytest.mark.django_db
def test_inbox_only_preference_sends_no_email(world):
    worker = _with_email(world.drenas.users["case_social_work"], "qps@example.invalid")
    services.preference_set(actor=worker, email=False, language="en")
    assert Preference.objects.get(user=worker).email is False
    case, _r = _refer(world)
    entry = Notification.objects.get(recipient=worker)
    assert entry.title == f"URGENT referral: case {case.reference}"
    assert django_mail.outbox == []


@pytest.mark.django_db
def test_user_without_address_gets_the_inbox_entry_only(world):
    _refer(world)
    worker = world.drenas.users["case_social_work"]
    assert Notification.objects.filter(recipient=worker).count() == 1
    assert django_mail.outbox == []


@pytest.mark.django_db
def test_unknown_event_is_refused(world):
    with pytest.raises(KeyError, match="unknown notification event"):
        services.notify(recipients=[world.admin], event="no_such_event")


@pytest.mark.django_db
def test_inactive_and_duplicate_recipients(world):
    a = world.drenas.users["coordinator"]
    b = world.drenas.users["viewer"]
    b.is_active = False
    b.save()
    created = services.notify(
        recipients=[a, a, b, None],
        event="report_submitted",
        context={"report": "R", "municipality": world.drenas.municipality},
    )
    assert [n.recipient for n in created] == [a]
    assert created[0].title == "U dorëzua raporti i monitorimit: R"
    assert "komunës Drenas" in created[0].body


@pytest.mark.django_db
def test_login_stores_the_language_once(client, world):
    from tests.conftest import login

    user = world.drenas.users["viewer"]
    assert user.language == ""
    client.cookies["django_language"] = "sr-latn"
    client.post("/accounts/login/", {"username": user.username, "password": "test-password-123"})
    user.refresh_from_db()
    assert user.language == "sr-latn"
    login(client, user)
