"""Id-taking URLs of the plans app, with an object of Gjilan for the IDOR test."""

from .helpers import idor_objects


def _code(world):
    return {"code": world.gjilan.municipality.code}


CASES = {
    "plans:index": _code,
    "plans:actions": _code,
    "plans:action_add": _code,
    "plans:import": _code,
    "plans:import_confirm": _code,
    "plans:settings": _code,
    "plans:export": _code,
    "plans:reviews": _code,
    "plans:import_run": lambda world: {"pk": idor_objects(world)["run"].pk},
    "plans:action": lambda world: {"pk": idor_objects(world)["action"].pk},
    "plans:action_edit": lambda world: {"pk": idor_objects(world)["action"].pk},
    "plans:action_retire": lambda world: {"pk": idor_objects(world)["action"].pk},
    "plans:action_history": lambda world: {"pk": idor_objects(world)["action"].pk},
    "plans:progress": lambda world: {"pk": idor_objects(world)["action"].pk},
    "plans:update": lambda world: {"pk": idor_objects(world)["update"].pk},
    "plans:evidence": lambda world: {"pk": idor_objects(world)["evidence"].pk},
    "plans:evidence_delete": lambda world: {"pk": idor_objects(world)["evidence"].pk},
}
