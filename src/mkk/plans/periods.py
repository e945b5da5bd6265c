"""Reporting periods of a plan: calendar-aligned blocks of 1, 2, 3, 4, 6 or 12 months."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.formats import date_format


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def key(self) -> str:
        return self.start.isoformat()

    @property
    def label(self) -> str:
        return f"{date_format(self.start, 'm.Y')}–{date_format(self.end, 'm.Y')}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def period_of(months: int, day: dt.date) -> Period:
    """The reporting period of ``months`` months that contains ``day``."""
    months = months if months in (1, 2, 3, 4, 6, 12) else 6
    first_month = ((day.month - 1) // months) * months + 1
    last_month = first_month + months - 1
    start = dt.date(day.year, first_month, 1)
    end = dt.date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
    return Period(start, end)


def periods_between(months: int, start: dt.date, end: dt.date) -> list[Period]:
    """Every period that overlaps [start, end], in order."""
    out: list[Period] = []
    if end < start:
        return out
    period = period_of(months, start)
    while period.start <= end:
        out.append(period)
        period = period_of(months, period.end + dt.timedelta(days=1))
    return out


def period_starting(months: int, start: dt.date) -> Period | None:
    """The period that starts on ``start``, or None when no period starts that day."""
    period = period_of(months, start)
    return period if period.start == start else None
