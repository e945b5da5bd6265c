"""Bounded inputs (issue 12, item 6): every imported figure is bounded like the form; deep or
huge JSON is refused with a message; arbitrary CSV and JSON never raise anything but a
refusal, and nothing partial is written."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkk.audit.models import AuditEntry
from mkk.directory.models import InstitutionKind as K
from mkk.statistics import exchange
from mkk.statistics.forms import MAX_FIGURE
from mkk.statistics.models import DataValue, Dhis2DataElementMap, Dhis2OrgUnitMap, Submission

pytestmark = pytest.mark.django_db
PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def _csv(world, value: str) -> str:
    police = world.drenas.inst(K.POLICE).name_sq
    return "\n".join(
        [
            ",".join(exchange.CSV_COLUMNS),
            f"drenas,{police},POLICE,POL_CASES,,2025-01-01,2025-01-31,{value}",
        ]
    )


def _dhis2(world, value) -> str:
    exchange.mapping_generate(world.drenas.municipality.institutions.all())
    de = Dhis2DataElementMap.objects.get(element__code="POL_CASES", key="")
    ou = Dhis2OrgUnitMap.objects.get(institution=world.drenas.inst(K.POLICE))
    return json.dumps(
        {
            "dataValues": [
                {
                    "dataElement": de.data_element_uid,
                    "orgUnit": ou.org_unit_uid,
                    "period": "202501",
                    "value": value,
                }
            ]
        }
    )


@pytest.mark.parametrize("value", [2**31, 2**63, 10**40, MAX_FIGURE + 1])
def test_figures_beyond_the_form_maximum_are_row_errors(world, value):
    coordinator = world.drenas.users["coordinator"]
    for data, importer in (
        (_csv(world, str(value)), exchange.import_csv),
        (_dhis2(world, str(value)), exchange.import_dhis2),
        (_dhis2(world, value), exchange.import_dhis2),
    ):
        with pytest.raises(ValidationError) as info:
            importer(data, actor=coordinator, municipality=world.drenas.municipality)
        joined = " ".join(info.value.messages)
        assert "Row 2" in joined or "Value 1" in joined, joined
    assert Submission.objects.count() == 0


def test_the_form_maximum_itself_is_accepted(world):
    coordinator = world.drenas.users["coordinator"]
    exchange.import_csv(
        _csv(world, str(MAX_FIGURE)), actor=coordinator, municipality=world.drenas.municipality
    )
    assert DataValue.objects.get().value == MAX_FIGURE


@pytest.mark.parametrize(
    "data",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"dataValues": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"a": ' * 50 + "1" + "}" * 50,
        '{"dataValues": [{"value": Infinity}]}',
        '{"dataValues": [{"value": NaN, "period": {"x": [1]}}]}',
    ],
)
def test_deep_or_odd_json_is_refused_with_a_message(world, data):
    coordinator = world.drenas.users["coordinator"]
    with pytest.raises(ValidationError) as info:
        exchange.import_dhis2(data, actor=coordinator, municipality=world.drenas.municipality)
    assert info.value.messages and all(m for m in info.value.messages)
    assert Submission.objects.count() == 0


def test_huge_json_is_refused(world, monkeypatch):
    monkeypatch.setattr(exchange, "MAX_JSON_BYTES", 1000)
    with pytest.raises(ValidationError) as info:
        exchange.import_dhis2(
            " " * 1001 + "{}",
            actor=world.drenas.users["coordinator"],
            municipality=world.drenas.municipality,
        )
    assert "larger than" in info.value.messages[0]


def _refused_or_complete(world, importer, data) -> None:
    before = (Submission.objects.count(), DataValue.objects.count(), AuditEntry.objects.count())
    try:
        importer(
            data, actor=world.drenas.users["coordinator"], municipality=world.drenas.municipality
        )
    except (ValidationError, PermissionDenied) as exc:
        assert getattr(exc, "messages", ["forbidden"])
        after = (Submission.objects.count(), DataValue.objects.count(), AuditEntry.objects.count())
        assert after == before  # nothing partial
    # any other exception fails the test


cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["drenas", "POLICE", "POL_CASES", "2025-01-01", "2025-01-31", "-1", "9" * 25]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


@PROPERTY
@given(rows=st.lists(st.lists(cells, max_size=10), max_size=6), header=st.booleans())
def test_property_arbitrary_csv_is_refused_or_imported_whole(world, rows, header):
    lines = [",".join(exchange.CSV_COLUMNS)] if header else []
    lines += [",".join(r) for r in rows]
    _refused_or_complete(world, exchange.import_csv, "\n".join(lines))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["dataValues", "dataElement", "orgUnit", "period", "value", "x"]),
            children,
            max_size=5,
        )
    ),
    max_leaves=25,
)


@PROPERTY
@given(doc=json_values)
def test_property_arbitrary_json_is_refused_or_imported_whole(world, doc):
    _refused_or_complete(world, exchange.import_dhis2, json.dumps(doc))


@PROPERTY
@given(data=st.binary(max_size=200))
def test_property_arbitrary_bytes(world, data):
    _refused_or_complete(world, exchange.import_dhis2, data)
    _refused_or_complete(world, exchange.import_csv, data)
