"""``make bench``: every measure next to its floor, measured in the same run, as a ratio.

On PostgreSQL, in a database of its own (``mkk_bench``, dropped and made anew; set
``MKK_BENCH_DATABASE_URL`` to use another), the bench

1. migrates, loads the demo and generates the statistics of Kosovo's 38 municipalities for
   ten years of months (six institutions of every kind with a data set per municipality,
   about a million values) with ``COPY``;
2. times the statistics comparison (this year against the last) for one municipality, one
   region and all of Kosovo against one hand-written SQL ``GROUP BY`` over the same rows, and
   checks that every figure agrees exactly;
3. times the monitoring report: the PDF against WeasyPrint alone on the same HTML, and all
   four formats from one data build against the libraries alone writing the same content;
4. times the import of a plan of 1,000 actions (and checks that a dry run writes nothing);
5. starts gunicorn (4 workers) and runs locust headless with 50 logged-in users against the
   dashboard, the statistics page and the plan page, and against a bare authenticated view
   (the page frame, with nothing in it) in the same server: p50 and p95 of each.

Prints one row per measure with its floor, the ratio, the target and PASS/FAIL; the exit
status is 1 when a row fails. Not a test: timings depend on the machine and its load.

    python -m mkk.tools.bench [--users 50] [--seconds 15] [--skip-load] [--reuse]
        [--only comparison|reports|plan-import|load]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass

DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DB_NAME = "mkk_bench"
YEARS = 10
PER_KIND = 6
#: Left as the demo has them (their pages and reports are the load run's and report's).
DEMO = ("drenas", "gjilan")
LAST_YEAR = 2024  # generated: LAST_YEAR - YEARS + 1 .. LAST_YEAR (before the demo's 2025)

#: Kosovo's 38 municipalities by police region (the unit regional figures are summed by).
REGIONS = {
    "prishtine": ["prishtine", "fushe-kosove", "obiliq", "podujeve", "lipjan", "gracanice",
                  "drenas"],
    "mitrovice": ["mitrovice", "mitrovice-veriore", "vushtrri", "skenderaj", "zvecan",
                  "zubin-potok", "leposaviq"],
    "peje": ["peje", "istog", "kline", "decan"],
    "gjakove": ["gjakove", "rahovec", "junik", "malisheve"],
    "prizren": ["prizren", "suhareke", "dragash", "mamushe"],
    "ferizaj": ["ferizaj", "shtime", "shterpce", "kacanik", "hani-i-elezit"],
    "gjilan": ["gjilan", "kamenice", "viti", "novoberde", "ranillug", "partesh", "kllokot"],
}  # fmt: skip


@dataclass
class Row:
    name: str
    app: float
    floor: float
    target: float
    unit: str = "s"
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.app / self.floor if self.floor else float("inf")

    @property
    def ok(self) -> bool:
        return self.ratio <= self.target


@dataclass
class Absolute:
    name: str
    value: float
    limit: float
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.value < self.limit


def timed(fn, *, runs: int = 3, budget: float = 8.0):
    """Median seconds of ``fn()`` over up to ``runs`` runs (fewer when a run is slow), and
    the last result."""
    times, result = [], None
    start = time.perf_counter()
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
        if time.perf_counter() - start > budget:
            break
    return statistics.median(times), result


# --- environment and database ----------------------------------------------------------------


def _environment(db_url: str, var_dir: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = {
        "DATABASE_URL": db_url,
        "DJANGO_SETTINGS_MODULE": "mkk.config.settings",
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "MKK_FIELD_KEYS": Fernet.generate_key().decode(),
        "MKK_PSEUDONYM_KEY": secrets.token_urlsafe(32),
        "MKK_VAR_DIR": var_dir,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "False",
        "MKK_BENCH_VIEWS": "True",
        "DB_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "ERROR",
    }
    os.environ.update(env)
    return env


def _recreate_database(db_url: str) -> None:
    import psycopg

    admin = os.environ.get("MKK_BENCH_ADMIN_URL", DEFAULT_ADMIN_URL)
    name = db_url.rsplit("/", 1)[1]
    with psycopg.connect(admin, autocommit=True) as conn:
        # Reviewed: the benchmark's own throwaway database name, from its settings (quoted).
        conn.execute(  # nosemgrep: mkk-raw-sql-string
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
        )
        conn.execute(f'CREATE DATABASE "{name}"')  # nosemgrep: mkk-raw-sql-string


# --- data --------------------------------------------------------------------------------------


def _copy(cursor, model, rows: list[dict]) -> None:
    """COPY ``rows`` (field attname -> value) into ``model``'s table; other fields get their
    default."""
    fields = list(model._meta.concrete_fields)
    columns = ", ".join(f'"{f.column}"' for f in fields)
    defaults = {}
    for f in fields:
        if f.has_default():
            defaults[f.attname] = f.get_default()
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = dt.datetime.now(dt.UTC)
        elif f.null:
            defaults[f.attname] = None
        else:
            defaults[f.attname] = ""
    with cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row.get(f.attname, defaults[f.attname]) for f in fields])


def _set_sequence(cursor, model) -> None:
    table = model._meta.db_table
    cursor.execute(
        # Reviewed: the table name comes from the model's metadata (quoted), no input.
        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608  # nosec B608
        f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
    )


def _value_shapes():
    """Per data set: [(element_id, [key sets per disaggregation])]."""
    from mkk.statistics.models import DataSet

    shapes = {}
    for ds in DataSet.objects.filter(is_active=True).prefetch_related(
        "elements__disaggregations__options"
    ):
        elements = []
        for e in ds.elements.all():
            groups = [
                [f"{d.code}={o.code}" for o in d.options.all()] for d in e.disaggregations.all()
            ]
            elements.append((e.pk, [g for g in groups if g]))
        shapes[ds.pk] = (ds.institution_kind, elements)
    return shapes


def _bench_institutions(munis: dict, kinds: list[str]) -> list:
    """``PER_KIND`` institutions of every kind in each municipality but the demo's (created
    where missing)."""
    from mkk.directory.models import Institution

    new_insts = []
    for code, (muni, _region) in munis.items():
        if code in DEMO:
            continue
        have = {}
        for inst in Institution.objects.filter(municipality=muni, kind__in=kinds):
            have[inst.kind] = have.get(inst.kind, 0) + 1
        for kind in kinds:
            for n in range(have.get(kind, 0), PER_KIND):
                label = f"{kind} {code} {n + 1}"
                new_insts.append(
                    Institution(municipality=muni, kind=kind, name_sq=label, name_en=label)
                )
    Institution.objects.bulk_create(new_insts, batch_size=1000)
    return list(
        Institution.objects.filter(municipality__code__in=list(munis), kind__in=kinds).exclude(
            municipality__code__in=DEMO
        )
    )


def _month_rows(insts, shapes, next_sub: int, next_val: int) -> tuple[list[dict], list[tuple]]:
    """An approved month of every data set of every institution for ``YEARS`` years: the
    submissions (dicts for ``_copy``) and their values (id, submission, element, key, value)."""
    from mkk.core import periods
    from mkk.statistics.models import Status

    rng = random.Random(14)  # noqa: S311 - synthetic figures
    sets_by_kind: dict[str, list[int]] = {}
    for ds_id, (kind, _elements) in shapes.items():
        sets_by_kind.setdefault(kind, []).append(ds_id)
    subs, values = [], []
    approved = dt.datetime(LAST_YEAR + 1, 1, 15, 10, tzinfo=dt.UTC)
    months = [(y, m) for y in range(LAST_YEAR - YEARS + 1, LAST_YEAR + 1) for m in range(1, 13)]
    for inst in insts:
        for ds_id in sets_by_kind.get(inst.kind, []):
            elements = shapes[ds_id][1]
            for y, m in months:
                subs.append(
                    {
                        "id": next_sub,
                        "institution_id": inst.pk,
                        "data_set_id": ds_id,
                        "period_start": dt.date(y, m, 1),
                        "period_end": periods.month_end(y, m),
                        "period_type": "month",
                        "status": Status.APPROVED,
                        "source": "manual",
                        "is_synthetic": True,
                        "submitted_at": approved,
                        "approved_at": approved,
                    }
                )
                for element_id, groups in elements:
                    total = rng.randint(0, 30)
                    values.append((next_val, next_sub, element_id, "", total))
                    next_val += 1
                    for group in groups:
                        left = total
                        for i, key in enumerate(group):
                            part = left if i == len(group) - 1 else rng.randint(0, left)
                            left -= part
                            values.append((next_val, next_sub, element_id, key, part))
                            next_val += 1
                next_sub += 1
    return subs, values


def generate(out) -> dict:
    """The 38 municipalities, ``PER_KIND`` institutions of each kind with a data set, and a
    month's approved submission of every data set for ``YEARS`` years. Returns the sizes."""
    from django.db import connection, transaction

    from mkk.statistics.models import DataValue, Submission

    t0 = time.perf_counter()
    shapes = _value_shapes()
    kinds = sorted({kind for kind, _elements in shapes.values()})
    with transaction.atomic():
        munis = municipalities()
        insts = _bench_institutions(munis, kinds)
        with connection.cursor() as cursor:
            cursor.execute('SELECT COALESCE(MAX(id), 0) FROM "statistics_submission"')
            next_sub = cursor.fetchone()[0] + 1
            cursor.execute('SELECT COALESCE(MAX(id), 0) FROM "statistics_datavalue"')
            next_val = cursor.fetchone()[0] + 1
            subs, values = _month_rows(insts, shapes, next_sub, next_val)
            # A bulk load: the foreign keys are right by construction, so their per-row
            # triggers are skipped for this transaction (superuser; the bench's own database).
            cursor.execute("SET LOCAL session_replication_role = replica")
            _copy(cursor, Submission, subs)
            with cursor.copy(
                'COPY "statistics_datavalue" (id, submission_id, element_id, key, value) FROM STDIN'
            ) as copy:
                chunk = 50_000
                for i in range(0, len(values), chunk):
                    copy.write(
                        "".join(
                            f"{a}\t{b}\t{c}\t{d}\t{e}\n" for a, b, c, d, e in values[i : i + chunk]
                        )
                    )
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
            _set_sequence(cursor, Submission)
            _set_sequence(cursor, DataValue)
            cursor.execute('ANALYZE "directory_institution"')  # as autovacuum would
            cursor.execute('ANALYZE "statistics_submission"')
            cursor.execute('ANALYZE "statistics_datavalue"')
    out(
        f"generated: {len(munis)} municipalities, {len(insts)} institutions, "
        f"{len(subs):,} submissions, {len(values):,} values in {time.perf_counter() - t0:.1f} s"
    )
    return {"municipalities": munis, "values": len(values)}


