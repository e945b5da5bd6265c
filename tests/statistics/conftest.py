from __future__ import annotations

import datetime as dt

import pytest

from mkk.directory.models import InstitutionKind as K
from mkk.statistics.models import DataSet, Status, Submission


@pytest.fixture
def gjilan_report(world):
    """The Gjilan 2019 report's figures (and 2018's), approved."""
    from mkk.statistics import services

    g = world.gjilan
    data = {
        (K.POLICE, "POLICE"): ({("POL_CASES", ""): 83}, {("POL_CASES", ""): 78}),
        (K.SOCIAL_WORK, "SOCIAL_WORK"): (
            {
                ("QPS_VICTIMS", ""): 76,
                ("QPS_VICTIMS", "sex=female"): 59,
                ("QPS_VICTIMS", "sex=male"): 17,
            },
            {("QPS_VICTIMS", ""): 80},
        ),
        (K.SHELTER, "SHELTER"): (
            {
                ("STR_PERSONS", ""): 51,
                ("STR_PERSONS", "age=adult"): 25,
                ("STR_PERSONS", "age=child"): 26,
            },
            {("STR_PERSONS", ""): 66},
        ),
    }
    for (kind, ds_code), (v2019, v2018) in data.items():
        for year, values in ((2019, v2019), (2018, v2018)):
            sub = services.submission_save(
                actor=None,
                institution=g.inst(kind),
                data_set=DataSet.objects.get(code=ds_code),
                period_start=dt.date(year, 1, 1),
                period_end=dt.date(year, 9, 30),
                values=values,
                submit=True,
            )
            services.submission_approve(actor=None, submission=sub)
    return g


def make_submission(inst, ds_code, start, end, values, status=Status.APPROVED):
    from mkk.statistics.models import DataElement, DataValue

    sub = Submission.objects.create(
        institution=inst,
        data_set=DataSet.objects.get(code=ds_code),
        period_start=start,
        period_end=end,
        status=status,
    )
    for (code, key), v in values.items():
        DataValue.objects.create(
            submission=sub, element=DataElement.objects.get(code=code), key=key, value=v
        )
    return sub


@pytest.fixture(autouse=True)
def _catalogue(request):
    """The default catalogue comes from a data migration; a transactional test elsewhere may
    have flushed it, so make sure it is there (idempotent)."""
    if request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        from mkk.statistics.catalogue import ensure_default_catalogue

        request.getfixturevalue("db")
        ensure_default_catalogue()
