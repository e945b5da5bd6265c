"""The shapes a comparison answers with: a figure per institution (FigureRow), the coverage
of an institution and data set (CoverageRow), and the sums of a place (Unit, TotalRow,
ScopeTotals). No database access here; :mod:`mkk.statistics.comparison` fills them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from mkk.directory.i18n import localized
from mkk.directory.models import Institution

from .models import DataElement, DataSet

FULL, PARTIAL, NONE = "full", "partial", "none"

#: Order in which institution kinds are listed (as the reports list them).
KIND_ORDER = [
    "police",
    "social_work",
    "victim_advocate",
    "prosecution",
    "basic_court",
    "shelter",
    "legal_aid",
    "employment",
    "health",
    "education",
]


def kind_rank(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def option_label(element: DataElement, key: str, language: str | None = None) -> str:
    cat_code, _sep, opt_code = key.partition("=")
    for d in element.disaggregations.all():
        if d.code == cat_code:
            for o in d.options.all():
                if o.code == opt_code:
                    return localized(o, "name", language)
    return key


def element_keys(element: DataElement) -> list[str]:
    keys = [""]
    for d in element.disaggregations.all():
        keys.extend(f"{d.code}={o.code}" for o in d.options.all())
    return keys


def sum_or_none(values: Iterable[int | None]) -> int | None:
    given = [v for v in values if v is not None]
    return sum(given) if given else None


def combine_coverage(values: Iterable[str]) -> str:
    vals = set(values)
    if vals == {FULL}:
        return FULL
    if vals == {NONE}:
        return NONE
    return PARTIAL


@dataclass
class FigureRow:
    institution: Institution | None
    element: DataElement
    disaggregation: str  # "" for the total, else "sex=female" etc.
    current: int | None
    previous: int | None
    data_set: DataSet | None = None
    current_coverage: str = NONE
    previous_coverage: str = NONE
    unapproved: bool = False

    @property
    def key(self) -> str:
        return self.disaggregation

    @property
    def is_total(self) -> bool:
        return self.disaggregation == ""

    @property
    def difference(self) -> int | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def percent(self) -> Decimal | None:
        diff = self.difference
        if diff is None or not self.previous:
            return None
        return (Decimal(diff) * 100 / Decimal(self.previous)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def change(self) -> str:
        diff = self.difference
        if diff is None:
            return "unknown"
        return "increase" if diff > 0 else "decrease" if diff < 0 else "same"

    def label(self, language: str | None = None) -> str:
        """The element's name, or the option's ("Female", "Children") for a part."""
        if not self.disaggregation:
            return localized(self.element, "name", language)
        return option_label(self.element, self.disaggregation, language)


@dataclass
class CoverageRow:
    """How much of each range one institution's submissions of one data set cover.

    The institution object is looked up on first use (``institutions``: pk -> Institution,
    loaded once for the whole comparison), so that a national comparison that only needs
    to know which units are missing does not build two thousand model objects."""

    institution_id: int
    data_set: DataSet
    current: str
    previous: str
    missing_current: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    missing_previous: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    unapproved: bool = False
    institutions: Callable[[], dict[int, Institution]] | None = field(default=None, repr=False)

    @property
    def institution(self) -> Institution:
        return self.institutions()[self.institution_id]


@dataclass
class Unit:
    """A place figures are summed for: a municipality (its municipal institutions), a
    regional institution (counted once, for its region) or a national one."""

    kind: str  # "municipality" | "regional" | "national"
    key: str  # municipality code, or "institution-<pk>"
    name_sq: str
    name_sr: str
    name_en: str
    region_id: int | None
    population: int | None = None

    @property
    def name(self) -> str:
        return localized(self, "name")

    def name_in(self, language: str) -> str:
        return localized(self, "name", language)


@dataclass
class TotalRow:
    """A figure summed over several institutions: ``None`` when none of them gave it."""

    element: DataElement
    disaggregation: str
    current: int | None = None
    previous: int | None = None
    population: int | None = None

    key = property(lambda self: self.disaggregation)
    is_total = FigureRow.is_total
    difference = FigureRow.difference
    percent = FigureRow.percent
    change = FigureRow.change
    label = FigureRow.label

    def add(self, current: int | None, previous: int | None) -> None:
        if current is not None:
            self.current = (self.current or 0) + current
        if previous is not None:
            self.previous = (self.previous or 0) + previous

    @staticmethod
    def _per(value: int | None, population: int | None) -> Decimal | None:
        if value is None or not population:
            return None
        return (Decimal(value) * 10000 / Decimal(population)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    @property
    def current_per_10k(self) -> Decimal | None:
        return self._per(self.current, self.population)

    @property
    def previous_per_10k(self) -> Decimal | None:
        return self._per(self.previous, self.population)


@dataclass
class ScopeTotals:
    """The totals of one unit, region or all of Kosovo, per (element code, disaggregation)."""

    label_sq: str
    label_sr: str
    label_en: str
    population: int | None
    rows: dict[tuple[str, str], TotalRow] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return localized(self, "label")

    def name_in(self, language: str) -> str:
        return localized(self, "label", language)

    def get(self, element_code: str, disaggregation: str = "") -> TotalRow | None:
        return self.rows.get((element_code, disaggregation))

    def value(self, element_code: str, disaggregation: str = "") -> int | None:
        row = self.rows.get((element_code, disaggregation))
        return None if row is None else row.current

    def prepare(self, keys: Iterable[tuple[DataElement, str]]) -> None:
        """A row for every category of a data set, given or not (then ``None``)."""
        for element, key in keys:
            if (element.code, key) not in self.rows:
                self.rows[(element.code, key)] = TotalRow(element, key, population=self.population)

    def add(self, element: DataElement, key: str, current, previous) -> None:
        row = self.rows.get((element.code, key))
        if row is None:
            row = self.rows[(element.code, key)] = TotalRow(
                element, key, population=self.population
            )
        row.add(current, previous)
