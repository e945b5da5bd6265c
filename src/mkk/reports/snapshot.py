"""The report snapshot's one definition: what ``builder`` writes, a submitted report freezes
(as JSON) and ``document`` and ``prose`` read.

The stored form stays plain JSON (a frozen report must read the same years later);
``load`` turns it into these dataclasses (pydantic validates the shape, so a builder that
drifts from this definition fails loudly, in the tests first). Every field has the meaning
given here and nowhere else; a figure's cells are read through ``Figure.cell`` and
``Figure.printed`` only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from pydantic import TypeAdapter

from . import suppression

Number = int | float | None
#: {"sq": …, "sr": …, "en": …}
Names = dict[str, str]


def name_in(names: Mapping[str, str], suffix: str) -> str:
    """The name in the reader's language (sq, sr, en), Albanian when it is missing."""
    return names.get(suffix) or names.get("sq") or ""


# --- Statistics ---------------------------------------------------------------------------


@dataclass
class Institution:
    id: int | str | None = None  # a place key ("kosovo") in the national report
    kind: str = ""
    name: Names = field(default_factory=dict)
    #: Albanian after "në" ("Policinë e Kosovës"); empty where nobody wrote it
    locative_sq: str | None = ""
    abbreviation: str | None = ""


@dataclass
class Element:
    code: str
    name: Names = field(default_factory=dict)


@dataclass
class Cell:
    """One row of a figure: the whole ("") or a part ("sex=female") in both periods."""

    current: Number = None
    previous: Number = None
    difference: Number = None
    percent: Number = None
    #: "increase", "decrease", "same", "unknown"; "hidden" in the public version
    change: str | None = None


@dataclass
class Figure:
    """One institution's element: its cells by part, their labels, and (public version) the
    cells hidden for privacy: part → field → "primary" (a small number) or "complementary"."""

    institution: Institution
    element: Element
    values: dict[str, Cell] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    coverage: dict[str, str] = field(default_factory=dict)
    unapproved: bool = False
    hidden: dict[str, dict[str, str]] = field(default_factory=dict)

    def cell(self, key: str, name: str) -> tuple[Number, str]:
        """(value, state): state "" (shown), "primary" or "complementary" (hidden)."""
        values = self.values.get(key)
        state = self.hidden.get(key, {}).get(name, "")
        if values is None:
            return None, state
        return getattr(values, name), state

    def printed(self, key: str, name: str):
        """The cell as a table prints it: the number, "<5", "x" or "–"."""
        value, state = self.cell(key, name)
        if state or value is None:
            return suppression.label(value, state)
        return value

    def percent(self, key: str):
        value, state = self.cell(key, "percent")
        if state:
            return "x"
        return "–" if value is None else float(value)

    def has_current(self) -> bool:
        value, state = self.cell("", "current")
        return value is not None or bool(state)

    def has_previous(self) -> bool:
        value, state = self.cell("", "previous")
        return value is not None or bool(state)

    def has_data(self) -> bool:
        """A total, or a hidden total, in either period."""
        return self.has_current() or self.has_previous() or bool(self.hidden.get(""))

    def has_any(self) -> bool:
        """Any value in any part, or a value hidden for privacy."""
        return any(
            c.current is not None or c.previous is not None or self.hidden.get(k)
            for k, c in self.values.items()
        )

    def chart_value(self, key: str, name: str) -> Number:
        """A value a chart may draw (hidden ones are not drawn)."""
        value, state = self.cell(key, name)
        return None if state else value


@dataclass
class Coverage:
    institution: Institution
    data_set: Names
    current: str
    previous: str
    missing_current: list[list[str]] = field(default_factory=list)
    unapproved: bool = False


@dataclass
class Statistics:
    figures: list[Figure] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)
    has_unapproved: bool = False
    previous_start: str = ""
    previous_end: str = ""


# --- Meetings -----------------------------------------------------------------------------


@dataclass
class TypeCount:
    kind: str
    label: str
    count: int


@dataclass
class Attendance:
    institution: Institution
    meetings: int
    present: int
    excused: int
    absent: int
    rate: Number = None


