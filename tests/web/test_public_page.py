"""The public page (issue 15.9): quick exit, addresses and hours, reports by language, favicon."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from mkk.directory.models import EmergencyContact
from mkk.reports.models import MonitoringReport, ReportStatus

pytestmark = pytest.mark.django_db
JS = Path(__file__).resolve().parents[2] / "src" / "mkk" / "web" / "static" / "web" / "mkk.js"


def test_favicon_answers(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_quick_exit_is_a_plain_link_first_on_the_page(client, world):
    body = client.get(reverse("web:public_municipality", kwargs={"code": "drenas"})).content
    html = body.decode()
    exit_at = html.index("data-quick-exit")
    assert exit_at < html.index('class="skip-link"')  # the first stop of the keyboard
    assert 'href="https://www.google.com/"' in html and 'rel="noreferrer"' in html
    assert "location.replace" in JS.read_text()
    index = client.get(reverse("directory:public_index")).content.decode()
    assert "data-quick-exit" in index


def test_addresses_hours_and_reports_by_language(client, world):
    EmergencyContact.objects.create(
        municipality=world.drenas.municipality,
        name_sq="Qendra për Punë Sociale",
        numbers=["038 584 356"],
        address="Rr. Skënderbeu",
        opening_hours="08:00–16:00",
        source="Faqja e komunës",
    )
    for language, title in (("sq", "Raporti shqip"), ("sr-latn", "Izveštaj srpski")):
        MonitoringReport.objects.create(
            mechanism=world.drenas.mechanism,
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 6, 30),
            language=language,
            title=title,
            status=ReportStatus.PUBLISHED,
        )
    url = reverse("web:public_municipality", kwargs={"code": "drenas"})
    client.cookies["django_language"] = "sr-latn"
    html = client.get(url).content.decode()
    assert "Rr. Skënderbeu" in html and "08:00–16:00" in html and "Faqja e komunës" in html
    # The Serbian report first; the Albanian one marked as such, with its language.
    assert html.index("Izveštaj srpski") < html.index("Raporti shqip")
    assert "samo na albanskom" in html and '<span lang="sq">Raporti shqip</span>' in html
    client.cookies["django_language"] = "sq"
    html = client.get(url).content.decode()
    assert html.index("Raporti shqip") < html.index("Izveštaj srpski")
    assert "vetëm në serbisht" in html and "vetëm në shqip" not in html


def test_unpublished_address_said_plainly_shelter_address_never_shown(client, world):
    from mkk.directory.models import Institution, InstitutionKind

    municipality = world.drenas.municipality
    shelter = Institution.objects.create(
        municipality=municipality, kind=InstitutionKind.SHELTER, name_sq="Strehimorja Provë"
    )
    police = Institution.objects.filter(municipality=municipality, kind="police").first()
    EmergencyContact.objects.create(
        municipality=municipality, name_sq="Thirrjet emergjente", numbers=["112"], order=0
    )
    EmergencyContact.objects.create(
        municipality=municipality,
        institution=police,
        name_sq="Policia e Kosovës",
        numbers=["038-584-092", "192"],
        order=1,
    )
    EmergencyContact.objects.create(
        municipality=municipality,
        institution=shelter,
        name_sq="Strehimorja Provë",
        numbers=["038 545 476"],
        address="Rruga e Strehimores 1",
        order=2,
    )
    client.cookies["django_language"] = "en"
    html = client.get(reverse("web:public_municipality", kwargs={"code": "drenas"})).content
    html = html.decode()
    assert html.count("24 hours a day") == 2  # 112 and 192, not the station's own number
    assert "Address and opening hours not published; call the number." in html
    assert "Rruga e Strehimores" not in html
    assert "for the safety of the people it shelters" in html
