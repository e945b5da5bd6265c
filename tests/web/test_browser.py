"""In Debian's chromium, through Playwright: log in with the second factor, reach the
dashboard, switch language, and check each page with axe-core (WCAG 2.1 AA: 0 violations).

Screenshots go to ``screenshots/`` (git-ignored) so that a person can look at them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django_otp.oath import TOTP

from mkk.accounts.services import totp_device_create
from tests.checkers import assert_accessible as _axe

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make sysdeps)"
    ),
]


def _code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.fixture
def browser_page():
    # Playwright's sync API runs an event loop; Django's ORM then needs this to run here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        yield page
        browser.close()


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_login_with_second_factor_reaches_dashboard(live_server, browser_page, world):
    from mkk.directory.models import EmergencyContact

    EmergencyContact.objects.create(
        municipality=world.drenas.municipality,
        name_sq="Policia e Kosovës",
        numbers=["038-584-092", "192"],
    )
    user = world.drenas.users["coordinator"]
    device = totp_device_create(user=user)
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    _axe(page, "login")
    _shot(page, "login")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "test-password-123")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url("**/accounts/otp/**")
    _axe(page, "otp")
    page.fill("input[name=token]", _code(device))
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").first.is_visible()
    _axe(page, "dashboard")
    _shot(page, "dashboard")

    page.goto(f"{live_server.url}/m/drenas/")
    assert "038-584-092" in page.content()
    _axe(page, "municipality")
    _shot(page, "municipality-sq")
    page.select_option("#lang-select", "en")
    page.wait_for_load_state("load")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("h2#members").inner_text() == "Members"
    _axe(page, "municipality-en")
    _shot(page, "municipality-en")

    page.goto(f"{live_server.url}/audit/")
    _axe(page, "audit")
    _shot(page, "audit")


@pytest.mark.django_db(transaction=True)
def test_public_contacts_page(live_server, browser_page, world):
    from mkk.directory.models import EmergencyContact

    EmergencyContact.objects.create(
        municipality=world.drenas.municipality, name_sq="Thirrjet emergjente", numbers=["112"]
    )
    page = browser_page
    page.goto(f"{live_server.url}/public/drenas/")
    assert "112" in page.inner_text("main")
    _axe(page, "public-contacts")
    _shot(page, "public-contacts")
