"""Demo figures.

* Gjilan, January–September 2019 and 2018, as the mechanism's 2019 report gives them (public
  aggregate figures, no person in them): police 83 and 78 cases; centre for social work 76
  victims (59 women, 17 men) and 80; shelter "Liria" 51 persons (25 adults, 26 children) and 66.
  Each is one range submission, approved.
* Drenas, every month of 2025 and 2026 that has ended, for every data set: **synthetic**
  figures (``is_synthetic=True``) drawn from a fixed seed, sized for a small municipality.
  The last ended month is left open for some institutions, so that the completeness page,
  the reminders and the approval queue have something to show.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from mkk.core import periods

from . import services
from .catalogue import ensure_default_catalogue
from .exchange import mapping_generate
from .models import DataSet, DataValue, Source, Status, Submission
from .validation import check_values, spec_of

GJILAN = {
    # institution key: data set, {2019 values}, {2018 values}
    "police": ("POLICE", {("POL_CASES", ""): 83}, {("POL_CASES", ""): 78}),
    "social_work": (
        "SOCIAL_WORK",
        {
            ("QPS_VICTIMS", ""): 76,
            ("QPS_VICTIMS", "sex=female"): 59,
            ("QPS_VICTIMS", "sex=male"): 17,
        },
        {("QPS_VICTIMS", ""): 80},
    ),
    "shelter": (
        "SHELTER",
        {
            ("STR_PERSONS", ""): 51,
            ("STR_PERSONS", "age=adult"): 25,
            ("STR_PERSONS", "age=child"): 26,
        },
        {("STR_PERSONS", ""): 66},
    ),
}

DRENAS_KEYS = [
    "police",
    "social_work",
    "victim_advocate",
    "prosecution",
    "court",
    "shelter",
    "legal_aid",
    "employment",
    "health",
    "education",
]
#: Left open in the last ended month: (institution key, status or None for nothing at all).
OPEN_LAST_MONTH = {
    "prosecution": None,
    "education": None,
    "employment": Status.DRAFT,
    "police": Status.SUBMITTED,
    "social_work": Status.SUBMITTED,
}
SEED = 20250101


def _split(rng: random.Random, total: int, share: float) -> tuple[int, int]:
    first = sum(1 for _ in range(total) if rng.random() < share)
    return first, total - first


def _synthetic(rng: random.Random, element_code: str) -> dict[tuple[str, str], int]:
    """One month's plausible figures for one element of a municipality of ~60,000 people."""
    ranges = {
        "POL_CASES": (5, 15),
        "POL_ARRESTS": (2, 8),
        "QPS_VICTIMS": (3, 10),
        "MV_CASES": (3, 9),
        "PRO_CASES": (3, 10),
        "PRO_INDICTMENTS": (1, 6),
        "GJK_PO_REQUESTS": (1, 5),
        "GJK_EPO_ISSUED": (0, 3),
        "GJK_PO_ISSUED": (0, 4),
        "GJK_JUDGMENTS": (0, 4),
        "STR_PERSONS": (1, 6),
        "NJF_PERSONS": (0, 4),
        "PUN_VICTIMS": (0, 2),
        "SHE_CASES": (0, 3),
        "ARS_CASES": (0, 2),
        "POL_VICTIMS": (5, 16),
    }
    low, high = ranges.get(element_code, (0, 5))
    total = rng.randint(low, high)
    out = {(element_code, ""): total}
    if element_code in {
        "POL_VICTIMS",
        "QPS_VICTIMS",
        "MV_CASES",
        "NJF_PERSONS",
        "PUN_VICTIMS",
        "STR_PERSONS",
    }:
        f, m = _split(rng, total, 0.82)
        out[(element_code, "sex=female")] = f
        out[(element_code, "sex=male")] = m
    if element_code in {"POL_VICTIMS", "QPS_VICTIMS", "STR_PERSONS"}:
        a, c = _split(rng, total, 0.6)
        out[(element_code, "age=adult")] = a
        out[(element_code, "age=child")] = c
    return out


def _gjilan(directory: dict) -> int:
    made = 0
    institutions = directory["gjilan"]
    for key, (ds_code, v2019, v2018) in GJILAN.items():
        inst = institutions[key]
        ds = DataSet.objects.get(code=ds_code)
        for year, values in ((2019, v2019), (2018, v2018)):
            start, end = dt.date(year, 1, 1), dt.date(year, 9, 30)
            existing = Submission.objects.filter(
                institution=inst, data_set=ds, period_start=start, period_end=end
            ).first()
            if existing is not None and existing.status == Status.APPROVED:
                continue
            sub = services.submission_save(
                actor=None,
                institution=inst,
                data_set=ds,
                period_start=start,
                period_end=end,
                values=values,
                source=Source.MANUAL,
                submit=True,
                comment="Raporti i MKK Gjilan, janar – shtator 2019",
            )
            services.submission_approve(actor=None, submission=sub)
            made += 1
    return made


def _drenas(directory: dict, today: dt.date) -> int:
    rng = random.Random(SEED)  # noqa: S311 - synthetic demo figures, not security
    institutions = directory["drenas"]
    months = [p for y in (2025, 2026) for p in periods.periods_of("month", y) if p.end < today]
    last = months[-1] if months else None
    made = 0
    now = timezone.now()
    for key in DRENAS_KEYS:
        inst = institutions.get(key)
        if inst is None:
            continue
        for ds in DataSet.objects.filter(institution_kind=inst.kind, is_active=True):
            elements = list(
                ds.elements.prefetch_related("disaggregations__options").order_by("order")
            )
            specs = [spec_of(e) for e in elements]
            for p in months:
                values: dict[tuple[str, str], int] = {}
                for e in elements:
                    values.update(_synthetic(rng, e.code))  # drawn every time: stable sequence
                status = Status.APPROVED
                if p == last and key in OPEN_LAST_MONTH:
                    status = OPEN_LAST_MONTH[key]
                    if status is None:
                        continue
                if Submission.objects.filter(
                    institution=inst, data_set=ds, period_start=p.start, period_end=p.end
                ).exists():
                    continue
                assert not check_values(specs, values), (key, p, values)
                submitted = timezone.make_aware(
                    dt.datetime.combine(p.end + dt.timedelta(days=rng.randint(2, 14)), dt.time(10))
                )
                sub = Submission.objects.create(
                    institution=inst,
                    data_set=ds,
                    period_start=p.start,
                    period_end=p.end,
                    period_type="month",
                    status=status,
                    source=Source.MANUAL,
                    is_synthetic=True,
                    submitted_at=submitted if status != Status.DRAFT else None,
                    approved_at=min(submitted + dt.timedelta(days=3), now)
                    if status == Status.APPROVED
                    else None,
                )
                by_code = {e.code: e for e in elements}
                DataValue.objects.bulk_create(
                    DataValue(submission=sub, element=by_code[code], key=k, value=v)
                    for (code, k), v in values.items()
                )
                made += 1
    return made


@transaction.atomic
def load(directory: dict, out=None) -> None:
    ensure_default_catalogue()
    g = _gjilan(directory)
    d = _drenas(directory, timezone.localdate())
    mapping_generate(list(directory["gjilan"].values()) + list(directory["drenas"].values()))
    if out:
        out.write(
            f"  statistics: Gjilan {g} report submissions, Drenas {d} synthetic monthly submissions"
        )
