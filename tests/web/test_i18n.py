"""Albanian by default; English and Serbian (Latin) on request."""

import pytest
from django.urls import reverse

from tests.conftest import login


@pytest.mark.django_db
def test_albanian_is_the_default(client, world):
    login(client, world.drenas.users["coordinator"])
    body = client.get(reverse("directory:municipality", kwargs={"code": "drenas"})).content.decode()
    assert '<html lang="sq">' in body
    assert "Anëtarët" in body or "Anëtarë" in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "html_lang", "word"), [("en", "en", "Members"), ("sr-latn", "sr-latn", "Članovi")]
)
def test_language_switch(client, world, lang, html_lang, word):
    login(client, world.drenas.users["coordinator"])
    url = reverse("directory:municipality", kwargs={"code": "drenas"})
    response = client.post(reverse("set_language"), {"language": lang, "next": url})
    assert response.status_code == 302
    body = client.get(url).content.decode()
    assert f'<html lang="{html_lang}">' in body
    assert word in body


@pytest.mark.django_db
def test_browser_language_does_not_override_albanian(client):
    body = client.get("/public/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="sq">' in body


@pytest.mark.django_db
def test_unknown_language_cookie_falls_back_to_albanian(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="sq">' in client.get("/public/").content.decode()
