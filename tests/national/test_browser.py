"""The national dashboard in a real browser: axe-clean, and a screenshot to look at."""

from __future__ import annotations

import datetime as dt

import pytest

from mkk.accounts.services import totp_device_create
from mkk.directory.models import InstitutionKind as K
from mkk.directory.models import ReportingLevel
from tests.factories import InstitutionFactory
from tests.statistics.conftest import make_submission
from tests.web.test_browser import _axe, _code, _shot, browser_page, pytestmark  # noqa: F401


@pytest.mark.django_db(transaction=True)
def test_national_dashboard_in_the_browser(live_server, browser_page, world):  # noqa: F811
    from mkk.statistics.catalogue import ensure_default_catalogue

    ensure_default_catalogue()
    dr = InstitutionFactory(
        municipality=world.gjilan.municipality,
        kind=K.POLICE,
        name_sq="Policia e Kosovës – Drejtoria Rajonale Gjilan",
        level=ReportingLevel.REGIONAL,
    )
    for year, value in ((2025, 41), (2024, 30)):
        make_submission(
            dr, "POLICE", dt.date(year, 1, 1), dt.date(year, 3, 31), {("POL_CASES", ""): value}
        )
    make_submission(
        world.drenas.inst(K.POLICE),
        "POLICE",
        dt.date(2025, 1, 1),
        dt.date(2025, 3, 31),
        {("POL_CASES", ""): 12},
    )
    user = world.national
    device = totp_device_create(user=user)
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "test-password-123")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url("**/accounts/otp/**")
    page.fill("input[name=token]", _code(device))
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/national/?period_type=quarter&day=2025-02-01")
    assert page.locator("h1").inner_text() == "Kosova: pasqyra kombëtare"
    assert page.locator("table.matrix tbody tr").count() >= 38
    assert "53" in page.inner_text("#totals + div")
    _axe(page, "national-dashboard")
    _shot(page, "national-dashboard")
