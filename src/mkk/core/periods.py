"""Periods, the one place for their arithmetic and their labels: months, quarters, half-years,
years, a plan's reporting blocks of 1, 2, 3, 4, 6 or 12 months, and explicit date ranges.

Plain functions on ``datetime.date``; nothing here touches the database. Labels are written
out for the three languages by hand (not through gettext) so that a report in Serbian can be
produced from an Albanian session: ``period_label(start, end, "sr-latn")``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .languages import current_suffix

MONTHS = {
    "sq": [
        "janar",
        "shkurt",
        "mars",
        "prill",
        "maj",
        "qershor",
        "korrik",
        "gusht",
        "shtator",
        "tetor",
        "nëntor",
        "dhjetor",
    ],
    "sr": [
        "januar",
        "februar",
        "mart",
        "april",
        "maj",
        "jun",
        "jul",
        "avgust",
        "septembar",
        "oktobar",
        "novembar",
        "decembar",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
QUARTER_WORD = {"sq": "tremujori", "sr": "kvartal", "en": "Quarter"}
HALF_WORD = {"sq": "gjashtëmujori", "sr": "polugodište", "en": "Half-year"}
ROMAN = ["I", "II", "III", "IV"]
# Quarters and half-years with ordinal words, as a native writer names them (a Roman numeral
# after the noun reads as a list item and wraps badly: "gjashtëmujori I 2026").
ORDINAL_PERIOD = {
    "sq": {
        "quarter": [
            "tremujori i parë {year}",
            "tremujori i dytë {year}",
            "tremujori i tretë {year}",
            "tremujori i katërt {year}",
        ],
        "half": ["gjashtëmujori i parë {year}", "gjashtëmujori i dytë {year}"],
    },
    "sr": {
        "quarter": [
            "prvi kvartal {year}",
            "drugi kvartal {year}",
            "treći kvartal {year}",
            "četvrti kvartal {year}",
        ],
        "half": ["prvo polugodište {year}", "drugo polugodište {year}"],
    },
    "en": {
        "quarter": [
            "first quarter of {year}",
            "second quarter of {year}",
            "third quarter of {year}",
            "fourth quarter of {year}",
        ],
        "half": ["first half of {year}", "second half of {year}"],
    },
}


def _lang(language: str | None) -> str:
    return current_suffix(language)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    period_type: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def label(self, language: str | None = None) -> str:
        return period_label(self.start, self.end, language)

    @property
    def iso(self) -> str:
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    @property
    def key(self) -> str:
        """The period in a URL or a form (its first day)."""
        return self.start.isoformat()

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def month(year: int, m: int) -> Period:
    return Period(dt.date(year, m, 1), month_end(year, m), "month")


def quarter(year: int, q: int) -> Period:
    if not 1 <= q <= 4:
        raise ValueError("quarter must be 1–4")
    return Period(dt.date(year, 3 * q - 2, 1), month_end(year, 3 * q), "quarter")


def half_year(year: int, h: int) -> Period:
    if h not in (1, 2):
        raise ValueError("half-year must be 1 or 2")
    return Period(dt.date(year, 6 * h - 5, 1), month_end(year, 6 * h), "half_year")


def year(y: int) -> Period:
    return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), "year")


def date_range(start: dt.date, end: dt.date) -> Period:
    if end < start:
        raise ValueError("end before start")
    return Period(start, end, classify(start, end))


def is_month_start(d: dt.date) -> bool:
    return d.day == 1


def is_month_end(d: dt.date) -> bool:
    return d == month_end(d.year, d.month)


def classify(start: dt.date, end: dt.date) -> str:
    """The period type a range is: month, quarter, half_year, year, or range."""
    if start.year == end.year and start.day == 1 and is_month_end(end):
        months = end.month - start.month + 1
        if months == 1:
            return "month"
        if months == 3 and start.month % 3 == 1:
            return "quarter"
        if months == 6 and start.month in (1, 7):
            return "half_year"
        if months == 12:
            return "year"
    return "range"


def periods_of(period_type: str, y: int) -> list[Period]:
    """Every period of a type in a year (a range type has none)."""
    if period_type == "month":
        return [month(y, m) for m in range(1, 13)]
    if period_type == "quarter":
        return [quarter(y, q) for q in range(1, 5)]
    if period_type == "half_year":
        return [half_year(y, h) for h in (1, 2)]
    if period_type == "year":
        return [year(y)]
    return []


def containing(period_type: str, day: dt.date) -> Period:
    """The period of ``period_type`` (month/quarter/half_year/year) that contains ``day``."""
    if period_type == "month":
        return month(day.year, day.month)
    if period_type == "quarter":
        return quarter(day.year, (day.month - 1) // 3 + 1)
    if period_type == "half_year":
        return half_year(day.year, 1 if day.month <= 6 else 2)
    if period_type == "year":
        return year(day.year)
    raise ValueError(f"no fixed periods of type {period_type}")


def before(period_type: str, period: Period) -> Period:
    """The period of that type just before ``period`` (the month, quarter… that precedes it)."""
    return containing(period_type, period.start - dt.timedelta(days=1))


def last_complete(period_type: str, today: dt.date) -> Period:
    """The latest period of that type that has ended before ``today``."""
    return before(period_type, containing(period_type, today))


def periods_between(period_type: str, start: dt.date, end: dt.date) -> list[Period]:
    """Periods of a type lying wholly inside [start, end]."""
    out = []
    for y in range(start.year, end.year + 1):
        out.extend(p for p in periods_of(period_type, y) if p.start >= start and p.end <= end)
    return out


# --- A plan's reporting blocks --------------------------------------------------------------

#: The block lengths a plan may report in (months); any other falls back to six.
BLOCK_MONTHS = (1, 2, 3, 4, 6, 12)


def block_of(months: int, day: dt.date) -> Period:
    """The calendar-aligned reporting block of ``months`` months that contains ``day``."""
    months = months if months in BLOCK_MONTHS else 6
    first_month = ((day.month - 1) // months) * months + 1
    start = dt.date(day.year, first_month, 1)
    end = month_end(day.year, first_month + months - 1)
    return Period(start, end, classify(start, end))


def blocks_between(months: int, start: dt.date, end: dt.date) -> list[Period]:
    """Every block that overlaps [start, end], in order."""
    out: list[Period] = []
    if end < start:
        return out
    block = block_of(months, start)
    while block.start <= end:
        out.append(block)
        block = block_of(months, block.end + dt.timedelta(days=1))
    return out


def block_starting(months: int, start: dt.date) -> Period | None:
    """The block that starts on ``start``, or None when no block starts that day."""
    block = block_of(months, start)
    return block if block.start == start else None


def shift_years(d: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (negative: earlier). 29 February becomes the 28th; the
    last day of a month stays the last day of that month."""
    y = d.year + years
    if is_month_end(d):
        return month_end(y, d.month)
    return dt.date(y, d.month, min(d.day, calendar.monthrange(y, d.month)[1]))


