"""Invitations and one-time enrolment links (issues 12.8 and 15.1)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from mkk.accounts import services
from mkk.accounts.models import EnrolmentLink, Role, User
from mkk.audit.models import AuditEntry

from ..conftest import login
from .test_login import PASSWORD, current_code

NEW_PASSWORD = "a-long-new-passphrase-42"


def _link_path(message) -> str:
    url = re.search(r"https?://\S+/accounts/enrol/\S+/", message.body).group(0)
    return url[url.index("/accounts/") :]


def _invite(actor, world, **kw):
    data = {
        "email": "new.person@example.org",
        "first_name": "Ema",
        "last_name": "Provë",
        "role": Role.CASE_WORKER,
        "institution": world.drenas.inst("police"),
    }
    data.update(kw)
    return services.user_invite(actor=actor, **data)


@pytest.mark.django_db
def test_coordinator_invites_through_the_page_and_the_link_enrols(client, world):
    coordinator = world.drenas.users["coordinator"]
    login(client, coordinator)
    url = reverse("accounts:user_invite", kwargs={"code": "drenas"})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "email": "Ema.Prove@example.org",
            "first_name": "Ema",
            "last_name": "Provë",
            "role": Role.CASE_WORKER,
            "institution": world.drenas.inst("police").pk,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="Ema.Prove@example.org")
    assert user.municipality == world.drenas.municipality and not user.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["Ema.Prove@example.org"]
    path = _link_path(mail.outbox[0])
    token = path.rstrip("/").rsplit("/", 1)[1]
    link = EnrolmentLink.objects.get(user=user)
    assert token not in link.token_hash  # only the hash is stored
    client.post(reverse("accounts:logout"))

    page = client.get(path)
    assert page.status_code == 200 and "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # A wrong code keeps the link usable and says why.
    wrong = "000000" if current_code(device) != "000000" else "111111"
    response = client.post(
        path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "token": wrong}
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(
        path,
        {
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "token": current_code(device),
        },
    )
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    user.refresh_from_db()
    device.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and device.confirmed
    link.refresh_from_db()
    assert link.used_at is not None
    assert AuditEntry.objects.filter(action="otp_enrolled", actor=user).exists()
    assert AuditEntry.objects.filter(action="send", object_id=str(user.pk)).exists()
    # Single use.
    assert client.get(path).status_code == 410
    # The new person logs in with the password and the code.
    client.post(reverse("accounts:login"), {"username": user.username, "password": NEW_PASSWORD})
    device.throttle_reset()
    assert client.get(reverse("web:dashboard")).status_code == 302  # second factor first


@pytest.mark.django_db
def test_expired_and_revoked_links_do_not_work(client, world):
    coordinator = world.drenas.users["coordinator"]
    user = _invite(coordinator, world)
    first = _link_path(mail.outbox[0])
    services.enrolment_link_issue(actor=coordinator, user=user)
    second = _link_path(mail.outbox[1])
    assert client.get(first).status_code == 410  # replaced by the newer link
    assert client.get(second).status_code == 200
    EnrolmentLink.objects.filter(user=user, revoked_at__isnull=True).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert client.get(second).status_code == 410
    assert client.get("/accounts/enrol/not-a-token/").status_code == 410


@pytest.mark.django_db
def test_enrolment_link_for_an_existing_user_needs_the_password_too(client, world):
    coordinator = world.drenas.users["coordinator"]
    worker = world.drenas.users["case_police"]
    worker.email = "worker@example.org"
    worker.save()
    link = services.enrolment_link_issue(actor=coordinator, user=worker)
    path = reverse("accounts:enrol", kwargs={"token": link.token})
    client.get(path)
    device = TOTPDevice.objects.get(user=worker, confirmed=False)
    response = client.post(path, {"current_password": "wrong", "token": current_code(device)})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    response = client.post(path, {"current_password": PASSWORD, "token": current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)  # unchanged


@pytest.mark.django_db
def test_focal_point_invitation_sets_the_password_only(client, world):
    user = _invite(
        world.drenas.users["coordinator"], world, role=Role.FOCAL_POINT, email="fp@example.org"
    )
    path = _link_path(mail.outbox[0])
    page = client.get(path).content.decode()
    assert "data:image/svg+xml" not in page
    response = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not TOTPDevice.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_invitation_rules(world):
    coordinator = world.drenas.users["coordinator"]
    with pytest.raises(ValidationError):  # a coordinator gives no coordinator role
        _invite(coordinator, world, role=Role.COORDINATOR, institution=None)
    with pytest.raises(ValidationError):  # institution of another municipality
        _invite(coordinator, world, institution=world.gjilan.inst("police"))
    with pytest.raises(ValidationError):  # an institution role needs an institution
        _invite(coordinator, world, institution=None)
    _invite(coordinator, world)
    with pytest.raises(ValidationError):  # the e-mail address is taken
        _invite(coordinator, world, email="NEW.person@example.org")
    for who in ("focal_police", "case_police", "viewer"):
        with pytest.raises(PermissionDenied):
            _invite(world.drenas.users[who], world, email=f"{who}@example.org")
    with pytest.raises(PermissionDenied):
        _invite(world.national, world, email="n@example.org")
    admin_made = _invite(world.admin, world, role=Role.NATIONAL, email="nat@example.org")
    assert admin_made.municipality is None and admin_made.institution is None
    with pytest.raises(PermissionDenied):  # another municipality's user
        services.enrolment_link_issue(actor=coordinator, user=world.gjilan.users["case_police"])
    with pytest.raises(PermissionDenied):  # a coordinator does not manage coordinators
        services.enrolment_link_issue(actor=coordinator, user=coordinator)


@pytest.mark.django_db
def test_users_page_deactivate_and_pagination(client, world):
    coordinator = world.drenas.users["coordinator"]
    login(client, coordinator)
    url = reverse("accounts:users", kwargs={"code": "drenas"})
    page = client.get(url).content.decode()
    assert world.drenas.users["case_police"].username in page
    assert world.gjilan.users["case_police"].username not in page
    for i in range(55):
        User.objects.create(
            username=f"extra{i}", role=Role.VIEWER, municipality=world.drenas.municipality
        )
    first = client.get(url).content.decode()
    second = client.get(url + "?page=2").content.decode()
    assert "?page=2" in first and "extra" in second
    worker = world.drenas.users["case_police"]
    detail = reverse("accounts:user", kwargs={"pk": worker.pk})
    assert client.get(detail).status_code == 200
    assert client.post(detail, {"action": "deactivate"}).status_code == 302
    worker.refresh_from_db()
    assert not worker.is_active
    client.post(detail, {"action": "activate"})
    worker.refresh_from_db()
    assert worker.is_active
    # Out of scope: another municipality's user and page answer 404; other roles 403/404.
    gjilan_user = world.gjilan.users["case_police"]
    assert client.get(reverse("accounts:user", kwargs={"pk": gjilan_user.pk})).status_code == 404
    assert client.get(reverse("accounts:users", kwargs={"code": "gjilan"})).status_code == 404
    own = reverse("accounts:user", kwargs={"pk": coordinator.pk})
    own_page = client.get(own)  # listed, but managed by the administrator only
    assert own_page.status_code == 200 and 'value="deactivate"' not in own_page.content.decode()
    assert client.post(own, {"action": "deactivate"}).status_code == 403
    login(client, world.drenas.users["focal_police"])
    assert client.get(url).status_code == 403
    assert client.get(detail).status_code == 404


@pytest.mark.django_db
def test_deactivated_user_cannot_log_in_and_link_stops(client, world):
    coordinator = world.drenas.users["coordinator"]
    user = _invite(coordinator, world)
    path = _link_path(mail.outbox[0])
    services.user_set_active(actor=coordinator, user=user, active=False)
    assert client.get(path).status_code == 410
    viewer = world.drenas.users["viewer"]
    services.user_set_active(actor=coordinator, user=viewer, active=False)
    client.post(reverse("accounts:login"), {"username": viewer.username, "password": PASSWORD})
    assert client.get(reverse("web:dashboard")).status_code == 302


@pytest.mark.django_db
def test_focal_person_link_shows_in_the_registry(client, world):
    from mkk.directory.models import Membership

    coordinator = world.drenas.users["coordinator"]
    focal = world.drenas.users["focal_police"]
    focal.first_name, focal.last_name, focal.email = "Besa", "Fokale", "besa@example.org"
    focal.save()
    membership = Membership.objects.get(
        mechanism=world.drenas.mechanism, institution=world.drenas.inst("police")
    )
    login(client, coordinator)
    url = reverse("accounts:focal_person", kwargs={"pk": membership.pk})
    assert client.get(url).status_code == 200
    # Someone of another institution is refused with a message.
    other = world.drenas.users["focal_social_work"]
    response = client.post(url, {"user": other.pk})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert client.post(url, {"user": focal.pk}).status_code == 302
    membership.refresh_from_db()
    assert membership.focal_user == focal and membership.focal_person == "Besa Fokale"
    registry = client.get(reverse("directory:municipality", kwargs={"code": "drenas"}))
    assert "Besa Fokale" in registry.content.decode()
    login(client, world.drenas.users["focal_police"])
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_linked_focal_person_is_in_the_report_data(world):
    import datetime as dt

    from mkk.directory import services as directory_services
    from mkk.directory.models import Membership
    from mkk.reports.builder import build_report_data

    focal = world.drenas.users["focal_police"]
    focal.first_name, focal.last_name = "Besa", "Fokale"
    focal.save()
    membership = Membership.objects.get(
        mechanism=world.drenas.mechanism, institution=world.drenas.inst("police")
    )
    directory_services.membership_focal_link(
        actor=world.drenas.users["coordinator"], membership=membership, user=focal
    )
    data = build_report_data(
        municipality=world.drenas.municipality,
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        language="sq",
        public=False,
    )
    assert "Besa Fokale" in str(data)
    public = build_report_data(
        municipality=world.drenas.municipality,
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        language="sq",
        public=True,
    )
    assert "Besa Fokale" not in str(public)  # names stay out of the public report
