"""National and regional aggregation: every unit counted once, at its reporting level."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from mkk.directory.models import InstitutionKind as K
from mkk.directory.models import Municipality, Region, ReportingLevel
from mkk.statistics.comparison import compare_range
from tests.factories import InstitutionFactory

from .conftest import make_submission

D = dt.date
JAN = (D(2025, 1, 1), D(2025, 1, 31))
JAN_BEFORE = (D(2024, 1, 1), D(2024, 1, 31))
pytestmark = pytest.mark.django_db


@pytest.fixture
def police(world):
    """Police reporting units of two regions, with January 2025 and 2024 figures.

    Gjilan region: the Regional Directorate (regional level, seated in Gjilan), Gjilan's
    station (the world's police institution) and Kamenica's station. Prishtina region:
    Drenas's station. Kosovo: a national unit (counted in the national total only).
    """
    kamenica = Municipality.objects.get(code="kamenica")
    units = {
        "gjilan_dr": InstitutionFactory(
            municipality=world.gjilan.municipality,
            kind=K.POLICE,
            name_sq="DRP Gjilan",
            level=ReportingLevel.REGIONAL,
        ),
        "gjilan": world.gjilan.inst(K.POLICE),
        "kamenica": InstitutionFactory(municipality=kamenica, kind=K.POLICE, name_sq="SP Kamenicë"),
        "drenas": world.drenas.inst(K.POLICE),
        "national": InstitutionFactory(
            municipality=world.drenas.municipality,
            kind=K.POLICE,
            name_sq="DPP Njësia kombëtare",
            level=ReportingLevel.NATIONAL,
        ),
    }
    figures = {"gjilan_dr": (40, 30), "gjilan": (7, 5), "kamenica": (3, 4), "drenas": (11, 9)}
    figures["national"] = (2, 1)
    for key, (now, before) in figures.items():
        make_submission(units[key], "POLICE", *JAN, {("POL_CASES", ""): now})
        make_submission(units[key], "POLICE", *JAN_BEFORE, {("POL_CASES", ""): before})
    return units, figures


def _cases(totals):
    row = totals.get("POL_CASES")
    return None if row is None else (row.current, row.previous)


def test_region_total_is_its_municipalities_plus_its_regional_units_once(police):
    units, f = police
    r = compare_range(region="gjilan", start=JAN[0], end=JAN[1])
    expected_now = f["gjilan"][0] + f["kamenica"][0] + f["gjilan_dr"][0]
    expected_before = f["gjilan"][1] + f["kamenica"][1] + f["gjilan_dr"][1]
    assert _cases(r.totals) == (expected_now, expected_before)
    assert _cases(r.regions["gjilan"]) == (expected_now, expected_before)
    # Each unit once: the directorate is its own unit, not part of Gjilan municipality.
    by_unit = {key: _cases(t) for key, (unit, t) in r.units.items()}
    assert by_unit["gjilan"] == f["gjilan"]
    assert by_unit["kamenica"] == f["kamenica"]
    assert by_unit[f"institution-{units['gjilan_dr'].pk}"] == f["gjilan_dr"]
    assert sum(v[0] for v in by_unit.values()) == expected_now
    assert "drenas" not in by_unit and f"institution-{units['national'].pk}" not in by_unit


def test_national_total_is_the_sum_of_regions_plus_national_units(police):
    units, f = police
    r = compare_range(national=True, start=JAN[0], end=JAN[1])
    assert _cases(r.totals) == (sum(v[0] for v in f.values()), sum(v[1] for v in f.values()))
    regional_sum = sum(t.value("POL_CASES") or 0 for t in r.regions.values())
    assert regional_sum + f["national"][0] == r.totals.value("POL_CASES")
    assert _cases(r.regions["prishtina"]) == f["drenas"]
    assert r.regions["peja"].get("POL_CASES") is None  # no figure: missing, not zero
    # Whatever the scope, a unit's figure is the same.
    g = compare_range(region=Region.objects.get(code="gjilan"), start=JAN[0], end=JAN[1])
    assert _cases(g.totals) == _cases(r.regions["gjilan"])


def test_municipal_report_still_lists_every_institution_seated_there(police):
    units, f = police
    gjilan = Municipality.objects.get(code="gjilan")
    r = compare_range(municipality=gjilan, start=JAN[0], end=JAN[1])
    assert r.get(units["gjilan_dr"], "POL_CASES").current == f["gjilan_dr"][0]
    assert r.get(units["gjilan"], "POL_CASES").current == f["gjilan"][0]
    assert r.scope == "municipality"


def test_missing_units_are_named_and_rates_need_a_population(police):
    units, f = police
    r = compare_range(region="gjilan", start=D(2025, 1, 1), end=D(2025, 2, 28))
    missing = {(c.institution.pk, c.data_set.code): c.current for c in r.missing}
    assert missing[(units["gjilan"].pk, "POLICE")] == "partial"
    # Municipalities of the region no police unit reports for: none (the directorate serves
    # all of them); but no shelter serves Viti.
    assert r.uncovered["police"] == []
    assert "viti" in {m.code for m in r.uncovered["shelter"]}
    # No population for Gjilan and Kamenica: no rate for the region.
    assert r.totals.population is None and r.totals.get("POL_CASES").current_per_10k is None
    Municipality.objects.filter(code="gjilan").update(population=80000)
    r = compare_range(region="gjilan", start=JAN[0], end=JAN[1])
    gjilan_totals = r.units["gjilan"][1]
    assert gjilan_totals.get("POL_CASES").current_per_10k == Decimal("0.88")  # 7 / 8


def test_scope_arguments_are_checked(world):
    with pytest.raises(ValueError):
        compare_range(start=JAN[0], end=JAN[1])
    with pytest.raises(ValueError):
        compare_range(
            municipality=world.gjilan.municipality, national=True, start=JAN[0], end=JAN[1]
        )


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_done_when_import_every_police_unit_then_statistics_national(world, tmp_path):
    """Figures of every police reporting unit, loaded through statistics_import, come out of
    `statistics --national` per region and in total, equal to the SQL sum of what was loaded."""
    rows = [
        "municipality,institution,data_set,element,disaggregation,period_start,period_end,value"
    ]
    n = 0
    for region in Region.objects.all():
        seat = region.municipalities.order_by("code").first()
        InstitutionFactory(
            municipality=seat,
            kind=K.POLICE,
            name_sq=f"DRP {region.code}",
            level=ReportingLevel.REGIONAL,
        )
        rows.append(
            f"{seat.code},DRP {region.code},POLICE,POL_CASES,,2025-03-01,2025-03-31,{n + 5}"
        )
        n += 1
    for m in Municipality.objects.filter(region__isnull=False).order_by("code"):
        inst = m.institutions.filter(kind=K.POLICE, level=ReportingLevel.MUNICIPAL).first()
        if inst is None:
            inst = InstitutionFactory(municipality=m, kind=K.POLICE, name_sq=f"SP {m.code}")
        rows.append(f"{m.code},{inst.name_sq},POLICE,POL_CASES,,2025-03-01,2025-03-31,{n % 17}")
        n += 1
    path = tmp_path / "police.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert "Imported 46 values" in _run("statistics_import", str(path), "--approve")

    data = json.loads(
        _run(
            "statistics",
            "--national",
            "--start",
            "2025-03-01",
            "--end",
            "2025-03-31",
            "--format",
            "json",
        )
    )
    printed = {
        (r["level"], r["place"]): r["current"]
        for r in data["rows"]
        if r["element"] == "POL_CASES" and r["disaggregation"] == ""
    }
    with connection.cursor() as cur:
        cur.execute(
            """SELECT rg.name_sq, SUM(v.value) FROM statistics_datavalue v
            JOIN statistics_submission s ON s.id = v.submission_id
            JOIN directory_institution i ON i.id = s.institution_id
            JOIN directory_municipality m ON m.id = i.municipality_id
            JOIN directory_region rg ON rg.id = COALESCE(i.region_id, m.region_id)
            WHERE s.period_start >= '2025-03-01' AND s.period_end <= '2025-03-31'
            GROUP BY rg.name_sq"""
        )
        by_region = dict(cur.fetchall())
        cur.execute("SELECT SUM(value) FROM statistics_datavalue")
        (national,) = cur.fetchone()
    assert len(by_region) == 8
    for name, total in by_region.items():
        assert printed[("region", name)] == total, name
    assert printed[("national", "Kosova")] == national == sum(by_region.values())
    table = _run("statistics", "--national", "--start", "2025-03-01", "--end", "2025-03-31")
    assert "[national] Kosova" in table and table.count("[region]") == 8
    csv_text = _run(
        "statistics",
        "--region",
        "gjilan",
        "--start",
        "2025-03-01",
        "--end",
        "2025-03-31",
        "--format",
        "csv",
    )
    assert csv_text.splitlines()[0].startswith("level,place,element")


def test_statistics_command_unknown_region(db):
    with pytest.raises(CommandError, match="No region"):
        call_command(
            "statistics", "--region", "nowhere", "--start", "2025-01-01", "--end", "2025-01-31"
        )


def test_statistics_export_national_and_region(police):
    text = _run("statistics_export", "--national", "--start", "2025-01-01", "--end", "2025-01-31")
    assert len(text.strip().splitlines()) == 1 + 5
    text = _run(
        "statistics_export", "--region", "gjilan", "--start", "2025-01-01", "--end", "2025-01-31"
    )
    lines = text.strip().splitlines()[1:]
    assert len(lines) == 3 and not any("drenas" in line for line in lines)
