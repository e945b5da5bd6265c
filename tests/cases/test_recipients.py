"""The referral recipient list: service providers only, grouped, sorted, and unambiguous."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mkk.cases import services
from mkk.directory.models import SERVICE_KINDS
from mkk.directory.models import InstitutionKind as K
from tests.conftest import login
from tests.factories import InstitutionFactory

from .helpers import open_case

pytestmark = pytest.mark.django_db


def _groups(html: str) -> list[tuple[str, list[str]]]:
    select = html[html.index('name="to_institution"') :]
    select = select[: select.index("</select>")]
    groups = []
    for label, body in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select, re.S):
        groups.append((label, re.findall(r"<option[^>]*>([^<]*)</option>", body)))
    return groups


def test_recipients_grouped_by_municipality_and_type_with_names_that_differ(client, world):
    drenas, gjilan = world.drenas, world.gjilan
    InstitutionFactory(municipality=drenas.municipality, kind=K.LEGAL_AID, name_sq="Agjencia NJF")
    InstitutionFactory(municipality=gjilan.municipality, kind=K.LEGAL_AID, name_sq="Agjencia NJF")
    InstitutionFactory(municipality=drenas.municipality, kind=K.MUNICIPALITY, name_sq="Komuna X")
    InstitutionFactory(municipality=drenas.municipality, kind=K.HUMAN_RIGHTS, name_sq="Zyra DNJ")
    user = drenas.users["case_police"]
    case = open_case(user)
    login(client, user)
    html = client.get(reverse("cases:refer", kwargs={"pk": case.pk})).content.decode()
    groups = _groups(html)
    labels = [label for label, _ in groups]
    town_d, town_g = drenas.municipality.name_sq, gjilan.municipality.name_sq
    # The case's own municipality first, then the others; each group is "town — type".
    assert labels[0].startswith(town_d)
    assert [lab for lab in labels if lab.startswith(town_g)] == labels[
        -len([lab for lab in labels if lab.startswith(town_g)]) :
    ]
    options = [opt for _, opts in groups for opt in opts]
    # Legal aid of two municipalities: two different labels, each naming its municipality.
    assert f"Agjencia NJF ({town_d})" in options
    assert f"Agjencia NJF ({town_g})" in options
    # Non-service bodies are not offered, nor the sender itself.
    assert not any(opt.startswith(("Komuna X", "Zyra DNJ")) for opt in options)
    assert not any(opt.startswith(user.institution.name_sq + " (") for opt in options)
    for _label, opts in groups:
        assert opts == sorted(opts, key=str.casefold)


def test_service_refuses_a_body_that_gives_no_service(world):
    user = world.drenas.users["case_police"]
    case = open_case(user)
    office = InstitutionFactory(
        municipality=world.drenas.municipality, kind=K.MUNICIPALITY, name_sq="Komuna"
    )
    assert office.kind not in SERVICE_KINDS
    with pytest.raises(ValidationError):
        services.referral_send(actor=user, case=case, to_institution=office, reason="r")


def test_case_worker_searches_by_reference_and_filters(client, world):
    user = world.drenas.users["case_police"]
    first = open_case(user, external_reference="PK-2026-001")
    second = open_case(user, ident=None)
    services.case_close(actor=user, case=second)
    login(client, user)
    url = reverse("cases:index", kwargs={"code": "drenas"})

    def refs(**params):
        html = client.get(url, params).content.decode()
        return {
            c.reference
            for c in (first, second)
            if reverse("cases:detail", kwargs={"pk": c.pk}) + '"' in html
        }

    assert refs() == {first.reference, second.reference}
    assert refs(q=first.reference) == {first.reference}
    assert refs(q="pk-2026") == {first.reference}
    assert refs(risk="high") == {first.reference, second.reference}
    assert refs(risk="low") == set()
    assert refs(year=first.opened_on.year) == {first.reference, second.reference}
    assert refs(year=first.opened_on.year - 1) == set()
    assert refs(institution=user.institution_id) == {first.reference, second.reference}
    assert refs(status="closed") == {second.reference}
    assert refs(status="open") == {first.reference}
    # A bad filter value is ignored, never an error page.
    assert client.get(url, {"year": "x", "risk": "<b>"}).status_code == 200
    # Searching never reaches another institution's cases.
    other = open_case(world.drenas.users["case_social_work"])
    html = client.get(url, {"q": other.reference}).content.decode()
    assert reverse("cases:detail", kwargs={"pk": other.pk}) + '"' not in html
