"""monitoring_report --national / --region: the same engine, every format and language, and
small numbers suppressed across regions in the public version."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from mkk.directory.models import InstitutionKind as K
from mkk.directory.models import Municipality, ReportingLevel
from mkk.reports.national import build_national_data
from mkk.reports.suppression import holds, is_small, sum_relation
from tests.factories import InstitutionFactory
from tests.reports.test_suppression import rank_determined
from tests.statistics.conftest import make_submission

pytestmark = pytest.mark.django_db
Q1 = (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
Q1_BEFORE = (dt.date(2024, 1, 1), dt.date(2024, 3, 31))


@pytest.fixture
def police(world):
    from mkk.statistics.catalogue import ensure_default_catalogue

    ensure_default_catalogue()
    dr = InstitutionFactory(
        municipality=world.gjilan.municipality,
        kind=K.POLICE,
        name_sq="DRP Gjilan",
        level=ReportingLevel.REGIONAL,
    )
    peja = InstitutionFactory(
        municipality=Municipality.objects.get(code="peja"), kind=K.POLICE, name_sq="SP Pejë"
    )
    for inst, now, before in ((dr, 41, 30), (world.drenas.inst(K.POLICE), 12, 9), (peja, 3, 6)):
        make_submission(inst, "POLICE", *Q1, {("POL_CASES", ""): now})
        make_submission(inst, "POLICE", *Q1_BEFORE, {("POL_CASES", ""): before})
    return dr


def _run(tmp_path, *where, fmt="html", lang="sq", public=False):
    out = tmp_path / f"n.{fmt}"
    call_command(
        "monitoring_report",
        *where,
        "--start",
        "2025-01-01",
        "--end",
        "2025-03-31",
        "--lang",
        lang,
        "--format",
        fmt,
        "--output",
        str(out),
        *(["--public"] if public else []),
        stdout=io.StringIO(),
    )
    return out.read_bytes()


def test_national_report_in_four_formats_and_three_languages(police, tmp_path):
    html = _run(tmp_path, "--national").decode()
    assert "Raport kombëtar" in html or "National monitoring report" in html
    for text in ("Kosova", "DRP Gjilan", "Drenas"):
        assert text in html
    assert ">56<" in html  # 41 + 12 + 3, counted once each
    en = _run(tmp_path, "--national", lang="en").decode()
    assert "National monitoring report on domestic violence" in en and "By police region" in en
    sr = _run(tmp_path, "--national", lang="sr").decode()
    assert "Nacionalni izveštaj" in sr
    docx = _run(tmp_path, "--national", fmt="docx")
    body = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    assert "56" in body and "DRP Gjilan" in body
    pdf = _run(tmp_path, "--national", fmt="pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "56" in text and "Kosova" in text
    xlsx = _run(tmp_path, "--national", fmt="xlsx")
    wb = load_workbook(io.BytesIO(xlsx))
    values = [c for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    assert 56 in values and 41 in values


def test_region_report_counts_only_its_region(police, tmp_path):
    html = _run(tmp_path, "--region", "gjilan").decode()
    assert "Raport rajonal i monitorimit" in html and "DRP Gjilan" in html
    assert "Drenas" not in html and ">41<" in html


def test_public_version_hides_small_numbers_across_regions(police):
    data = build_national_data(start=Q1[0], end=Q1[1], language="en", public=True)
    places = {
        f["institution"]["id"]: f for f in data["figures"] if f["element"]["code"] == "POL_CASES"
    }
    assert set(places) >= {"kosovo", "region-peja", "region-gjilan", "region-prishtina"}
    assert not any(k.startswith("institution-") or k in ("drenas", "peja") for k in places)
    peja = places["region-peja"]
    assert peja["values"][""]["current"] is None and peja["hidden"][""]["current"] == "primary"
    # Peja's 3 cannot be worked out as Kosovo minus the other regions: one more cell hidden.
    others = [
        f
        for k, f in places.items()
        if k not in ("kosovo", "region-peja") and f["values"][""].get("current") is not None
    ]
    total = places["kosovo"]["values"][""]["current"]
    assert total is None or sum(f["values"][""]["current"] for f in others) != total - 3
    internal = build_national_data(start=Q1[0], end=Q1[1], language="en", public=False)
    assert any(f["institution"]["id"] == "peja" for f in internal["figures"])


def test_unknown_region_is_refused(seeded, tmp_path):
    with pytest.raises(CommandError, match="gjilan"):
        _run(tmp_path, "--region", "nowhere")


def test_public_region_total_does_not_give_away_a_unit_published_elsewhere(police):
    """Each unit's figure is public in its municipality's report (here DRP Gjilan's 41 and
    Drenas's 12); a small unit (Kamenica's 2) must not follow as its region minus those."""
    kamenica = InstitutionFactory(
        municipality=Municipality.objects.get(code="kamenica"), kind=K.POLICE, name_sq="SP K"
    )
    make_submission(kamenica, "POLICE", *Q1, {("POL_CASES", ""): 2})
    make_submission(kamenica, "POLICE", *Q1_BEFORE, {("POL_CASES", ""): 7})
    public = build_national_data(start=Q1[0], end=Q1[1], language="en", public=True)
    internal = build_national_data(start=Q1[0], end=Q1[1], language="en", public=False)
    shown = {
        (f["institution"]["id"], f["element"]["code"], key, field): cell[field]
        for f in public["figures"]
        for key, cell in f["values"].items()
        for field in ("current", "previous", "difference")
    }
    assert ("region-gjilan", "POL_CASES", "", "current") in shown
    assert shown[("region-gjilan", "POL_CASES", "", "current")] is None  # 43 = 41 + 2
    # The reader's system: every place's cell, units known unless small (<5 in their report).
    values, relations, parent = {}, [], {}
    for f in internal["figures"]:
        if f["element"]["code"] != "POL_CASES":
            continue
        p = f["institution"]["id"]
        for field in ("current", "previous"):
            values[(p, field)] = f["values"][""][field]
    units = {p for p, _f in values if not p.startswith(("region-", "kosovo"))}
    for p in units:
        parent[p] = f"region-{_municipality_of(p).region.code}"
    for field in ("current", "previous"):
        for top in {parent[p] for p in units}:
            relations.append(
                sum_relation((top, field), [(p, field) for p in units if parent[p] == top])
            )
        regions = [p for p, f in values if p.startswith("region-") and f == field]
        relations.append(sum_relation(("kosovo", field), [(r, field) for r in regions]))
        values.setdefault(("kosovo", field), None)
    hidden = {
        k
        for k in values
        if (k[0] in units and is_small(values[k]))
        or (k[0] not in units and shown.get((k[0], "POL_CASES", "", k[1]), 0) is None)
    }
    usable = [r for r in relations if holds(values, r)]
    assert hidden and not rank_determined(usable, hidden)


def _municipality_of(place_id: str) -> Municipality:
    from mkk.directory.models import Institution

    if place_id.startswith("institution-"):
        return Institution.objects.get(pk=int(place_id.rsplit("-", 1)[-1])).municipality
    return Municipality.objects.get(code=place_id)


def test_public_total_and_breakdown_do_not_give_away_a_small_part(world, police):
    """Kosovo's victims equal one unit's (7 = 6 women + 1 man): the unit's own report hides
    its women as a complement, so Kosovo must not show 7 and 6 side by side either."""
    from mkk.statistics.models import DataElement, DataValue, Submission

    element = DataElement.objects.get(code="POL_VICTIMS")
    rows = (("", 7, 9), ("sex=female", 6, 8), ("sex=male", 1, 1))
    for period, column in ((Q1, 1), (Q1_BEFORE, 2)):
        sub = Submission.objects.get(
            institution=world.drenas.inst(K.POLICE), period_start=period[0]
        )
        for row in rows:
            DataValue.objects.create(submission=sub, element=element, key=row[0], value=row[column])
    data = build_national_data(start=Q1[0], end=Q1[1], language="en", public=True)
    for fig in data["figures"]:
        if fig["element"]["code"] != "POL_VICTIMS":
            continue
        for field in ("current", "previous"):
            total = fig["values"][""][field]
            women = fig["values"]["sex=female"][field]
            men = fig["values"]["sex=male"][field]
            assert men is None
            assert total is None or women is None, (fig["institution"]["id"], field)
