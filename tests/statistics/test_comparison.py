from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from mkk.directory.models import InstitutionKind as K
from mkk.statistics.comparison import compare_range
from mkk.statistics.models import Status

from .conftest import make_submission

D = dt.date
pytestmark = pytest.mark.django_db


def test_gjilan_report_figures(gjilan_report):
    r = compare_range(
        municipality=gjilan_report.municipality, start=D(2019, 1, 1), end=D(2019, 9, 30)
    )
    assert (r.previous_start, r.previous_end) == (D(2018, 1, 1), D(2018, 9, 30))
    police = r.get(K.POLICE, "POL_CASES")
    assert (police.current, police.previous, police.difference) == (83, 78, 5)
    assert police.percent == Decimal("6.4") and police.change == "increase"
    qps = r.get(gjilan_report.inst(K.SOCIAL_WORK), "QPS_VICTIMS")
    assert (qps.current, qps.previous, qps.difference, qps.change) == (76, 80, -4, "decrease")
    assert r.get(K.SOCIAL_WORK, "QPS_VICTIMS", "sex=female").current == 59
    assert r.get(K.SOCIAL_WORK, "QPS_VICTIMS", "sex=male").current == 17
    assert r.get(K.SOCIAL_WORK, "QPS_VICTIMS", "sex=male").previous is None  # missing, not 0
    assert r.get(K.SOCIAL_WORK, "QPS_VICTIMS", "sex=male").percent is None
    shelter = r.get(K.SHELTER, "STR_PERSONS")
    assert (shelter.current, shelter.previous, shelter.difference) == (51, 66, -15)
    assert r.get(K.SHELTER, "STR_PERSONS", "age=adult").current == 25
    assert r.get(K.SHELTER, "STR_PERSONS", "age=child").current == 26
    cov = r.coverage_of(gjilan_report.inst(K.POLICE))
    assert (cov.current, cov.previous) == ("full", "full")
    assert r.coverage_of(gjilan_report.inst(K.BASIC_COURT)).current == "none"
    assert r.get(K.BASIC_COURT, "GJK_JUDGMENTS").current is None


def test_a_submission_sticking_out_of_the_range_is_not_counted(world):
    inst = world.drenas.inst(K.POLICE)
    make_submission(inst, "POLICE", D(2025, 1, 1), D(2025, 3, 31), {("POL_CASES", ""): 30})
    r = compare_range(
        municipality=world.drenas.municipality, start=D(2025, 1, 1), end=D(2025, 2, 28)
    )
    assert r.get(inst, "POL_CASES").current is None
    assert r.coverage_of(inst).current == "none"


def test_partial_coverage_lists_the_missing_days(world):
    inst = world.drenas.inst(K.POLICE)
    make_submission(inst, "POLICE", D(2025, 1, 1), D(2025, 1, 31), {("POL_CASES", ""): 7})
    make_submission(inst, "POLICE", D(2025, 3, 1), D(2025, 3, 31), {("POL_CASES", ""): 9})
    r = compare_range(
        municipality=world.drenas.municipality, start=D(2025, 1, 1), end=D(2025, 3, 31)
    )
    row = r.get(inst, "POL_CASES")
    assert row.current == 16 and row.current_coverage == "partial"
    assert r.coverage_of(inst).missing_current == [(D(2025, 2, 1), D(2025, 2, 28))]


def test_overlapping_submissions_are_never_double_counted(world):
    inst = world.drenas.inst(K.POLICE)
    for m, v in ((1, 5), (2, 6), (3, 7)):
        make_submission(
            inst,
            "POLICE",
            D(2025, m, 1),
            D(2025, m, 1).replace(day=28 if m == 2 else 31),
            {("POL_CASES", ""): v},
        )
    make_submission(inst, "POLICE", D(2025, 1, 1), D(2025, 3, 31), {("POL_CASES", ""): 20})
    r = compare_range(
        municipality=world.drenas.municipality, start=D(2025, 1, 1), end=D(2025, 3, 31)
    )
    assert r.get(inst, "POL_CASES").current == 20  # the quarter, not 20 + 18
    assert r.coverage_of(inst).current == "full"


def test_the_combination_covering_more_days_wins(world):
    inst = world.drenas.inst(K.POLICE)
    make_submission(inst, "POLICE", D(2025, 1, 1), D(2025, 1, 20), {("POL_CASES", ""): 4})
    make_submission(inst, "POLICE", D(2025, 1, 1), D(2025, 1, 15), {("POL_CASES", ""): 3})
    make_submission(inst, "POLICE", D(2025, 1, 16), D(2025, 1, 31), {("POL_CASES", ""): 2})
    r = compare_range(
        municipality=world.drenas.municipality, start=D(2025, 1, 1), end=D(2025, 1, 31)
    )
    assert r.get(inst, "POL_CASES").current == 5
    assert r.coverage_of(inst).current == "full"