def municipalities() -> dict:
    """code -> (Municipality, region code): Kosovo's municipalities as the database has them
    (with their police region), else made from ``REGIONS``."""
    from mkk.directory.models import Municipality

    if hasattr(Municipality, "region") and Municipality.objects.count() >= 38:
        return {
            m.code: (m, m.region.code if m.region_id else "")
            for m in Municipality.objects.select_related("region")
        }
    munis = {}
    for region, codes in REGIONS.items():
        for code in codes:
            name = code.replace("-", " ").title()
            muni, _created = Municipality.objects.get_or_create(
                code=code, defaults={"name_sq": name, "name_sr": name, "name_en": name}
            )
            munis[code] = (muni, region)
    return munis


def reuse() -> dict:
    from mkk.statistics.models import DataValue

    return {"municipalities": municipalities(), "values": DataValue.objects.count()}


# --- statistics comparison ----------------------------------------------------------------------


FLOOR_SQL = """
SELECT {group} AS grp, e.code, v.key,
       SUM(v.value) FILTER (WHERE s.period_start >= %(start)s) AS current,
       SUM(v.value) FILTER (WHERE s.period_end <= %(previous_end)s) AS previous
  FROM statistics_datavalue v
  JOIN statistics_submission s ON s.id = v.submission_id
  JOIN directory_institution i ON i.id = s.institution_id
  JOIN statistics_dataelement e ON e.id = v.element_id
 WHERE i.municipality_id = ANY(%(municipalities)s)
   AND s.status IN ('approved', 'submitted')
   AND ((s.period_start >= %(start)s AND s.period_end <= %(end)s)
     OR (s.period_start >= %(previous_start)s AND s.period_end <= %(previous_end)s))
 GROUP BY grp, e.code, v.key
"""


