"""Login with password, TOTP second factor, lockout and idle expiry."""

import pytest
from django.conf import settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from mkk.accounts.services import totp_device_create

PASSWORD = "test-password-123"


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator", "case_police"])
def test_sensitive_roles_must_pass_the_second_factor(client, world, who):
    user = world.drenas.users[who]
    device = totp_device_create(user=user)
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    # Anything but the second-factor page sends them back to it.
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:otp"))
    response = client.post(
        reverse("accounts:otp"),
        {"token": "000000" if current_code(device) != "000000" else "111111"},
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    # a wrong code throttles the device for a second; reset instead of sleeping
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(reverse("accounts:otp"), {"token": current_code(device), "next": "/"})
    assert response.status_code == 302
    assert client.get(reverse("web:dashboard")).status_code == 200


@pytest.mark.django_db
def test_a_code_cannot_be_used_twice(client, world):
    user = world.drenas.users["coordinator"]
    device = totp_device_create(user=user)
    code = current_code(device)
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert client.post(reverse("accounts:otp"), {"token": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    response = client.post(reverse("accounts:otp"), {"token": code})
    assert response.status_code == 200  # refused: django-otp keeps last_t
    assert client.get(reverse("web:dashboard")).status_code == 302


@pytest.mark.django_db
@pytest.mark.django_db
def test_wrong_codes_throttle_further_attempts(client, world):
    user = world.drenas.users["coordinator"]
    device = totp_device_create(user=user)
    wrong = "000000" if current_code(device) != "000000" else "111111"
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    client.post(reverse("accounts:otp"), {"token": wrong})
    response = client.post(reverse("accounts:otp"), {"token": current_code(device)})
    assert response.status_code == 200  # refused while throttled, even with the right code
    from mkk.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="otp_failed", actor=user).count() == 1


@pytest.mark.django_db
def test_user_without_device_cannot_enrol_with_the_password_alone(client, world):
    user = world.drenas.users["coordinator"]
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    response = client.get(reverse("accounts:otp"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:otp_setup"))
    page = client.get(reverse("accounts:otp_setup"))
    assert page.status_code == 200 and "data:image/svg+xml" not in page.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.post(reverse("accounts:otp_setup"), {"token": "123456"}).status_code == 405
    assert client.get(reverse("web:dashboard")).status_code == 302


@pytest.mark.django_db
def test_focal_point_needs_no_second_factor(client, world):
    user = world.drenas.users["focal_police"]
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert client.get(reverse("web:dashboard")).status_code == 200


@pytest.mark.django_db
def test_open_redirect_is_refused(client, world):
    user = world.drenas.users["coordinator"]
    device = totp_device_create(user=user)
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    response = client.post(
        reverse("accounts:otp"), {"token": current_code(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == "/"


@pytest.mark.django_db
def test_lockout_after_repeated_failures(client, world):
    user = world.drenas.users["viewer"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": user.username, "password": "wrong"})
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert client.get(reverse("web:dashboard")).status_code == 302  # not logged in


def test_idle_expiry_is_configured():
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == settings.MKK_IDLE_TIMEOUT == 30 * 60


def test_argon2_is_the_production_hasher():
    from pathlib import Path

    text = (Path(settings.SRC_DIR) / "config" / "settings.py").read_text()
    assert (
        '"django.contrib.auth.hashers.Argon2PasswordHasher",'
        in text.split("PASSWORD_HASHERS")[1][:200]
    )


@pytest.mark.django_db
def test_csrf_is_enforced(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