@dataclass
class Overdue:
    owner: Institution
    due_date: str
    description: str
    decision: str
    meeting_date: str


@dataclass
class FollowUps:
    total: int = 0
    done: int = 0
    open: int = 0
    overdue: int = 0
    overdue_list: list[Overdue] = field(default_factory=list)


@dataclass
class Activity:
    kind: str
    kind_label: str
    title: str
    date: str
    partner: str | None = ""
    participants: int | None = None


@dataclass
class MeetingRow:
    date: str
    kind: str
    kind_label: str


@dataclass
class Meetings:
    held: int = 0
    by_type: list[TypeCount] = field(default_factory=list)
    attendance: list[Attendance] = field(default_factory=list)
    attendance_rate: Number = None
    decisions: int = 0
    cases_discussed: int | None = None
    follow_ups: FollowUps = field(default_factory=FollowUps)
    activities: list[Activity] = field(default_factory=list)
    challenges: list[str] = field(default_factory=list)
    meetings: list[MeetingRow] = field(default_factory=list)


# --- Plan ---------------------------------------------------------------------------------


@dataclass
class Status:
    code: str
    label: str


@dataclass
class Objective:
    code: str
    title: str
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    percent: Number = None


@dataclass
class Done:
    code: str
    description: str
    status: str | None
    period: str
    narrative: str = ""
    institutions: list[str] = field(default_factory=list)


@dataclass
class Late:
    code: str
    description: str
    end_year: int | None
    status: str
    institutions: list[str] = field(default_factory=list)


@dataclass
class BudgetRow:
    year: int | None
    funder: str
    planned: Number = None
    spent: Number = None


@dataclass
class Plan:
    """The action plan covering the period; ``title`` None when no plan covers it."""

    title: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    statuses: list[Status] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    specific_objectives: list[Objective] = field(default_factory=list)
    overall: Objective | None = None
    done: list[Done] = field(default_factory=list)
    late: list[Late] = field(default_factory=list)
    budget: list[BudgetRow] | None = None
    planned_total: Number = None
    spent_total: Number = None
    currency: str = "EUR"


# --- Cases --------------------------------------------------------------------------------


@dataclass
class CaseRow:
    key: str
    label: str
    value: Number = None
    #: a count (suppressed as one) rather than a share or a median
    count: bool = True
    hidden: str = ""

    @property
    def printed(self):
        if self.hidden or self.value is None:
            return suppression.label(self.value, self.hidden)
        return self.value


@dataclass
class Cases:
    rows: list[CaseRow] = field(default_factory=list)
    #: the register was not in use in the period: said so, never "0"
    empty: bool = False


# --- The whole report ---------------------------------------------------------------------


@dataclass
class Period:
    start: str
    end: str
    label: str
    previous_start: str
    previous_end: str
    previous_label: str
    phrase: str = ""


@dataclass
class MunicipalityInfo:
    code: str
    name: Names
    bilingual: str = ""


@dataclass
class Mechanism:
    name: Names
    decision_number: str | None = ""
    decision_date: str | None = None
    coordinator_name: str = ""
    coordinator_title: str | None = ""


@dataclass
class Member:
    institution: Institution
    role: str
    role_label: str
    focal_person: str = ""
    focal_person_title: str = ""


@dataclass
class Snapshot:
    language: str
    public: bool
    period: Period
    municipality: MunicipalityInfo
    statistics: Statistics
    version: int = 1
    threshold: int = 5
    generated_at: str = ""
    mechanism: Mechanism | None = None
    members: list[Member] = field(default_factory=list)
    #: None: a snapshot made without that section (never by today's builder)
    meetings: Meetings | None = None
    plan: Plan | None = None
    cases: Cases | None = None


@cache
def _adapter(kind: type) -> TypeAdapter:
    return TypeAdapter(kind)


def load(data: Mapping) -> Snapshot:
    """The stored (JSON) snapshot as the typed one."""
    return _adapter(Snapshot).validate_python(data)


def figure(data: Figure | Mapping) -> Figure:
    """A figure from the snapshot, given typed or as stored."""
    if isinstance(data, Figure):
        return data
    return _adapter(Figure).validate_python(data)
