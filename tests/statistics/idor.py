"""Id-taking URLs of the statistics app, with an object of Gjilan for the IDOR test."""

import datetime as dt

from mkk.directory.models import InstitutionKind as K


def _submission(world, status="submitted"):
    from mkk.statistics.catalogue import ensure_default_catalogue
    from mkk.statistics.models import DataSet, Submission

    ensure_default_catalogue()
    inst = world.gjilan.inst(K.POLICE)
    sub, _ = Submission.objects.get_or_create(
        institution=inst,
        data_set=DataSet.objects.get(code="POLICE"),
        period_start=dt.date(2019, 1, 1),
        period_end=dt.date(2019, 1, 31),
        defaults={"status": status},
    )
    return sub


def _entry(world):
    from mkk.statistics.catalogue import ensure_default_catalogue
    from mkk.statistics.models import DataSet

    ensure_default_catalogue()
    return {
        "institution": world.gjilan.inst(K.POLICE).pk,
        "data_set": DataSet.objects.get(code="POLICE").pk,
    }


CODE = {"code": "gjilan"}
CASES = {
    "statistics:index": lambda world: CODE,
    "statistics:entry": lambda world: CODE,
    "statistics:submissions": lambda world: CODE,
    "statistics:completeness": lambda world: CODE,
    "statistics:remind": lambda world: CODE,
    "statistics:import": lambda world: CODE,
    "statistics:export_csv": lambda world: CODE,
    "statistics:export_dhis2": lambda world: CODE,
    "statistics:entry_form": _entry,
    "statistics:entry_check": _entry,
    "statistics:submission": lambda world: {"pk": _submission(world).pk},
    "statistics:submission_submit": lambda world: {"pk": _submission(world).pk},
    "statistics:submission_approve": lambda world: {"pk": _submission(world).pk},
    "statistics:submission_return": lambda world: {"pk": _submission(world).pk},
    "statistics:submission_correct": lambda world: {"pk": _submission(world).pk},
    "statistics:submission_delete": lambda world: {"pk": _submission(world).pk},
}
