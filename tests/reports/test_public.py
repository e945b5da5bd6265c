"""The public version: small numbers suppressed, no names, no case-level text."""

from __future__ import annotations

import datetime as dt

import pytest

from mkk.directory.models import Mechanism, Membership
from mkk.reports import render
from mkk.reports.builder import build_report_data, suppress_figure
from mkk.statistics import services as stat_services
from mkk.statistics.models import DataSet

from .conftest import GJILAN_END, GJILAN_START


def test_suppress_figure_hides_small_counts_and_their_differences():
    fig = {
        "values": {
            "": {
                "current": 12,
                "previous": 9,
                "difference": 3,
                "percent": 33.3,
                "change": "increase",
            },
            "sex=female": {
                "current": 9,
                "previous": 6,
                "difference": 3,
                "percent": 50.0,
                "change": "increase",
            },
            "sex=male": {
                "current": 3,
                "previous": 3,
                "difference": 0,
                "percent": 0.0,
                "change": "same",
            },
        }
    }
    suppress_figure(fig)
    hidden = fig["hidden"]
    assert (
        hidden["sex=male"]["current"] == "primary" and hidden["sex=male"]["previous"] == "primary"
    )
    assert "difference" in hidden["sex=male"]
    assert fig["values"]["sex=male"]["current"] is None  # the number leaves the snapshot
    # male hidden → female (or the total) must be hidden too in each column
    for field in ("current", "previous"):
        assert sum(1 for k in ("", "sex=female", "sex=male") if field in hidden.get(k, {})) >= 2


@pytest.mark.django_db
def test_public_report_shows_less_than_five(gjilan, demo):
    inst = demo["gjilan"]["victim_advocate"]
    ds = DataSet.objects.get(code="VICTIM_ADVOCATE")
    for year, values in (
        (2019, {("MV_CASES", ""): 3, ("MV_CASES", "sex=female"): 3, ("MV_CASES", "sex=male"): 0}),
        (2018, {("MV_CASES", ""): 11}),
    ):
        sub = stat_services.submission_save(
            actor=None,
            institution=inst,
            data_set=ds,
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 9, 30),
            values=values,
            submit=True,
        )
        stat_services.submission_approve(actor=None, submission=sub)
    mech = Mechanism.objects.get(municipality=gjilan)
    mech.coordinator_name = "Emri Sintetik"
    mech.save()
    Membership.objects.filter(mechanism=mech).update(focal_person="Personi Sintetik")

    internal = build_report_data(
        municipality=gjilan, start=GJILAN_START, end=GJILAN_END, language="sq", public=False
    )
    public = build_report_data(
        municipality=gjilan, start=GJILAN_START, end=GJILAN_END, language="sq", public=True
    )
    mv = next(f for f in public["statistics"]["figures"] if f["element"]["code"] == "MV_CASES")
    assert mv["values"][""]["current"] is None and mv["hidden"][""]["current"] == "primary"
    assert mv["hidden"][""]["difference"]
    html = render.render_html(public)
    assert "&lt;5" in html
    assert "më pak se 5 raste" in html
    assert "Emri Sintetik" not in html and "Personi Sintetik" not in html
    assert (
        public["meetings"]["challenges"] == []
        and public["meetings"]["follow_ups"]["overdue_list"] == []
    )
    assert "Emri Sintetik" in render.render_html(internal)
    internal_html = render.render_html(internal)
    assert "janë asistuar 3 raste" in internal_html
