"""The commands' CSV output is neutralised like the web exports (issue 12.7)."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command

from mkk.statistics.models import DataElement

pytestmark = pytest.mark.django_db
EVIL = '=HYPERLINK("http://evil.invalid","x")'


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_statistics_command_csv_is_neutralised(gjilan_report):
    DataElement.objects.filter(code="POL_CASES").update(name_sq=EVIL, name_en=EVIL, name_sr=EVIL)
    text = _run(
        "statistics",
        "--municipality",
        "gjilan",
        "--start",
        "2019-01-01",
        "--end",
        "2019-09-30",
        "--format",
        "csv",
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    labels = [r["label"] for r in rows if r["element"] == "POL_CASES"]
    assert labels and all(label == "'" + EVIL for label in labels)
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values() if v)


def test_dhis2_mapping_export_is_neutralised_and_loads_back(world, tmp_path):
    police = world.drenas.inst("police")
    police.name_sq = "+" + EVIL
    police.save()
    path = tmp_path / "map.csv"
    _run("statistics_dhis2_mapping", "--export", str(path), "--municipality", "drenas")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    row = next(r for r in rows if r["kind"] == "org_unit" and EVIL in r["institution"])
    assert row["institution"] == "'+" + EVIL
    row["orgUnit"] = "Ou123456789"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    assert "1 mappings" in _run("statistics_dhis2_mapping", "--load", str(path))
