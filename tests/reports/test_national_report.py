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
from tests.factories import InstitutionFactory
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


def test_unknown_region_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="gjilan"):
        _run(tmp_path, "--region", "nowhere")
