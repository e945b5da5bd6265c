"""In chromium: the public page's quick exit, the Mayor's approval page and the audit view
(issue 15.2, 15.9, 15.10), each checked with axe-core and kept as a screenshot to look at."""

from __future__ import annotations

import datetime as dt

import pytest

from mkk.accounts.services import totp_device_create

from .test_browser import CHROMIUM, _axe, _code, _shot, browser_page  # noqa: F401

pytestmark = [pytest.mark.browser]


def _login(page, live_server, user):
    device = totp_device_create(user=user)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "test-password-123")
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state("load")
    if "/accounts/otp/" in page.url:
        page.fill("input[name=token]", _code(device))
        page.click("form.stacked button[type=submit]")
        page.wait_for_load_state("load")


@pytest.mark.django_db(transaction=True)
def test_quick_exit_replaces_the_page_and_its_history_entry(live_server, browser_page, world):  # noqa: F811
    from mkk.directory.models import EmergencyContact

    EmergencyContact.objects.create(
        municipality=world.drenas.municipality,
        name_sq="Qendra për Punë Sociale Drenas",
        numbers=["038 584 356"],
        address="Rr. Skënderbeu, Drenas",
        opening_hours="E hënë–e premte 08:00–16:00",
        source="Faqja e komunës",
    )
    page = browser_page
    neutral = []

    def fake_neutral_site(route):
        neutral.append(route.request.url)
        route.fulfill(status=200, body="<!doctype html><title>Search</title><p>neutral</p>")

    page.route("https://www.google.com/**", fake_neutral_site)
    page.goto(f"{live_server.url}/public/")
    page.goto(f"{live_server.url}/public/drenas/")
    assert "Rr. Skënderbeu, Drenas" in page.inner_text("main")
    assert "08:00–16:00" in page.inner_text("main")
    _axe(page, "public-quick-exit")
    _shot(page, "public-quick-exit")
    # The first Tab reaches the quick exit; Enter leaves.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.quickExit") == ""
    page.keyboard.press("Enter")
    page.wait_for_url("https://www.google.com/**")
    assert neutral
    # "Back" does not return to the page that was left: its history entry was replaced.
    page.go_back()
    page.wait_for_load_state("load")
    assert page.url.rstrip("/").endswith("/public")


@pytest.mark.django_db(transaction=True)
def test_mayor_approves_on_one_page_with_key_figures(live_server, browser_page, world, settings):  # noqa: F811
    from mkk.reports import services
    from mkk.reports.models import ReportStatus

    coordinator = world.drenas.users["coordinator"]
    report = services.report_create(
        actor=coordinator,
        municipality=world.drenas.municipality,
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 6, 30),
        language="sq",
        title="Raporti gjashtëmujor",
    )
    services.report_submit(actor=coordinator, report=report)
    mayor = world.drenas.users["viewer"]
    page = browser_page
    _login(page, live_server, mayor)
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    assert page.locator("#summary").is_visible()
    assert page.locator("details.file-details").count() == 1
    assert not page.locator("details.file-details table").is_visible()  # folded away
    _axe(page, "mayor-approval")
    _shot(page, "mayor-approval")
    page.fill("#id_comment", "Në rregull; shtoni buxhetin e vitit të ardhshëm.")
    page.click("button[name=decision][value=approve]")
    page.wait_for_load_state("load")
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.decided_by == mayor
    _shot(page, "mayor-approved")


@pytest.mark.django_db(transaction=True)
def test_audit_view_in_peoples_words(live_server, browser_page, world):  # noqa: F811
    from mkk.audit.context import acting

    coordinator = world.drenas.users["coordinator"]
    mechanism = world.drenas.mechanism
    with acting(user=coordinator, reason="load_demo"):
        mechanism.deputy_approver = world.drenas.users["focal_police"]
        mechanism.save()
    page = browser_page
    _login(page, live_server, coordinator)
    page.goto(f"{live_server.url}/audit/")
    text = page.inner_text("main")
    assert "deputy_approver" not in text and "load_demo" not in text
    _axe(page, "audit-people")
    _shot(page, "audit-people")