def test_zero_is_not_missing_and_zero_previous_has_no_percent(world):
    inst = world.drenas.inst(K.POLICE)
    make_submission(inst, "POLICE", D(2024, 1, 1), D(2024, 1, 31), {("POL_CASES", ""): 0})
    make_submission(inst, "POLICE", D(2025, 1, 1), D(2025, 1, 31), {("POL_CASES", ""): 4})
    r = compare_range(
        municipality=world.drenas.municipality, start=D(2025, 1, 1), end=D(2025, 1, 31)
    )
    row = r.get(inst, "POL_CASES")
    assert (row.current, row.previous, row.difference) == (4, 0, 4)
    assert row.percent is None and row.change == "increase"
    missing = r.get(inst, "POL_ARRESTS")
    assert missing.current is None and missing.change == "unknown" and missing.difference is None


def test_drafts_do_not_count_and_submitted_are_flagged(world):
    inst = world.drenas.inst(K.POLICE)
    make_submission(
        inst, "POLICE", D(2025, 1, 1), D(2025, 1, 31), {("POL_CASES", ""): 4}, status=Status.DRAFT
    )
    make_submission(
        inst,
        "POLICE",
        D(2025, 2, 1),
        D(2025, 2, 28),
        {("POL_CASES", ""): 6},
        status=Status.SUBMITTED,
    )
    r = compare_range(
        municipality=world.drenas.municipality, start=D(2025, 1, 1), end=D(2025, 2, 28)
    )
    row = r.get(inst, "POL_CASES")
    assert row.current == 6 and row.unapproved
    approved_only = compare_range(
        municipality=world.drenas.municipality,
        start=D(2025, 1, 1),
        end=D(2025, 2, 28),
        include_submitted=False,
    )
    assert approved_only.get(inst, "POL_CASES").current is None


def test_other_municipality_is_not_mixed_in(world, gjilan_report):
    r = compare_range(
        municipality=world.drenas.municipality, start=D(2019, 1, 1), end=D(2019, 9, 30)
    )
    assert r.get(K.POLICE, "POL_CASES").current is None


def test_whole_quarters_and_a_year_cover_without_reading_each_submission(world):
    """Periods of one calendar grain never overlap; of mixed grains, the best are chosen."""
    police = world.drenas.inst(K.POLICE)
    for q, v in ((1, 5), (4, 6), (7, 7), (10, 8)):
        end = (D(2025, q + 2, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        make_submission(police, "POLICE", D(2025, q, 1), end, {("POL_CASES", ""): v})
    make_submission(police, "POLICE", D(2024, 1, 1), D(2024, 12, 31), {("POL_CASES", ""): 30})
    make_submission(police, "POLICE", D(2024, 1, 1), D(2024, 6, 30), {("POL_CASES", ""): 40})
    r = compare_range(
        municipality=world.drenas.municipality, start=D(2025, 1, 1), end=D(2025, 12, 31)
    )
    row = r.get(police, "POL_CASES")
    assert (row.current, row.previous) == (26, 30)  # the year, not the year plus its half
    cov = r.coverage_of(police)
    assert (cov.current, cov.previous, cov.missing_current) == ("full", "full", [])


def test_overlaps_are_left_out_of_regional_and_national_sums(world):
    police = world.drenas.inst(K.POLICE)
    for m, v in ((1, 5), (2, 6), (3, 7)):
        end = (D(2025, m, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        make_submission(police, "POLICE", D(2025, m, 1), end, {("POL_CASES", ""): v})
    make_submission(police, "POLICE", D(2025, 1, 1), D(2025, 3, 31), {("POL_CASES", ""): 20})
    region = world.drenas.municipality.region
    for scope in ({"region": region}, {"national": True}):
        r = compare_range(start=D(2025, 1, 1), end=D(2025, 3, 31), **scope)
        assert r.totals.value("POL_CASES") == 20  # the quarter, not 20 + 18
        assert r.get(police, "POL_CASES").current == 20


def test_the_cached_catalogue_follows_an_edit(world):
    from mkk.statistics.models import DataElement

    police = world.drenas.inst(K.POLICE)
    make_submission(police, "POLICE", D(2025, 1, 1), D(2025, 1, 31), {("POL_CASES", ""): 3})
    args = {
        "municipality": world.drenas.municipality,
        "start": D(2025, 1, 1),
        "end": D(2025, 1, 31),
    }
    assert compare_range(**args).get(police, "POL_CASES").element.name_en != "Cases (renamed)"
    element = DataElement.objects.get(code="POL_CASES")
    element.name_en = "Cases (renamed)"
    element.save()
    assert compare_range(**args).get(police, "POL_CASES").element.name_en == "Cases (renamed)"
