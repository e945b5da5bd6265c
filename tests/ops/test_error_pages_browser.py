# ruff: noqa: F811 - browser_page is a fixture imported from tests/web
"""Error pages in Debian's chromium: Albanian by default, inside the layout, axe-clean;
screenshots go to screenshots/errors-*.png for a person to look at."""

from __future__ import annotations

import pytest

from tests.web.test_browser import CHROMIUM, _axe, _shot, browser_page  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.urls("tests.ops.urls"),
    pytest.mark.skipif(not __import__("pathlib").Path(CHROMIUM).exists(), reason="no chromium"),
]

PAGES = {
    "404": ("/no/such/page/", 404, "Faqja nuk u gjet"),
    "403": ("/test-errors/403", 403, "Nuk keni të drejtë ta bëni këtë"),
    "400": ("/test-errors/400", 400, "Kërkesa nuk u kuptua"),
    "500": ("/test-errors/500", 500, "Diçka shkoi keq"),
}


@pytest.mark.django_db(transaction=True)
def test_error_pages_in_albanian(live_server, browser_page):
    page = browser_page
    for name, (path, status, title) in PAGES.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == status
        assert page.locator("h1").inner_text() == title
        assert page.locator("html").get_attribute("lang") == "sq"
        assert page.locator("a", has_text="Shkoni në faqen fillestare").count() == 1
        _axe(page, f"error {name}")
        _shot(page, f"errors-{name}-sq")


@pytest.mark.django_db(transaction=True)
def test_csrf_failure_page_in_albanian(live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.context.clear_cookies()  # the form's token no longer matches any cookie
    page.fill("#id_username", "someone")
    page.fill("#id_password", "whatever-password")
    with page.expect_response(lambda r: r.request.method == "POST") as info:
        page.locator("main form button[type=submit]").click()
    assert info.value.status == 403
    assert page.locator("h1").inner_text() == "Formulari ka skaduar"
    _axe(page, "error csrf")
    _shot(page, "errors-csrf-sq")
