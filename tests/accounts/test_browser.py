"""Accounts pages in a real browser: the coordinator invites a person, the person opens the
one-time link and sets the password and the authenticator; axe-clean, screenshots to look at."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from mkk.accounts.services import totp_device_create
from tests.web.test_browser import _axe, _code, _shot, browser_page, pytestmark  # noqa: F401


@pytest.mark.django_db(transaction=True)
def test_invite_and_enrol_in_the_browser(live_server, browser_page, world, settings):  # noqa: F811
    settings.MKK_SITE_URL = live_server.url
    user = world.drenas.users["coordinator"]
    device = totp_device_create(user=user)
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    _axe(page, "login")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "test-password-123")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url("**/accounts/otp/**")
    page.fill("input[name=token]", _code(device))
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/accounts/m/drenas/users/")
    _axe(page, "users")
    _shot(page, "accounts-users")
    page.click("a.button >> nth=0")
    page.fill("#id_email", "ema.prove@example.org")
    page.fill("#id_first_name", "Ema")
    page.fill("#id_last_name", "Provë")
    page.select_option("#id_role", "case_worker")
    page.select_option("#id_institution", str(world.drenas.inst("police").pk))
    _axe(page, "invite")
    _shot(page, "accounts-invite")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url("**/accounts/m/drenas/users/")
    assert "ema.prove@example.org" in page.content()
    page.click("form[action='/accounts/logout/'] button")
    path = re.search(r"(/accounts/enrol/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(f"{live_server.url}{path}")
    _axe(page, "enrol")
    _shot(page, "accounts-enrol")
    page.goto(f"{live_server.url}/accounts/password/reset/")
    _axe(page, "password-reset")
    _shot(page, "accounts-password-reset")
