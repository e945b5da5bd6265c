"""Benchmark of the monitoring report (``make bench``): how long building and rendering take.

Sets up its own throwaway SQLite database in a temporary folder (migrate + load_demo), then
times the report of Drenas for 2025 (the demo data) and of a synthetic municipality with a
year ten times larger (ten institutions of each kind with Drenas's submissions, ten times the
meetings, activities and plan actions). For each: building the data, then each format
(PDF, DOCX, XLSX, HTML) as the command does it. Prints the figures; not a test.

    python -m mkk.tools.bench [--runs N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time

FORMATS = ["pdf", "docx", "xlsx", "html"]
FACTOR = 10


def _setup_environment(folder: str) -> None:
    os.environ["MKK_VAR_DIR"] = folder
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["DEBUG"] = "True"
    os.environ["DJANGO_SETTINGS_MODULE"] = "mkk.config.settings"
    os.environ.setdefault("LOG_LEVEL", "ERROR")


def _clone(obj, **changes):
    """A new unsaved instance with the same field values (primary key dropped)."""
    fields = {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key
    }
    new = type(obj)(**fields)
    for key, value in changes.items():
        setattr(new, key, value)
    return new


def make_synthetic(code: str = "bench") -> None:
    """A municipality with ten times Drenas's year: data, meetings, activities, actions."""
    from django.db import transaction

    from mkk.directory.models import Institution, Mechanism, Membership, Municipality
    from mkk.meetings.models import Activity, Attendance, Decision, FollowUp, Meeting
    from mkk.plans.models import (
        Action,
        ActionFunder,
        ActionInstitution,
        ActionPlan,
        BudgetLine,
        ProgressUpdate,
        SpecificObjective,
        Spending,
        StrategicObjective,
    )
    from mkk.statistics.models import DataValue, Submission

    drenas = Municipality.objects.get(code="drenas")
    with transaction.atomic():
        town, _created = Municipality.objects.get_or_create(
            code=code, defaults={"name_sq": "Bench", "name_sr": "Bench", "name_en": "Bench"}
        )
        d_mech = Mechanism.objects.get(municipality=drenas)
        mech = Mechanism.objects.filter(municipality=town).first() or _clone(
            d_mech, municipality=town, coordinator=None
        )
        mech.save()
        clones: dict[int, list[Institution]] = {}
        for inst in Institution.objects.filter(municipality=drenas):
            copies = []
            for i in range(FACTOR):
                copies.append(_clone(inst, municipality=town, name_sq=f"{inst.name_sq} {i + 1}"))
            clones[inst.pk] = Institution.objects.bulk_create(copies)
            Membership.objects.bulk_create(
                Membership(mechanism=mech, institution=c, order=n)
                for n, c in enumerate(clones[inst.pk])
            )

        subs = list(Submission.objects.filter(institution__municipality=drenas))
        values = {}
        for v in DataValue.objects.filter(submission__in=subs):
            values.setdefault(v.submission_id, []).append(v)
        for sub in subs:
            originals = values.get(sub.pk, [])
            new_subs = Submission.objects.bulk_create(
                _clone(sub, institution=c) for c in clones[sub.institution_id]
            )
            DataValue.objects.bulk_create(
                _clone(v, submission=s) for s in new_subs for v in originals
            )

        def first_clone(inst_id):
            return clones[inst_id][0] if inst_id in clones else None

        for meeting in Meeting.objects.filter(mechanism=d_mech):
            attendance = list(Attendance.objects.filter(meeting=meeting))
            decisions = list(Decision.objects.filter(meeting=meeting))
            for _i in range(FACTOR):
                m = _clone(meeting, mechanism=mech, created_by=None)
                m.save()
                Attendance.objects.bulk_create(
                    _clone(a, meeting=m, institution=first_clone(a.institution_id))
                    for a in attendance
                    if first_clone(a.institution_id)
                )
                for d in decisions:
                    tasks = list(FollowUp.objects.filter(decision=d))
                    nd = _clone(d, meeting=m)
                    nd.save()
                    FollowUp.objects.bulk_create(
                        _clone(t, decision=nd, owner=first_clone(t.owner_id), completed_by=None)
                        for t in tasks
                        if first_clone(t.owner_id)
                    )
        Activity.objects.bulk_create(
            _clone(a, mechanism=mech, meeting=None)
            for a in Activity.objects.filter(mechanism=d_mech)
            for _i in range(FACTOR)
        )

        plan = ActionPlan.objects.filter(mechanism=d_mech).first()
        if plan is not None:
            new_plan = _clone(plan, mechanism=mech)
            new_plan.save()
            specific_map = {}
            for so in StrategicObjective.objects.filter(plan=plan):
                new_so = _clone(so, plan=new_plan)
                new_so.save()
                for sp in SpecificObjective.objects.filter(strategic_objective=so):
                    new_sp = _clone(sp, strategic_objective=new_so)
                    new_sp.save()
                    specific_map[sp.pk] = new_sp
            for action in Action.objects.filter(plan=plan):
                for i in range(FACTOR):
                    a = _clone(
                        action,
                        plan=new_plan,
                        specific_objective=specific_map[action.specific_objective_id],
                        code=f"{action.code}-{i + 1}",
                    )
                    a.save()
                    BudgetLine.objects.bulk_create(
                        _clone(b, action=a) for b in BudgetLine.objects.filter(action=action)
                    )
                    ActionFunder.objects.bulk_create(
                        _clone(f, action=a) for f in ActionFunder.objects.filter(action=action)
                    )
                    ActionInstitution.objects.bulk_create(
                        _clone(link, action=a, institution=first_clone(link.institution_id))
                        for link in ActionInstitution.objects.filter(action=action)
                    )
                    for u in ProgressUpdate.objects.filter(action=action):
                        spending = list(Spending.objects.filter(update=u))
                        nu = _clone(u, action=a, submitted_by=None, reviewed_by=None)
                        nu.save()
                        Spending.objects.bulk_create(_clone(s, update=nu) for s in spending)