def floor_comparison(municipality_ids, start, end, *, per_institution: bool) -> dict:
    from django.db import connection

    from mkk.core import periods

    previous_start, previous_end = periods.previous_year(start, end)
    group = "s.institution_id" if per_institution else "0"
    params = {
        "municipalities": list(municipality_ids),
        "start": start,
        "end": end,
        "previous_start": previous_start,
        "previous_end": previous_end,
    }
    with connection.cursor() as cursor:
        # Reviewed: group is one of the benchmark's fixed SQL expressions; values are params.
        cursor.execute(FLOOR_SQL.format(group=group), params)  # nosemgrep: mkk-raw-sql-string
        return {(g, code, key): (cur, prev) for g, code, key, cur, prev in cursor.fetchall()}


def app_comparison(scope, start, end) -> dict:
    """The figures as the application computes them, in the floor's shape: per institution
    for a municipality, the scope's totals (what the national pages and reports show) for a
    region and for Kosovo."""
    from mkk.statistics.comparison import compare_range

    kind, obj, _munis = scope
    if kind == "municipality":
        result = compare_range(municipality=obj, start=start, end=end)
        rows = [((r.institution.pk, r.element.code, r.disaggregation), r) for r in result.rows]
    else:
        arg = {"region": obj} if kind == "region" else {"national": True}
        result = compare_range(start=start, end=end, **arg)
        rows = [((0, code, key), r) for (code, key), r in result.totals.rows.items()]
    figures: dict = {}
    for key, r in rows:
        if r.current is None and r.previous is None:
            continue
        cur, prev = figures.get(key, (None, None))
        if r.current is not None:
            cur = (cur or 0) + r.current
        if r.previous is not None:
            prev = (prev or 0) + r.previous
        figures[key] = (cur, prev)
    return figures


