from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError

from mkk.directory.models import InstitutionKind as K
from mkk.statistics import exchange
from mkk.statistics.comparison import compare_range
from mkk.statistics.models import DataValue, Submission

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def _figures(municipality):
    r = compare_range(municipality=municipality, start=D(2019, 1, 1), end=D(2019, 9, 30))
    return sorted(
        (row.institution.pk, row.element.code, row.disaggregation, row.current, row.previous)
        for row in r.rows
    )


def _wipe():
    DataValue.objects.all().delete()
    Submission.objects.all().delete()


def test_csv_round_trip_gives_the_same_figures(gjilan_report):
    municipality = gjilan_report.municipality
    before = _figures(municipality)
    csv_2019 = exchange.export_csv(
        municipality=municipality, start=D(2019, 1, 1), end=D(2019, 9, 30)
    )
    csv_2018 = exchange.export_csv(
        municipality=municipality, start=D(2018, 1, 1), end=D(2018, 9, 30)
    )
    assert ",83\r\n" in csv_2019 and "sex=female" in csv_2019
    _wipe()
    assert _figures(municipality) != before
    coordinator = gjilan_report.users["coordinator"]
    exchange.import_csv(
        csv_2019.encode(), actor=coordinator, municipality=municipality, approve=True
    )
    result = exchange.import_csv(csv_2018, actor=coordinator, municipality=municipality)
    assert result.values == 3
    assert _figures(municipality) == before


def test_dhis2_round_trip_gives_the_same_figures(gjilan_report):
    municipality = gjilan_report.municipality
    exchange.mapping_generate(municipality.institutions.all())
    before = _figures(municipality)
    docs = [
        exchange.export_dhis2(municipality=municipality, start=D(y, 1, 1), end=D(y, 9, 30))
        for y in (2019, 2018)
    ]
    values = json.loads(docs[0])["dataValues"]
    assert {v["period"] for v in values} == {"2019-01-01/2019-09-30"}
    assert all(set(v) >= {"dataElement", "orgUnit", "period", "value"} for v in values)
    _wipe()
    for doc in docs:
        exchange.import_dhis2(
            doc.encode(), actor=gjilan_report.users["coordinator"], municipality=municipality
        )
    assert _figures(municipality) == before


def test_dhis2_monthly_periods(world):
    exchange.mapping_generate(world.drenas.municipality.institutions.all())
    inst = world.drenas.inst(K.POLICE)
    from mkk.statistics.models import Dhis2DataElementMap, Dhis2OrgUnitMap

    de = Dhis2DataElementMap.objects.get(element__code="POL_CASES", key="")
    ou = Dhis2OrgUnitMap.objects.get(institution=inst)
    doc = {
        "dataValues": [
            {
                "dataElement": de.data_element_uid,
                "orgUnit": ou.org_unit_uid,
                "period": "202501",
                "value": "7",
            },
            {
                "dataElement": de.data_element_uid,
                "orgUnit": ou.org_unit_uid,
                "period": "2025Q2",
                "value": "19",
            },
        ]
    }
    exchange.import_dhis2(json.dumps(doc), actor=None, municipality=world.drenas.municipality)
    assert Submission.objects.get(period_start=D(2025, 4, 1)).period_end == D(2025, 6, 30)


