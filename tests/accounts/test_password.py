"""Password reset by e-mail (no enumeration, rate-limited), password change, and the absolute
session lifetime (issues 15.1 and 12.8)."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from mkk.accounts.middleware import AUTH_AT

from ..conftest import login
from .test_login import PASSWORD

NEW_PASSWORD = "another-long-passphrase-7"


@pytest.fixture(autouse=True)
def _clear_rate_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_reset_answers_the_same_for_known_and_unknown_addresses(client, world):
    user = world.drenas.users["focal_police"]
    user.email = "focal@example.org"
    user.save()
    url = reverse("accounts:password_reset")
    assert client.get(url).status_code == 200
    known = client.post(url, {"email": "focal@example.org"})
    unknown = client.post(url, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["focal@example.org"]
    link = re.search(r"https?://\S+(/accounts/password/reset/\S+/\S+/)", mail.outbox[0].body)
    path = link.group(1)
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200 and "new_password1" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # The link works once.
    again = client.get(path, follow=True).content.decode()
    assert "new_password1" not in again


@pytest.mark.django_db
@override_settings(MKK_RESET_RATE="3/h")
def test_reset_is_rate_limited(client, world):
    url = reverse("accounts:password_reset")
    codes = [client.post(url, {"email": f"x{i}@example.org"}).status_code for i in range(4)]
    assert codes == [302, 302, 302, 429]
    cache.clear()
    codes = [
        client.post(url, {"email": "same@example.org"}, REMOTE_ADDR=f"10.0.0.{i}").status_code
        for i in range(4)
    ]
    assert codes[-1] == 429  # the same address from several clients is limited too


@pytest.mark.django_db
def test_password_change_needs_the_second_factor_and_the_old_password(client, world):
    user = world.drenas.users["coordinator"]
    url = reverse("accounts:password_change")
    client.force_login(user)  # password only, no second factor yet
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:otp"))
    login(client, user)
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    ok = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.django_db
@override_settings(MKK_SESSION_MAX_AGE=3600)
def test_absolute_session_lifetime(client, world):
    user = world.drenas.users["focal_police"]
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert client.get(reverse("web:dashboard")).status_code == 200
    started = client.session[AUTH_AT]
    assert abs(started - time.time()) < 60
    session = client.session
    session[AUTH_AT] = time.time() - 3599
    session.save()
    assert client.get(reverse("web:dashboard")).status_code == 200  # still inside
    session = client.session
    session[AUTH_AT] = time.time() - 3601
    session.save()
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert client.get(reverse("web:dashboard")).status_code == 302  # logged out for good


def test_absolute_lifetime_default_is_twelve_hours():
    from django.conf import settings

    assert settings.MKK_SESSION_MAX_AGE == 12 * 60 * 60