def rows_agree_with_totals(scope, start, end) -> bool:
    """Untimed: a region's or Kosovo's rows per institution (summed on first use) add up to
    its totals."""
    from mkk.statistics.comparison import compare_range

    kind, obj, _munis = scope
    arg = {"region": obj} if kind == "region" else {"national": True}
    result = compare_range(start=start, end=end, **arg)
    summed: dict = {}
    for r in result.rows:
        if r.current is not None or r.previous is not None:
            cur, prev = summed.get((r.element.code, r.disaggregation), (None, None))
            if r.current is not None:
                cur = (cur or 0) + r.current
            if r.previous is not None:
                prev = (prev or 0) + r.previous
            summed[(r.element.code, r.disaggregation)] = (cur, prev)
    totals = {
        k: (r.current, r.previous)
        for k, r in result.totals.rows.items()
        if r.current is not None or r.previous is not None
    }
    return summed == totals


def bench_comparison(munis: dict, out) -> list[Row]:
    start, end = dt.date(LAST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31)
    generated = sorted(c for c in munis if c not in DEMO)
    one = munis[generated[0]][0]
    region = munis[generated[0]][1]
    in_region = [m for m, r in munis.values() if r == region]
    region_obj = in_region[0].region if hasattr(in_region[0], "region") else region
    everyone = [m for m, _r in munis.values()]
    scopes = [
        (f"1 municipality ({one.name_sq})", ("municipality", one, [one])),
        (f"a region ({region}, {len(in_region)} municipalities)",
         ("region", region_obj, in_region)),
        (f"all Kosovo ({len(everyone)} municipalities)", ("national", None, everyone)),
    ]  # fmt: skip
    rows = []
    for label, scope in scopes:
        ids = [m.pk for m in scope[2]]
        per_institution = scope[0] == "municipality"
        floor_t, floor = timed(
            lambda ids=ids, p=per_institution: floor_comparison(ids, start, end, per_institution=p)
        )
        app_t, app = timed(lambda scope=scope: app_comparison(scope, start, end))
        if app != floor:
            diff = sorted(set(app.items()) ^ set(floor.items()))[:5]
            raise SystemExit(f"comparison {label}: the figures differ from SQL: {diff}")
        if scope[0] != "municipality" and not rows_agree_with_totals(scope, start, end):
            raise SystemExit(f"comparison {label}: the rows per institution differ from totals")
        rows.append(
            Row(
                f"statistics comparison, {label}",
                app_t,
                floor_t,
                2.0,
                note=f"{len(app):,} figures agree",
            )
        )
        out(f"  {rows[-1].name}: {app_t:.3f} s vs {floor_t:.3f} s, {len(app):,} figures agree")
    return rows


# --- reports ----------------------------------------------------------------------------------


