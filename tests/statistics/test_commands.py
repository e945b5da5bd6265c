from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from mkk.statistics.models import DataValue, Submission

pytestmark = pytest.mark.django_db
RANGE = ["--municipality", "gjilan", "--start", "2019-01-01", "--end", "2019-09-30"]


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_statistics_command_table(gjilan_report):
    text = _run("statistics", *RANGE)
    assert "janar – shtator 2019" in text
    police = next(line for line in text.splitlines() if "(POL_CASES)" in line)
    assert police.split()[-4:] == ["83", "78", "+5", "+6,4%"]
    assert "full" in text and "none" in text


def test_statistics_command_csv_and_json(gjilan_report):
    rows = list(csv.DictReader(io.StringIO(_run("statistics", *RANGE, "--format", "csv"))))
    qps = next(r for r in rows if r["element"] == "QPS_VICTIMS" and r["disaggregation"] == "")
    assert (qps["current"], qps["previous"], qps["difference"], qps["percent"]) == (
        "76",
        "80",
        "-4",
        "-5.0",
    )
    female = next(r for r in rows if r["disaggregation"] == "sex=female")
    assert (female["current"], female["previous"], female["percent"]) == ("59", "", "")
    data = json.loads(_run("statistics", *RANGE, "--format", "json", "--language", "en"))
    assert data["label"] == "January – September 2019"
    shelter = [r for r in data["rows"] if r["element"] == "STR_PERSONS"]
    assert [(r["disaggregation"], r["current"]) for r in shelter] == [
        ("", 51),
        ("age=adult", 25),
        ("age=child", 26),
    ]
    assert shelter[0]["difference"] == -15 and shelter[0]["previous"] == 66
    cov = {c["data_set"]: c["current"] for c in data["coverage"]}
    assert cov["POLICE"] == "full" and cov["COURT"] == "none"


def test_statistics_command_bad_input(db):
    with pytest.raises(CommandError):
        call_command(
            "statistics",
            "--municipality",
            "nowhere",
            "--start",
            "2019-01-01",
            "--end",
            "2019-09-30",
        )
    with pytest.raises(CommandError):
        call_command(
            "statistics", "--municipality", "x", "--start", "2019-13-01", "--end", "2019-09-30"
        )


def test_export_import_commands_round_trip(gjilan_report, tmp_path):
    _run("statistics_dhis2_mapping", "--generate-demo", "--municipality", "gjilan")
    before = _run("statistics", *RANGE, "--format", "csv")
    for fmt, name in (("csv", "f.csv"), ("dhis2", "f.json")):
        files = []
        for year in (2019, 2018):
            path = tmp_path / f"{year}-{name}"
            _run(
                "statistics_export",
                "--municipality",
                "gjilan",
                "--start",
                f"{year}-01-01",
                "--end",
                f"{year}-09-30",
                "--format",
                fmt,
                "-o",
                str(path),
            )
            files.append(path)
        DataValue.objects.all().delete()
        Submission.objects.all().delete()
        for path in files:
            assert "Imported" in _run(
                "statistics_import", str(path), "--municipality", "gjilan", "--approve"
            )
        assert _run("statistics", *RANGE, "--format", "csv") == before


def test_import_command_refuses_bad_file(gjilan_report, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "municipality,institution,element,disaggregation,period_start,period_end,value\n"
        "gjilan,Nobody,POL_CASES,,2020-01-01,2020-01-31,4\n"
    )
    with pytest.raises(CommandError, match="Rreshti 2"):  # Albanian by default
        call_command("statistics_import", str(path))


def test_mapping_table_export_and_load(world, tmp_path):
    path = tmp_path / "map.csv"
    _run("statistics_dhis2_mapping", "--export", str(path), "--municipality", "drenas")
    rows = list(csv.DictReader(path.open()))
    row = next(r for r in rows if r["element"] == "POL_CASES")
    row["dataElement"] = "Abcdefghij1"
    inst_row = next(r for r in rows if r["kind"] == "org_unit")
    inst_row["orgUnit"] = "Ou123456789"
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    assert "2 mappings" in _run("statistics_dhis2_mapping", "--load", str(path))
    inst_row["orgUnit"] = "bad"
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(CommandError):
        call_command("statistics_dhis2_mapping", "--load", str(path))


def test_catalogue_command(db):
    assert "0 rows added" in _run("statistics_catalogue")


def test_demo_is_idempotent(db):
    from mkk.directory import demo as directory_demo
    from mkk.statistics import demo
    from mkk.statistics.comparison import compare_range

    directory = directory_demo.load()
    demo.load(directory)
    count = Submission.objects.count()
    demo.load(directory)
    assert Submission.objects.count() == count
    assert (
        Submission.objects.filter(is_synthetic=True)
        .exclude(institution__municipality__code="drenas")
        .count()
        == 0
    )
    gjilan = directory["municipalities"]["gjilan"]
    import datetime as dt

    r = compare_range(municipality=gjilan, start=dt.date(2019, 1, 1), end=dt.date(2019, 9, 30))
    assert r.get("police", "POL_CASES").current == 83
    assert r.get("shelter", "STR_PERSONS", "age=child").current == 26
    drenas = directory["municipalities"]["drenas"]
    r = compare_range(municipality=drenas, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    assert all(c.current == "full" for c in r.coverage if c.institution.kind != "other")
    cases = r.get("police", "POL_CASES").current
    assert 60 <= cases <= 180
