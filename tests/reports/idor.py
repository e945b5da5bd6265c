"""Id-taking URLs of the reports app, each given a Gjilan object (tests/test_idor.py)."""

from __future__ import annotations

import datetime as dt


def _report(world, **extra):
    from mkk.reports.models import MonitoringReport

    return MonitoringReport.objects.create(
        mechanism=world.gjilan.mechanism,
        period_start=dt.date(2019, 1, 1),
        period_end=dt.date(2019, 9, 30),
        **extra,
    )


def _versioned(world):
    first = _report(world, status="submitted", snapshot={}, public_snapshot={})
    return _report(world, version=2, previous_version=first)


CASES = {
    "reports:index": lambda world: {"code": world.gjilan.municipality.code},
    "reports:detail": lambda world: {"pk": _report(world).pk},
    "reports:files_status": lambda world: {"pk": _report(world, status="submitted").pk},
    "reports:files_restart": lambda world: {"pk": _report(world, status="submitted").pk},
    "reports:edit": lambda world: {"pk": _report(world).pk},
    "reports:transition": lambda world: {"pk": _report(world).pk},
    "reports:decide": lambda world: {"pk": _report(world, status="submitted").pk},
    "reports:new_version": lambda world: {"pk": _report(world, status="submitted").pk},
    "reports:delete": lambda world: {"pk": _report(world).pk},
    "reports:diff": lambda world: {"pk": _versioned(world).pk},
    "reports:download": lambda world: {"pk": _report(world).pk, "fmt": "pdf"},
}
