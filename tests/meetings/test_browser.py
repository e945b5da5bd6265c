"""In Debian's chromium: the coordinator records a meeting through the pages, the owner's
focal point marks the follow-up done with htmx; axe-core finds no WCAG 2.1 AA violation."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django_otp.oath import TOTP

from mkk.accounts.services import totp_device_create
from mkk.directory.models import InstitutionKind as K
from mkk.meetings.models import FollowUp, FollowUpStatus, Meeting
from tests.checkers import assert_accessible as _axe

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def page():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser.new_page(viewport={"width": 1280, "height": 900})
        browser.close()
        # The ORM used inside Playwright's event loop has its own connection: close it, so
        # that PostgreSQL can drop the test database afterwards.
        from django.db import connections

        connections.close_all()


def _login(page, base, user):
    from django.conf import settings

    needs_otp = user.role in settings.MKK_OTP_REQUIRED_ROLES
    device = totp_device_create(user=user) if needs_otp else None
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "test-password-123")
    page.click("form.stacked button[type=submit]")
    if needs_otp:
        page.wait_for_url("**/accounts/otp/**")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        page.fill("input[name=token]", f"{totp.token():06d}")
        page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.django_db(transaction=True)
def test_meeting_flow_in_the_browser(live_server, page, world):
    base = live_server.url
    g = world.gjilan
    csp_errors = []
    page.on(
        "console",
        lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    _login(page, base, g.users["coordinator"])
    page.goto(f"{base}/m/gjilan/meetings/")
    _axe(page, "index")
    page.click("a.button[href$='/meetings/new/']")
    _axe(page, "meeting form")
    page.fill("#id_date", "2019-02-14")
    page.fill("#id_start_time", "10:00")
    page.select_option("#id_status", "held")
    page.fill("#id_agenda", "Rastet\nTë ndryshme")
    # The minutes are written in the rich-text editor (Trix), which replaced the textarea.
    editor = page.locator("trix-editor#id_minutes_editor")
    editor.click()
    page.keyboard.type("Tel. i viktimës 044 123 456")
    page.click("main form.stacked button[type=submit]")
    assert "04* *** *56" in page.inner_text("main")
    _axe(page, "meeting form with errors")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type("Rasti ")
    page.click("trix-toolbar button[data-trix-attribute=bold]")
    page.keyboard.type("GJ-2019-000001")
    page.click("trix-toolbar button[data-trix-attribute=bold]")
    page.keyboard.type(" u diskutua.")
    if os.environ.get("MKK_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["MKK_SCREENSHOTS"], "editor.png"))
    page.click("main form.stacked button[type=submit]")
    meeting = Meeting.objects.get()
    page.wait_for_url(f"{base}/meetings/{meeting.pk}/")
    assert "<strong>GJ-2019-000001</strong>" in meeting.minutes
    assert page.locator(".minutes strong").inner_text() == "GJ-2019-000001"
    assert not csp_errors, csp_errors
    _axe(page, "detail")

    page.goto(f"{base}/meetings/{meeting.pk}/attendance/")
    _axe(page, "attendance")
    police = g.inst(K.POLICE)
    page.select_option(f"#id_status_{police.pk}", "present")
    page.click("main form button[type=submit]")
    page.goto(f"{base}/meetings/{meeting.pk}/decisions/new/")
    _axe(page, "decision form")
    page.fill("#id_text", "Policia raporton çdo muaj.")
    page.select_option("#id_owner", str(police.pk))
    page.fill("#id_description", "Raporti mujor")
    page.fill("#id_due_date", "2019-03-14")
    page.click("main form.stacked button[type=submit]")
    page.wait_for_url(f"**/meetings/{meeting.pk}/**")
    page.goto(f"{base}/meetings/{meeting.pk}/invitations/")
    _axe(page, "invitations")
    page.goto(f"{base}/m/gjilan/meetings/activities/new/")
    _axe(page, "activity form")

    _login(page, base, g.users["focal_police"])
    _axe(page, "dashboard of the owner")
    page.goto(f"{base}/m/gjilan/meetings/follow-ups/")
    _axe(page, "my follow-ups")
    task = FollowUp.objects.get()
    page.click(f"#fu-{task.pk} button[value=done]")
    page.wait_for_selector(f"#fu-{task.pk} button[value=open]")
    task.refresh_from_db()
    assert task.status == FollowUpStatus.DONE
    _axe(page, "my follow-ups after done")
