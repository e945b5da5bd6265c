"""In Debian's chromium: a focal point enters figures (the live check refuses 60 + 20 = 76),
submits; the coordinator approves and sees the Gjilan comparison; axe-core finds no WCAG 2.1
AA violation on the pages."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from mkk.directory.models import InstitutionKind as K
from mkk.statistics.models import DataSet, Status, Submission

from ..meetings.test_browser import _axe, _login

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
        yield browser.new_page(viewport={"width": 1280, "height": 900}, locale="sq")
        browser.close()


@pytest.mark.django_db(transaction=True)
def test_entry_approval_and_comparison_in_the_browser(live_server, page, world, gjilan_report):
    base = live_server.url
    g = world.gjilan
    ds = DataSet.objects.get(code="SOCIAL_WORK")
    _login(page, base, g.users[f"focal_{K.SOCIAL_WORK}"])
    page.goto(f"{base}/m/gjilan/statistics/entry/")
    _axe(page, "entry")
    page.goto(
        f"{base}/statistics/institutions/{g.inst(K.SOCIAL_WORK).pk}/data-sets/{ds.pk}/"
        "?start=2020-01-01&end=2020-09-30"
    )
    page.fill("#id_v__QPS_VICTIMS__total", "76")
    page.fill("#id_v__QPS_VICTIMS__sex-female", "60")
    page.fill("#id_v__QPS_VICTIMS__sex-male", "20")
    page.locator("#id_v__QPS_VICTIMS__sex-male").blur()
    page.wait_for_selector("#live-check .message-error")
    assert "60 Femra + 20 Meshkuj = 80" in page.inner_text("#live-check")
    # The grid shows the sum of the parts as you type and marks the fields that do not add up.
    out = page.locator('output[data-sum="QPS_VICTIMS:sex"]')
    assert out.inner_text() == "80 \u2260 76"
    for field in ("total", "sex-female", "sex-male"):
        assert "mismatch" in page.get_attribute(f"#id_v__QPS_VICTIMS__{field}", "class")
    if os.environ.get("MKK_SCREENSHOTS"):
        page.screenshot(
            path=os.path.join(os.environ["MKK_SCREENSHOTS"], "grid.png"), full_page=True
        )
    _axe(page, "entry form")
    page.fill("#id_v__QPS_VICTIMS__sex-female", "56")
    assert out.inner_text() == "76"
    assert "mismatch" not in (page.get_attribute("#id_v__QPS_VICTIMS__total", "class") or "")
    page.click("button[name=submit]")
    page.wait_for_url("**/statistics/submissions/**")
    sub = Submission.objects.get(period_start="2020-01-01")
    assert sub.status == Status.SUBMITTED
    _axe(page, "submission")

    _login(page, base, g.users["coordinator"])
    page.goto(f"{base}/statistics/submissions/{sub.pk}/")
    page.click("form[action$='/approve/'] button")
    page.wait_for_load_state()
    sub.refresh_from_db()
    assert sub.status == Status.APPROVED
    page.goto(f"{base}/m/gjilan/statistics/?start=2019-01-01&end=2019-09-30")
    text = page.inner_text("main")
    assert "janar – shtator 2019" in text and "+6,4%" in text and "−22,7%" in text
    _axe(page, "statistics")
    page.goto(f"{base}/m/gjilan/statistics/completeness/?period_type=quarter&day=2020-02-01")
    _axe(page, "completeness")
