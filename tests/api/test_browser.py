"""In Debian's chromium: the token page (create, copy once, revoke; axe-clean) and the API
docs page (Swagger UI from django-ninja's bundled files) under the strict CSP, with no
Content-Security-Policy violation and no request to another site."""

from __future__ import annotations

import pytest
from django_otp.oath import TOTP

from mkk.accounts.services import totp_device_create

from ..web.test_browser import CHROMIUM, _axe, _shot, browser_page  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser]


def _login(page, live_server, user):
    device = totp_device_create(user=user)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "test-password-123")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url("**/accounts/otp/**")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.fill("input[name=token]", f"{totp.token():06d}")
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.django_db(transaction=True)
def test_token_page_and_docs_in_the_browser(live_server, browser_page, world):  # noqa: F811
    page = browser_page
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if "Content Security Policy" in m.text
            or (m.type == "error" and "Failed to load" not in m.text)
            else None
        ),
    )
    page.on(
        "response",
        lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    foreign: list[str] = []
    page.on(
        "request",
        lambda r: (
            foreign.append(r.url)
            if not r.url.startswith((live_server.url, "data:", "blob:"))
            else None
        ),
    )
    _login(page, live_server, world.drenas.users["coordinator"])

    page.click('a[href="/profile/tokens/"]')
    page.wait_for_selector("h1")
    _axe(page, "api-tokens-empty")
    page.fill("#id_name", "Eksporti i statistikave")
    page.select_option("#id_days", "90")
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("#new-token")
    raw = page.input_value("#new-token")
    assert raw.startswith("mkk_")
    _axe(page, "api-tokens-created")
    _shot(page, "api-tokens")

    answer = page.request.get(
        f"{live_server.url}/api/municipalities", headers={"Authorization": f"Bearer {raw}"}
    )
    assert answer.status == 200 and answer.json()["items"][0]["code"] == "drenas"
    page.goto(f"{live_server.url}/profile/tokens/")
    assert raw not in page.content()  # shown once

    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "MKK API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-tag-section")
    _axe(page, "api-docs")
    page.locator(".opblock-summary-control").first.click()  # one operation opened
    page.wait_for_selector(".opblock-body")
    _axe(page, "api-docs-operation")
    page.click("text=Authorize")
    page.wait_for_selector(".auth-container input")
    _axe(page, "api-docs-authorize")
    _shot(page, "api-docs")
    page.keyboard.press("Escape")
    assert not problems, problems
    assert not foreign, foreign

    page.goto(f"{live_server.url}/profile/tokens/")
    page.click('form[action$="/revoke/"] button')
    page.wait_for_selector(".message-success")
    assert page.locator('form[action$="/revoke/"]').count() == 0  # revoked: nothing left to revoke
    after = page.request.get(
        f"{live_server.url}/api/municipalities", headers={"Authorization": f"Bearer {raw}"}
    )
    assert after.status == 401
