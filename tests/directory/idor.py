"""Id-taking URLs of the directory app, with an object of Gjilan for the IDOR test."""

from mkk.directory.models import InstitutionKind as K

CASES = {
    "directory:municipality": lambda world: {"code": world.gjilan.municipality.code},
    "directory:institution": lambda world: {"pk": world.gjilan.inst(K.POLICE).pk},
}
