"""Properties of the reporting periods and of institution-name matching."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from mkk.core.periods import block_of as period_of
from mkk.core.periods import block_starting as period_starting
from mkk.core.periods import blocks_between as periods_between
from mkk.plans.matching import InstitutionMatcher, normalize

MONTHS = st.sampled_from([1, 2, 3, 4, 6, 12])
DAYS = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))


@given(MONTHS, DAYS)
def test_period_contains_its_day_and_starts_a_period(months, day):
    p = period_of(months, day)
    assert p.contains(day)
    assert p.start.day == 1 and (p.start.month - 1) % months == 0
    assert period_starting(months, p.start) == p
    nxt = period_of(months, p.end + dt.timedelta(days=1))
    assert nxt.start == p.end + dt.timedelta(days=1)


@given(MONTHS, DAYS, st.integers(min_value=0, max_value=800))
def test_periods_between_tile_the_range(months, start, length):
    end = start + dt.timedelta(days=length)
    periods = periods_between(months, start, end)
    assert periods[0].contains(start) and periods[-1].contains(end)
    for a, b in zip(periods, periods[1:], strict=False):
        assert b.start == a.end + dt.timedelta(days=1)


def test_half_years():
    assert period_of(6, dt.date(2025, 3, 15)).end == dt.date(2025, 6, 30)
    assert period_of(6, dt.date(2025, 7, 1)).start == dt.date(2025, 7, 1)
    assert period_starting(6, dt.date(2025, 4, 1)) is None


class _Inst:
    def __init__(self, pk, name_sq, abbreviation="", aliases=""):
        self.pk, self.name_sq, self.name_sr, self.name_en = pk, name_sq, "", ""
        self.abbreviation, self.aliases = abbreviation, aliases

    @property
    def alias_list(self):
        return [a for a in self.aliases.splitlines() if a]


MATCHER = InstitutionMatcher(
    [
        _Inst(1, "Qendra për Punë Sociale Drenas", "QPS", "Qendra për Punë Sociale"),
        _Inst(
            2,
            "Drejtoria për Shëndetësi dhe Mirëqenie Sociale",
            "DSHMS",
            "Drejtoria për Shëndetësi dhe Mirëqënie Sociale",
        ),
        _Inst(3, "Administratorët e fshatrave", "", "Admini-stratorët"),
        _Inst(4, "Zyra e Punësimit Drenas", "APRK", "Zyra e Punësimit"),
    ]
)


def test_matching_methods():
    assert normalize("Zyra e Punësimit,  Drenas!") == "zyra e punesimit drenas"
    assert MATCHER.match("QPS")[0].pk == 1 and MATCHER.match("QPS")[1] == "abbreviation"
    assert MATCHER.match("qendra per pune sociale drenas")[1] == "name"
    assert MATCHER.match("Zyra e punësimit")[1] == "alias"
    assert MATCHER.match("Admini-\nstratorët")[0].pk == 3
    inst, method = MATCHER.match("Drejtoria për Shëndetësi dhe Mirëqënie Sociale (QPS)")
    assert inst.pk == 2 and method in {"alias", "name"}
    assert MATCHER.match("Qendra per Pune Socale Drenas") == (MATCHER.institutions[0], "fuzzy")
    assert MATCHER.match("Ministria e Punëve të Jashtme") == (None, "none")
    assert MATCHER.match("") == (None, "none")


@settings(max_examples=200)
@given(st.text())
def test_matching_never_crashes(text):
    inst, method = MATCHER.match(text)
    assert method in {"abbreviation", "name", "alias", "fuzzy", "none"}
    assert (inst is None) == (method == "none")
