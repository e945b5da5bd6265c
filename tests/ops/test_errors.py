"""Error pages: the user's language, the site's layout, a way back; never Django's own."""

import pytest
from django.conf import settings
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.ops.urls")]

DJANGO_DEFAULTS = (
    "<h1>Not Found</h1>",
    "<h1>Bad Request (400)</h1>",
    "<h1>403 Forbidden</h1>",
    "<h1>Server Error (500)</h1>",
    "CSRF verification failed",
)

TITLES = {
    ("sq", 404): "Faqja nuk u gjet",
    ("en", 404): "Page not found",
    ("sr-latn", 404): "Stranica nije pronađena",
    ("sq", 403): "Nuk keni të drejtë ta bëni këtë",
    ("sq", 400): "Kërkesa nuk u kuptua",
    ("sq", 500): "Diçka shkoi keq",
    ("en", 500): "Something went wrong",
    ("sr-latn", 500): "Nešto nije u redu",
}


def _client(lang):
    client = Client(raise_request_exception=False)
    if lang != "sq":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client


def _check(response, status, lang):
    body = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{lang}">' in body
    assert TITLES[(lang, status)] in body
    assert 'href="/' in body  # a way back
    for text in DJANGO_DEFAULTS:
        assert text not in body
    return body


@pytest.mark.parametrize("lang", ["sq", "en", "sr-latn"])
def test_404_in_the_users_language_inside_the_layout(lang):
    settings.DEBUG = False
    body = _check(_client(lang).get("/no/such/page/"), 404, lang)
    assert 'class="site-header"' in body and 'class="skip-link"' in body
    assert 'class="lang-switch"' in body  # the full layout, language switcher included


def test_403_and_400_pages():
    _check(_client("sq").get("/test-errors/403"), 403, "sq")
    _check(_client("sq").get("/test-errors/400"), 400, "sq")


def test_disallowed_host_gets_the_400_page():
    response = _client("sq").get("/", HTTP_HOST="evil.example.org")
    _check(response, 400, "sq")


@pytest.mark.parametrize("lang", ["sq", "en", "sr-latn"])
def test_500_is_the_static_page_in_the_users_language(lang):
    body = _check(_client(lang).get("/test-errors/500"), 500, lang)
    assert "a bug" not in body and "Traceback" not in body
    assert "/static/web/mkk.css" in body


def test_csrf_failure_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "Formulari ka skaduar" in body and 'class="site-header"' in body
    assert "CSRF verification failed" not in body


def test_error_page_names_the_request_id():
    response = _client("sq").get("/no/such/page/", HTTP_X_REQUEST_ID="abcdef0123456789")
    assert response["X-Request-ID"] == "abcdef0123456789"
    assert "<code>abcdef0123456789</code>" in response.content.decode()