def measure(code: str, start: dt.date, end: dt.date, runs: int) -> dict[str, list[float]]:
    from mkk.directory.models import Municipality
    from mkk.reports.builder import build_report_data
    from mkk.reports.document import _CHART_CACHE
    from mkk.reports.render import render

    municipality = Municipality.objects.get(code=code)
    out: dict[str, list[float]] = {"build": []} | {f: [] for f in FORMATS}
    for _run in range(runs):
        _CHART_CACHE.clear()  # each format draws its charts afresh, as a lone command does
        t0 = time.perf_counter()
        data = build_report_data(
            municipality=municipality, start=start, end=end, language="sq", public=False
        )
        out["build"].append(time.perf_counter() - t0)
        for fmt in FORMATS:
            _CHART_CACHE.clear()
            t0 = time.perf_counter()
            render(fmt, data)
            out[fmt].append(time.perf_counter() - t0)
    return out


def _report(title: str, figures: dict[str, list[float]]) -> None:
    print(f"\n{title}")
    build = statistics.median(figures["build"])
    for key, values in figures.items():
        med = statistics.median(values)
        total = med + (build if key != "build" else 0)
        extra = "" if key == "build" else f"   build+render {total:6.2f} s"
        print(
            f"  {key:<6} median {med:6.2f} s  (min {min(values):.2f}, max {max(values):.2f}){extra}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mkk-bench-") as folder:
        _setup_environment(folder)
        import django

        django.setup()
        from django.core.management import call_command

        t0 = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_demo", "--quiet-logins", stdout=open(os.devnull, "w"))  # noqa: SIM115
        print(f"set-up (migrate + load_demo): {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        make_synthetic()
        print(f"synthetic municipality ({FACTOR}x Drenas): {time.perf_counter() - t0:.1f} s")
        from mkk.statistics.models import Submission

        print(
            "submissions: Drenas",
            Submission.objects.filter(institution__municipality__code="drenas").count(),
            "· bench",
            Submission.objects.filter(institution__municipality__code="bench").count(),
        )
        # Warm-up: imports, fonts, first queries.
        measure("gjilan", dt.date(2019, 1, 1), dt.date(2019, 9, 30), 1)
        year = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
        _report("Drenas 2025 (demo data)", measure("drenas", *year, args.runs))
        _report(f"Synthetic year, {FACTOR}x larger", measure("bench", *year, args.runs))
        print("\nTarget: a year's report in under 5 s (build + render of one format).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
