import datetime as dt

import pytest

from mkk.core import periods
from mkk.statistics import formatting

D = dt.date


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("sq", "janar – shtator 2019"),
        ("en", "January – September 2019"),
        ("sr-latn", "januar – septembar 2019"),
    ],
)
def test_label_of_the_gjilan_range(lang, expected):
    assert periods.period_label(D(2019, 1, 1), D(2019, 9, 30), lang) == expected


def test_labels_of_fixed_periods():
    assert periods.period_label(D(2019, 9, 1), D(2019, 9, 30), "sq") == "shtator 2019"
    assert periods.period_label(D(2019, 1, 1), D(2019, 3, 31), "en") == "first quarter of 2019"
    assert periods.period_label(D(2019, 7, 1), D(2019, 12, 31), "sq") == "gjashtëmujori i dytë 2019"
    assert periods.period_label(D(2026, 1, 1), D(2026, 6, 30), "sq") == "gjashtëmujori i parë 2026"
    assert periods.period_label(D(2026, 1, 1), D(2026, 6, 30), "sr-latn") == (
        "prvo polugodište 2026"
    )
    assert periods.period_label(D(2026, 7, 1), D(2026, 9, 30), "sr-latn") == ("treći kvartal 2026")
    assert periods.period_label(D(2019, 1, 1), D(2019, 12, 31), "sr-latn") == "2019"
    assert (
        periods.period_label(D(2019, 1, 5), D(2019, 2, 10), "en")
        == "5 January 2019 – 10 February 2019"
    )


def test_dhis2_periods_both_ways():
    for text, start, end in [
        ("201901", D(2019, 1, 1), D(2019, 1, 31)),
        ("2019Q3", D(2019, 7, 1), D(2019, 9, 30)),
        ("2019S1", D(2019, 1, 1), D(2019, 6, 30)),
        ("2019", D(2019, 1, 1), D(2019, 12, 31)),
    ]:
        p = periods.from_dhis2(text)
        assert (p.start, p.end) == (start, end)
        assert periods.to_dhis2(start, end) == text
    assert periods.to_dhis2(D(2019, 1, 1), D(2019, 9, 30)) is None
    with pytest.raises(ValueError):
        periods.from_dhis2("201913")


def test_previous_year_keeps_month_ends_and_leap_days():
    assert periods.previous_year(D(2019, 1, 1), D(2019, 9, 30)) == (D(2018, 1, 1), D(2018, 9, 30))
    assert periods.previous_year(D(2025, 2, 1), D(2025, 2, 28)) == (D(2024, 2, 1), D(2024, 2, 29))
    assert periods.previous_year(D(2024, 2, 29), D(2024, 3, 5)) == (D(2023, 2, 28), D(2023, 3, 5))


def test_last_complete_and_classify():
    assert periods.last_complete("month", D(2026, 11, 23)) == periods.month(2026, 10)
    assert periods.last_complete("quarter", D(2026, 1, 5)) == periods.quarter(2025, 4)
    assert periods.classify(D(2019, 1, 1), D(2019, 9, 30)) == "range"
    assert periods.classify(D(2019, 4, 1), D(2019, 6, 30)) == "quarter"


def test_the_period_before_crosses_years():
    assert periods.before("month", periods.month(2026, 1)) == periods.month(2025, 12)
    assert periods.before("quarter", periods.quarter(2026, 3)) == periods.quarter(2026, 2)
    assert periods.before("half_year", periods.half_year(2026, 1)) == periods.half_year(2025, 2)
    assert periods.before("year", periods.year(2026)) == periods.year(2025)


def test_number_formatting_per_language():
    from decimal import Decimal

    assert formatting.percent(Decimal("6.4"), "sq") == "+6,4%"
    assert formatting.percent(Decimal("6.4"), "sr-latn") == "+6,4%"
    assert formatting.percent(Decimal("6.4"), "en") == "+6.4%"
    assert formatting.percent(Decimal("-5.0"), "en") == "\u22125.0%"
    assert formatting.signed(-4) == "\u22124"
    assert formatting.signed(5) == "+5"
    assert formatting.number(None) == "–"
    assert formatting.number(12345, "en") == "12,345"
    assert formatting.number(12345, "sq") == "12.345"