def _floor_docx(doc) -> bytes:
    """python-docx alone writing the document's headings, text, tables and charts."""
    import io

    from docx import Document as Docx
    from docx.shared import Inches

    from mkk.reports.document import Chart, Cover, Heading, Paragraph, Table

    d = Docx()
    for block in doc.blocks:
        if isinstance(block, Cover):
            d.add_heading(block.title, 0)
            for label, value in block.lines:
                d.add_paragraph(f"{label}: {value}")
        elif isinstance(block, Heading):
            d.add_heading(block.text, min(block.level, 9))
        elif isinstance(block, Paragraph):
            d.add_paragraph(block.text)
        elif isinstance(block, Table):
            table = d.add_table(rows=1 + len(block.rows), cols=len(block.header))
            for row, values in zip(table.rows, [block.header, *block.rows], strict=True):
                for cell, value in zip(row.cells, values, strict=False):
                    cell.text = "" if value is None else str(value)
        elif isinstance(block, Chart):
            d.add_picture(io.BytesIO(block.png), width=Inches(block.width_in))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _floor_xlsx(doc) -> bytes:
    """openpyxl alone writing the document's text and one sheet per table."""
    import io

    from openpyxl import Workbook

    from mkk.reports.document import Heading, Paragraph, Table

    wb = Workbook()
    text = wb.active
    for i, block in enumerate(doc.blocks):
        if isinstance(block, Heading | Paragraph):
            text.append([block.text])
        elif isinstance(block, Table):
            ws = wb.create_sheet(f"T{i}")
            ws.append(block.header)
            for values in block.rows:
                ws.append([v if isinstance(v, int | float | str) or v is None else str(v)
                           for v in values])  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def bench_reports(out) -> list[Row]:
    from mkk.directory.models import Municipality
    from mkk.reports import render as report_render
    from mkk.reports.builder import build_report_data
    from mkk.reports.document import Chart, build_document

    municipality = Municipality.objects.get(code="drenas")
    args = {
        "municipality": municipality,
        "start": dt.date(2025, 1, 1),
        "end": dt.date(2025, 12, 31),
        "language": "sq",
        "public": False,
    }
    data = build_report_data(**args)
    doc = build_document(data)
    charts = [b for b in doc.blocks if isinstance(b, Chart)]
    for chart in charts:  # drawn once here, so that the floors get the finished PNGs
        chart.png  # noqa: B018
    from django.utils.translation import override

    with override(doc.language):
        html = report_render._html_document(doc, for_pdf=True)
    from django.core.cache import cache

    clear = cache.clear  # the charts are kept in Django's cache (local memory here)

    def pdf_app():
        clear()  # a report's first rendering draws its charts
        return report_render.render("pdf", data)

    def pdf_floor():
        return report_render.html_to_pdf(html)

    pdf_floor()  # warm-up: fonts
    pdf_t, _pdf = timed(pdf_app, runs=3, budget=20)
    wp_t, _wp = timed(pdf_floor, runs=3, budget=20)

    def all_app():
        clear()
        built = build_report_data(**args)
        render_all = getattr(report_render, "render_all", None)
        if render_all is not None:
            return render_all(built)
        return {fmt: report_render.render(fmt, built) for fmt in ("pdf", "docx", "xlsx", "html")}

    def all_floor():
        return (
            report_render.html_to_pdf(html),
            _floor_docx(doc),
            _floor_xlsx(doc),
            html.encode(),
        )

    app_t, _files = timed(all_app, runs=2, budget=20)
    lib_t, _libs = timed(all_floor, runs=2, budget=20)
    out(f"  report PDF {pdf_t:.2f} s vs WeasyPrint {wp_t:.2f} s; four formats {app_t:.2f} s "
        f"vs libraries {lib_t:.2f} s ({len(charts)} charts)")  # fmt: skip
    return [
        Row("report PDF (Drenas 2025) vs WeasyPrint alone on the same HTML", pdf_t, wp_t, 1.5),
        Row(
            "report, all four formats from one data build vs the libraries alone",
            app_t,
            lib_t,
            2.0,
        ),
    ]


# --- plan import -------------------------------------------------------------------------------


def big_plan_text(actions: int = 1000) -> bytes:
    """A plan of ``actions`` actions in the seed's text-export layout (integrity's generator
    of the import speed test, tests/plans/bigplan.py: the bench runs from the repository)."""
    try:
        from tests.plans.bigplan import big_plan_text as maker
    except ImportError as exc:
        raise NotImplementedError from exc
    return maker(actions).encode("utf-8")