def previous_year(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The same range one year earlier."""
    return shift_years(start, -1), shift_years(end, -1)


def iter_days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    d = start
    while d <= end:
        yield d
        d += dt.timedelta(days=1)


def deadline(end: dt.date, deadline_days: int) -> dt.date:
    return end + dt.timedelta(days=deadline_days)


# --- Labels ------------------------------------------------------------------------------


def _day(d: dt.date, lang: str) -> str:
    name = MONTHS[lang][d.month - 1]
    if lang == "en":
        return f"{d.day} {name} {d.year}"
    return f"{d.day}. {name} {d.year}" if lang == "sr" else f"{d.day} {name} {d.year}"


def period_label(start: dt.date, end: dt.date, language: str | None = None) -> str:
    """'janar – shtator 2019', 'January – September 2019', 'januar – septembar 2019';
    a month is 'shtator 2019', a quarter 'tremujori i parë 2019', a year '2019'; other ranges
    are written from day to day."""
    lang = _lang(language)
    names = MONTHS[lang]
    kind = classify(start, end)
    if kind == "year":
        return str(start.year)
    if kind == "quarter":
        return ORDINAL_PERIOD[lang]["quarter"][(start.month - 1) // 3].format(year=start.year)
    if kind == "half_year":
        return ORDINAL_PERIOD[lang]["half"][0 if start.month == 1 else 1].format(year=start.year)
    if start.day == 1 and is_month_end(end):
        if start.year == end.year and start.month == end.month:
            return f"{names[start.month - 1]} {start.year}"
        if start.year == end.year:
            return f"{names[start.month - 1]} – {names[end.month - 1]} {start.year}"
        return f"{names[start.month - 1]} {start.year} – {names[end.month - 1]} {end.year}"
    if start == end:
        return _day(start, lang)
    return f"{_day(start, lang)} – {_day(end, lang)}"


def lazy_label(start: dt.date, end: dt.date):
    """The label in a language chosen later: ``lambda language: period_label(...)``, for a
    notification rendered in each recipient's language."""
    return lambda language: period_label(start, end, language)


# --- DHIS2 periods -------------------------------------------------------------------------

_DHIS2_PATTERNS = [
    (re.compile(r"^(\d{4})(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})Q([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})S([12])$"), "half_year"),
    (re.compile(r"^(\d{4})$"), "year"),
]


def to_dhis2(start: dt.date, end: dt.date) -> str | None:
    """DHIS2's period id (201901, 2019Q1, 2019S1, 2019), or None for another range."""
    kind = classify(start, end)
    if kind == "month":
        return f"{start.year}{start.month:02d}"
    if kind == "quarter":
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    if kind == "half_year":
        return f"{start.year}S{1 if start.month == 1 else 2}"
    if kind == "year":
        return str(start.year)
    return None


def from_dhis2(period: str) -> Period:
    """Parse a DHIS2 period id; raises ValueError for anything else."""
    text = (period or "").strip()
    for pattern, kind in _DHIS2_PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        y = int(m.group(1))
        if not 1900 <= y <= 2200:
            break
        if kind == "month":
            mo = int(m.group(2))
            if not 1 <= mo <= 12:
                break
            return month(y, mo)
        if kind == "quarter":
            return quarter(y, int(m.group(2)))
        if kind == "half_year":
            return half_year(y, int(m.group(2)))
        return year(y)
    raise ValueError(f"not a DHIS2 period: {period!r}")
