"""The import preview in Debian's chromium: a column question, a refused import; axe-clean.
Screenshots go to $MKK_SCREENSHOTS (default: the test's tmp dir)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from mkk.plans.models import ActionPlan

from ..meetings.test_browser import _axe, _login
from . import docgen
from .test_import_safety import malformed

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
        yield browser.new_page(viewport={"width": 1280, "height": 1000}, locale="sq")
        browser.close()


@pytest.mark.django_db(transaction=True)
def test_import_preview_question_and_refusal(live_server, page, world, tmp_path, private_media):
    shots = Path(os.environ.get("MKK_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    _login(page, base, world.drenas.users["coordinator"])

    # A Serbian plan with one column title the import does not know: it asks, it does not guess
    serbian = tmp_path / "plan-sr.docx"
    serbian.write_bytes(
        docgen.build(
            docgen.Variant(
                labels=docgen.SERBIAN,
                override={"outputs": "Napomena o ishodu"},
                tables_after=[docgen.MONITORING_SR],
            )
        )
    )
    page.goto(f"{base}/m/drenas/plan/import/")
    page.set_input_files("input[type=file]", str(serbian))
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("#map_0")
    assert "Napomena o ishodu" in page.inner_text("fieldset")
    _axe(page, "import preview with a column question")
    page.screenshot(path=str(shots / "import-mapping-question.png"), full_page=False)
    page.select_option("#map_0", "outputs")
    page.click("button[name=remap]")
    page.wait_for_load_state()
    assert page.locator("#map_0").count() == 0

    # A malformed plan: refused whole, naming its rows, until each warning is accepted
    bad = tmp_path / "plan.txt"
    bad.write_bytes(malformed(docgen.SEED.read_bytes()))
    page.goto(f"{base}/m/drenas/plan/import/")
    page.set_input_files("input[type=file]", str(bad))
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("input[name=accept]")
    page.click("button[name=confirm]")
    page.wait_for_selector("[role=alert]")
    alert = page.inner_text("[role=alert]")
    assert "I.2.1" in alert and "I.1.1" in alert and "-1000" in alert
    assert ActionPlan.objects.count() == 0
    _axe(page, "refused import")
    page.screenshot(path=str(shots / "import-refused.png"), full_page=False)
    for box in page.locator("input[name=accept]").all():
        box.check()
    page.click("button[name=confirm]")
    page.wait_for_url("**/plans/imports/**")
    assert ActionPlan.objects.count() == 1