def test_a_bad_file_is_refused_whole_naming_each_row(gjilan_report):
    police = gjilan_report.inst(K.POLICE).name_sq
    qps = gjilan_report.inst(K.SOCIAL_WORK).name_sq
    text = "\n".join(
        [
            ",".join(exchange.CSV_COLUMNS),
            f"gjilan,{police},POLICE,POL_CASES,,2020-01-01,2020-01-31,9",
            f"gjilan,{qps},SOCIAL_WORK,QPS_VICTIMS,,2020-01-01,2020-01-31,76",
            f"gjilan,{qps},SOCIAL_WORK,QPS_VICTIMS,sex=female,2020-01-01,2020-01-31,60",
            f"gjilan,{qps},SOCIAL_WORK,QPS_VICTIMS,sex=male,2020-01-01,2020-01-31,20",
            f"gjilan,{police},POLICE,POL_ARRESTS,,2020-01-01,2020-01-31,-3",
            f"gjilan,{police},POLICE,NOPE,,2020-01-01,2020-01-31,1",
            "gjilan,Nobody,POLICE,POL_CASES,,2020-01-01,2020-01-31,1",
            f"gjilan,{police},POLICE,POL_CASES,,2020-02-01,2020-02-31,1",
            f"gjilan,{police},POLICE,POL_CASES,,2020-03-01,2020-03-31,many",
        ]
    )
    count = Submission.objects.count()
    with pytest.raises(ValidationError) as exc:
        exchange.import_csv(
            text, actor=gjilan_report.users["coordinator"], municipality=gjilan_report.municipality
        )
    messages = exc.value.messages
    joined = "\n".join(messages)
    for row in ("Row 6", "Row 7", "Row 8", "Row 9", "Row 10", "Rows 3, 4, 5"):
        assert row in joined, (row, joined)
    assert "60 Female + 20 Male = 80" in joined
    assert Submission.objects.count() == count  # nothing landed, not even row 2


def test_focal_point_cannot_import_for_another_institution(gjilan_report):
    qps = gjilan_report.inst(K.SOCIAL_WORK).name_sq
    text = f"{','.join(exchange.CSV_COLUMNS)}\ngjilan,{qps},,QPS_VICTIMS,,2020-01-01,2020-01-31,5\n"
    with pytest.raises(ValidationError) as exc:
        exchange.import_csv(
            text,
            actor=gjilan_report.users[f"focal_{K.POLICE}"],
            municipality=gjilan_report.municipality,
        )
    assert "Row 2" in exc.value.messages[0]


def test_approved_figures_cannot_be_overwritten_by_import(gjilan_report):
    police = gjilan_report.inst(K.POLICE).name_sq
    header = ",".join(exchange.CSV_COLUMNS)
    text = f"{header}\ngjilan,{police},POLICE,POL_CASES,,2019-01-01,2019-09-30,99\n"
    with pytest.raises(ValidationError) as exc:
        exchange.import_csv(
            text, actor=gjilan_report.users["coordinator"], municipality=gjilan_report.municipality
        )
    assert "approved" in exc.value.messages[0]


def test_csv_export_neutralises_formulas(world):
    from mkk.statistics import services
    from mkk.statistics.models import DataSet

    inst = world.drenas.inst(K.POLICE)
    inst.name_sq = '=HYPERLINK("http://x")'
    inst.save()
    services.submission_save(
        actor=None,
        institution=inst,
        data_set=DataSet.objects.get(code="POLICE"),
        period_start=D(2025, 1, 1),
        period_end=D(2025, 1, 31),
        values={("POL_CASES", ""): 5},
        submit=True,
    )
    text = exchange.export_csv(
        municipality=world.drenas.municipality, start=D(2025, 1, 1), end=D(2025, 1, 31)
    )
    line = text.splitlines()[1]
    assert line.startswith("drenas,\"'=HYPERLINK") and line.endswith(",5")
    assert exchange.neutralise("-3+1") == "'-3+1" and exchange.neutralise("@x") == "'@x"
    assert exchange.neutralise("-3") == "-3"  # a plain number is data, not a formula
    assert exchange.unneutralise("'=x") == "=x"


def test_semicolon_csv_with_bom(gjilan_report):
    police = gjilan_report.inst(K.POLICE).name_sq
    header = ";".join(exchange.CSV_COLUMNS)
    text = f"\ufeff{header}\ngjilan;{police};;POL_CASES;;2020-01-01;2020-01-31;4\n"
    result = exchange.import_csv(
        text.encode(),
        actor=gjilan_report.users["coordinator"],
        municipality=gjilan_report.municipality,
    )
    assert result.submissions[0].values_dict() == {("POL_CASES", ""): 4}
