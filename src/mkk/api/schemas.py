"""Shapes of the API's requests and answers (pydantic, through django-ninja)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, Field


def _no_nul(text: str) -> str:
    if "\x00" in text:
        raise ValueError("text must not contain NUL characters")
    return text


#: Free text: any characters but NUL (which no database column can hold).
Text = Annotated[str, AfterValidator(_no_nul)]
#: A figure, as the entry form takes it.
MAX_FIGURE = 10_000_000
Figure = Annotated[int, Field(ge=0, le=MAX_FIGURE)]
Id = Annotated[int, Field(ge=1, le=2_147_483_647)]
MUNICIPALITY_CODE = r"^[a-z][a-z0-9-]{1,39}$"
UPPER_CODE = r"^[A-Z][A-Z0-9_]{1,39}$"


class Error(Schema):
    detail: str


class Errors(Schema):
    detail: str
    errors: list[str] = []


class Names(Schema):
    sq: str
    sr: str
    en: str


# --- Directory ------------------------------------------------------------------------------


class MunicipalityOut(Schema):
    code: str
    name: str
    names: Names


class InstitutionOut(Schema):
    id: int
    municipality: str
    kind: str
    kind_label: str
    name: str
    names: Names
    abbreviation: str
    phone: str
    email: str
    address: str
    is_active: bool


class MemberOut(Schema):
    institution_id: int
    institution: str
    role: str
    focal_person: str
    focal_person_title: str


class MechanismOut(Schema):
    name: str
    decision_number: str
    decision_date: dt.date | None
    coordinator_name: str
    coordinator_title: str
    members: list[MemberOut]


class MunicipalityDetailOut(MunicipalityOut):
    mechanism: MechanismOut | None


class ContactOut(Schema):
    id: int
    municipality: str
    institution_id: int | None
    name: str
    numbers: list[str]
    free_of_charge: bool


# --- Plans ------------------------------------------------------------------------------------


class PlanOut(Schema):
    id: int
    municipality: str
    title: str
    start_year: int
    end_year: int
    status: str
    adoption_decision: str
    adoption_date: dt.date | None
    reporting_period_months: int


class ObjectiveProgress(Schema):
    code: str
    title: str
    counts: dict[str, int]
    total: int
    completion_rate: Decimal | None


class PlanDetailOut(PlanOut):
    as_of: dt.date
    overall: ObjectiveProgress | None
    objectives: list[ObjectiveProgress]
    planned_total: Decimal
    spent_total: Decimal


class ActionOut(Schema):
    id: int
    plan_id: int
    code: str
    description: str
    specific_objective: str
    start_year: int | None
    end_year: int | None
    lead_institutions: list[str]
    status: str
    is_retired: bool


class SpendingOut(Schema):
    funder: str
    amount: Decimal


class ProgressOut(Schema):
    id: int
    action_id: int
    period_start: dt.date
    period_end: dt.date
    status: str
    narrative: str
    review_state: str
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    reviewer_comment: str
    spending: list[SpendingOut]


class ActionDetailOut(ActionOut):
    outputs: str
    updates: list[ProgressOut]


class ProgressIn(Schema):
    period_start: dt.date = Field(description="First day of the reporting period.")
    status: Literal["not_started", "in_progress", "completed", "delayed", "cancelled"]
    narrative: Text = Field("", max_length=20_000)
    spending: dict[
        Literal["municipality", "donors", "ngo", "business", "other"],
        Annotated[Decimal, Field(ge=0, le=Decimal("9999999999.99"), decimal_places=2)] | None,
    ] = Field(default_factory=dict, description="Amount spent per funding source (EUR).")
    submit: bool = Field(False, description="Send the update to the coordinator for review.")


# --- Statistics ---------------------------------------------------------------------------


class ElementOut(Schema):
    code: str
    name: str
    keys: list[str]


class DataSetOut(Schema):
    code: str
    name: str
    institution_kind: str
    period_type: str
    deadline_days: int
    elements: list[ElementOut]


class ValueOut(Schema):
    element: str
    disaggregation: str
    value: int


class SubmissionOut(Schema):
    id: int
    municipality: str
    institution_id: int
    institution: str
    data_set: str
    period_start: dt.date
    period_end: dt.date
    period_type: str
    status: str
    source: str
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None
    values: list[ValueOut]


class DataValueOut(Schema):
    submission_id: int
    municipality: str
    institution_id: int
    data_set: str
    element: str
    disaggregation: str
    period_start: dt.date
    period_end: dt.date
    status: str
    value: int


class ValueIn(Schema):
    element: str = Field(pattern=UPPER_CODE)
    disaggregation: str = Field(
        "", max_length=80, pattern=r"^([a-z][a-z0-9_]{0,29}=[a-z][a-z0-9_]{0,29})?$"
    )
    value: Figure


class SubmissionIn(Schema):
    institution: Id
    data_set: str = Field(pattern=UPPER_CODE)
    period_start: dt.date
    period_end: dt.date
    values: list[ValueIn] = Field(max_length=5000)
    submit: bool = False
    comment: Text | None = Field(None, max_length=2000)


class SubmissionsIn(Schema):
    submissions: list[SubmissionIn] = Field(min_length=1, max_length=500)


class SavedOut(Schema):
    id: int
    status: str
    warnings: list[str]


class SavedListOut(Schema):
    submissions: list[SavedOut]


class Dhis2Value(Schema):
    dataElement: str = Field(max_length=64)
    categoryOptionCombo: str | None = Field(None, max_length=64)
    attributeOptionCombo: str | None = Field(None, max_length=64)
    orgUnit: str = Field(max_length=64)
    period: str = Field(max_length=32)
    value: str | int = Field(description="A whole number (DHIS2 sends it as text).")
    comment: str | None = Field(None, max_length=2000)


class Dhis2ValueSet(Schema):
    dataValues: list[Dhis2Value] = Field(max_length=200_000)


class ImportOut(Schema):
    submissions: list[SavedOut]
    values: int


class FigureOut(Schema):
    institution_id: int | None
    institution: str | None
    kind: str | None
    municipality: str | None
    data_set: str | None
    element: str
    disaggregation: str
    current: int | None
    previous: int | None
    difference: int | None
    percent: Decimal | None
    current_coverage: str
    previous_coverage: str
    unapproved: bool


class CoverageOut(Schema):
    institution_id: int
    institution: str
    data_set: str
    current: str
    previous: str
    missing_current: list[tuple[dt.date, dt.date]]
    missing_previous: list[tuple[dt.date, dt.date]]
    unapproved: bool


class TotalOut(Schema):
    element: str
    disaggregation: str
    current: int | None
    previous: int | None
    difference: int | None
    percent: Decimal | None
    current_per_10k: Decimal | None
    previous_per_10k: Decimal | None


class TotalsOut(Schema):
    key: str
    kind: str
    name: str
    population: int | None
    rows: list[TotalOut]


class ComparisonOut(Schema):
    scope: str
    area: str
    start: dt.date
    end: dt.date
    previous_start: dt.date
    previous_end: dt.date
    totals: TotalsOut | None
    regions: list[TotalsOut]
    units: list[TotalsOut]
    rows: list[FigureOut]
    coverage: list[CoverageOut]


# --- Reports --------------------------------------------------------------------------------


class ReportFileOut(Schema):
    id: int
    format: str
    language: str
    public: bool
    size: int
    sha256: str
    url: str


class ReportOut(Schema):
    id: int
    municipality: str
    title: str
    period_start: dt.date
    period_end: dt.date
    language: str
    version: int
    status: str
    published_at: dt.datetime | None


class ReportDetailOut(ReportOut):
    files: list[ReportFileOut]
