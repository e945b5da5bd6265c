"""The report snapshot has one typed definition (``snapshot``) that the builder's output
fits, and every section of the builder is present: a renamed selector fails here (or at
import), never drops a section silently."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from mkk.reports import snapshot
from mkk.reports.builder import build_report_data
from mkk.reports.document import build_document


@pytest.mark.parametrize("public", [False, True])
def test_the_builder_writes_the_typed_snapshot_with_every_section(demo, public):
    from mkk.plans import demo as plans_demo

    plans_demo.load(demo)
    data = build_report_data(
        municipality=demo["municipalities"]["drenas"],
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        language="sq",
        public=public,
    )
    stored = json.loads(json.dumps(data))  # as a submitted report keeps it
    snap = snapshot.load(stored)
    assert snap.meetings is not None
    assert snap.plan is not None and snap.plan.title
    assert snap.cases is not None
    assert snap.statistics.figures and snap.members and snap.mechanism is not None
    for raw, fig in zip(data["statistics"]["figures"], snap.statistics.figures, strict=True):
        state = raw.get("hidden", {}).get("", {}).get("current", "")
        assert fig.cell("", "current") == (raw["values"][""]["current"], state)
    headings = [b.text for b in build_document(stored).blocks if hasattr(b, "level")]
    for number in range(1, 8):
        assert any(h.startswith(f"{number}.") for h in headings), (number, headings)


def test_a_snapshot_that_does_not_fit_the_definition_is_refused():
    with pytest.raises(ValueError):
        snapshot.load({"language": "sq", "public": False, "period": {}, "municipality": {}})


def test_a_figure_reads_its_cells_in_one_place():
    fig = snapshot.figure(
        {
            "institution": {"name": {"sq": "Policia"}},
            "element": {"code": "POL_CASES"},
            "values": {"": {"current": None, "previous": 7, "difference": None}},
            "hidden": {"": {"current": "primary", "difference": "complementary"}},
        }
    )
    assert fig.cell("", "current") == (None, "primary")
    assert fig.printed("", "current").startswith("<")
    assert fig.printed("", "difference") == "x"
    assert fig.printed("", "previous") == 7
    assert fig.has_current() and fig.has_previous() and fig.has_data()