def bench_plan_import(out) -> list:
    from django.db import connection

    from mkk.directory.models import Mechanism
    from mkk.plans.importing import plan_import
    from mkk.plans.models import Action

    try:
        name, data = "plan-1000.txt", big_plan_text(1000)
    except NotImplementedError:
        out("  plan import: no 1,000-action plan generator (tests/plans/bigplan.py): skipped")
        return []
    from mkk.directory.models import Municipality

    # A municipality without a plan (the demo's Drenas keeps its own).
    town = Municipality.objects.exclude(code__in=DEMO).order_by("code").first()
    mechanism, _created = Mechanism.objects.get_or_create(
        municipality=town, defaults={"name_sq": f"MKK {town.name_sq}"}
    )

    def count():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM plans_action")
            return cursor.fetchone()[0]

    before = count()
    t0 = time.perf_counter()
    plan_import(actor=None, mechanism=mechanism, name=name, data=data, dry_run=True)
    dry = time.perf_counter() - t0
    if count() != before:
        raise SystemExit("plan import: the dry run wrote actions")
    t0 = time.perf_counter()
    plan_import(actor=None, mechanism=mechanism, name=name, data=data, dry_run=False)
    real = time.perf_counter() - t0
    n = Action.objects.filter(plan__mechanism=mechanism).count()
    out(f"  plan import: {n} actions in {real:.2f} s (dry run {dry:.2f} s, wrote nothing)")
    return [
        Absolute(f"plan import, {n:,} actions", real, 3.0),
        Absolute(f"plan import dry run, {n:,} actions (writes nothing)", dry, 3.0),
    ]


# --- load run -----------------------------------------------------------------------------------


def bench_load(env: dict, users: int, seconds: int, folder: str, out) -> list[Row]:
    from .bench_load import measure_pages

    pages, figures = measure_pages(env, users, seconds, folder, out)
    bare = figures["bare authenticated view"]
    rows = []
    for name, _path in pages[1:]:
        f = figures[name]
        rows.append(Row(f"{name}, p95 at {users} users vs bare view", f["p95"], bare["p95"], 3.0))
    return rows


# --- output ---------------------------------------------------------------------------------------


def _print_table(rows: list) -> bool:
    ok = True
    print()
    print(f"{'measure':<72} {'MKK':>9} {'floor':>9} {'ratio':>7} {'target':>8}  result")
    print("-" * 116)
    for r in rows:
        ok = ok and r.ok
        verdict = "PASS" if r.ok else "FAIL"
        if isinstance(r, Row):
            print(
                f"{r.name:<72} {r.app:>8.3f}s {r.floor:>8.3f}s {r.ratio:>6.2f}× "
                f"{'≤ ' + format(r.target, 'g') + '×':>8}  {verdict}"
            )
        else:
            print(
                f"{r.name:<72} {r.value:>8.3f}s {'':>9} {'':>7} "
                f"{'< ' + format(r.limit, 'g') + ' s':>8}  {verdict}"
            )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=15, help="length of each load run")
    parser.add_argument("--skip-load", action="store_true", help="no gunicorn/locust run")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of the last run (no set-up)"
    )
    parser.add_argument(
        "--only",
        choices=["comparison", "reports", "plan-import", "load"],
        help="run only this section (the set-up still runs unless --reuse)",
    )
    args = parser.parse_args(argv)

    def wanted(section: str) -> bool:
        return args.only in (None, section)

    began = time.perf_counter()
    db_url = os.environ.get(
        "MKK_BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
    )
    folder = tempfile.mkdtemp(prefix="mkk-bench-")
    try:
        env = _environment(db_url, folder)
        if not args.reuse:
            _recreate_database(db_url)
        import django

        django.setup()
        from django.core.management import call_command

        if args.reuse:
            call_command("migrate", verbosity=0, interactive=False)  # the code may be newer
            sizes = reuse()
        else:
            t0 = time.perf_counter()
            call_command("migrate", verbosity=0, interactive=False)
            t1 = time.perf_counter()
            with open(os.devnull, "w") as devnull:
                call_command("load_demo", allow_production=True, quiet_logins=True, stdout=devnull)
            print(f"set-up: migrate {t1 - t0:.1f} s, load_demo {time.perf_counter() - t1:.1f} s")
        rows: list = []
        if wanted("reports"):
            print("monitoring report:")
            rows += bench_reports(print)
        if not args.reuse:
            sizes = generate(print)
        if wanted("comparison"):
            print("statistics comparison (this year against the last):")
            rows += bench_comparison(sizes["municipalities"], print)
        if wanted("plan-import"):
            print("plan import:")
            rows += bench_plan_import(print)
        if not args.skip_load and wanted("load"):
            print(f"load run: gunicorn, 4 workers, {args.users} users, {args.seconds} s a page:")
            rows += bench_load(env, args.users, args.seconds, folder, print)
        ok = _print_table(rows)
        took = time.perf_counter() - began
        verdict = "ALL PASS" if ok else "SOME FAIL"
        print(f"\n{sizes['values']:,} statistics values; the bench took {took:.0f} s. {verdict}")
        return 0 if ok else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
