"""Inbox, settings and outbox pages: access, marking read, pagination, links."""

from __future__ import annotations

import pytest
from django.utils import timezone

from mkk.notifications.models import MailStatus, Notification, OutboxMessage
from tests.conftest import login


def _entries(user, n, url="/"):
    return [
        Notification.objects.create(
            recipient=user, event="referral_urgent", title=f"Entry {i}", body="B", url=url
        )
        for i in range(n)
    ]


@pytest.mark.django_db
def test_unread_count_in_the_header_and_the_list(client, world):
    user = world.drenas.users["case_social_work"]
    _entries(user, 3)
    login(client, user)
    page = client.get("/").content.decode()
    assert 'href="/notifications/"' in page
    assert '<span class="badge inbox-count">3<span class="visually-hidden"> të palexuara' in page
    inbox = client.get("/notifications/").content.decode()
    assert inbox.count('class="unread"') == 3
    assert "3 njoftime" in inbox


@pytest.mark.django_db
def test_open_marks_read_and_follows_the_link(client, world):
    user = world.drenas.users["case_social_work"]
    [entry] = _entries(user, 1, url="/cases/referrals/1/")
    login(client, user)
    response = client.get(f"/notifications/{entry.pk}/")
    assert response.status_code == 302 and response["Location"] == "/cases/referrals/1/"
    entry.refresh_from_db()
    assert entry.is_read


@pytest.mark.django_db
def test_open_never_redirects_off_site(client, world):
    user = world.drenas.users["case_social_work"]
    [entry] = _entries(user, 1, url="//evil.example/x")
    login(client, user)
    response = client.get(f"/notifications/{entry.pk}/")
    assert response["Location"] == "/notifications/"


@pytest.mark.django_db
def test_mark_one_and_all_read(client, world):
    user = world.drenas.users["case_social_work"]
    first, *_rest = _entries(user, 3)
    login(client, user)
    response = client.post(f"/notifications/{first.pk}/read/", {"next": "/notifications/?page=1"})
    assert response["Location"] == "/notifications/?page=1"
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 2
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    assert 'class="unread"' not in client.get("/notifications/").content.decode()


@pytest.mark.django_db
def test_someone_elses_entry_is_404(client, world):
    [entry] = _entries(world.drenas.users["case_police"], 1)
    login(client, world.drenas.users["case_social_work"])
    assert client.get(f"/notifications/{entry.pk}/").status_code == 404
    assert client.post(f"/notifications/{entry.pk}/read/").status_code == 404
    entry.refresh_from_db()
    assert not entry.is_read


@pytest.mark.django_db
def test_pagination_and_unread_filter(client, world):
    user = world.drenas.users["coordinator"]
    entries = _entries(user, 30)
    Notification.objects.filter(pk__in=[e.pk for e in entries[:10]]).update(read_at=timezone.now())
    login(client, user)
    first = client.get("/notifications/").content.decode()
    assert first.count("<tr") == 26  # header + 25
    assert "Faqja 1 nga 2" in first
    second = client.get("/notifications/?page=2").content.decode()
    assert second.count("<tr") == 6
    unread = client.get("/notifications/?show=unread").content.decode()
    assert "20 njoftime" in unread


@pytest.mark.django_db
def test_settings_page_saves_channel_and_language(client, world):
    user = world.drenas.users["focal_police"]
    user.email = "focal@example.invalid"
    user.save()
    login(client, user)
    page = client.get("/notifications/settings/").content.decode()
    assert 'value="email"' in page and "checked" in page
    response = client.post("/notifications/settings/", {"channel": "inbox", "language": "sr-latn"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "sr-latn" and user.notification_preference.email is False
    bad = client.post("/notifications/settings/", {"channel": "fax", "language": "xx"})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()


def _outbox(municipality, status=MailStatus.FAILED, subject="S"):
    return OutboxMessage.objects.create(
        municipality=municipality,
        from_email="mkk@example.invalid",
        to=["x@example.invalid"],
        subject=subject,
        body="B",
        status=status,
        tries=3,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
    )


@pytest.mark.django_db
def test_outbox_coordinator_sees_own_municipality_admin_all(client, world):
    _outbox(world.drenas.municipality, subject="Drenas mail")
    _outbox(world.gjilan.municipality, subject="Gjilan mail")
    _outbox(None, subject="Nobody's mail")
    login(client, world.drenas.users["coordinator"])
    page = client.get("/notifications/outbox/").content.decode()
    assert "Drenas mail" in page and "Gjilan mail" not in page and "Nobody" not in page
    assert "Connection refused" in page and "Dështoi" in page
    client.logout()
    login(client, world.admin)
    page = client.get("/notifications/outbox/").content.decode()
    assert all(s in page for s in ("Drenas mail", "Gjilan mail", "Nobody"))
    filtered = client.get("/notifications/outbox/?status=sent").content.decode()
    assert "Drenas mail" not in filtered


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["focal_police", "case_police", "viewer"])
def test_outbox_is_for_coordinators_and_admins(client, world, who):
    login(client, world.drenas.users[who])
    assert client.get("/notifications/outbox/").status_code == 403


@pytest.mark.django_db
def test_outbox_retry(client, world):
    row = _outbox(world.drenas.municipality)
    login(client, world.drenas.users["coordinator"])
    response = client.post(f"/notifications/outbox/{row.pk}/retry/")
    assert response.status_code == 302
    row.refresh_from_db()
    # Test settings deliver with locmem: the retried message is sent at once (after commit
    # in a request).
    assert row.status in {MailStatus.QUEUED, MailStatus.SENT}
